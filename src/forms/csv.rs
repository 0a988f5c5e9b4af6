//! Stage 2½ (form file → [`super::Form`]), first step for CSV: a CSV export of the form's sheet
//! as a [`Grid`] of text cells, named after the file (`自评表.csv` → sheet `自评表`). A CSV
//! keeps no merged regions and no formats: a merged level shows on its first row only (the
//! layout continues an empty level from the row above), and a percentage is text (`91%`).

use super::error::{FormError, Unreadable};
use super::grid::{Grid, Raw};

/// The grid of a CSV file: UTF-8 (with or without a byte-order mark), or else GB18030 (GBK),
/// which Excel and WPS write for a Chinese CSV on Windows.
pub(crate) fn grid(name: &str, bytes: &[u8]) -> Result<Grid, FormError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => {
            let (t, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err(FormError::Unreadable {
                    name: name.to_string(),
                    reason: Unreadable::Encoding,
                });
            }
            t
        }
    };
    let stem = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .rsplit_once('.')
        .map_or(name, |(s, _)| s);
    let mut g = Grid::new(stem);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    for (r, record) in reader.records().enumerate() {
        let record = record.map_err(|e| FormError::Unreadable {
            name: name.to_string(),
            reason: Unreadable::Broken {
                reader: e.to_string(),
            },
        })?;
        for (c, cell) in record.iter().enumerate() {
            g.set(r as u32, c as u32, Raw::Text(cell.to_string()));
        }
    }
    Ok(g)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_in_neither_encoding_is_refused_in_words_of_its_own() {
        // 0xFF is no byte of UTF-8, nor a first byte of GB18030.
        let bytes = b"\xFF\xFF,1\n";
        match grid("t.csv", bytes) {
            Err(FormError::Unreadable {
                reason: Unreadable::Encoding,
                ..
            }) => {}
            other => panic!("{other:?}"),
        }
        // GBK text is read.
        assert!(grid("t.csv", b"\xD7\xD4\xC6\xC0\xB1\xED,1\n").is_ok());
    }
}
