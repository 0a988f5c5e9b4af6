//! Stage 2½ (form file → [`super::Form`]), the middle step: one sheet as a grid of raw cells,
//! whatever file it came from (a workbook through calamine, a CSV export through `csv`), with
//! its merged regions; and the rules that turn a raw cell into an exact [`CellValue`]. The
//! layouts (`layout.rs`) read only this grid.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::CellValue;
use super::numfmt::{Code, Kind};

/// A cell's number format, as far as it changes what a number means or shows: `None` for
/// General (and every format that shows a number as General does).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Fmt(Option<Arc<Code>>);

impl Fmt {
    /// What an Excel format code says: `0.00%`, `#,##0.00_ ;[Red]-#,##0.00`, `General` (read
    /// by Excel's grammar in `numfmt`).
    pub fn of_code(code: &str) -> Fmt {
        let code = Code::parse(code);
        Fmt((!code.is_general()).then(|| Arc::new(code)))
    }

    /// A built-in format by its id (ECMA-376 18.8.30); the dates are calamine's, and the
    /// currencies (5–8, 42, 44), whose codes depend on the locale, are read as General.
    pub fn builtin(id: u32) -> Fmt {
        let code = match id {
            1 => "0",
            2 => "0.00",
            3 => "#,##0",
            4 => "#,##0.00",
            9 => "0%",
            10 => "0.00%",
            11 => "0.00E+00",
            12 => "# ?/?",
            13 => "# ??/??",
            37 => "#,##0 ;(#,##0)",
            38 => "#,##0 ;[Red](#,##0)",
            39 => "#,##0.00;(#,##0.00)",
            40 => "#,##0.00;[Red](#,##0.00)",
            41 => "_(* #,##0_);_(* \\(#,##0\\);_(* \"-\"_);_(@_)",
            43 => "_(* #,##0.00_);_(* \\(#,##0.00\\);_(* \"-\"??_);_(@_)",
            48 => "##0.0E+0",
            _ => return Fmt::default(),
        };
        Fmt::of_code(code)
    }

    /// A percentage whose decimals jixiao does not know (an .ods percentage cell).
    pub fn percent() -> Fmt {
        Fmt(Some(Arc::new(Code::of_kind(
            "0%",
            Kind::Digits {
                percent: true,
                scale: 0,
                fixed: None,
                shows: None,
            },
        ))))
    }
}

/// One cell as the file holds it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Raw {
    /// A stored double and its number format.
    Float(f64, Fmt),
    Text(String),
    Bool(bool),
}

/// A rectangle of merged cells, by its first and last (row, column), 0-based.
pub(crate) type Merge = ((u32, u32), (u32, u32));

/// The most merged rows (summed over the merges) a sheet may have: a form has a few hundred.
const MAX_MERGED_ROWS: usize = 1 << 20;

/// One sheet.
#[derive(Clone, Debug, Default)]
pub(crate) struct Grid {
    pub sheet: String,
    cells: BTreeMap<(u32, u32), Raw>,
    merges: Vec<Merge>,
    /// The merges over each row, by index into `merges`: a cell's region is found among the
    /// few merges of its row, not all of the sheet's.
    by_row: BTreeMap<u32, Vec<usize>>,
    /// Row entries of `by_row`, bounded: a sheet merged beyond any form's size is refused.
    indexed: usize,
    pub rows: u32,
    pub cols: u32,
}

impl Grid {
    pub fn new(sheet: impl Into<String>) -> Grid {
        Grid {
            sheet: sheet.into(),
            ..Grid::default()
        }
    }

    /// Puts a cell (an empty text is no cell).
    pub fn set(&mut self, row: u32, col: u32, raw: Raw) {
        if matches!(&raw, Raw::Text(t) if t.trim().is_empty()) {
            return;
        }
        self.rows = self.rows.max(row + 1);
        self.cols = self.cols.max(col + 1);
        self.cells.insert((row, col), raw);
    }

    /// Merges a region. Call after every cell is set: rows below the last cell are not
    /// indexed (no cell is read there). `false` when the sheet has more merged rows than any
    /// form has, and the merge was not kept.
    pub fn merge(&mut self, m: Merge) -> bool {
        let ((r0, c0), (r1, c1)) = m;
        if r0 > r1 || c0 > c1 || r0 >= self.rows {
            return true;
        }
        let last = r1.min(self.rows.saturating_sub(1));
        let added = (last - r0) as usize + 1;
        if self.indexed + added > MAX_MERGED_ROWS {
            return false;
        }
        self.indexed += added;
        let i = self.merges.len();
        self.merges.push(m);
        for r in r0..=last {
            self.by_row.entry(r).or_default().push(i);
        }
        true
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The top-left cell of the merged region holding (row, col), or the cell itself.
    pub fn origin(&self, row: u32, col: u32) -> (u32, u32) {
        self.by_row
            .get(&row)
            .and_then(|ids| {
                ids.iter()
                    .map(|&i| self.merges[i])
                    .find(|((_, c0), (_, c1))| (*c0..=*c1).contains(&col))
            })
            .map_or((row, col), |(start, _)| start)
    }

    /// The cell at (row, col) itself, not through a merge.
    pub fn raw(&self, row: u32, col: u32) -> Option<&Raw> {
        self.cells.get(&(row, col))
    }

    /// The distinct cells of a row, left to right: a region merged across columns once, at its
    /// first column; a region merged down from a row above is not this row's.
    pub fn row_cells(&self, row: u32) -> Vec<(u32, &Raw)> {
        self.cells
            .range((row, 0)..=(row, u32::MAX))
            .filter(|((r, c), _)| self.origin(*r, *c) == (*r, *c))
            .map(|((_, c), raw)| (*c, raw))
            .collect()
    }

    /// The first row at or after `row` that holds a cell.
    pub fn next_row_with_cells(&self, row: u32) -> u32 {
        self.cells
            .range((row, 0)..)
            .next()
            .map_or(self.rows, |((r, _), _)| *r)
    }

    /// Whether a row holds nothing of its own.
    pub fn blank_row(&self, row: u32) -> bool {
        self.row_cells(row).is_empty()
    }

    /// `绩效指标!C12`.
    pub fn address(&self, row: u32, col: u32) -> String {
        format!("{}!{}{}", self.sheet, column_name(col), row + 1)
    }
}

/// `A`, `Z`, `AA` for 0, 25, 26.
pub(crate) fn column_name(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A cell's text as a header or label: full-width letters, digits and brackets made half-width,
/// every space (inside too: `年 度 指 标 值`) removed, a numbering (`1.`, `一、`) and trailing
/// bracketed notes (`（A）`, `(万元)`, `(10分)`, `（盖章）`) and colons cut:
/// `全年预算数（A）` → `全年预算数`.
pub(crate) fn label(raw: &Raw) -> String {
    match raw {
        Raw::Text(t) => normalize(t),
        Raw::Float(..) | Raw::Bool(_) => String::new(),
    }
}

pub(crate) fn normalize(text: &str) -> String {
    let mut s: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(half_width)
        .collect();
    // A numbering: `1.`, `2、`, `一、`.
    let digits = s.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && s[digits..].starts_with(['.', '、']) {
        s = s[digits + 1..].to_string();
    }
    for n in ["一、", "二、", "三、", "四、", "五、", "六、"] {
        if let Some(rest) = s.strip_prefix(n) {
            s = rest.to_string();
        }
    }
    loop {
        let trimmed = s.trim_end_matches([':', '：']);
        if trimmed.len() != s.len() {
            s = trimmed.to_string();
            continue;
        }
        if s.ends_with(')')
            && let Some(open) = s.rfind('(')
            && open > 0
        {
            s.truncate(open);
            continue;
        }
        break;
    }
    s
}

fn half_width(c: char) -> char {
    crate::source::half_width(c).unwrap_or(c)
}

/// The marks a form writes in a cell that does not apply: such a cell is left out.
pub(crate) fn not_applicable(text: &str) -> bool {
    matches!(
        text.trim(),
        "" | "/" | "／" | "—" | "——" | "－" | "-" | "--" | "\\" | "、"
    )
}

/// A cell read exactly, and what it shows when that differs from what it holds (a cell
/// formatted to 2 decimals holding 3151.094 shows 3151.09).
pub(crate) struct Read {
    pub value: CellValue,
    pub hidden: Option<Shown>,
    /// The cell's number format, when jixiao cannot tell whether it makes the number a
    /// percentage (`0%%`, conditions it is not sure of): the cell is an error.
    pub unclear: Option<String>,
}

/// What a cell shows in place of what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Shown {
    /// The number rounded: `3151.09` for 3151.094, `1.19E+02` for 118.5.
    Rounded { shown: String, stored: String },
    /// Text whatever the number (empty for `;;;`): the format `code` shows no number at all.
    Text {
        shown: String,
        stored: String,
        code: String,
    },
}

/// A raw cell as a value; `None` for an empty cell or a "/" that does not apply.
pub(crate) fn read(raw: &Raw) -> Option<Read> {
    let plain = |value| Read {
        value,
        hidden: None,
        unclear: None,
    };
    match raw {
        Raw::Bool(b) => Some(plain(CellValue::Bool(*b))),
        Raw::Text(t) => {
            let t = t.trim();
            if not_applicable(t) {
                return None;
            }
            let value = match t.strip_suffix(['%', '％']) {
                Some(p) if plain_number(p.trim()) => CellValue::Percent(p.trim().to_string()),
                _ if plain_number(t) => CellValue::Number(t.to_string()),
                _ => CellValue::Text(t.to_string()),
            };
            Some(plain(value))
        }
        Raw::Float(v, fmt) => {
            let Some(stored) = exact(*v) else {
                return Some(plain(CellValue::Text(v.to_string())));
            };
            let Fmt(Some(code)) = fmt else {
                return Some(plain(CellValue::Number(stored)));
            };
            let Ok(d) = Decimal::from_str(&stored) else {
                // Beyond what a decimal holds: as it holds, for the data reader to refuse as
                // inexact; a percentage, by moving the point.
                return Some(match code.percent_anyway() {
                    Some(false) => plain(CellValue::Number(stored)),
                    Some(true) => plain(CellValue::Percent(hundred_times(&stored))),
                    None => Read {
                        unclear: Some(code.text.clone()),
                        ..plain(CellValue::Number(stored))
                    },
                });
            };
            let kind = match code.kind_for(d) {
                Some(kind) if kind.percent().is_some() => kind,
                _ => {
                    // Whichever section shows it, it means the same: read it so, unwarned.
                    return Some(match code.percent_anyway() {
                        Some(false) => plain(CellValue::Number(stored)),
                        Some(true) => plain(
                            percent(d, None)
                                .unwrap_or_else(|| CellValue::Percent(hundred_times(&stored))),
                        ),
                        None => Read {
                            unclear: Some(code.text.clone()),
                            ..plain(CellValue::Number(stored))
                        },
                    });
                }
            };
            Some(shown_as(d, &stored, kind, &code.text))
        }
    }
}

/// 0.91 as the percentage `91`, padded to the places a fixed format shows (1 in `0.00%` is
/// `100.00`), never cut.
fn percent(d: Decimal, fixed: Option<u32>) -> Option<CellValue> {
    let mut p = d.checked_mul(Decimal::ONE_HUNDRED)?.normalize();
    if let Some(places) = fixed
        && p.scale() < places
    {
        p.rescale(places);
    }
    Some(CellValue::Percent(p.to_string()))
}

/// A number as the section `kind` of the format `code` shows it, with what it shows when
/// that is not what it holds.
fn shown_as(d: Decimal, stored: &str, kind: &Kind, code: &str) -> Read {
    let read = |value, hidden| Read {
        value,
        hidden,
        unclear: None,
    };
    match kind {
        Kind::Digits {
            percent: true,
            scale,
            fixed,
            shows,
        } => {
            let Some(CellValue::Percent(p)) = percent(d, *fixed) else {
                return read(CellValue::Percent(hundred_times(stored)), None);
            };
            let hidden = shows.and_then(|places| rounded(&p, *scale, places, *fixed, "%"));
            read(CellValue::Percent(p), hidden)
        }
        Kind::Digits {
            percent: false,
            scale,
            fixed,
            shows,
        } => {
            // As the cell shows it, too: 10 in a `0.00` cell is 10.00, as its CSV export and a
            // data file copied from the printed form write it (never cut). A scaled format
            // (`#,##0,`) shows another number: it pads nothing.
            let n = match fixed {
                Some(places) if *scale == 0 && d.scale() < *places => {
                    let mut d = d;
                    d.rescale(*places);
                    d.to_string()
                }
                _ => stored.to_string(),
            };
            let hidden = shows.and_then(|places| rounded(stored, *scale, places, *fixed, ""));
            read(CellValue::Number(n), hidden)
        }
        Kind::Scientific {
            decimals,
            exponent,
            plus,
        } => {
            let hidden = scientific(d, *decimals, *exponent, *plus).map(|shown| Shown::Rounded {
                shown,
                stored: stored.to_string(),
            });
            read(CellValue::Number(stored.to_string()), hidden)
        }
        // An accounting format's zero section shows a dash for 0: what it holds, said so.
        Kind::Literal(text) if d.is_zero() && matches!(text.trim(), "-" | "–" | "—" | "－") => {
            read(CellValue::Number(stored.to_string()), None)
        }
        Kind::Literal(text) => read(
            CellValue::Number(stored.to_string()),
            Some(Shown::Text {
                shown: text.clone(),
                stored: stored.to_string(),
                code: code.to_string(),
            }),
        ),
        Kind::Other { percent: true } => read(
            percent(d, None).unwrap_or_else(|| CellValue::Percent(hundred_times(stored))),
            None,
        ),
        Kind::General | Kind::Other { percent: false } | Kind::Unclear => {
            read(CellValue::Number(stored.to_string()), None)
        }
    }
}

/// What `value` (a number, or a percentage's number) shows when divided by a thousand
/// `scale` times and rounded to `places`, if that is not the value; `pct` follows both.
fn rounded(value: &str, scale: u32, places: u32, fixed: Option<u32>, pct: &str) -> Option<Shown> {
    let d = Decimal::from_str(value).ok()?;
    let mut divided = d;
    for _ in 0..scale {
        divided = divided.checked_div(Decimal::ONE_THOUSAND)?;
    }
    let rounded = divided
        .round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    // Compared with the number held, not the one divided: 123000 in `#,##0,` shows 123.
    if rounded == d {
        return None;
    }
    // A fixed format pads to its places; `#` places show only the digits there are.
    let shown = match fixed {
        Some(_) => format!("{rounded:.p$}", p = places as usize),
        None => rounded.normalize().to_string(),
    };
    Some(Shown::Rounded {
        shown: format!("{shown}{pct}"),
        stored: format!("{value}{pct}"),
    })
}

/// A decimal's text times a hundred, by moving its point: for a number beyond what a decimal
/// holds.
fn hundred_times(s: &str) -> String {
    let (sign, s) = s.strip_prefix('-').map_or(("", s), |rest| ("-", rest));
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let frac = format!("{frac:0<2}");
    let int = format!("{int}{}", &frac[..2]);
    let int = match int.trim_start_matches('0') {
        "" => "0",
        trimmed => trimmed,
    };
    match frac[2..].trim_end_matches('0') {
        "" => format!("{sign}{int}"),
        rest => format!("{sign}{int}.{rest}"),
    }
}

/// What `0.00E+00` shows of `d` (`1.19E+02` for 118.5), if that is not `d`.
fn scientific(d: Decimal, decimals: u32, exponent_places: u32, plus: bool) -> Option<String> {
    if d.is_zero() {
        return None;
    }
    let n = d.normalize();
    let mantissa = n.mantissa().unsigned_abs();
    let digits = mantissa.to_string().len() as i64;
    let mut exponent = digits - 1 - i64::from(n.scale());
    let mut m = Decimal::try_from_i128_with_scale(n.mantissa(), (digits - 1) as u32).ok()?;
    let mut r = m.round_dp_with_strategy(
        decimals,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    );
    if r == m {
        return None;
    }
    if r.abs() >= Decimal::TEN {
        m /= Decimal::TEN;
        exponent += 1;
        r = m.round_dp_with_strategy(
            decimals,
            rust_decimal::RoundingStrategy::MidpointAwayFromZero,
        );
    }
    let sign = match (exponent < 0, plus) {
        (true, _) => "-",
        (false, true) => "+",
        (false, false) => "",
    };
    Some(format!(
        "{r:.p$}E{sign}{e:0w$}",
        p = decimals as usize,
        e = exponent.unsigned_abs(),
        w = exponent_places as usize
    ))
}

/// The text of a stored double, exactly: the shortest decimal that reads back as the same
/// double (Rust's `{}` for f64, which never writes an exponent), cut to the 15 significant
/// digits Excel keeps and shows (so `=0.1+0.2` reads as 0.3, as Excel shows it); `-0` is 0.
/// `None` for a value that is not finite.
pub(crate) fn exact(v: f64) -> Option<String> {
    if !v.is_finite() {
        return None;
    }
    if v == 0.0 {
        return Some("0".into());
    }
    let shortest = format!("{v}");
    match Decimal::from_str(&shortest) {
        Ok(d) => Some(d.round_sf(15).unwrap_or(d).normalize().to_string()),
        // Beyond what a decimal holds (over 28 digits): as written, for the data reader to
        // refuse as inexact.
        Err(_) => Some(shortest),
    }
}

/// A number as typed in a cell stored as text: an optional minus, digits, an optional fraction.
pub(crate) fn plain_number(t: &str) -> bool {
    let t = t.strip_prefix('-').unwrap_or(t);
    let (whole, fraction) = match t.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (t, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.is_none_or(digits)
}
