//! The `jixiao` binary: parse the arguments, run, exit with the code of the outcome.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
