//! The command line: clap types turned into plain calls of the pipeline. One file per
//! subcommand; results go to stdout, diagnostics to stderr.

mod batch;
mod check;
mod diff;
mod explain;
mod fmt;
mod score;
mod test;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use jixiao::diagnostics::{Look, Style};
use jixiao::pipeline::Failure;
use jixiao::report::{DiffFormat, Lang};

#[derive(Parser)]
#[command(
    name = "jixiao",
    version,
    about = "绩效自评规则引擎: score a department's data against rules, with every step explained",
    after_help = "Exit codes: 0 ok, 1 bad input (files, data), 2 usage, 3 the rules failed their checks."
)]
pub struct Cli {
    /// How diagnostics are printed: `human` (colour on a terminal unless NO_COLOR is set),
    /// `plain` (no colour), or `json` (one object per line, for editors and CI).
    #[arg(long, global = true, value_enum, default_value_t = ErrorFormat::Human)]
    error_format: ErrorFormat,

    /// The largest file read (rules, data, imports, case files): a number of bytes, or with a
    /// unit K, M or G (64M by default). A larger file is refused before it is read.
    #[arg(long, global = true, value_name = "SIZE", value_parser = jixiao::files::parse_size,
          default_value = "64M")]
    max_file_size: u64,

    /// Language of diagnostics and reports: zh (the default) or en.
    /// 诊断信息和报告使用的语言：zh（默认）或 en。
    #[arg(long, global = true, value_enum, overrides_with = "lang")]
    lang: Option<Lang>,

    #[command(subcommand)]
    command: Command,
}

/// The spelling `fmt --keywords` writes.
#[derive(Clone, Copy, ValueEnum)]
enum Keywords {
    Zh,
    En,
}

impl From<Keywords> for jixiao::syntax::keywords::Spelling {
    fn from(k: Keywords) -> Self {
        match k {
            Keywords::Zh => Self::Chinese,
            Keywords::En => Self::English,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ErrorFormat {
    Human,
    Plain,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Check a rule file: syntax, names, types, points. Prints nothing but warnings when it is fine.
    Check {
        /// The rule file (.jx).
        rules: PathBuf,
    },
    /// Score one department's data against a rule file and print the explained trace.
    Score {
        /// The rule file (.jx).
        rules: PathBuf,
        /// The department's data (.toml or .json), or `-` to read it from standard input.
        data: PathBuf,
        /// The data's format, whatever its name says. Data from standard input without it is
        /// JSON when it starts with `{`, TOML otherwise.
        #[arg(long, value_enum, value_name = "FORMAT")]
        data_format: Option<jixiao::data::Format>,
        /// Output format; `xlsx` (the 自评表 as a workbook) needs `--output`.
        #[arg(long, value_enum, default_value_t = score::Output::Text)]
        format: score::Output,
        /// Write the result to this file (atomically) instead of stdout.
        #[arg(long, short, required_if_eq("format", "xlsx"))]
        output: Option<PathBuf>,
        /// Exit 4 when a self-reported score (a row's 得分, the 总分) differs from the computed
        /// one (复核); without it a difference is reported, and the run exits 0.
        #[arg(long)]
        fail_on_difference: bool,
    },
    /// Format rule files in the canonical layout, keeping comments and spellings.
    Fmt {
        /// Files or folders (every `.jx` below); the current folder by default.
        paths: Vec<PathBuf>,
        /// Write nothing; list the files that would change and exit 1 if any would.
        #[arg(long)]
        check: bool,
        /// Write every keyword in Chinese (`得分`) or in English (`score`); without it, each
        /// keyword keeps the spelling it was written in.
        #[arg(long, value_enum, value_name = "LANG")]
        keywords: Option<Keywords>,
    },
    /// Score every test case and compare with its stored trace and expectations.
    Test {
        /// Folders (holding a jixiao.toml, or case.toml files below) or case files; `.` by default.
        paths: Vec<PathBuf>,
        /// Store the new traces of new and changed cases instead of failing them.
        #[arg(long)]
        accept: bool,
        /// Also write the results as JUnit XML, for CI systems that show test results.
        #[arg(long, value_name = "FILE")]
        junit: Option<PathBuf>,
        /// Also list the branches, caps and floors of each rule file that no case reaches.
        #[arg(long)]
        coverage: bool,
    },
    /// Compare two versions of a rule file: every department's total, rating and changed indicators.
    Diff {
        /// The old rules: a file, `REV:path`, or a git revision (then NEW is one too, and the
        /// rule files and departments come from ./jixiao.toml).
        old: String,
        /// The new rules, written the same way.
        new: String,
        /// Departments' data files; by default those ./jixiao.toml scores with these rules.
        data: Vec<PathBuf>,
        /// Output format: text, markdown (for a pull-request comment) or json.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Score every department of a district or province: JSON Lines, folders of data files or
    /// CSV tables in, one summary row per department out (and a trace each, when asked).
    Batch(batch::Batch),
    /// Explain a diagnostic code: what it means, an input that triggers it, and the fix.
    Explain {
        /// The code, in full (`jixiao::check::points_sum`) or its last part (`points_sum`).
        code: String,
    },
}

/// Runs the CLI and returns the process's exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Usage errors exit 2, --help and --version 0, as clap decides.
        Err(e) => usage_error(e),
    };
    let style = match cli.error_format {
        ErrorFormat::Plain => Style::Plain,
        ErrorFormat::Json => Style::Json,
        ErrorFormat::Human => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            if std::io::stderr().is_terminal() && !no_color {
                Style::Colour
            } else {
                Style::Plain
            }
        }
    };
    jixiao::files::set_max_file_size(cli.max_file_size);
    // Every subcommand prints its diagnostics with this look; reports' labels are Chinese
    // unless English is asked for.
    let look = Look {
        style,
        lang: cli.lang.unwrap_or(jixiao::diagnostics::DEFAULT_LANG),
    };
    let lang = cli.lang.unwrap_or(Lang::Zh);
    let result = match cli.command {
        Command::Check { rules } => check::run(&rules, look),
        Command::Score {
            rules,
            data,
            data_format,
            format,
            output,
            fail_on_difference,
        } => score::run(
            &rules,
            score::Data {
                path: &data,
                format: data_format,
            },
            format,
            lang,
            output.as_deref(),
            fail_on_difference,
            look,
        ),
        Command::Explain { code } => return explain::run(&code, look),
        Command::Batch(args) => return batch::run(args, look, lang),
        Command::Fmt {
            paths,
            check,
            keywords,
        } => return fmt::run(&paths, check, keywords.map(Into::into), look),
        Command::Diff {
            old,
            new,
            data,
            format,
        } => return diff::run(&old, &new, &data, format, lang, look),
        Command::Test {
            paths,
            accept,
            junit,
            coverage,
        } => return test::run(&paths, accept, junit.as_deref(), coverage, look),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            to_stderr(&failure.render(look));
            ExitCode::from(failure.exit_code())
        }
    }
}

/// Prints the warnings of a check that passed.
fn warn(checked: &jixiao::check::Checked, look: Look) {
    if !checked.warnings.is_empty() {
        to_stderr(&jixiao::diagnostics::render(
            &checked.warnings,
            &checked.rulebook.source,
            look,
        ));
    }
}

/// Writes to stdout. A closed pipe (`jixiao … | head`) is not an error (nobody is left to read,
/// so the rest is dropped); any other failure (`> /dev/full`) is, and the run exits 1.
fn to_stdout(text: &str) -> Result<(), Failure> {
    to_stdout_bytes(text.as_bytes())
}

/// Bytes to standard output, as `jixiao score` renders every format.
fn to_stdout_bytes(bytes: &[u8]) -> Result<(), Failure> {
    jixiao::files::write_stdout(bytes).map_err(write_failure)
}

/// Prints clap's error and exits as clap would (2 for usage errors, 0 for `--help`), but with
/// any echoed argument cut: clap quotes a bad `--format` value whole, however long.
fn usage_error(e: clap::Error) -> ! {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        e.exit()
    }
    let text = e.render();
    let text = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        text.ansi().to_string()
    } else {
        text.to_string()
    };
    to_stderr(&jixiao::echo::cut_lines(&text));
    std::process::exit(e.exit_code())
}

/// Prints a failure and gives its exit code, for the subcommands that return one themselves.
fn fail(failure: &Failure, look: Look) -> ExitCode {
    to_stderr(&failure.render(look));
    ExitCode::from(failure.exit_code())
}

/// Writes to stderr. A failure here has nowhere to be reported, so it is ignored; the exit code
/// still says what happened.
fn to_stderr(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// A failure that is not a diagnostic of any input file: the output could not be written.
fn write_failure(e: jixiao::files::WriteError) -> Failure {
    Failure::Write(Box::new(e))
}
