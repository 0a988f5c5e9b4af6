//! The first step of a batch: the command line's INPUTs read as one stream of departments, in
//! input order, a chunk at a time. Nothing is parsed here beyond what finds a department's
//! bounds (a line, a CSV row, a file): reading its data is the workers' job, in parallel.
//!
//! - a JSON Lines file (`.jsonl`, `.ndjson`) or `-`: one department a line; blank lines skipped;
//! - a folder (every `.toml` and `.json` below it, and every 自评表: `.xlsx`, `.xlsm`, `.xls`,
//!   `.ods`, `.et`, `.csv`) or a glob: one department a file, read by the worker that scores it;
//! - a CSV file (`.csv`): one department a row; its list inputs from the long table
//!   (`--targets`), which is read whole first and indexed by id.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::error::BatchError;
use crate::diagnostics::{Localized, Text};
use crate::source::{ReadError, display_path};

/// Where a department stands, as a row of the summary names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// A line of a JSON Lines file: `departments.jsonl:5`.
    Line { file: Arc<str>, line: usize },
    /// A row of a CSV table, counted as a spreadsheet counts its rows (the head is row 1), as
    /// records: a cell holding a line break is one row. A blank line, which no spreadsheet
    /// writes and the CSV reader skips, is not counted. `departments.csv!5`.
    Row { file: Arc<str>, row: usize },
    /// A data file of its own.
    File(String),
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Piece by piece rather than through `write!`: every summary row writes its place.
        let (file, mark, number) = match self {
            Place::Line { file, line } => (file, ':', line),
            Place::Row { file, row } => (file, '!', row),
            Place::File(name) => return f.write_str(name),
        };
        f.write_str(file)?;
        std::fmt::Write::write_char(f, mark)?;
        std::fmt::Display::fmt(number, f)
    }
}

/// A row's cells by column head.
pub type Cells = Vec<(String, String)>;
/// The records of one list input, each with the row of the long table it stands on.
pub type ListRows = Vec<(Cells, usize)>;
/// A row of the long table: the list it fills, its cells and its row.
type LongRow = (String, Cells, usize);

/// One department as read from its input, not yet parsed.
#[derive(Debug)]
pub struct Record {
    pub place: Place,
    pub body: Body,
}

#[derive(Debug)]
pub enum Body {
    /// A line of JSON Lines: one department's JSON object (shared, not copied, by the source
    /// it is read as).
    Json(Arc<str>),
    /// A data file, read by the worker.
    File(PathBuf),
    /// A CSV row: its cells by column head, and the rows of the long table for its id, by the
    /// list input they fill.
    Cells {
        id: String,
        cells: Cells,
        lists: Vec<(String, ListRows)>,
    },
    /// A department that cannot be read at all (a line that is not UTF-8, or over the size
    /// limit; a file that cannot be opened).
    Unreadable(ReadError),
    /// A row of a table that is no department as it stands: its cells do not fit the head, or
    /// are not UTF-8, or its id is on another row too, so the long table's rows for it cannot be
    /// joined to it. With its id when the row has one.
    Failed {
        id: Option<String>,
        error: BatchError,
    },
}

/// How CSV input is read.
#[derive(Clone, Debug)]
pub struct CsvOptions {
    /// The column that names each department in both tables.
    pub id_column: String,
    /// The long table of list records (`--targets`).
    pub targets: Option<PathBuf>,
    /// The list inputs of the rules (target and finding lists), in declaration order: a long
    /// table without a `列表` column fills the first.
    pub lists: Vec<String>,
}

/// The column of the long table that names the list a row belongs to, when the rules have more
/// than one list input.
pub const LIST_COLUMN: &str = "列表";

/// The departments of every INPUT, in order.
pub struct Records {
    inputs: std::vec::IntoIter<String>,
    current: Option<Source>,
    csv: CsvOptions,
    /// The long table, by department id: (list, cells, row).
    long: Option<Long>,
}

struct Long {
    file: String,
    rows: BTreeMap<String, Vec<LongRow>>,
    /// The ids that stand on more than one row of the wide tables, with those rows: the long
    /// table's rows for such an id belong to no one row, so each of them fails.
    duplicates: BTreeMap<String, Vec<Place>>,
    matched: BTreeSet<String>,
    /// The lists some row fills: a department without rows for one of them has it empty
    /// rather than left out.
    filled: BTreeSet<String>,
}

enum Source {
    Lines {
        file: Arc<str>,
        reader: Box<dyn BufRead + Send>,
        line: usize,
        /// The line being read, one buffer for all of them.
        buffer: Vec<u8>,
    },
    /// A folder's, a glob's or a named file's departments, one a file (or an unreadable folder).
    Files(std::vec::IntoIter<Record>),
    Csv {
        file: Arc<str>,
        reader: Box<csv::Reader<Box<dyn Read + Send>>>,
        heads: Vec<String>,
        /// The row last read, counted as records ([`Place::Row`]).
        row: usize,
    },
    /// An input that could not be opened: one unreadable department, then done.
    Failed(Option<Record>),
}

impl Records {
    /// The departments of `inputs`, as the command line names them. The long table, when there
    /// is one, is read whole here.
    pub fn new(inputs: Vec<String>, csv: CsvOptions) -> Result<Records, BatchError> {
        let long = match &csv.targets {
            Some(path) => {
                let mut long = read_long(path, &csv)?;
                long.duplicates = duplicate_ids(&inputs, &csv);
                Some(long)
            }
            None => None,
        };
        Ok(Records {
            inputs: inputs.into_iter(),
            current: None,
            csv,
            long,
        })
    }

    /// Up to `n` departments, in input order; empty at the end.
    pub fn chunk(&mut self, n: usize) -> Result<Vec<Record>, BatchError> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            match self.next_record()? {
                Some(r) => out.push(r),
                None => break,
            }
        }
        Ok(out)
    }

    /// The rows of the long table that named no department read, as an error: ask once every
    /// department has been read (a run stopped early has not read the departments of the rest).
    pub fn unmatched(&self) -> Option<BatchError> {
        let long = self.long.as_ref()?;
        let unmatched: Vec<(&String, usize)> = long
            .rows
            .iter()
            .filter(|(id, _)| !long.matched.contains(*id))
            .flat_map(|(id, rows)| rows.iter().map(move |(_, _, row)| (id, *row)))
            .collect();
        // The first in the file, not in the order of ids.
        let (first, row) = unmatched.iter().min_by_key(|(_, row)| *row)?;
        Some(BatchError::UnmatchedTargets {
            file: long.file.clone(),
            count: unmatched.len(),
            first: first.to_string(),
            row: *row,
            id: self.csv.id_column.clone(),
        })
    }

    fn next_record(&mut self) -> Result<Option<Record>, BatchError> {
        loop {
            if self.current.is_none() {
                let Some(input) = self.inputs.next() else {
                    return Ok(None);
                };
                self.current = Some(open(&input, &self.csv)?);
            }
            let record = match self.current.as_mut() {
                Some(Source::Lines {
                    file,
                    reader,
                    line,
                    buffer,
                }) => next_line(file, reader, line, buffer),
                Some(Source::Files(records)) => records.next(),
                Some(Source::Csv {
                    file,
                    reader,
                    heads,
                    row,
                }) => next_row(file, reader, heads, row, &self.csv, self.long.as_mut())?,
                Some(Source::Failed(record)) => record.take(),
                None => None,
            };
            match record {
                Some(r) => return Ok(Some(r)),
                None => self.current = None,
            }
        }
    }
}

/// What an INPUT names, by its name and whether it is a folder: how a run reads it.
enum Kind {
    /// `-`: JSON Lines on standard input.
    Stdin,
    Folder,
    Glob,
    /// `.jsonl`, `.ndjson`: a department a line.
    Lines,
    /// `.csv` named alone: the wide table, a department a row.
    Table,
    /// A data file, or one department's form as a workbook (a form's CSV export is read in a
    /// folder or a glob; a `.csv` named alone is a table).
    Department,
    Unknown,
}

fn kind(input: &str) -> Kind {
    let lower = input.to_ascii_lowercase();
    if input == "-" {
        Kind::Stdin
    } else if Path::new(input).is_dir() {
        Kind::Folder
    } else if input.contains(['*', '?', '[']) {
        Kind::Glob
    } else if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
        Kind::Lines
    } else if lower.ends_with(".csv") {
        Kind::Table
    } else if is_department_file(input) {
        Kind::Department
    } else {
        Kind::Unknown
    }
}

/// Whether a file of this name holds one department: a data file or a form.
fn is_department_file(name: &str) -> bool {
    crate::data::Format::of_name(name).is_some() || crate::forms::is_form_name(name)
}

/// What an INPUT names, opened.
fn open(input: &str, csv: &CsvOptions) -> Result<Source, BatchError> {
    let bad = |why: Text| BatchError::Input {
        input: input.to_string(),
        why,
    };
    let path = Path::new(input);
    let shown: Arc<str> = Arc::from(display_path(path));
    let opened = || crate::files::open(path);
    match kind(input) {
        Kind::Stdin => Ok(Source::Lines {
            file: Arc::from(crate::files::STDIN),
            reader: Box::new(BufReader::with_capacity(1 << 16, std::io::stdin())),
            line: 0,
            buffer: Vec::new(),
        }),
        Kind::Folder => {
            let records = folder_records(path);
            // A folder of no department is a wrong folder named, as a glob matching nothing is:
            // a run of no department that passed would hide it.
            if records.is_empty() {
                return Err(bad(Text::new(
                    "the folder holds no department's file (.toml, .json, or a form: .xlsx, .xls, .ods, .et, .csv), in it or in its subfolders",
                    "文件夹（包括其子文件夹）中没有部门的数据文件（.toml、.json，或自评表：.xlsx、.xls、.ods、.et、.csv）",
                )));
            }
            Ok(Source::Files(records.into_iter()))
        }
        Kind::Glob => {
            let files = crate::files::glob(input).map_err(|e| bad(glob_says(&e)))?;
            if files.is_empty() {
                return Err(bad(Text::new("no file matches it", "没有文件与它匹配")));
            }
            Ok(Source::Files(
                files
                    .into_iter()
                    .map(file_record)
                    .collect::<Vec<_>>()
                    .into_iter(),
            ))
        }
        Kind::Lines => Ok(match opened() {
            Ok(file) => Source::Lines {
                file: shown,
                reader: Box::new(BufReader::with_capacity(1 << 16, file)),
                line: 0,
                buffer: Vec::new(),
            },
            Err(e) => failed(Place::File(shown.to_string()), e),
        }),
        Kind::Table => {
            let file = match opened() {
                Ok(file) => file,
                Err(e) => return Ok(failed(Place::File(shown.to_string()), e)),
            };
            let mut reader = Box::new(csv_reader(Box::new(file)));
            let heads = heads(&mut reader, &shown, csv)?;
            Ok(Source::Csv {
                file: shown,
                reader,
                heads,
                row: 1,
            })
        }
        Kind::Department => Ok(Source::Files(
            vec![file_record(path.to_path_buf())].into_iter(),
        )),
        Kind::Unknown => Err(bad(if path.exists() {
            Text::new(
                "its name ends in none of .jsonl, .ndjson, .csv, .toml, .json, .xlsx, .xls, .ods, .et",
                "它的名称不以 .jsonl、.ndjson、.csv、.toml、.json、.xlsx、.xls、.ods、.et 中的任何一个结尾",
            )
        } else {
            Text::new("there is no such file or folder", "没有这个文件或文件夹")
        })),
    }
}

/// The department of a file of its own, read by the worker that scores it.
fn file_record(path: PathBuf) -> Record {
    Record {
        place: Place::File(display_path(&path)),
        body: Body::File(path),
    }
}

/// How a file `at` of the folder `root` is shown: as [`display_path`] shows it, except that in
/// a folder given by an absolute path (shown by its name alone, so that no machine's paths are
/// printed) it is shown by its path in the folder: `departments/甲/data.json`, not a
/// `data.json` that every subfolder holds.
fn shown_in(root: &Path, at: &Path) -> String {
    match at.strip_prefix(root) {
        Ok(inside) if root.is_absolute() => {
            let inside = inside.to_string_lossy().replace('\\', "/");
            match display_path(root) {
                name if name.is_empty() => inside,
                name => format!("{name}/{inside}"),
            }
        }
        _ => display_path(at),
    }
}

/// The departments a folder holds, at any depth, in sorted order (hidden folders and `target`
/// skipped, as `files::walk` skips them): a department for each entry whose name is a
/// department file's, whatever it is. So nothing a folder holds by name is passed over in
/// silence: a symbolic link is read through (a link to a folder is walked as the folder), and
/// what cannot be read — a dangling link, a FIFO, a device, a file without permission — is a
/// department the worker fails to read, with the error naming the file alone would give (the
/// worker looks before it opens: a FIFO never blocks). A folder that cannot be listed is a
/// department that failed too: the departments in it are unknown.
///
/// Each file and each folder is taken once, at its first path in sorted order, however many
/// paths reach it (a link to a file or a folder of the tree, a hard link): a department scored
/// twice would count twice in the totals, and folders linked to each other, or back to the
/// folder that holds the link (a loop), would make the walk endless or exponential.
fn folder_records(path: &Path) -> Vec<Record> {
    let mut folders = BTreeSet::new();
    let entered = move |e: &walkdir::DirEntry| {
        if !e.file_type().is_dir() {
            return true;
        }
        let name = e.file_name().to_string_lossy();
        let skipped = e.depth() > 0 && (name.starts_with('.') || name == "target");
        !skipped && crate::files::identity(e.path()).is_none_or(|id| folders.insert(id))
    };
    let walk = walkdir::WalkDir::new(path)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(entered);
    let mut seen = BTreeSet::new();
    let mut records = Vec::new();
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            // A link back to a folder on the way here: its files are read already.
            Err(e) if e.loop_ancestor().is_some() => continue,
            Err(e) => {
                let Some(at) = e.path() else { continue };
                if std::fs::metadata(at).is_ok_and(|m| m.is_dir()) {
                    let shown = shown_in(path, at);
                    let message = match e.io_error() {
                        Some(io) => crate::files::read::system_says(io),
                        None => Text::new("it cannot be listed", "无法列出其中的文件"),
                    };
                    records.push(Record {
                        place: Place::File(shown.clone()),
                        body: Body::Unreadable(ReadError::Io {
                            path: shown,
                            message,
                        }),
                    });
                } else if is_department_file(&at.to_string_lossy()) {
                    records.push(Record {
                        place: Place::File(shown_in(path, at)),
                        body: Body::File(at.to_path_buf()),
                    });
                }
                continue;
            }
        };
        if entry.file_type().is_dir() || !is_department_file(&entry.path().to_string_lossy()) {
            continue;
        }
        if let Some(identity) = crate::files::identity(entry.path())
            && !seen.insert(identity)
        {
            continue;
        }
        records.push(Record {
            place: Place::File(shown_in(path, entry.path())),
            body: Body::File(entry.into_path()),
        });
    }
    records
}

/// The files of departments that `inputs` name, each found as [`open`] finds them: a folder's
/// files, a glob's, a data file or form named alone. (JSON Lines and CSV tables are not here:
/// their departments are lines and rows.) For refusing outputs that would write over them
/// before the run starts.
pub fn department_files(inputs: &[String]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for input in inputs {
        match kind(input) {
            Kind::Folder => files.extend(folder_records(Path::new(input)).into_iter().filter_map(
                |r| match r.body {
                    Body::File(path) => Some(path),
                    Body::Json(_)
                    | Body::Cells { .. }
                    | Body::Unreadable(_)
                    | Body::Failed { .. } => None,
                },
            )),
            Kind::Glob => files.extend(crate::files::glob(input).unwrap_or_default()),
            Kind::Department => files.push(PathBuf::from(input)),
            Kind::Stdin | Kind::Lines | Kind::Table | Kind::Unknown => {}
        }
    }
    files
}

fn failed(place: Place, e: ReadError) -> Source {
    Source::Failed(Some(Record {
        place,
        body: Body::Unreadable(e),
    }))
}

/// The next line of JSON Lines that is not blank. A line that is not UTF-8, or longer than the
/// size limit, is a department that cannot be read (the others go on); a failure to read the
/// stream at all ends it with such a department.
/// `BufRead::read_until(b'\n')` of at most `most` bytes into `buffer`, as `take(most)` would
/// read it: the line with its `\n`, or its first `most` bytes, or what is left at the end. The
/// line break is found by the vectorised search (lines of a batch are a few kilobytes, a
/// million of them).
fn read_line(reader: &mut dyn BufRead, buffer: &mut Vec<u8>, most: u64) -> std::io::Result<usize> {
    let mut read = 0usize;
    loop {
        let room = most.saturating_sub(read as u64);
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let window = &available[..available
            .len()
            .min(usize::try_from(room).unwrap_or(usize::MAX))];
        if window.is_empty() {
            return Ok(read);
        }
        let (used, done) = match memchr::memchr(b'\n', window) {
            Some(i) => (i + 1, true),
            None => (window.len(), window.len() as u64 == room),
        };
        buffer.extend_from_slice(&window[..used]);
        reader.consume(used);
        read += used;
        if done {
            return Ok(read);
        }
    }
}

fn next_line(
    file: &Arc<str>,
    reader: &mut Box<dyn BufRead + Send>,
    line: &mut usize,
    buffer: &mut Vec<u8>,
) -> Option<Record> {
    let limit = crate::files::max_file_size();
    loop {
        // A line whole in the reader's buffer, as almost every line is, is read where it
        // stands; any other is first gathered into `buffer`.
        let whole = match reader.fill_buf() {
            Ok(available) => memchr::memchr(b'\n', available)
                .filter(|&i| (i as u64) < limit)
                .map(|i| {
                    *line += 1;
                    (i + 1, line_record(file, *line, &available[..=i]))
                }),
            Err(_) => None,
        };
        if let Some((used, record)) = whole {
            reader.consume(used);
            match record {
                Some(record) => return Some(record),
                None => continue,
            }
        }
        buffer.clear();
        let read = read_line(&mut **reader, buffer, limit.saturating_add(1));
        *line += 1;
        let place = Place::Line {
            file: file.clone(),
            line: *line,
        };
        let unreadable = |e: ReadError| {
            Some(Record {
                place: place.clone(),
                body: Body::Unreadable(e),
            })
        };
        match read {
            Ok(0) => return None,
            Ok(_) => {}
            Err(e) => {
                return unreadable(ReadError::Io {
                    path: file.to_string(),
                    message: crate::files::read::system_says(&e),
                });
            }
        }
        if buffer.len() as u64 > limit {
            // Skip the rest of the line, so that the next one is read as the next department.
            let _ = reader.skip_until(b'\n');
            return unreadable(crate::files::too_large(place.to_string(), None, limit));
        }
        if let Some(record) = line_record(file, *line, buffer) {
            return Some(record);
        }
    }
}

/// The department of line `line` (`bytes`, with its line break if it has one); `None` for a
/// blank line, which is no department.
fn line_record(file: &Arc<str>, line: usize, bytes: &[u8]) -> Option<Record> {
    let mut bytes = bytes;
    while let [rest @ .., b'\n' | b'\r'] = bytes {
        bytes = rest;
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let place = Place::Line {
        file: file.clone(),
        line,
    };
    // Checked by the vectorised validator (a line of Chinese text is mostly bytes above
    // 127, where the standard one goes a byte at a time); a line that fails is checked
    // again by the standard one, for where it fails.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Some(Record {
            place,
            body: Body::Json(Arc::from(text)),
        });
    }
    Some(match std::str::from_utf8(bytes) {
        Ok(text) => Record {
            place,
            body: Body::Json(Arc::from(text)),
        },
        Err(e) => {
            let column = String::from_utf8_lossy(&bytes[..e.valid_up_to()])
                .chars()
                .count()
                + 1;
            Record {
                body: Body::Unreadable(ReadError::NotUtf8 {
                    path: file.to_string(),
                    line,
                    column,
                }),
                place,
            }
        }
    })
}

/// A reader of a table. Rows of any length are read: a row whose cells do not fit the head is
/// said by its reader, with its row and, in the wide table, as its department's failure.
fn csv_reader(source: Box<dyn Read + Send>) -> csv::Reader<Box<dyn Read + Send>> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(source)
}

/// A head as the table means it: Excel's "CSV UTF-8" starts with a byte-order mark.
fn clean_head(head: &str) -> String {
    head.trim_start_matches('\u{feff}').trim().to_string()
}

/// Why a row whose number of cells is not the head's cannot be read.
fn cell_count(cells: usize, heads: usize) -> Text {
    Text::new(
        format!("the row has {cells} cell(s), the head row {heads}"),
        format!("这一行有 {cells} 个单元格，而表头有 {heads} 个"),
    )
}

/// Why a row whose cell `field` (from 0) is not UTF-8 cannot be read.
fn not_utf8(field: usize) -> Text {
    let n = field + 1;
    Text::new(
        format!("its cell {n} is not UTF-8 text"),
        format!("其中第 {n} 个单元格不是 UTF-8 文本"),
    )
}

/// A table that cannot be read, said in words of our own in both languages (the CSV reader's
/// are English), at the row where it happened when the reader knows it: `t.csv!3`.
fn table_error(file: &str, e: &csv::Error, options: &CsvOptions) -> BatchError {
    // The reader counts records from 0, the head row being record 0; a spreadsheet counts rows
    // from 1, as `Place::Row` does.
    let at = |pos: &Option<csv::Position>| match pos {
        Some(pos) => format!("{file}!{}", pos.record().saturating_add(1)),
        None => file.to_string(),
    };
    let (file, why) = match e.kind() {
        csv::ErrorKind::Io(io) => (file.to_string(), crate::files::read::system_says(io)),
        csv::ErrorKind::Utf8 { pos, err } => (at(pos), not_utf8(err.field())),
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => (
            at(pos),
            cell_count(
                usize::try_from(*len).unwrap_or(usize::MAX),
                usize::try_from(*expected_len).unwrap_or(usize::MAX),
            ),
        ),
        // Seeking and (de)serialising: a reader of records does neither.
        _ => (
            file.to_string(),
            Text::new(
                format!("the CSV reader says: {e}"),
                format!("CSV 读取器报告：{e}"),
            ),
        ),
    };
    BatchError::Csv {
        file,
        why,
        id: options.id_column.clone(),
    }
}

/// A glob pattern that is no pattern, in words of our own in both languages (the glob crate's
/// are English). `pos` counts characters from 0.
fn glob_says(e: &glob::PatternError) -> Text {
    let n = e.pos + 1;
    match e.msg {
        "invalid range pattern" => Text::new(
            format!(
                "the `[` at character {n} of the pattern opens no range such as `[0-9]` or `[abc]` (to match a `[` itself, write `[[]`)"
            ),
            format!(
                "模式第 {n} 个字符处的 `[` 没有构成 `[0-9]`、`[abc]` 这样的范围（要匹配 `[` 本身，请写 `[[]`）"
            ),
        ),
        "wildcards are either regular `*` or recursive `**`" => Text::new(
            format!("at character {n} of the pattern: a wildcard is `*` or `**`, not more stars"),
            format!("模式第 {n} 个字符处：通配符只能是 `*` 或 `**`"),
        ),
        "recursive wildcards must form a single path component" => Text::new(
            format!(
                "at character {n} of the pattern: `**` must be a whole part of the path, as in `data/**/*.json`"
            ),
            format!("模式第 {n} 个字符处：`**` 必须单独作为路径的一段，如 `data/**/*.json`"),
        ),
        other => Text::new(
            format!("at character {n} of the pattern: {other}"),
            format!("模式第 {n} 个字符处有误（{other}）"),
        ),
    }
}

/// The head row of a table, which must have the id column.
fn heads(
    reader: &mut csv::Reader<Box<dyn Read + Send>>,
    file: &str,
    csv: &CsvOptions,
) -> Result<Vec<String>, BatchError> {
    let bad = |why: Text| BatchError::Csv {
        file: file.to_string(),
        why,
        id: csv.id_column.clone(),
    };
    let heads: Vec<String> = reader
        .headers()
        .map_err(|e| table_error(file, &e, csv))?
        .iter()
        .map(clean_head)
        .collect();
    if !heads.contains(&csv.id_column) {
        return Err(bad(Text::new(
            format!(
                "it has no column `{}` (its columns: {})",
                csv.id_column,
                heads.join(", ")
            ),
            format!(
                "它没有 `{}` 列（它的列：{}）",
                csv.id_column,
                heads.join("、")
            ),
        )));
    }
    Ok(heads)
}

/// The next department of a wide table, with its list records from the long one.
fn next_row(
    file: &Arc<str>,
    reader: &mut csv::Reader<Box<dyn Read + Send>>,
    heads: &[String],
    row: &mut usize,
    options: &CsvOptions,
    long: Option<&mut Long>,
) -> Result<Option<Record>, BatchError> {
    let mut record = csv::StringRecord::new();
    let read = reader.read_record(&mut record);
    // Rows are counted as records, not taken from the reader's line: a cell may hold a line
    // break (one row of a spreadsheet, two lines of the file), and the reader counts the line
    // of a record after a CRLF, as spreadsheets save CSV, one short (BurntSushi/rust-csv#395).
    let place = |row: usize| Place::Row {
        file: file.clone(),
        row,
    };
    // A row that is no department as it stands fails alone; the rows after it are read.
    let failed = |place: Place, id: Option<String>, why: Text| Record {
        body: Body::Failed {
            id,
            error: BatchError::Csv {
                file: place.to_string(),
                why,
                id: options.id_column.clone(),
            },
        },
        place,
    };
    match read {
        Ok(true) => {}
        Ok(false) => return Ok(None),
        Err(e) => {
            // The reader has read past a row that is not UTF-8: the next is read as the next
            // department. Anything else (the file failing) ends the table.
            if let csv::ErrorKind::Utf8 { err, .. } = e.kind() {
                *row += 1;
                return Ok(Some(failed(place(*row), None, not_utf8(err.field()))));
            }
            return Err(table_error(file, &e, options));
        }
    }
    *row += 1;
    let row = *row;
    let id_of = |record: &csv::StringRecord| {
        let column = heads.iter().position(|h| *h == options.id_column)?;
        record.get(column).map(|v| v.trim().to_string())
    };
    let mut long = long;
    if record.len() != heads.len() {
        let id = id_of(&record).filter(|id| !id.is_empty());
        // A department that failed: its rows of the long table are not rows of no department.
        if let (Some(long), Some(id)) = (long.as_deref_mut(), &id) {
            long.matched.insert(id.clone());
        }
        return Ok(Some(failed(
            place(row),
            id,
            cell_count(record.len(), heads.len()),
        )));
    }
    if let Some(long) = long.as_deref_mut()
        && let Some(id) = id_of(&record)
        && let Some(rows) = long.duplicates.get(&id)
    {
        const SHOWN: usize = 5;
        let mut shown: Vec<String> = rows.iter().take(SHOWN).map(Place::to_string).collect();
        if rows.len() > SHOWN {
            shown.push("…".to_string());
        }
        long.matched.insert(id.clone());
        return Ok(Some(Record {
            body: Body::Failed {
                id: (!id.is_empty()).then(|| id.clone()),
                error: BatchError::DuplicateId {
                    department: id,
                    count: rows.len(),
                    rows: shown,
                    long: long.file.clone(),
                    id: options.id_column.clone(),
                },
            },
            place: place(row),
        }));
    }
    let mut id = String::new();
    let mut cells = Vec::with_capacity(heads.len());
    for (head, value) in heads.iter().zip(record.iter()) {
        if *head == options.id_column {
            id = value.trim().to_string();
            // 部门 is the department's name too; any other id column is only the key.
            if head != "部门" {
                continue;
            }
        }
        cells.push((head.clone(), value.to_string()));
    }
    let lists = match long {
        Some(long) => {
            long.matched.insert(id.clone());
            let mut lists: Vec<(String, ListRows)> = options
                .lists
                .iter()
                .map(|name| (name.clone(), Vec::new()))
                .collect();
            for (list, cells, row) in long.rows.get(&id).into_iter().flatten() {
                if let Some((_, rows)) = lists.iter_mut().find(|(name, _)| name == list) {
                    rows.push((cells.clone(), *row));
                }
            }
            // A list the long table does not fill stays out, as a key a data file leaves out.
            lists.retain(|(name, rows)| !rows.is_empty() || long.filled.contains(name));
            lists
        }
        None => Vec::new(),
    };
    Ok(Some(Record {
        place: place(row),
        body: Body::Cells { id, cells, lists },
    }))
}

/// The ids that stand on more than one row of the wide tables among `inputs` (read once more,
/// for their ids alone, before any is read as departments), with those rows, in input order.
/// Only with a long table, where an id is what joins its rows to a department: without one,
/// two rows of the same id are two departments, as two lines of JSON Lines are. A table that
/// cannot be read is left to the reading that scores it, which says why.
fn duplicate_ids(inputs: &[String], options: &CsvOptions) -> BTreeMap<String, Vec<Place>> {
    let mut ids: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    for input in inputs {
        if !matches!(kind(input), Kind::Table) {
            continue;
        }
        let path = Path::new(input);
        let Ok(file) = crate::files::open(path) else {
            continue;
        };
        let shown: Arc<str> = Arc::from(display_path(path));
        let mut reader = csv_reader(Box::new(file));
        let Ok(heads) = reader.headers() else {
            continue;
        };
        let Some(column) = heads
            .iter()
            .position(|h| clean_head(h) == options.id_column)
        else {
            continue;
        };
        let mut record = csv::StringRecord::new();
        // Counted as `next_row` counts.
        let mut row = 1;
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => {
                    row += 1;
                    continue;
                }
                Err(_) => break,
            }
            row += 1;
            if let Some(id) = record.get(column) {
                ids.entry(id.trim().to_string())
                    .or_default()
                    .push(Place::Row {
                        file: shown.clone(),
                        row,
                    });
            }
        }
    }
    ids.retain(|_, rows| rows.len() > 1);
    ids
}

/// The long table, whole, indexed by department id.
fn read_long(path: &Path, options: &CsvOptions) -> Result<Long, BatchError> {
    let shown = display_path(path);
    let bad = |why: Text| BatchError::Csv {
        file: shown.clone(),
        why,
        id: options.id_column.clone(),
    };
    let file = crate::files::open(path).map_err(|e| {
        bad(match e {
            ReadError::Io { message, .. } => message,
            other => Text::new(other.to_string(), other.zh().message),
        })
    })?;
    let mut reader = csv_reader(Box::new(file));
    let heads = heads(&mut reader, &shown, options)?;
    let default_list = options.lists.first().cloned().ok_or_else(|| {
        bad(Text::new(
            "the rules have no list input for its rows to fill",
            "规则中没有可供这些行填入的列表输入",
        ))
    })?;
    let mut rows: BTreeMap<String, Vec<LongRow>> = BTreeMap::new();
    let mut filled = BTreeSet::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| table_error(&shown, &e, options))?;
        // Counted as `next_row` counts the wide table's rows.
        let row = n + 2;
        if record.len() != heads.len() {
            return Err(BatchError::Csv {
                file: format!("{shown}!{row}"),
                why: cell_count(record.len(), heads.len()),
                id: options.id_column.clone(),
            });
        }
        let (mut id, mut list) = (String::new(), default_list.clone());
        let mut cells = Vec::new();
        for (head, value) in heads.iter().zip(record.iter()) {
            if *head == options.id_column {
                id = value.trim().to_string();
            } else if head == LIST_COLUMN {
                list = value.trim().to_string();
            } else {
                cells.push((head.clone(), value.to_string()));
            }
        }
        if !options.lists.contains(&list) {
            return Err(bad(Text::new(
                format!(
                    "row {row} names the list `{list}`, which is no list input of the rules ({})",
                    options.lists.join(", ")
                ),
                format!(
                    "第 {row} 行写的列表 `{list}` 不是规则中的列表输入（{}）",
                    options.lists.join("、")
                ),
            )));
        }
        filled.insert(list.clone());
        rows.entry(id).or_default().push((list, cells, row));
    }
    Ok(Long {
        file: shown,
        rows,
        duplicates: BTreeMap::new(),
        matched: BTreeSet::new(),
        filled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line read where it stands in the reader's buffer is the line gathered across the
    /// buffer's refills: for every size of buffer, the same departments on the same lines,
    /// blank lines skipped, line ends trimmed, a line that is not UTF-8 said with its column.
    #[test]
    fn lines_are_the_same_whatever_the_buffer() {
        let text: &[u8] =
            b"{\"a\":1}\n\n{\"b\":2}\r\n   \n{\"c\":\"\xe9\x95\xbf\"}\n{\"x\":\"\xff\"}\n{\"d\":4}";
        let expected = [
            (1, Ok("{\"a\":1}".to_string())),
            (3, Ok("{\"b\":2}".to_string())),
            (5, Ok("{\"c\":\"长\"}".to_string())),
            (6, Err(7)),
            (7, Ok("{\"d\":4}".to_string())),
        ];
        let file: Arc<str> = "d.jsonl".into();
        for capacity in 1..=text.len() + 1 {
            let mut reader: Box<dyn BufRead + Send> =
                Box::new(BufReader::with_capacity(capacity, text));
            let (mut line, mut buffer, mut got) = (0, Vec::new(), Vec::new());
            while let Some(record) = next_line(&file, &mut reader, &mut line, &mut buffer) {
                let Place::Line { line, .. } = record.place else {
                    panic!("{:?}", record.place);
                };
                got.push(match record.body {
                    Body::Json(text) => (line, Ok(text.to_string())),
                    Body::Unreadable(ReadError::NotUtf8 { column, .. }) => (line, Err(column)),
                    other => panic!("{other:?}"),
                });
            }
            assert_eq!(got, expected, "a buffer of {capacity} bytes");
        }
    }
}
