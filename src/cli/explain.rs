//! `jixiao explain CODE`: the registry entry of a diagnostic code (docs/errors.md).

use jixiao::codes;
use jixiao::diagnostics::{Lang, Look};

/// Prints the entry in the language of the diagnostics (`--lang`); an unknown code is a usage
/// error (exit 2) with the nearest codes.
pub fn run(code: &str, look: Look) -> std::process::ExitCode {
    match codes::explain(code) {
        Ok(entry) => match super::to_stdout(&format!("{}\n", entry.in_lang(look.lang))) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(failure) => super::fail(&failure, look),
        },
        Err(near) => {
            let message = match (look.lang, near.as_slice()) {
                (Lang::En, []) => "every code is listed in docs/errors.md".to_string(),
                (Lang::En, [one]) => format!("did you mean `{one}`?"),
                (Lang::En, many) => format!("it could be any of: {}", many.join(", ")),
                (Lang::Zh, []) => "所有代码都列在 docs/errors.md 中".to_string(),
                (Lang::Zh, [one]) => format!("是不是 `{one}`？"),
                (Lang::Zh, many) => format!("可能是其中之一：{}", many.join("、")),
            };
            let message = match look.lang {
                Lang::En => format!("error: no diagnostic code `{code}`; {message}\n"),
                Lang::Zh => format!("错误：没有诊断代码 `{code}`；{message}\n"),
            };
            super::to_stderr(&message);
            std::process::ExitCode::from(2)
        }
    }
}
