//! Shared by the integration tests: fixture cases and the invariants every trace must keep.

#![allow(dead_code)]

pub mod replay;

use std::path::{Path, PathBuf};

/// The binary, run in the crate's folder without colour.
pub fn jixiao() -> std::process::Command {
    let mut cmd = std::process::Command::new(insta_cmd::get_cargo_bin("jixiao"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    cmd
}

use jixiao::trace::{Node, Trace};
use rust_decimal::Decimal;

/// A fixture folder's `case.toml`: the rule file and, for scoring cases, the data file, as
/// paths relative to the crate so that traces and diagnostics name them the same way on every
/// machine (`cargo test` runs integration tests in the crate's folder).
pub struct Case {
    pub name: String,
    pub rules: PathBuf,
    pub data: Option<PathBuf>,
}

/// Reads the case whose `case.toml` is at `path` (absolute, as `insta::glob!` gives it).
pub fn case(path: &Path) -> Case {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = path.parent().expect("case.toml has a folder");
    let rel_dir = dir
        .strip_prefix(root)
        .expect("fixture inside the crate")
        .to_path_buf();
    let text = std::fs::read_to_string(path).expect("case.toml is readable");
    let table = toml::de::DeTable::parse(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .into_inner();
    let field = |key: &str| -> Option<PathBuf> {
        table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| match v.get_ref() {
                toml::de::DeValue::String(s) => rel_dir.join(s.as_ref()),
                other => panic!(
                    "{}: `{key}` must be a string, not {other:?}",
                    path.display()
                ),
            })
    };
    Case {
        name: rel_dir.file_name().unwrap().to_string_lossy().into_owned(),
        rules: field("rules").expect("case.toml names its rules"),
        data: field("data"),
    }
}

/// Every fixture that scores (every folder under `fixtures/` but the `err_` ones), by name.
pub fn scoring_cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut cases: Vec<Case> = std::fs::read_dir(&root)
        .expect("fixtures/ is readable")
        .map(|e| e.expect("a fixture folder").path().join("case.toml"))
        .filter(|p| p.is_file())
        .map(|p| case(&p))
        .filter(|c| !c.name.starts_with("err_"))
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

/// A table kept under tests/cases rather than fixtures/, for the steps the fixtures do not
/// reach (an alternative not chosen, siblings that redistribute together, a fourth level …).
pub fn every_step_case() -> Case {
    case(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/every-step/case.toml"))
}

impl Case {
    /// The trace of a case that scores; panics with the rendered failure otherwise.
    pub fn trace(&self) -> Trace {
        match self.run() {
            Ok(Some(trace)) => trace,
            Ok(None) => panic!("{}: no data to score", self.name),
            Err(f) => panic!(
                "{}: failed:\n{}",
                self.name,
                f.render(jixiao::diagnostics::Style::Plain)
            ),
        }
    }

    /// Runs the case through the pipeline: the trace when it scores, nothing when it only
    /// checks rules, or the failure of whichever stage failed (reading included).
    pub fn run(&self) -> Result<Option<Trace>, jixiao::pipeline::Failure> {
        use jixiao::pipeline;
        let rules = pipeline::read(&self.rules)?;
        match &self.data {
            // A 自评表 (a workbook, or a CSV export) is read as bytes, as `jixiao score` reads it.
            Some(data) if jixiao::forms::is_form_name(&data.to_string_lossy()) => {
                let (name, bytes) = pipeline::read_bytes(data)?;
                pipeline::score_form(&rules, &name, &bytes, &mut |p| jixiao::SourceFile::read(p))
                    .map(|(scored, _)| Some(scored.trace))
            }
            Some(data) => {
                let data = pipeline::read(data)?;
                pipeline::score(&rules, &data).map(|(_, t)| Some(t))
            }
            None => pipeline::check_rules(&rules).map(|_| None),
        }
    }
}

/// The invariants of every trace: each score within [0, points], each parent the sum of its
/// children, deduction = points − score, and the total the (rounded) sum of the top level.
pub fn assert_invariants(trace: &Trace) {
    fn node(n: &Node) {
        assert!(
            n.score.0 >= Decimal::ZERO,
            "{} below 0: {:?}",
            n.name,
            n.score
        );
        assert!(
            n.score.0 <= n.points.0,
            "{} above its points: {:?}",
            n.name,
            n.score
        );
        assert_eq!(
            n.deduction.0,
            n.points.0 - n.score.0,
            "{} deduction",
            n.name
        );
        if !n.children.is_empty() {
            let sum: Decimal = n.children.iter().map(|c| c.score.0).sum();
            assert_eq!(n.score.0, sum, "{} is not the sum of its children", n.name);
            let points: Decimal = n.children.iter().map(|c| c.points.0).sum();
            assert_eq!(n.points.0, points, "{}: children's points", n.name);
        }
        n.children.iter().for_each(node);
    }
    trace.indicators.iter().for_each(node);
    let sum: Decimal = trace.indicators.iter().map(|n| n.score.0).sum();
    let counted: Decimal = trace.indicators.iter().map(|n| n.points.0).sum();
    // With indicators excluded, the sum is converted back to the full scale, then rounded.
    let scaled = match &trace.rescale {
        Some(r) => {
            assert_eq!(
                r.counted.0, counted,
                "the points counted are the top level's"
            );
            assert_eq!(r.sum.0, sum, "the converted sum is the top level's");
            assert!(counted < trace.points.0);
            sum * trace.points.0 / counted
        }
        None => {
            assert_eq!(
                counted, trace.points.0,
                "the top level adds up to the total"
            );
            sum
        }
    };
    let r = trace.rounding;
    let expected = match r.place {
        jixiao::model::RoundPlace::EachIndicator if trace.rescale.is_none() => scaled,
        _ => jixiao::number_round(scaled, r.mode, r.digits),
    };
    assert_eq!(trace.total.0, expected, "total is the sum of the top level");
    assert!(trace.total.0 >= Decimal::ZERO && trace.total.0 <= trace.points.0);
}

/// Digits after the point that a printed value may show before it must be cut with `…`: a
/// longer run is a rounded quotient shown in full, whose last digit is not a true digit.
const LONGEST_FRACTION_SHOWN: usize = 9;

/// Every decimal a report prints for people is short or cut with `…` (README: "every digit
/// shown is a true digit").
pub fn assert_decimals_cut(what: &str, text: &str) {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '.' && i > 0 && chars[i - 1].is_ascii_digit() {
            let digits = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            let cut = chars.get(i + 1 + digits) == Some(&'…');
            if digits > LONGEST_FRACTION_SHOWN && !cut {
                let shown: String = chars[i.saturating_sub(10)..(i + 1 + digits).min(chars.len())]
                    .iter()
                    .collect();
                panic!("{what}: a long decimal shown in full: …{shown}");
            }
            i += digits;
        }
        i += 1;
    }
}

/// Chinese diagnostics hold no English sentence: outside code in backticks, text quoted from
/// the files ("…", “…”), paths and the snippets of the files, no run of three English words.
/// miette's own `help:` and the codes are left alone.
#[allow(dead_code)]
pub fn assert_no_english(name: &str, rendered: &str) {
    for line in rendered.lines() {
        let line = line.trim_start();
        // A line of a snippet: a line number and the file's own text, or a label's arrow.
        let snippet = line
            .split_once('│')
            .is_some_and(|(n, _)| n.trim().chars().all(|c| c.is_ascii_digit()));
        if snippet
            || line.starts_with('╭')
            || line.starts_with('·')
            || line.starts_with('×') && line.contains("jixiao::")
        {
            continue;
        }
        let mut prose = String::new();
        let mut quoted: Option<char> = None;
        for c in line.replace("help:", "").chars() {
            match (quoted, c) {
                (None, '`' | '"' | '“') => quoted = Some(if c == '“' { '”' } else { c }),
                (Some(q), c) if c == q => quoted = None,
                (None, c) => prose.push(c),
                _ => {}
            }
        }
        // Paths are the files' names, and Unicode names (ZERO WIDTH SPACE) are names too.
        let mut run = 0;
        for token in prose.split_whitespace() {
            let word = token.trim_matches(|c: char| ",.;:?!()".contains(c));
            let english = word.len() >= 2
                && word.chars().all(|c| c.is_ascii_alphabetic() || c == '\'')
                && word.chars().any(|c| c.is_ascii_lowercase())
                && !token.contains('/');
            run = if english { run + 1 } else { 0 };
            assert!(
                run < 3,
                "{name}: English left in the Chinese diagnostics: {line}"
            );
        }
    }
}
