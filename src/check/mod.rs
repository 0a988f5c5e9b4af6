//! Stage 2 of the pipeline: AST → checked [`model::Rulebook`]. Resolves every name to a slot,
//! infers and checks types, checks that points add up, and collects every problem before
//! returning, so an auditor sees all of them in one run.
//!
//! [`check`] runs the passes in order: the scales and the header (`header.rs`), the inputs
//! (`inputs.rs`), then the indicator tree (`tree.rs`), which hands each scoring rule to
//! `rules.rs`; expressions, units, points and tiers have their own modules. Every problem is a
//! [`CheckError`] of facts; its English wording lives in `error.rs` alone.

mod error;
mod expr;
mod hanzi;
mod header;
mod inputs;
mod rules;
mod scope;
mod tiers;
mod tree;
mod units;
mod weights;

pub use error::{
    AlternativesSlip, Besides, CatchAllSlip, CheckError, GradeProblem, LevelProblem, NameHint,
    NotApplicableSlip, RequiredSetting, UnitSlip, Unreachable, WrittenNumbers,
};

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::diagnostics::Text;
use crate::model::{self, InputId, LetId, Type};
use crate::source::{SourceMap, Span};
use crate::syntax::ast;

/// Keys of a data file that are not inputs: the department's name and the year.
pub const RESERVED_DATA_KEYS: [&str; 5] = ["部门", "年度", "总分", "自评得分", "表头"];

/// A rule file that passed its checks, with the warnings found on the way.
#[derive(Debug)]
pub struct Checked {
    pub rulebook: model::Rulebook,
    pub warnings: Vec<CheckError>,
}

/// Checks a parsed rule file. On failure the list holds every error and warning, in file order.
/// `source` is the rule file, or the rule file with its imports when `file` was merged from
/// several (see [`crate::imports`]). This checks a copy of `file`; [`check_owned`] checks the
/// file itself and needs no copy.
pub fn check(file: &ast::File, source: impl Into<SourceMap>) -> Result<Checked, Vec<CheckError>> {
    check_owned(file.clone(), source)
}

/// [`check`], taking the parsed file: each top-level indicator's syntax tree is dropped once
/// it is checked (only its name, points and `not applicable` stay, for the checks of the
/// whole table), so that a table of 100,000 indicators does not hold its syntax tree and its
/// model at once.
pub fn check_owned(
    mut file: ast::File,
    source: impl Into<SourceMap>,
) -> Result<Checked, Vec<CheckError>> {
    let source = source.into();
    let items = std::mem::take(&mut file.items);
    // Counted once: the top level of a generated table can hold 100,000 indicators.
    let mut session = Session::new(
        &items,
        count_indicators(&items),
        top_level(&items).count(),
        false,
        source.main().shared_text(),
    );
    for item in items {
        session.item(item);
    }
    session.finish(source).map_err(|(errors, _)| errors)
}

/// The checks of one rule file, fed its top-level items one at a time, in file order: what
/// [`check_owned`] runs over a whole file, and what [`crate::pipeline`] runs over the items of
/// a large file as they are parsed, so that the file's syntax tree and its model are never
/// held whole at once.
pub(crate) struct Session {
    c: Checker,
    header: Option<header::Header>,
    roots: Vec<model::IndicatorId>,
    /// What stays of each top-level indicator once it is checked.
    kept: Vec<ast::Indicator>,
    root_names: BTreeMap<String, Span>,
    root_count: usize,
}

impl Session {
    /// Starts the checks with `decls`, the file's items up to where checking starts: every
    /// header, scale and input of the file must be among them (checking needs them first), and
    /// `lets_to_come` says whether items with `let`s not among them may follow (then a name
    /// found nowhere is noted, see [`Session::finish`]). `indicators` is how many
    /// indicators to make room for; `root_count` how many top-level indicators the file has
    /// (or, when they are still to come, any number of at least two: only whether there is
    /// more than one counts). `text` is the text of the rule file (not of an import), which the
    /// model's strings share where they are written plainly.
    pub(crate) fn new(
        decls: &[ast::Item],
        indicators: usize,
        root_count: usize,
        lets_to_come: bool,
        text: &std::sync::Arc<str>,
    ) -> Self {
        let mut c = Checker {
            indicators: Vec::with_capacity(indicators),
            lets_to_come,
            text: Some(std::sync::Arc::clone(text)),
            ..Checker::default()
        };
        c.collect_scales(decls);
        c.collect_inputs(decls);
        c.collect_let_names(decls);
        let header = c.header(decls);
        Session {
            c,
            header,
            roots: Vec::with_capacity(root_count),
            kept: Vec::with_capacity(root_count),
            root_names: BTreeMap::new(),
            root_count,
        }
    }

    /// Checks the next top-level item; a top-level indicator's syntax tree is dropped once it
    /// is checked (only its name, points and `not applicable` stay, for the checks of the whole
    /// table).
    pub(crate) fn item(&mut self, item: ast::Item) {
        let c = &mut self.c;
        match item {
            ast::Item::Let(decl) => c.let_decl(&decl, None),
            ast::Item::Indicator(ind) => {
                c.sibling_unique(&mut self.root_names, &ind);
                self.roots
                    .push(c.indicator(&ind, Parent::new(None, self.root_count)));
                self.kept.push(tree::outline(ind));
            }
            ast::Item::Rulebook(_)
            | ast::Item::Scale(_)
            | ast::Item::Input(_)
            | ast::Item::Import(_) => {}
        }
    }

    /// Notes the `let`s of a top-level item about to be checked (see [`Session::new`]).
    pub(crate) fn note_lets(&mut self, item: &ast::Item) {
        self.c.collect_let_names(std::slice::from_ref(item));
    }

    /// The checked rules, or every error and warning in file order. With `lets_to_come` (see
    /// [`Session::new`]), the result is `Err` with `true` beside the errors when a name found
    /// nowhere is the name of a `let` that came later: the checks of the whole file would
    /// have said where it is, so the caller checks the whole file instead.
    pub(crate) fn finish(self, source: SourceMap) -> Result<Checked, (Vec<CheckError>, bool)> {
        let Session {
            mut c,
            header,
            roots,
            kept,
            ..
        } = self;
        let missed: BTreeSet<String> = std::mem::take(&mut *c.missed.borrow_mut())
            .into_iter()
            .collect();
        let stale = !missed.is_empty() && c.all_lets.iter().any(|n| missed.contains(n.as_str()));
        c.redistribute_to(kept.iter().zip(roots.iter().copied()));
        if let Some(h) = &header {
            weights::total(&mut c.errors, h.total, h.total_span, &kept);
        }
        c.unused_inputs();
        hidden_characters(&mut c.errors, &source);
        let mut errors = c.errors;
        errors.sort_by_key(|e| {
            use miette::Diagnostic;
            e.labels()
                .and_then(|mut l| l.next())
                .map_or(0, |l| l.offset())
        });
        let failed = errors.iter().any(|e| !e.is_warning());
        match header {
            Some(h) if !failed => Ok(Checked {
                rulebook: model::Rulebook {
                    title: h.title,
                    source,
                    total: h.total,
                    rounding: h.rounding,
                    rating: h.rating,
                    inputs: c.inputs,
                    lets: c.lets,
                    indicators: c.indicators,
                    roots,
                },
                warnings: errors,
            }),
            _ => Err((errors, stale)),
        }
    }
}

/// How many indicators a file holds, at every level.
fn count_indicators(items: &[ast::Item]) -> usize {
    fn count(ind: &ast::Indicator) -> usize {
        1 + ind.children().map(count).sum::<usize>()
    }
    top_level(items).map(count).sum()
}

/// The top-level indicators of a file, in file order.
fn top_level(items: &[ast::Item]) -> impl Iterator<Item = &ast::Indicator> {
    items.iter().filter_map(|item| match item {
        ast::Item::Indicator(ind) => Some(ind),
        ast::Item::Rulebook(_)
        | ast::Item::Scale(_)
        | ast::Item::Input(_)
        | ast::Item::Let(_)
        | ast::Item::Import(_) => None,
    })
}

/// The most hidden characters reported per file: one is enough to act on, a file full of them
/// is one problem.
const MAX_HIDDEN_REPORTED: usize = 20;

/// How many of its characters (folded) one name has that the other lacks, counted with their
/// repetitions, whichever name has more: a lower bound of the edit distance. `sorted` is the
/// first name's characters, sorted; `other` has at most 64 characters.
fn letters_apart(sorted: &[char], other: &str) -> usize {
    let mut buf = ['\0'; 64];
    let mut n = 0;
    for c in other.chars().take(buf.len()) {
        buf[n] = hanzi::fold_char(c);
        n += 1;
    }
    let theirs = &mut buf[..n];
    theirs.sort_unstable();
    let (mut i, mut j, mut only_ours, mut only_theirs) = (0, 0, 0, 0);
    while i < sorted.len() && j < theirs.len() {
        match sorted[i].cmp(&theirs[j]) {
            std::cmp::Ordering::Less => {
                only_ours += 1;
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                only_theirs += 1;
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    (only_ours + sorted.len() - i).max(only_theirs + theirs.len() - j)
}

/// The first bytes of the UTF-8 encodings of the characters `echo::is_invisible` finds.
const HIDDEN_LEAD_BYTES: [u8; 7] = [0xC2, 0xCD, 0xD8, 0xE1, 0xE2, 0xE3, 0xEF];

/// [`HIDDEN_LEAD_BYTES`] as a table by byte: every byte of the file is looked up in it.
static IS_HIDDEN_LEAD: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < HIDDEN_LEAD_BYTES.len() {
        table[HIDDEN_LEAD_BYTES[i] as usize] = true;
        i += 1;
    }
    table
};

/// Invisible and bidirectional control characters anywhere in a rule file (a name, a string,
/// a comment) are warnings: they make a name differ from one that looks the same, or make the
/// text read differently from what it does (a right-to-left override in a comment: "Trojan
/// Source"). A byte-order mark opening a file is not one of them.
fn hidden_characters(errors: &mut Vec<CheckError>, source: &SourceMap) {
    for (base, file) in source.with_offsets() {
        let text = file.text();
        // Every hidden character is encoded with one of these first bytes, which no ASCII
        // character and no common Chinese character (E4–E9) has: only those are decoded
        // (`HIDDEN_LEAD_BYTES` checks the list against `is_invisible`).
        let hidden = text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| IS_HIDDEN_LEAD[usize::from(b)])
            .filter_map(|(i, _)| Some((i, text[i..].chars().next()?)))
            .filter(|&(i, c)| crate::echo::is_invisible(c) && !(i == 0 && c == '\u{feff}'))
            .take(MAX_HIDDEN_REPORTED);
        for (i, c) in hidden {
            errors.push(CheckError::HiddenCharacter {
                character: crate::echo::describe(c),
                span: Span::new(base + i, base + i + c.len_utf8()).into(),
            });
        }
    }
}

/// What the checker needs to know of an indicator's parent: whether its children are
/// alternatives, and how many siblings share its points.
#[derive(Clone, Copy)]
struct Parent {
    alternatives: bool,
    children: usize,
}

impl Parent {
    fn new(alternatives: Option<crate::source::Spanned<()>>, children: usize) -> Self {
        Parent {
            alternatives: alternatives.is_some(),
            children,
        }
    }
}

/// What a `let` or a score reads directly: its inputs and the lets it names.
#[derive(Clone, Debug, Default)]
struct Deps {
    inputs: BTreeSet<InputId>,
    lets: BTreeSet<LetId>,
}

/// [`Deps`] as kept for each `let` until the end of the check: two lists made to measure, a
/// sixth of the room of two sets (a file of 100,000 indicators may have 30,000 lets).
struct DirectReads {
    inputs: Box<[InputId]>,
    lets: Box<[LetId]>,
}

impl From<Deps> for DirectReads {
    fn from(d: Deps) -> Self {
        DirectReads {
            inputs: d.inputs.into_iter().collect(),
            lets: d.lets.into_iter().collect(),
        }
    }
}

/// An indicator's slot until it is built: every slot is filled before `indicator` returns
/// (an error path builds a possibly dummy indicator either way). It allocates nothing.
fn pending() -> model::Indicator {
    model::Indicator {
        name: compact_str::CompactString::const_new(""),
        points: Decimal::ZERO,
        basis: None,
        not_applicable: None,
        kind: model::IndicatorKind::Group(Box::default()),
        lets: Box::default(),
        span: Span::default(),
    }
}

#[derive(Default)]
struct Checker {
    errors: Vec<CheckError>,
    inputs: Vec<model::Input>,
    input_ids: BTreeMap<String, InputId>,
    lets: Vec<model::Let>,
    let_types: Vec<Option<Type>>,
    /// The unit of each let's value, known when it is declared (lets see only lets above).
    let_units: Vec<model::Unit>,
    /// What each let reads directly. Only direct reads are kept: the transitive sets of a
    /// chain of n lets hold n²/2 entries (20,000 lets took 4 GB).
    let_deps: Vec<DirectReads>,
    /// The lets visible at this point.
    scope: scope::Scope,
    /// The name of every let in the file, for "defined below" hints (most are short enough to
    /// be held inline: a file of 100,000 indicators may have 30,000 lets).
    all_lets: Vec<compact_str::CompactString>,
    /// Each indicator's slot, reserved ([`pending`]) before its children so ids follow tree
    /// order: the model's list itself, not a list to copy it from.
    indicators: Vec<model::Indicator>,
    used_inputs: BTreeSet<InputId>,
    /// `scale 三档 { … }`: the bands of each named scale, and where it is named.
    scales: BTreeMap<String, (Vec<model::JudgementBand>, Span)>,
    /// Whether `let`s of items not yet seen may exist (a [`Session`] fed items as they are
    /// parsed): then the names [`Checker::suggest`] found no hint for are noted in `missed`.
    lets_to_come: bool,
    missed: std::cell::RefCell<Vec<String>>,
    /// The rule file's text, which the model's strings share ([`Checker::excerpt`]).
    text: Option<std::sync::Arc<str>>,
}

impl Checker {
    /// Everything a score reads, through its lets and theirs, as the model lists it: the
    /// inputs and the lets, each in id order.
    fn reads(&self, direct: Deps) -> (Box<[InputId]>, Box<[LetId]>) {
        let all = self.closure(direct);
        (
            all.inputs.into_iter().collect(),
            all.lets.into_iter().collect(),
        )
    }

    /// Everything a score reads, through its lets and theirs: a walk with a work list (no
    /// recursion, however long a chain of lets is).
    fn closure(&self, direct: Deps) -> Deps {
        let mut all = Deps {
            inputs: direct.inputs,
            lets: BTreeSet::new(),
        };
        let mut todo: Vec<LetId> = direct.lets.into_iter().collect();
        while let Some(id) = todo.pop() {
            if all.lets.insert(id) {
                let d = &self.let_deps[id.0];
                all.inputs.extend(d.inputs.iter().copied());
                todo.extend(d.lets.iter().copied().filter(|l| !all.lets.contains(l)));
            }
        }
        all
    }

    /// A string written in the rule file, as the model holds it: a piece of the file's text when
    /// it is written plainly there (no escape, not in an imported file), else a copy.
    fn excerpt(&self, s: &crate::source::Spanned<String>) -> model::Excerpt {
        // The span holds the quotes.
        let inner = s.span.start().saturating_add(1)..s.span.end().saturating_sub(1);
        match &self.text {
            Some(text) => model::Excerpt::of(text, inner, &s.value),
            None => model::Excerpt::new(&s.value),
        }
    }

    fn expect_type(&mut self, found: Option<Type>, expected: Type, what: Text, span: Span) {
        if let Some(found) = found
            && found != expected
        {
            self.errors.push(CheckError::TypeMismatch {
                what,
                expected: expected.words(),
                found: found.words(),
                span: span.into(),
                help: None,
            });
        }
    }

    /// "did you mean" over every input and let visible here, and a hint when the name is a
    /// `let` written further down.
    fn suggest(&self, name: &str) -> Option<NameHint> {
        let candidates = self
            .input_ids
            .keys()
            .map(String::as_str)
            .chain(self.scope.names());
        if let Some(best) = closest(name, candidates) {
            return Some(NameHint::Nearest {
                written: name.to_string(),
                meant: best.to_string(),
            });
        }
        let below = self
            .all_lets
            .iter()
            .find(|n| *n == name)
            .map(|_| NameHint::DefinedBelow {
                name: name.to_string(),
            });
        if below.is_none() && self.lets_to_come {
            self.missed.borrow_mut().push(name.to_string());
        }
        below
    }
}

/// The candidate nearest to `name` by edit distance, if near enough to be a slip. Swapped
/// neighbours (`mni` for `min`, 预执算行 for 预算执行) count as one slip, and traditional
/// characters match their simplified forms (全年預算數 finds 全年预算数).
///
/// Edit distance costs the product of the two lengths, so names longer than any real one
/// (a 2-million-character name took hours) get no suggestion, and candidates whose length
/// alone puts them out of reach are skipped.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    const LONGEST: usize = 64;
    let len = name.chars().count();
    if len > LONGEST {
        return None;
    }
    let limit = (len / 3).max(1);
    // Compared with traditional characters folded to simplified ones: 預算 finds 预算.
    let folded = hanzi::fold(name);
    let mut letters: Vec<char> = folded.chars().collect();
    letters.sort_unstable();
    candidates
        .filter(|c| {
            let n = c.chars().count();
            n <= LONGEST && n.abs_diff(len) <= limit
        })
        // Each edit adds at most one character to a name and takes at most one away, and a
        // swap neither: a candidate whose characters differ from the name's in more places than
        // that is out of reach, found without the costly distance (a file of 10,000 misspelt
        // names among 10,000 inputs asked for it 10⁸ times).
        .filter(|c| letters_apart(&letters, c) <= limit)
        .map(|c| (strsim::damerau_levenshtein(&folded, &hanzi::fold(c)), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    /// The count of differing characters never exceeds the edit distance, so no suggestion is
    /// lost to it.
    #[test]
    fn letters_apart_is_at_most_the_edit_distance() {
        let names = [
            "全年预算数",
            "全年執行数",
            "全年执行数",
            "年全预算数",
            "预算",
            "預算執行率",
            "abc",
            "acb",
            "aab",
            "ba",
            "",
            "执行率执行率",
            "率行执",
        ];
        for a in names {
            let mut sorted: Vec<char> = super::hanzi::fold(a).chars().collect();
            sorted.sort_unstable();
            for b in names {
                let d = strsim::damerau_levenshtein(&super::hanzi::fold(a), &super::hanzi::fold(b));
                assert!(super::letters_apart(&sorted, b) <= d, "{a} {b}");
            }
        }
    }

    #[test]
    fn every_hidden_character_starts_with_a_listed_byte() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if crate::echo::is_invisible(c) {
                let first = c.encode_utf8(&mut buf).as_bytes()[0];
                assert!(super::HIDDEN_LEAD_BYTES.contains(&first), "{c:?}");
            }
        }
    }
}
