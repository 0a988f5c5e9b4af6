//! `jixiao explain CODE`: the registry entry of a diagnostic code (docs/errors.md).

use jixiao::codes;
use jixiao::diagnostics::Look;

/// Prints the entry; an unknown code is a usage error (exit 2) with the nearest codes.
pub fn run(code: &str, look: Look) -> std::process::ExitCode {
    match codes::explain(code) {
        Ok(entry) => match super::to_stdout(&format!("{}\n", entry.text)) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(failure) => super::fail(&failure, look),
        },
        Err(near) => {
            let hint = match near.as_slice() {
                [] => "every code is listed in docs/errors.md".to_string(),
                [one] => format!("did you mean `{one}`?"),
                many => format!("it could be any of: {}", many.join(", ")),
            };
            super::to_stderr(&format!("error: no diagnostic code `{code}`; {hint}\n"));
            std::process::ExitCode::from(2)
        }
    }
}
