//! Stage 2½ (form file → [`super::Form`]), first step for workbooks: every sheet of an .xlsx,
//! .xlsm, .xls, .ods or WPS .et file as a [`Grid`], through calamine, with its merged regions.
//! calamine gives values but not number formats, and a number format changes what a cell means
//! (0.91 shown as 91% is a percentage) and what it shows (3151.094 shown as 3151.09): for .xlsx
//! the formats are read here from the package itself (xl/styles.xml and each sheet's `s`
//! attributes), and for .ods from the cells' `office:value-type="percentage"`.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use calamine::{Data, Dimensions, Ods, Range, Reader, Xls, Xlsx};
use quick_xml::events::Event;

use super::error::{FormError, Unreadable};
use super::grid::{Fmt, Grid, Raw, column_name};

/// The rows and columns of an Excel sheet (A1 to XFD1048576).
const MAX_ROWS: u32 = 1 << 20;
const MAX_COLUMNS: u32 = 1 << 14;

/// The kinds of workbook, by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Xlsx,
    Xls,
    Ods,
    /// WPS: an .xls or .xlsx inside, or WPS's own format.
    Et,
}

/// Every sheet of the workbook, in its order.
pub(crate) fn grids(name: &str, kind: Kind, bytes: &[u8]) -> Result<Vec<Grid>, FormError> {
    let fail = |reason: Unreadable| FormError::Unreadable {
        name: name.to_string(),
        reason,
    };
    // A workbook is read as what its first bytes say it is: a file saved as .xlsx but named
    // .xls (common in downloads), or a WPS .et that is an .xls or .xlsx inside, reads all the
    // same. Only what is neither is read by its name, for the reader's own error.
    let zip = bytes.starts_with(b"PK\x03\x04");
    let cfb = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    let result = match (kind, zip, cfb) {
        (Kind::Ods, true, _) => ods(bytes),
        (_, true, _) => xlsx(bytes),
        // An encrypted .xlsx is a compound file too: calamine says so when read as one.
        (Kind::Xlsx, _, true) => match xlsx(bytes) {
            Err(Unreadable::Password) => Err(Unreadable::Password),
            _ => xls(bytes),
        },
        (_, _, true) => xls(bytes),
        (Kind::Et, false, false) => Err(Unreadable::Et {
            reader: "neither an .xls nor an .xlsx inside".into(),
        }),
        (Kind::Xlsx, false, false) => xlsx(bytes),
        (Kind::Xls, false, false) => xls(bytes),
        (Kind::Ods, false, false) => ods(bytes),
    };
    result.map_err(|r| match (kind, r) {
        (Kind::Et, Unreadable::Damaged { reader, .. }) => fail(Unreadable::Et { reader }),
        (_, other) => fail(other),
    })
}

fn xlsx(bytes: &[u8]) -> Result<Vec<Grid>, Unreadable> {
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| match e {
            calamine::XlsxError::Password => Unreadable::Password,
            other => Unreadable::Damaged {
                sheet: None,
                reader: other.to_string(),
            },
        })?;
    let formats = xlsx_formats(bytes);
    let names: Vec<String> = book.sheet_names().to_vec();
    let mut out = Vec::new();
    for name in names {
        let broken = |e: calamine::XlsxError| Unreadable::Damaged {
            sheet: Some(name.clone()),
            reader: e.to_string(),
        };
        // The cells one by one, as the file holds them: a dense range from A1 to the farthest
        // cell (one stray cell at XFD1048576) would not fit in memory.
        let mut cells: Vec<((u32, u32), Data)> = Vec::new();
        // A cell written twice (`<c r="F7">` twice) holds two values, and Excel would read
        // neither: the file is damaged, not the later value right.
        let mut seen = std::collections::HashSet::new();
        let mut reader = book.worksheet_cells_reader(&name).map_err(broken)?;
        while let Some(cell) = reader.next_cell().map_err(broken)? {
            let (row, col) = cell.get_position();
            if !seen.insert((row, col)) {
                return Err(Unreadable::Twice {
                    cell: format!("{name}!{}{}", column_name(col), u64::from(row) + 1),
                });
            }
            let value = Data::from(cell.get_value().clone());
            if value != Data::Empty {
                cells.push((cell.get_position(), value));
            }
        }
        drop(reader);
        // A formula whose value was never saved (a workbook written by a program, not by Excel
        // or WPS) has no value to read: it is read as its formula, which no number is, so the
        // reader says so at its cell — never an empty cell, which would drop a reported score.
        let mut reader = book.worksheet_cells_reader(&name).map_err(broken)?;
        let valued: std::collections::BTreeSet<(u32, u32)> =
            cells.iter().map(|(at, _)| *at).collect();
        while let Some(f) = reader.next_formula().map_err(broken)? {
            if !f.get_value().is_empty() && !valued.contains(&f.get_position()) {
                cells.push((
                    f.get_position(),
                    Data::String(format!("={}", f.get_value())),
                ));
            }
        }
        drop(reader);
        let merges = match book.worksheet_merge_cells(&name) {
            Some(Ok(m)) => m,
            Some(Err(e)) => return Err(broken(e)),
            None => Vec::new(),
        };
        let empty = BTreeMap::new();
        let fmts = formats.get(&name).unwrap_or(&empty);
        out.push(grid(
            &name,
            cells.iter().map(|(at, d)| (*at, d)),
            &merges,
            |at| fmts.get(&at).cloned().unwrap_or_default(),
        )?);
    }
    Ok(out)
}

fn xls(bytes: &[u8]) -> Result<Vec<Grid>, Unreadable> {
    let mut book: Xls<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| match e {
            calamine::XlsError::Password => Unreadable::Password,
            other => Unreadable::Damaged {
                sheet: None,
                reader: other.to_string(),
            },
        })?;
    let names: Vec<String> = book.sheet_names().to_vec();
    let mut out = Vec::new();
    for name in names {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| Unreadable::Damaged {
                sheet: Some(name.clone()),
                reader: e.to_string(),
            })?;
        let merges = book.worksheet_merge_cells(&name).unwrap_or_default();
        // calamine keeps an .xls cell's format to itself: numbers read as General.
        out.push(grid(&name, cells_of(&range), &merges, |_| Fmt::default())?);
    }
    Ok(out)
}

fn ods(bytes: &[u8]) -> Result<Vec<Grid>, Unreadable> {
    let mut book: Ods<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| match e {
            calamine::OdsError::Password => Unreadable::Password,
            other => Unreadable::Damaged {
                sheet: None,
                reader: other.to_string(),
            },
        })?;
    let extra = ods_extra(bytes);
    let names: Vec<String> = book.sheet_names().to_vec();
    let mut out = Vec::new();
    for name in names {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| Unreadable::Damaged {
                sheet: Some(name.clone()),
                reader: e.to_string(),
            })?;
        let (percent, merges) = extra
            .get(&name)
            .map(|(p, m)| (p.clone(), m.clone()))
            .unwrap_or_default();
        let merges: Vec<Dimensions> = merges
            .into_iter()
            .map(|(start, end)| Dimensions { start, end })
            .collect();
        out.push(grid(&name, cells_of(&range), &merges, |at| {
            if percent.contains(&at) {
                Fmt::percent()
            } else {
                Fmt::default()
            }
        })?);
    }
    Ok(out)
}

/// The cells of a calamine range with their places in the sheet.
fn cells_of(range: &Range<Data>) -> impl Iterator<Item = ((u32, u32), &Data)> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    range
        .used_cells()
        .map(move |(r, c, data)| ((r0 + r as u32, c0 + c as u32), data))
}

/// Cells as a grid, each number with the format `fmt` gives its (row, col).
fn grid<'d>(
    name: &str,
    cells: impl Iterator<Item = ((u32, u32), &'d Data)>,
    merges: &[Dimensions],
    fmt: impl Fn((u32, u32)) -> Fmt,
) -> Result<Grid, Unreadable> {
    let mut g = Grid::new(name);
    for ((row, col), data) in cells {
        // No sheet Excel or WPS saves goes beyond XFD1048576; one that does would be walked
        // row by row to its farthest cell (A4000000000 runs for ever).
        if row >= MAX_ROWS || col >= MAX_COLUMNS {
            return Err(Unreadable::Beyond {
                cell: format!("{name}!{}{}", column_name(col), u64::from(row) + 1),
            });
        }
        let raw = match data {
            Data::Int(i) => Raw::Float(*i as f64, fmt((row, col))),
            Data::Float(f) => Raw::Float(*f, fmt((row, col))),
            Data::String(s) => Raw::Text(s.clone()),
            Data::Bool(b) => Raw::Bool(*b),
            // A date is the date it shows (2023-11-30), never its serial number (45260),
            // which would read as a count.
            Data::DateTime(d) => Raw::Text(shown_date(d)),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Raw::Text(s.clone()),
            Data::Error(e) => Raw::Text(e.to_string()),
            Data::Empty => continue,
        };
        g.set(row, col, raw);
    }
    for m in merges {
        if !g.merge((m.start, m.end)) {
            return Err(Unreadable::Merges {
                sheet: name.to_string(),
            });
        }
    }
    Ok(g)
}

/// A date or time cell as it shows: `2023-11-30`, with the time where it has one.
fn shown_date(d: &calamine::ExcelDateTime) -> String {
    let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
    match (h, mi, s) {
        (0, 0, 0) => format!("{y:04}-{mo:02}-{day:02}"),
        _ => format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{s:02}"),
    }
}

/// A zip member as text, if it is there.
fn member(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, path: &str) -> Option<String> {
    let mut f = zip.by_name(path).ok()?;
    let mut s = String::new();
    f.read_to_string(&mut s).ok()?;
    Some(s)
}

/// The value of an attribute by its local name.
fn attr(e: &quick_xml::events::BytesStart<'_>, local: &[u8]) -> Option<String> {
    e.attributes()
        .filter_map(Result::ok)
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            let raw = std::str::from_utf8(&a.value).ok()?;
            quick_xml::escape::unescape(raw)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Every start or empty element of an XML text, in order, to `f`.
fn elements(xml: &str, mut f: impl FnMut(&quick_xml::events::BytesStart<'_>, bool)) {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => f(&e, false),
            Ok(Event::Empty(e)) => f(&e, true),
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
}

/// The number format of every styled cell of an .xlsx, by sheet name and (row, col). Best
/// effort: a package calamine reads but this cannot is read with every number as General.
fn xlsx_formats(bytes: &[u8]) -> BTreeMap<String, BTreeMap<(u32, u32), Fmt>> {
    let mut out = BTreeMap::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    // xl/styles.xml: custom formats by id, then each cell style (xf) by index.
    let mut custom: BTreeMap<u32, Fmt> = BTreeMap::new();
    let mut xfs: Vec<Fmt> = Vec::new();
    if let Some(styles) = member(&mut zip, "xl/styles.xml") {
        let mut in_cell_xfs = false;
        let mut reader = quick_xml::Reader::from_str(&styles);
        loop {
            match reader.read_event() {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                    b"numFmt" => {
                        if let (Some(id), Some(code)) =
                            (attr(&e, b"numFmtId"), attr(&e, b"formatCode"))
                            && let Ok(id) = id.parse()
                        {
                            custom.insert(id, Fmt::of_code(&code));
                        }
                    }
                    b"cellXfs" => in_cell_xfs = true,
                    b"xf" if in_cell_xfs => {
                        let id: u32 = attr(&e, b"numFmtId")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0);
                        xfs.push(custom.get(&id).cloned().unwrap_or_else(|| Fmt::builtin(id)));
                    }
                    _ => {}
                },
                Ok(Event::End(e)) if e.local_name().as_ref() == b"cellXfs" => in_cell_xfs = false,
                Ok(Event::Eof) | Err(_) => break,
                Ok(_) => {}
            }
        }
    }
    if xfs.iter().all(|f| *f == Fmt::default()) {
        return out;
    }
    // xl/workbook.xml names the sheets and their relationship ids; the relationships say
    // where each sheet's XML is.
    let mut sheets: Vec<(String, String)> = Vec::new();
    if let Some(wb) = member(&mut zip, "xl/workbook.xml") {
        elements(&wb, |e, _| {
            if e.local_name().as_ref() == b"sheet"
                && let (Some(name), Some(id)) = (attr(e, b"name"), attr(e, b"id"))
            {
                sheets.push((name, id));
            }
        });
    }
    let mut targets: BTreeMap<String, String> = BTreeMap::new();
    if let Some(rels) = member(&mut zip, "xl/_rels/workbook.xml.rels") {
        elements(&rels, |e, _| {
            if e.local_name().as_ref() == b"Relationship"
                && let (Some(id), Some(target)) = (attr(e, b"Id"), attr(e, b"Target"))
            {
                let path = match target.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None => format!("xl/{target}"),
                };
                targets.insert(id, path);
            }
        });
    }
    for (name, id) in sheets {
        let Some(xml) = targets.get(&id).and_then(|p| member(&mut zip, p)) else {
            continue;
        };
        let mut cells = BTreeMap::new();
        elements(&xml, |e, _| {
            if e.local_name().as_ref() == b"c"
                && let (Some(r), Some(s)) = (attr(e, b"r"), attr(e, b"s"))
                && let Some(at) = parse_address(&r)
                && let Some(fmt) = s.parse::<usize>().ok().and_then(|i| xfs.get(i))
                && *fmt != Fmt::default()
            {
                cells.insert(at, fmt.clone());
            }
        });
        out.insert(name, cells);
    }
    out
}

/// `C12` → (11, 2).
fn parse_address(a: &str) -> Option<(u32, u32)> {
    let letters = a.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 {
        return None;
    }
    let mut col: u32 = 0;
    for b in a[..letters].bytes() {
        col = col
            .checked_mul(26)?
            .checked_add(u32::from(b.to_ascii_uppercase() - b'A') + 1)?;
    }
    let row: u32 = a[letters..].parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

type OdsExtra = BTreeMap<
    String,
    (
        std::collections::BTreeSet<(u32, u32)>,
        Vec<((u32, u32), (u32, u32))>,
    ),
>;

/// What calamine does not say of an .ods: which cells are percentages
/// (`office:value-type="percentage"`) and which are merged (`table:number-rows-spanned`,
/// `table:number-columns-spanned`), by sheet name.
fn ods_extra(bytes: &[u8]) -> OdsExtra {
    let mut out = OdsExtra::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    let Some(content) = member(&mut zip, "content.xml") else {
        return out;
    };
    let mut reader = quick_xml::Reader::from_str(&content);
    let (mut sheet, mut row, mut col): (Option<String>, u32, u32) = (None, 0, 0);
    let mut row_repeat = 1;
    loop {
        let (e, empty) = match reader.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                if e.local_name().as_ref() == b"table-row" {
                    row = row.saturating_add(row_repeat);
                }
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => continue,
        };
        match e.local_name().as_ref() {
            b"table" => {
                sheet = attr(&e, b"name");
                row = 0;
            }
            b"table-row" => {
                col = 0;
                row_repeat = attr(&e, b"number-rows-repeated")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                if empty {
                    row = row.saturating_add(row_repeat);
                }
            }
            b"table-cell" | b"covered-table-cell" => {
                let repeat: u32 = attr(&e, b"number-columns-repeated")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                if let Some(name) = &sheet {
                    let entry = out.entry(name.clone()).or_default();
                    if attr(&e, b"value-type").as_deref() == Some("percentage") {
                        entry.0.insert((row, col));
                    }
                    let rows: u32 = attr(&e, b"number-rows-spanned")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1);
                    let cols: u32 = attr(&e, b"number-columns-spanned")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1);
                    if rows > 1 || cols > 1 {
                        entry.1.push(((row, col), (row + rows - 1, col + cols - 1)));
                    }
                }
                col = col.saturating_add(repeat);
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Data, Unreadable, grid, parse_address};

    /// The last cell of a sheet reads; one row or column beyond it is refused, at once.
    #[test]
    fn cells_beyond_a_sheet_are_refused() {
        let one = Data::Float(1.0);
        let read = |at: (u32, u32)| {
            grid("自评表", [(at, &one)].into_iter(), &[], |_| {
                Default::default()
            })
        };
        assert!(read((1_048_575, 16_383)).is_ok());
        for (at, cell) in [
            ((1_048_576, 0), "自评表!A1048577"),
            ((0, 16_384), "自评表!XFE1"),
            ((3_999_999_999, 0), "自评表!A4000000000"),
            ((u32::MAX, u32::MAX), "自评表!MWLQKWV4294967296"),
        ] {
            match read(at) {
                Err(Unreadable::Beyond { cell: c }) => assert_eq!(c, cell),
                other => panic!("{at:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn addresses() {
        assert_eq!(parse_address("A1"), Some((0, 0)));
        assert_eq!(parse_address("C12"), Some((11, 2)));
        assert_eq!(parse_address("AA3"), Some((2, 26)));
        assert_eq!(parse_address("3"), None);
    }
}
