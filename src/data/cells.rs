//! Stage 3 (department data → [`Department`](super::Department)), for tables: a department given
//! as the cells of a spreadsheet row (a CSV file's row, with its list inputs as rows of a second,
//! "long" table) is turned into the same spanned tree the TOML and JSON parsers give, so that the
//! one reader of this stage validates it exactly as it validates a data file. Nothing here reads
//! a number or checks a value: a cell only becomes text, a number as written, or yes/no.

use std::borrow::Cow;

use super::tree::{Entry, Node, Spanned};
use crate::model::{InputType, Rulebook};
use crate::source::Span;

/// One cell: the column's head and the text in it.
pub type Cell<'a> = (&'a str, &'a str);

/// One record of a list input: its cells, and where it is placed.
pub type ListRow<'a> = (Vec<Cell<'a>>, Span);

/// A row of cells as the data reader's tree. An empty cell is left out, as a key a data file
/// does not give (so an `optional` input may be left empty, and a required one empty is
/// `missing`). Every value is placed at `span`, the row: a CSV cell has no place finer than
/// its row that a reader of the file would look for.
pub(super) fn row<'a>(rules: &Rulebook, cells: &[Cell<'a>], span: Span) -> Vec<Entry<'a>> {
    cells
        .iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|&(key, text)| Entry {
            key: Cow::Borrowed(key),
            key_span: span,
            value: Spanned {
                node: cell(rules, key, text),
                span,
            },
        })
        .collect()
}

/// The rows of a list input: each row one record (a target, a finding), as a table of its cells.
pub(super) fn list<'a>(rules: &Rulebook, rows: &[ListRow<'a>]) -> Node<'a> {
    Node::Array(
        rows.iter()
            .map(|(cells, span)| Spanned {
                node: Node::Table(row(rules, cells, *span)),
                span: *span,
            })
            .collect(),
    )
}

/// What a cell holds, as a TOML or JSON file would have written it. A spreadsheet has no quotes,
/// so a cell that is a plain number (`3156.9`, `-2`) is a number unless its column is one whose
/// values are text (a text, category or judgement input, 部门, a record's 名称 or 描述), and
/// `TRUE`/`FALSE` (Excel's yes/no) are yes/no; everything else is text, read by the reader as
/// text is read in a data file (`"3,156.9"`, `"99.8%"`, `"是"`).
fn cell<'a>(rules: &Rulebook, key: &str, text: &'a str) -> Node<'a> {
    let text = text.trim();
    let textual = match rules.inputs.iter().find(|i| i.name == key) {
        Some(input) => match input.ty {
            InputType::Text | InputType::Category | InputType::Judgement => true,
            InputType::Money
            | InputType::Number
            | InputType::Percent
            | InputType::Count
            | InputType::YesNo
            | InputType::TargetList
            | InputType::FindingList => false,
        },
        // 部门 and the text fields of records; 年度 reads a number or text alike.
        None => matches!(key, "部门" | "名称" | "描述" | "指标值" | "偏差原因"),
    };
    if !textual && plain_number(text) {
        return Node::Number(Cow::Borrowed(text));
    }
    match text {
        "TRUE" | "true" if !textual => Node::Bool(true),
        "FALSE" | "false" if !textual => Node::Bool(false),
        _ => Node::Text(Cow::Borrowed(text)),
    }
}

/// A number as JSON writes one: an optional minus, digits, an optional fraction and exponent.
fn plain_number(t: &str) -> bool {
    let t = t.strip_prefix('-').unwrap_or(t);
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (mantissa, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole)
        && fraction.is_none_or(digits)
        && exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)))
}

#[cfg(test)]
mod tests {
    use super::plain_number;

    #[test]
    fn plain_numbers_are_as_json_writes_them() {
        for yes in ["0", "3156.9", "-2", "2.5e3", "1E-2"] {
            assert!(plain_number(yes), "{yes}");
        }
        for no in ["", "3,156.9", "99.8%", ".5", "5.", "--1", "1e", "是"] {
            assert!(!plain_number(no), "{no}");
        }
    }
}
