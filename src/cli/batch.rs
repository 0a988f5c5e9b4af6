//! `jixiao batch RULES INPUT… [--summary FILE] [--traces DIR --format F] [--jobs N]
//! [--fail-fast] [--id-column NAME] [--targets FILE]` (and the global `--lang`)

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use jixiao::batch::input::{CsvOptions, Records};
use jixiao::batch::summary::{self, Kind};
use jixiao::batch::{self, Options, Row, Stop};
use jixiao::diagnostics::Look;
use jixiao::files::{Input, Role};
use jixiao::model::InputType;
use jixiao::pipeline::{self, Failure};
use jixiao::report::{Format, Lang};

/// The command line's `jixiao batch`.
#[derive(clap::Args)]
pub struct Batch {
    /// The rule file (.jx).
    rules: PathBuf,
    /// JSON Lines files (.jsonl, one department a line), folders or globs of .toml/.json data
    /// files, CSV tables (.csv, one department a row), or `-` for JSON Lines on standard input.
    #[arg(required = true)]
    inputs: Vec<String>,
    /// Write the summary to this file instead of a table on stdout: .csv, .jsonl or .xlsx.
    #[arg(long, value_name = "FILE", value_parser = summary_path)]
    summary: Option<PathBuf>,
    /// Write each department's trace into this folder, named after its id.
    #[arg(long, value_name = "DIR")]
    traces: Option<PathBuf>,
    /// The format of the traces.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Threads scoring departments; 0 (the default) for every core.
    #[arg(long, value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// Stop at the first department that cannot be scored.
    #[arg(long)]
    fail_fast: bool,
    /// The column of a CSV table that names each department (in both tables).
    #[arg(long, value_name = "NAME", default_value = "部门")]
    id_column: String,
    /// The long CSV table of list records (绩效指标), one record a row, keyed by the id column.
    #[arg(long, value_name = "FILE")]
    targets: Option<PathBuf>,
}

/// `--summary`'s value: a file whose extension says its kind.
fn summary_path(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    match Kind::of(&path) {
        Some(_) => Ok(path),
        None => Err("the summary file must end in .csv, .jsonl or .xlsx".into()),
    }
}

pub fn run(b: Batch, look: Look, lang: Lang) -> ExitCode {
    match go(b, look, lang) {
        Ok(code) => code,
        Err(failure) => super::fail(&failure, look),
    }
}

fn go(b: Batch, look: Look, lang: Lang) -> Result<ExitCode, Failure> {
    let rules_src = pipeline::read(&b.rules)?;
    let checked = pipeline::check_rules(&rules_src)?;
    super::warn(&checked, look);
    let rb = &checked.rulebook;
    let write = super::write_failure;
    if let Some(path) = &b.summary {
        let mut inputs: Vec<Input<'_>> = vec![(b.rules.as_path(), Role::RuleFile)];
        inputs.extend(
            b.inputs
                .iter()
                .filter(|i| *i != "-")
                .map(|i| (Path::new(i.as_str()), Role::BatchInput)),
        );
        if let Some(t) = &b.targets {
            inputs.push((t.as_path(), Role::LongTable));
        }
        inputs.extend(
            rb.source
                .imports()
                .filter_map(|f| f.path())
                .map(|p| (p, Role::Import)),
        );
        let suggestion = "--summary summary.csv";
        jixiao::files::refuse_inputs(path, &inputs, suggestion).map_err(write)?;
        // JSON Lines read through `-` has no path to compare: the file behind standard input is.
        if b.inputs.iter().any(|i| i == "-") {
            jixiao::files::refuse_stdin(path, Role::BatchInput, suggestion).map_err(write)?;
        }
    }
    if let Some(dir) = &b.traces {
        if dir.exists() && !dir.is_dir() {
            return Err(write(jixiao::files::WriteError::Io {
                path: dir.to_string_lossy().into_owned(),
                message: jixiao::diagnostics::Text::new(
                    "it is a file, not a folder",
                    "它是文件，不是文件夹",
                ),
                help: jixiao::diagnostics::Text::new(
                    "give --traces a folder: each department's trace is written into it as a file of its own",
                    "请给 --traces 一个文件夹：每个部门的计算过程作为单独的文件写入其中",
                ),
            }));
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| write(jixiao::files::WriteError::from_io(dir, &e)))?;
        refuse_traces_over_inputs(dir, b.format, &b.inputs).map_err(write)?;
    }
    let lists = rb
        .inputs
        .iter()
        .filter(|i| matches!(i.ty, InputType::TargetList | InputType::FindingList))
        .map(|i| i.name.clone())
        .collect();
    let mut records = Records::new(
        b.inputs.clone(),
        CsvOptions {
            id_column: b.id_column.clone(),
            targets: b.targets.clone(),
            lists,
        },
    )
    .map_err(|e| Failure::Batch(Box::new(e)))?;
    let mut out = match &b.summary {
        // `summary_path` let only the names of known kinds through.
        Some(path) => {
            summary::file(path, Kind::of(path).unwrap_or(Kind::Csv), lang).map_err(write)?
        }
        None => summary::table(lang),
    };
    let options = Options {
        fail_fast: b.fail_fast,
        traces: b.traces.clone().map(|d| (d, b.format)),
        lang,
    };
    let progress = Progress::new();
    let mut seen = |rows: &[Row]| {
        progress.advance(rows.len());
        let failures: String = rows.iter().filter_map(batch::failure_line).collect();
        if !failures.is_empty() {
            progress.suspend(|| super::to_stderr(&failures));
        }
    };
    interrupt::install();
    let mut go = || batch::run(rb, &mut records, &options, out.as_mut(), &mut seen);
    // `--jobs 0` (the default) is every core, as rayon counts them. Should the threads not
    // start, the run goes on in rayon's global pool.
    let result = match rayon::ThreadPoolBuilder::new().num_threads(b.jobs).build() {
        Ok(pool) => pool.install(go),
        Err(_) => go(),
    };
    progress.finish();
    let (totals, stopped) = match result {
        Ok(done) => done,
        Err(Stop::Interrupted) => {
            drop(out);
            super::to_stderr(&batch::closing(None, false, lang));
            return Ok(ExitCode::from(130));
        }
        Err(Stop::Input(e)) => return Err(Failure::Batch(Box::new(e))),
        Err(Stop::Write(e)) => return Err(write(e)),
    };
    out.finish(&totals).map_err(write)?;
    if b.summary.is_some() {
        super::to_stdout(&summary::totals_text(&totals, lang))?;
    }
    super::to_stderr(&batch::closing(Some(&totals), stopped, lang));
    // Rows of the long table that belong to no department fail the run once the summary, every
    // department's row in it, is written. A run stopped early did not read every department:
    // their rows are not rows of no department.
    if !stopped && let Some(e) = records.unmatched() {
        return Err(Failure::Batch(Box::new(e)));
    }
    Ok(if totals.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The progress bar: on standard error, only when it is a terminal (never in CI logs or pipes)
/// and only once the run has lasted longer than a moment, so a quick run prints nothing.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    start: Instant,
    shown: std::sync::atomic::AtomicBool,
}

impl Progress {
    fn new() -> Progress {
        let wanted = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bar = wanted.then(|| {
            let bar = indicatif::ProgressBar::hidden();
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{spinner} {human_pos} {per_sec} {elapsed}")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            start: Instant::now(),
            shown: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn advance(&self, n: usize) {
        let Some(bar) = &self.bar else { return };
        bar.inc(n as u64);
        if self.start.elapsed() > Duration::from_secs(1)
            && !self.shown.swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    fn suspend(&self, f: impl FnOnce()) {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Ctrl-C during a batch: the first asks the run to stop between two chunks (so that the
/// summary's temporary file is removed and no trace file is cut short); a second ends the
/// process at once, as Ctrl-C always does.
mod interrupt {
    #[cfg(unix)]
    extern "C" fn on_interrupt(_: libc::c_int) {
        jixiao::batch::interrupt();
        // SAFETY: signal(2) is async-signal-safe; the default action ends the process.
        unsafe {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
        }
    }

    pub fn install() {
        #[cfg(unix)]
        // SAFETY: the handler only stores to an atomic and calls signal(2), both
        // async-signal-safe.
        unsafe {
            libc::signal(
                libc::SIGINT,
                on_interrupt as extern "C" fn(libc::c_int) as libc::sighandler_t,
            );
        }
    }
}

/// Refuses a traces folder that holds a department's file this run reads with the traces'
/// extension (`--traces data --format json` beside `data/甲.json`): a department's trace is
/// written as `DIR/ID.json`, and an id is often its file's name, so the trace would be written
/// over the data it was computed from.
fn refuse_traces_over_inputs(
    dir: &Path,
    format: Format,
    inputs: &[String],
) -> Result<(), jixiao::files::WriteError> {
    let extension = batch::extension(format);
    let Some(file) = batch::input::department_files(inputs)
        .into_iter()
        .find(|f| {
            f.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case(extension))
                && f.parent().is_some_and(|p| jixiao::files::same_file(p, dir))
        })
    else {
        return Ok(());
    };
    let (dir, file) = (
        jixiao::source::display_path(dir),
        jixiao::source::display_path(&file),
    );
    Err(jixiao::files::WriteError::OutputIsInput {
        message: jixiao::diagnostics::Text::new(
            format!(
                "will not write traces into {dir}: it holds {file}, an input of this run, and a department's trace named as that file would be written over it"
            ),
            format!(
                "不会把计算过程写入 {dir}：其中的 {file} 是本次运行读取的输入文件，与它同名的部门计算过程会覆盖它"
            ),
        ),
        suggestion: "--traces traces/",
    })
}
