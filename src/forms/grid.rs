//! Stage 2½ (form file → [`super::Form`]), the middle step: one sheet as a grid of raw cells,
//! whatever file it came from (a workbook through calamine, a CSV export through `csv`), with
//! its merged regions; and the rules that turn a raw cell into an exact [`CellValue`]. The
//! layouts (`layout.rs`) read only this grid.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::CellValue;

/// A cell's number format, as far as it changes what a number means or shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Fmt {
    /// A percentage format (`0%`, `0.00%`): 0.91 means 91%.
    pub percent: bool,
    /// The decimals a fixed format shows (`0.00` → 2); `None` for General and the like.
    pub decimals: Option<u32>,
    /// The most decimals the format shows, fixed or not (`0.00` and `0.##` → 2): a value with
    /// more is shown rounded. `None` where jixiao does not know (General, `#,##0,` scaled).
    pub shows: Option<u32>,
}

impl Fmt {
    /// What an Excel format code says: `0.00%`, `#,##0.00_ ;[Red]-#,##0.00`, `General`. Only the
    /// first section (positive numbers) counts; quoted text and `[…]` are not digits.
    pub fn of_code(code: &str) -> Fmt {
        let first = code.split(';').next().unwrap_or("");
        let mut plain = String::new();
        let (mut quoted, mut bracket, mut escaped) = (false, false, false);
        for c in first.chars() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = !quoted,
                '[' if !quoted => bracket = true,
                ']' if !quoted => bracket = false,
                _ if quoted || bracket => {}
                _ => plain.push(c),
            }
        }
        let lower = plain.to_ascii_lowercase();
        if lower.contains("general") || lower.contains('e') || lower.contains('@') {
            return Fmt::default();
        }
        let percent = plain.contains('%');
        let has_digits = plain.contains(['0', '#', '?']);
        let decimals = has_digits.then(|| match plain.split_once('.') {
            Some((_, frac)) => frac
                .chars()
                .filter(|c| matches!(c, '0' | '#' | '?'))
                .count() as u32,
            None => 0,
        });
        // `#` and `?` places show a digit only when there is one: they do not pad to a fixed
        // count the way `0.00` does, but they round what they show all the same (999.456 in
        // `0.##` shows 999.46).
        let fixed = decimals.filter(|_| {
            plain
                .split_once('.')
                .is_none_or(|(_, frac)| frac.chars().all(|c| c != '#' && c != '?'))
        });
        // A comma after the last digit scales by a thousand (`#,##0,` shows 999.456 as 1):
        // what it shows is not what this knows how to say.
        let scaled = plain
            .trim_end_matches(|c: char| !matches!(c, '0' | '#' | '?' | ','))
            .ends_with(',');
        match scaled {
            true => Fmt {
                percent,
                ..Fmt::default()
            },
            false => Fmt {
                percent,
                decimals: fixed,
                shows: decimals,
            },
        }
    }

    /// A built-in format by its id (ECMA-376 18.8.30): the ones that fix decimals or mean %.
    pub fn builtin(id: u32) -> Fmt {
        let (percent, decimals) = match id {
            1 | 3 | 37 | 38 => (false, Some(0)),
            2 | 4 | 39 | 40 => (false, Some(2)),
            9 => (true, Some(0)),
            10 => (true, Some(2)),
            _ => (false, None),
        };
        Fmt {
            percent,
            decimals,
            shows: decimals,
        }
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
    pub hidden: Option<(String, String)>,
}

/// A raw cell as a value; `None` for an empty cell or a "/" that does not apply.
pub(crate) fn read(raw: &Raw) -> Option<Read> {
    match raw {
        Raw::Bool(b) => Some(Read {
            value: CellValue::Bool(*b),
            hidden: None,
        }),
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
            Some(Read {
                value,
                hidden: None,
            })
        }
        Raw::Float(v, fmt) => {
            let Some(stored) = exact(*v) else {
                return Some(Read {
                    value: CellValue::Text(v.to_string()),
                    hidden: None,
                });
            };
            let (value, shown_of) = if fmt.percent {
                // As the cell shows it: 1 in a `0.00%` cell is 100.00(%); never cut.
                let p = Decimal::from_str(&stored)
                    .ok()
                    .and_then(|d| d.checked_mul(Decimal::ONE_HUNDRED))
                    .map(|d| {
                        let mut d = d.normalize();
                        if let Some(places) = fmt.decimals
                            && d.scale() < places
                        {
                            d.rescale(places);
                        }
                        d.to_string()
                    })
                    .unwrap_or_else(|| stored.clone());
                (CellValue::Percent(p.clone()), p)
            } else {
                // As the cell shows it, too: 10 in a `0.00` cell is 10.00, as its CSV export
                // and a data file copied from the printed form write it (never cut).
                let n = match (fmt.decimals, Decimal::from_str(&stored)) {
                    (Some(places), Ok(mut d)) if d.scale() < places => {
                        d.rescale(places);
                        d.to_string()
                    }
                    _ => stored.clone(),
                };
                (CellValue::Number(n), stored)
            };
            let hidden = fmt.shows.and_then(|places| {
                let d = Decimal::from_str(&shown_of).ok()?;
                let rounded = d.round_dp_with_strategy(
                    places,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                );
                if rounded == d {
                    return None;
                }
                let pct = if fmt.percent { "%" } else { "" };
                // A fixed format pads to its places; `#` places show only the digits there are.
                let shown = match fmt.decimals {
                    Some(_) => format!("{rounded:.p$}", p = places as usize),
                    None => rounded.normalize().to_string(),
                };
                Some((format!("{shown}{pct}"), format!("{shown_of}{pct}")))
            });
            Some(Read { value, hidden })
        }
    }
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
