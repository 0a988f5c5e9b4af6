//! The `jixiao` binary: parse the arguments, run, exit with the code of the outcome.

mod cli;

/// mimalloc rather than the system's allocator: reading and scoring a department allocates
/// many small strings and vectors, and `jixiao batch` does it a million times a run, on every
/// core (glibc's malloc cost it about a third of its time).
#[global_allocator]
static ALLOCATOR: jixiao::alloc::Allocator = jixiao::alloc::Allocator;

fn main() -> std::process::ExitCode {
    cli::run()
}
