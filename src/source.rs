//! Source files and spans: the first stage of the pipeline hands every later stage a
//! [`SourceFile`] and byte-range [`Span`]s into it. Lines and columns are computed only when
//! something is printed.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use miette::NamedSource;
use sha2::{Digest, Sha256};

/// Line breaks: CRLF, LF and a lone CR each end a line, everywhere a line is counted (spans'
/// lines and columns, comments, the formatter), so a file saved on any system reads the same.
pub mod lines {
    /// Whether `c` is (part of) a line break.
    pub fn is_break(c: char) -> bool {
        c == '\n' || c == '\r'
    }

    /// The offset where each line starts: 0, then after every CRLF, LF or lone CR.
    pub fn starts(text: &str) -> impl Iterator<Item = usize> + '_ {
        let bytes = text.as_bytes();
        // The breaks are found by memchr's vectorised search, not byte by byte (about 45
        // instructions a byte): a trace asks for the line of every target record, so a batch
        // with traces counts the lines of each department's data, a line of thousands of bytes.
        let breaks = memchr::memchr2_iter(b'\n', b'\r', bytes);
        std::iter::once(0).chain(breaks.filter_map(move |i| {
            let ends = bytes.get(i) == Some(&b'\n') || bytes.get(i + 1) != Some(&b'\n');
            ends.then_some(i + 1)
        }))
    }

    /// Where the line holding `at` starts (an offset inside a CRLF belongs to the line the CRLF
    /// ends).
    pub fn start(text: &str, at: usize) -> usize {
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let before = &text[..at];
        let before = if before.ends_with('\r') && text[at..].starts_with('\n') {
            &before[..before.len() - 1]
        } else {
            before
        };
        // Two byte searches (memchr-fast) rather than one over a predicate: a minified file
        // is one line of megabytes, and every label on it asks for its line.
        let lf = before.rfind('\n').map_or(0, |i| i + 1);
        before[lf..].rfind('\r').map_or(lf, |i| lf + i + 1)
    }

    /// Where the line holding `at` ends: the offset of its line break, or the end of the text.
    pub fn end(text: &str, at: usize) -> usize {
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let rest = &text[at..];
        let lf = rest.find('\n').unwrap_or(rest.len());
        at + rest[..lf].find('\r').unwrap_or(lf)
    }

    /// The offset just after the line break that ends the line holding `at`, if there is one.
    pub fn next_start(text: &str, at: usize) -> Option<usize> {
        let end = end(text, at);
        let rest = &text[end..];
        if rest.starts_with("\r\n") {
            Some(end + 2)
        } else if rest.is_empty() {
            None
        } else {
            Some(end + 1)
        }
    }

    /// The lines of `text` without their breaks, split at CRLF, LF and lone CR; like
    /// `str::split('\n')`, a text ending in a break ends with an empty line.
    pub fn split(text: &str) -> Vec<&str> {
        let starts: Vec<usize> = starts(text).collect();
        starts
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                let e = starts.get(i + 1).map_or(text.len(), |&n| {
                    if text[..n].ends_with("\r\n") {
                        n - 2
                    } else {
                        n - 1
                    }
                });
                &text[s..e]
            })
            .collect()
    }

    /// The line break a file uses, kept when the formatter rewrites it.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Ending {
        Lf,
        CrLf,
        Cr,
    }

    impl Ending {
        /// The commonest break in `text` (the first one seen on a tie); LF when it has none.
        pub fn of(text: &str) -> Ending {
            let (mut lf, mut crlf, mut cr) = (0usize, 0usize, 0usize);
            let mut first = None;
            let bytes = text.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                let seen = match bytes[i] {
                    b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                        i += 1;
                        crlf += 1;
                        Some(Ending::CrLf)
                    }
                    b'\r' => {
                        cr += 1;
                        Some(Ending::Cr)
                    }
                    b'\n' => {
                        lf += 1;
                        Some(Ending::Lf)
                    }
                    _ => None,
                };
                first = first.or(seen);
                i += 1;
            }
            let most = lf.max(crlf).max(cr);
            if most == 0 {
                return Ending::Lf;
            }
            let count = |e: Ending| match e {
                Ending::Lf => lf,
                Ending::CrLf => crlf,
                Ending::Cr => cr,
            };
            match first {
                Some(e) if count(e) == most => e,
                _ if lf == most => Ending::Lf,
                _ if crlf == most => Ending::CrLf,
                _ => Ending::Cr,
            }
        }

        pub fn as_str(self) -> &'static str {
            match self {
                Ending::Lf => "\n",
                Ending::CrLf => "\r\n",
                Ending::Cr => "\r",
            }
        }
    }
}

/// A byte range into one source file (or into a [`SourceMap`]'s files one after another).
///
/// Held in 32 bits a bound: a checked table of 100,000 indicators holds about a hundred spans
/// for every ten indicators, and each takes 8 bytes, not 16. Files are at most 64 MiB unless
/// `--max-file-size` says more; an offset past 4 GiB is held as 4 GiB − 1 (its diagnostics then
/// point at the end of what can be placed, and nothing fails).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    start: u32,
    end: u32,
}

/// An offset as a [`Span`] holds it.
fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: offset(start),
            end: offset(end),
        }
    }

    /// Where the span starts, in bytes.
    pub fn start(self) -> usize {
        self.start as usize
    }

    /// Where the span ends (the byte after it).
    pub fn end(self) -> usize {
        self.end as usize
    }

    /// The span as a range of bytes, to slice the text with.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start()..self.end()
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        miette::SourceSpan::new(span.start().into(), span.len())
    }
}

impl From<pest::Span<'_>> for Span {
    fn from(span: pest::Span<'_>) -> Self {
        Span::new(span.start(), span.end())
    }
}

/// A value with the place it was written. Equality ignores the span, so two ASTs parsed from
/// differently laid-out text compare equal when they mean the same.
#[derive(Clone, Copy, Debug)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Eq> Eq for Spanned<T> {}

/// One file read into memory: its display name, its text and the SHA-256 of its bytes.
///
/// A source can also be one part of a larger file (a line of a JSON Lines file, as `jixiao
/// batch` reads it): its lines are then counted from the line it starts on in that file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Shared with the clones of this file and with every place a trace names in it.
    name: Arc<str>,
    /// Where the file was read from, to find the files it imports; `None` in memory.
    path: Option<PathBuf>,
    text: Arc<str>,
    /// The line of the whole file this text starts on, less one (0 for a whole file).
    line_offset: usize,
    /// The text is a form's cells, one a line, each line starting with its address
    /// (`绩效指标!E12`): a place in it is that cell.
    cells: bool,
    /// What is built from the text on first use, shared by the clones of this file.
    derived: Arc<Derived>,
}

#[derive(Debug, Default)]
struct Derived {
    /// The SHA-256 of the text, hex: computed when a trace first names the file, not on
    /// reading, so that scoring a million departments without traces hashes nothing.
    sha256: OnceLock<Arc<str>>,
    /// Where each line starts: a trace asks for the line of every target record, and counting
    /// line breaks from the top each time was quadratic in the file.
    line_starts: OnceLock<Vec<usize>>,
    /// The text as snippets are drawn from it: lone CRs as LFs (see [`SourceFile::shown`]).
    shown: OnceLock<Arc<str>>,
}

impl SourceFile {
    /// A source from text already in memory. `name` is what diagnostics and traces show.
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            name: name.into(),
            path: None,
            text: text.into(),
            line_offset: 0,
            cells: false,
            derived: Arc::default(),
        }
    }

    /// The same source, standing in a larger file from line `line` (1-based) on: its lines
    /// are shown as that file's lines (`departments.jsonl:5`).
    pub fn starting_at_line(mut self, line: usize) -> Self {
        self.line_offset = line.saturating_sub(1);
        self
    }

    /// The same source, known to stand at `path` (imports are found relative to it).
    pub fn at_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Where the file was read from, when it was read from a path.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Reads a file. Bytes that are not UTF-8 are an error the caller reports; the name shown
    /// is the path as given when it is relative and only the file name when it is absolute, so
    /// that traces never carry a machine's directory layout.
    ///
    /// Only a regular file is read, and only up to [`crate::files::max_file_size`]: a folder,
    /// a device or a FIFO, or a file larger than that, is a [`ReadError`] before anything is read.
    pub fn read(path: &Path) -> Result<Self, ReadError> {
        Self::read_named(path, display_path(path))
    }

    /// [`SourceFile::read`], the file shown as `name` (a batch shows a file of an absolute
    /// folder by its path in that folder, not by its name alone).
    pub fn read_named(path: &Path, name: String) -> Result<Self, ReadError> {
        let bytes = crate::files::read_shared(path)?;
        // Checked with SIMD: the standard check takes 8 instructions a byte of Chinese text
        // (1.4% of checking a large rule file). An error is found again, and placed, the usual way.
        if simdutf8::basic::from_utf8(&bytes).is_err() {
            return Self::from_bytes(name, bytes.to_vec());
        }
        // SAFETY: the bytes are UTF-8 (just checked), and `str` has the layout of `[u8]`.
        let text: Arc<str> = unsafe { Arc::from_raw(Arc::into_raw(bytes) as *const str) };
        Ok(SourceFile::new(name, text).at_path(path))
    }

    /// Reads standard input (`-` on the command line), named `<stdin>`.
    pub fn read_stdin() -> Result<Self, ReadError> {
        let bytes = crate::files::read_stdin()?;
        Self::from_bytes(crate::files::STDIN.to_string(), bytes)
    }

    /// A source from bytes: an error when they are not UTF-8, located by line and column.
    pub fn from_bytes(name: String, bytes: Vec<u8>) -> Result<Self, ReadError> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile::new(name, text)),
            Err(e) => {
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let valid = std::str::from_utf8(valid).unwrap_or_default();
                let line = lines::starts(valid).count();
                let column = valid[lines::start(valid, valid.len())..].chars().count() + 1;
                Err(ReadError::NotUtf8 {
                    path: name,
                    line,
                    column,
                })
            }
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text, to share: the model holds pieces of it (`model::Excerpt`) rather than copies.
    pub fn shared_text(&self) -> &Arc<str> {
        &self.text
    }

    /// The same source, standing for a file whose bytes are not its text (a workbook read as
    /// the text of its cells): `sha256` is the file's digest, so a trace names the file as it is.
    pub fn with_sha256(self, sha256: String) -> Self {
        let derived = Derived::default();
        let _ = derived.sha256.set(sha256.into());
        SourceFile {
            derived: Arc::new(derived),
            ..self
        }
    }

    /// The SHA-256 of the text (its UTF-8 bytes, as read), in hex; or the file's, for a source
    /// made with [`SourceFile::with_sha256`].
    pub fn sha256(&self) -> &str {
        self.sha256_shared()
    }

    /// [`SourceFile::sha256`] as the file holds it, for a trace to share rather than copy.
    pub(crate) fn sha256_shared(&self) -> &Arc<str> {
        self.derived
            .sha256
            .get_or_init(|| hex_sha256(self.text.as_bytes()).into())
    }

    /// The file's name as the file holds it, for a trace to share rather than copy.
    pub(crate) fn name_shared(&self) -> &Arc<str> {
        &self.name
    }

    /// The 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        // The number of lines starting at or before the offset.
        self.line_offset + self.line_starts().partition_point(|&start| start <= offset)
    }

    /// Where each line starts, worked out on first use.
    fn line_starts(&self) -> &[usize] {
        self.derived
            .line_starts
            .get_or_init(|| lines::starts(&self.text).collect())
    }

    /// The lines a snippet of `local` with `before` and `after` lines of context is drawn from,
    /// and one more each side, as a range of offsets that starts a line, with that line
    /// (from 0): miette reads a snippet by counting lines from the start of what it is given,
    /// and a file with an error on each of 10,000 lines took minutes to print from the top.
    fn snippet_window(
        &self,
        local: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> (usize, usize, usize) {
        let starts = self.line_starts();
        let line = |offset: usize| starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let first = line(local.offset()).saturating_sub(before + 1);
        let last = line(local.offset() + local.len()) + after + 2;
        let end = starts.get(last).copied().unwrap_or(self.text.len());
        (starts.get(first).copied().unwrap_or(0), end, first)
    }

    /// `file:line` of a span, as the trace prints rule locations.
    pub fn location(&self, span: Span) -> String {
        format!("{}:{}", self.name, self.line_of(span.start()))
    }

    /// The file's name and the line `span` starts on (in a form, the cell too).
    pub fn place(&self, span: Span) -> Place {
        let (line, cell) = self.line_and_cell(span);
        Place {
            file: self.name.clone(),
            line,
            cell,
        }
    }

    /// The line `span` starts on and, in a form's cells, the cell it stands in: where a trace
    /// records a rule or a record stands (naming the file by itself, see `trace::FileId`).
    /// (Inline, with the cell out of line: a trace asks this for every record of a department.)
    #[inline]
    pub fn line_and_cell(&self, span: Span) -> (usize, Option<String>) {
        let cell = match self.cells {
            true => Some(self.cell_at(span.start())),
            false => None,
        };
        (self.line_of(span.start()), cell)
    }

    /// The address opening the line of a form's cells that `offset` stands on (`绩效指标!E12`).
    #[cold]
    fn cell_at(&self, offset: usize) -> String {
        let start = self.text[..offset.min(self.text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        self.text[start..]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    }

    /// Whether the text is a form's cells ([`SourceFile::of_cells`]).
    pub fn is_cells(&self) -> bool {
        self.cells
    }

    /// This text as a form's cells, one a line starting with the cell's address: places in it
    /// are cells (`绩效指标!E12`).
    pub fn of_cells(mut self) -> SourceFile {
        self.cells = true;
        self
    }

    /// The text snippets are drawn from: the same bytes, but a lone CR (a line break on its
    /// own, as old Mac files have it) as an LF. miette's snippet drawer breaks lines at LF and
    /// CRLF only and would print a CR-only file as one line with carriage returns in it; one
    /// byte for one byte, every offset stays where it was.
    fn shown(&self) -> &str {
        self.derived.shown.get_or_init(|| {
            let bytes = self.text.as_bytes();
            if !bytes
                .iter()
                .enumerate()
                .any(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
            {
                return self.text.clone();
            }
            let mut out = String::with_capacity(self.text.len());
            let mut chars = self.text.chars().peekable();
            while let Some(c) = chars.next() {
                out.push(if c == '\r' && chars.peek() != Some(&'\n') {
                    '\n'
                } else {
                    c
                });
            }
            out.into()
        })
    }

    /// The 1-based column of a byte offset, in characters (as editors count), not bytes.
    pub fn column_of(&self, offset: usize) -> usize {
        let text = self.text();
        let at = offset.min(text.len());
        let start = lines::start(text, at);
        // A byte-order mark opening the file is no column an editor shows.
        let start = if start == 0 && text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8().min(at)
        } else {
            start
        };
        text.get(start..at).map_or(0, |line| line.chars().count()) + 1
    }

    /// The source in the form miette renders snippets from.
    pub fn named_source(&self) -> NamedSource<Arc<str>> {
        NamedSource::new(self.name.clone(), self.text.clone())
    }
}

/// Where something stands, naming its file: the line in a rule or data file, or in a form the
/// cell (`绩效指标!E12`, the line then being the line of the form's cells as read). `file` is
/// the path as given (never made absolute). (A trace records its nodes' places as
/// [`crate::trace::Location`]s, which name their file by an id.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub file: Arc<str>,
    pub line: usize,
    pub cell: Option<String>,
}

impl fmt::Display for Place {
    /// `file:line`, as compilers write it; in a form, `file sheet!C12`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cell {
            Some(cell) => write!(f, "{} {cell}", self.file),
            None => write!(f, "{}:{}", self.file, self.line),
        }
    }
}

/// A rule file and the files it imports, each at its own range of offsets, so that one
/// [`Span`] names a place in any of them. The first file (the one asked for) starts at 0; each
/// imported file starts one past the end of the file before it. Diagnostics render against the
/// map (it is a [`miette::SourceCode`]), each label in its own file.
#[derive(Clone, Debug)]
pub struct SourceMap {
    /// Each file with the offset it starts at, in the order they were added.
    files: Vec<(usize, SourceFile)>,
}

impl SourceMap {
    /// A map of one file.
    pub fn single(file: SourceFile) -> Self {
        SourceMap {
            files: vec![(0, file)],
        }
    }

    /// Adds a file after the others; returns the offset it starts at.
    pub fn push(&mut self, file: SourceFile) -> usize {
        let base = self
            .files
            .last()
            .map_or(0, |(base, f)| base + f.text().len() + 1);
        self.files.push((base, file));
        base
    }

    /// The file asked for (the others are its imports).
    pub fn main(&self) -> &SourceFile {
        &self.files[0].1
    }

    /// Every file with the offset it starts at: the one asked for, then its imports.
    pub fn with_offsets(&self) -> impl Iterator<Item = (usize, &SourceFile)> {
        self.files.iter().map(|(base, f)| (*base, f))
    }

    /// The imported files, in the order they were read.
    pub fn imports(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter().skip(1).map(|(_, f)| f)
    }

    /// The file holding `offset`, with the offset it starts at.
    pub fn file_at(&self, offset: usize) -> (usize, &SourceFile) {
        let (base, file) = &self.files[self.index_at(offset)];
        (*base, file)
    }

    /// The place in the map of the file holding `offset`.
    fn index_at(&self, offset: usize) -> usize {
        self.files
            .partition_point(|(base, _)| *base <= offset)
            .saturating_sub(1)
    }

    /// `file:line` of a span, in whichever file it stands.
    pub fn location(&self, span: Span) -> String {
        self.place(span).to_string()
    }

    /// The file a span is in and the line it starts on.
    pub fn place(&self, span: Span) -> Place {
        let (i, line, cell) = self.locate(span);
        Place {
            file: self.files[i].1.name.clone(),
            line,
            cell,
        }
    }

    /// Which file a span is in, by its place in the map (0 the file asked for, then its
    /// imports in the order [`Self::imports`] gives them), with the line it starts on and, in a
    /// form's cells, its cell.
    pub fn locate(&self, span: Span) -> (usize, usize, Option<String>) {
        let i = self.index_at(span.start());
        let (base, file) = &self.files[i];
        let (line, cell) = file.line_and_cell(Span::new(
            span.start() - base,
            span.end().saturating_sub(*base),
        ));
        (i, line, cell)
    }

    /// The text a span covers (empty when it runs past its file).
    pub fn text_of(&self, span: Span) -> &str {
        let (base, file) = self.file_at(span.start());
        file.text()
            .get(span.start() - base..span.end().saturating_sub(base))
            .unwrap_or("")
    }
}

impl From<SourceFile> for SourceMap {
    fn from(file: SourceFile) -> Self {
        SourceMap::single(file)
    }
}

impl From<&SourceFile> for SourceMap {
    fn from(file: &SourceFile) -> Self {
        SourceMap::single(file.clone())
    }
}

impl miette::SourceCode for SourceMap {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let (base, file) = self.file_at(span.offset());
        // A span that runs from one file into the next is no place at all.
        if span.offset() + span.len() > base + file.text().len() {
            return Err(miette::MietteError::OutOfBounds);
        }
        let local = miette::SourceSpan::new((span.offset() - base).into(), span.len());
        let (from, to, first_line) =
            file.snippet_window(&local, context_lines_before, context_lines_after);
        let inner = miette::SourceSpan::new((local.offset() - from).into(), local.len());
        let contents =
            file.shown()[from..to].read_span(&inner, context_lines_before, context_lines_after)?;
        // miette counts a column in bytes (预算 is six wide); editors, the JSON diagnostics and
        // this header count characters. miette gives a column only without lines before.
        let column = if context_lines_before == 0 {
            file.column_of(local.offset()) - 1
        } else {
            contents.column()
        };
        let shifted = miette::SourceSpan::new(
            (contents.span().offset() + from + base).into(),
            contents.span().len(),
        );
        Ok(Box::new(miette::MietteSpanContents::new_named(
            file.name().to_string(),
            contents.data(),
            shifted,
            contents.line() + first_line,
            column,
            // miette counts the line breaks from the start of what it reads, and decides by
            // this count whether two labels share one snippet.
            contents.line_count() + first_line,
        )))
    }
}

/// Failing to read a file at all, before any parsing.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ReadError {
    #[error("cannot read {path}: {message}")]
    #[diagnostic(
        code(jixiao::io::read),
        help("check that the path is right and the file is readable")
    )]
    Io {
        path: String,
        message: crate::diagnostics::Text,
    },
    #[error("cannot read {path}: it is {what}, not a file")]
    #[diagnostic(
        code(jixiao::io::not_a_file),
        help(
            "give the path of a rule or data file; to read a department's data from a pipe, give `-` as the data file and pipe it to jixiao"
        )
    )]
    NotAFile { path: String, what: FileKind },
    #[error("cannot read {path}: it is {size}, over the limit of {limit}")]
    #[diagnostic(
        code(jixiao::io::too_large),
        help(
            "no rule or data file is this large: check the path; if the file is right, raise the limit with --max-file-size, e.g. --max-file-size 512M"
        )
    )]
    TooLarge {
        path: String,
        size: crate::diagnostics::Text,
        limit: crate::diagnostics::Text,
    },
    /// Too large, where the size is not known (a line read from a stream stops at the limit).
    #[error("cannot read {path}: it is over the limit of {limit}")]
    #[diagnostic(
        code(jixiao::io::too_large),
        help(
            "no rule or data file is this large: check the path; if the file is right, raise the limit with --max-file-size, e.g. --max-file-size 512M"
        )
    )]
    OverLimit {
        path: String,
        limit: crate::diagnostics::Text,
    },
    #[error("{path} is not UTF-8 text (the first bad byte is at line {line}, column {column})")]
    #[diagnostic(
        code(jixiao::io::not_utf8),
        help(
            "save the file as UTF-8; files saved by Excel or Word as GBK must be converted first"
        )
    )]
    NotUtf8 {
        path: String,
        line: usize,
        column: usize,
    },
}

/// The help for a file over the size limit, in Chinese.
const TOO_LARGE_ZH: &str = "规则文件和数据文件都不会这么大：请检查路径；如果文件没错，用 --max-file-size 提高上限，例如 --max-file-size 512M";

impl crate::diagnostics::Localized for ReadError {
    fn zh(&self) -> crate::diagnostics::Zh {
        use crate::diagnostics::Zh;
        match self {
            ReadError::Io { path, message } => {
                Zh::new(format!("无法读取 {path}：{}", message.zh))
                    .help("检查路径是否正确、文件是否可以读取")
            }
            ReadError::NotAFile { path, what } => {
                Zh::new(format!("无法读取 {path}：它是{}，不是文件", what.zh()))
                    .help("请给出规则文件或数据文件的路径；要从管道读入部门数据，把数据文件写成 `-`，再用管道传给 jixiao")
            }
            ReadError::TooLarge { path, size, limit } => Zh::new(format!(
                "无法读取 {path}：它有 {}，超过了 {}的上限",
                size.zh, limit.zh
            ))
            .help(TOO_LARGE_ZH),
            ReadError::OverLimit { path, limit } => {
                Zh::new(format!("无法读取 {path}：它超过了 {}的上限", limit.zh)).help(TOO_LARGE_ZH)
            }
            ReadError::NotUtf8 { path, line, column } => Zh::new(format!(
                "{path} 不是 UTF-8 编码的文本（第一个错误字节在第 {line} 行第 {column} 列）"
            ))
            .help("把文件另存为 UTF-8 编码；Excel 或 Word 保存的 GBK 文件需要先转换"),
        }
    }
}

/// What a path names when it is not a regular file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Folder,
    Fifo,
    Socket,
    Device,
    Other,
}

impl std::fmt::Display for FileKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FileKind::Folder => "a folder",
            FileKind::Fifo => "a FIFO (named pipe)",
            FileKind::Socket => "a socket",
            FileKind::Device => "a device",
            FileKind::Other => "not a regular file",
        })
    }
}

impl FileKind {
    fn zh(self) -> &'static str {
        match self {
            FileKind::Folder => "文件夹",
            FileKind::Fifo => "命名管道（FIFO）",
            FileKind::Socket => "套接字",
            FileKind::Device => "设备",
            FileKind::Other => "非普通文件",
        }
    }
}

/// How a path is shown: relative paths as given but with `.` and `dir/..` folded away (with
/// `/` on every system), absolute ones by file name only, so traces are the same on any machine.
pub fn display_path(path: &Path) -> String {
    if path.is_absolute() {
        return path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    normalize(path).to_string_lossy().replace('\\', "/")
}

/// `path` with `.` and `dir/..` folded away, without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if out
                    .components()
                    .next_back()
                    .is_some_and(|c| matches!(c, Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The ASCII character a full-width one stands for (`：` → `:`, `１` → `1`, the ideographic
/// space → a space), as a Chinese input method types them: Unicode's full-width forms
/// U+FF01–U+FF5E mirror ASCII U+0021–U+007E.
pub(crate) fn half_width(c: char) -> Option<char> {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0),
        '\u{3000}' => Some(' '),
        _ => None,
    }
}

pub(crate) fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_from_one_at_any_offset() {
        let src = SourceFile::new("a.jx", "甲\n乙\n\n丙");
        let lines: Vec<usize> = [0, 3, 4, 7, 8, 9, 12, 99]
            .iter()
            .map(|&o| src.line_of(o))
            .collect();
        assert_eq!(lines, [1, 1, 2, 2, 3, 4, 4, 4]);
    }

    #[test]
    fn crlf_lf_and_a_lone_cr_each_end_a_line() {
        for ending in ["\n", "\r\n", "\r"] {
            let text = ["甲", "乙", "", "丙x"].join(ending);
            let src = SourceFile::new("a.jx", text.clone());
            let x = text.find('x').unwrap();
            assert_eq!(src.line_of(x), 4, "{ending:?}");
            assert_eq!(src.column_of(x), 2, "{ending:?}: columns count characters");
            assert_eq!(lines::split(&text), ["甲", "乙", "", "丙x"], "{ending:?}");
            assert_eq!(&text[lines::start(&text, x)..lines::end(&text, x)], "丙x");
            assert_eq!(lines::Ending::of(&text).as_str(), ending);
        }
        // Inside a CRLF is still the line it ends.
        assert_eq!(lines::start("ab\r\ncd", 3), 0);
        // Where each line starts, as a byte-by-byte look at every break finds it.
        for text in [
            "",
            "\n",
            "\r",
            "\r\n",
            "a\r\r\nb\n\rc",
            "甲\r\n乙\r",
            "\n\n\r\r",
        ] {
            let bytes = text.as_bytes();
            let by_byte: Vec<usize> = std::iter::once(0)
                .chain((0..bytes.len()).filter_map(|i| {
                    let ends = bytes[i] == b'\n'
                        || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
                    ends.then_some(i + 1)
                }))
                .collect();
            assert_eq!(lines::starts(text).collect::<Vec<_>>(), by_byte, "{text:?}");
        }
        assert_eq!(lines::next_start("ab\r\ncd", 0), Some(4));
        // Mixed: the commonest wins, the first on a tie.
        assert_eq!(lines::Ending::of("a\r\nb\nc\r\n"), lines::Ending::CrLf);
        assert_eq!(lines::Ending::of("a\rb\n"), lines::Ending::Cr);
        assert_eq!(lines::Ending::of("a"), lines::Ending::Lf);
    }

    #[test]
    fn a_bad_byte_is_placed_by_any_line_break() {
        let err = SourceFile::from_bytes("a.jx".into(), b"a\rbc\r\n\xffx".to_vec()).unwrap_err();
        assert!(
            matches!(
                err,
                ReadError::NotUtf8 {
                    line: 3,
                    column: 1,
                    ..
                }
            ),
            "{err:?}"
        );
    }
}
