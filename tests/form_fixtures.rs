//! The published 自评表 fixtures (`fixtures/form-*/`), rebuilt from their reviewable text: each
//! folder's `data.toml` (the form's data, in the data shape) and `layout.toml` (which layout,
//! which quirks of real files) make `form.xlsx`, `form.csv` (the same sheet) and `data.json`
//! (the same data). The test fails when a committed file differs from what the generator makes;
//! `JIXIAO_FORMS=overwrite cargo test --test form_fixtures` rewrites them.

mod form_layout;

use std::path::{Path, PathBuf};

/// The form fixture folders, by name.
fn folders() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures/ is readable")
        .map(|e| e.expect("a fixture folder").path())
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("form-"))
        })
        .collect();
    dirs.sort();
    dirs
}

/// What the generator makes of one folder: (file name, bytes).
fn generate(dir: &Path) -> Vec<(&'static str, Vec<u8>)> {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let read = |file: &str| {
        std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{name}/{file}: {e}"))
    };
    let data = form_layout::parse(&format!("{name}/data.toml"), &read("data.toml"));
    let layout = form_layout::layout(&format!("{name}/layout.toml"), &read("layout.toml"));
    let sheet = form_layout::form(&layout, &data);
    vec![
        ("form.xlsx", form_layout::xlsx(&sheet, &layout.extra_sheets)),
        ("form.csv", form_layout::csv(&sheet).into_bytes()),
        ("data.json", form_layout::json(&data).into_bytes()),
    ]
}

#[test]
fn form_fixtures_are_what_the_generator_makes() {
    let overwrite = std::env::var("JIXIAO_FORMS").is_ok_and(|v| v == "overwrite");
    let dirs = folders();
    let mut stale = Vec::new();
    for dir in &dirs {
        for (file, bytes) in generate(dir) {
            let path = dir.join(file);
            if overwrite {
                std::fs::write(&path, &bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            } else if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
                stale.push(
                    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
                        .unwrap()
                        .display()
                        .to_string(),
                );
            }
        }
    }
    assert!(dirs.len() >= 3, "at least three published forms: {dirs:?}");
    assert!(
        stale.is_empty(),
        "these differ from what the generator makes (rebuild with \
         `JIXIAO_FORMS=overwrite cargo test --test form_fixtures`, then review the change): {stale:?}"
    );
}

/// The generator gives the same bytes twice (the workbook's creation time is fixed).
#[test]
fn the_generator_is_deterministic() {
    for dir in folders() {
        assert_eq!(generate(&dir), generate(&dir), "{}", dir.display());
    }
}

/// Every workbook reads back with calamine: the form sheet first, the CSV's cells in it (a
/// percent cell holds the fraction), and the extra sheets empty.
#[test]
fn the_workbooks_read_back_as_the_csv_says() {
    use calamine::{Data, Reader, Xlsx};
    for dir in folders() {
        let files = generate(&dir);
        let bytes = &files[0].1;
        let csv = String::from_utf8(files[1].1.clone()).unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let names = book.sheet_names();
        let form = book.worksheet_range(&names[0]).unwrap();
        let mut rows = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.as_bytes());
        for (r, record) in rows.records().enumerate() {
            for (c, shown) in record.unwrap().iter().enumerate() {
                let cell = form.get_value((r as u32, c as u32));
                let read = match cell {
                    None | Some(Data::Empty) => String::new(),
                    Some(Data::String(s)) => s.clone(),
                    Some(Data::Float(f)) if shown.ends_with('%') => {
                        let pct: rust_decimal::Decimal =
                            shown.trim_end_matches('%').parse().unwrap();
                        let stored: rust_decimal::Decimal = format!("{f}").parse().unwrap();
                        assert_eq!(
                            stored * rust_decimal::Decimal::ONE_HUNDRED,
                            pct,
                            "{}",
                            dir.display()
                        );
                        shown.to_string()
                    }
                    Some(Data::Float(f)) => {
                        // A number cell with a decimals format ("10.00") holds the double 10.
                        let stored: rust_decimal::Decimal = format!("{f}").parse().unwrap();
                        match shown.parse::<rust_decimal::Decimal>() {
                            Ok(d) if d == stored => shown.to_string(),
                            _ => format!("{f}"),
                        }
                    }
                    Some(other) => panic!("{}: ({r}, {c}) {other:?}", dir.display()),
                };
                assert_eq!(read, shown, "{} ({r}, {c})", dir.display());
            }
        }
        for extra in &names[1..] {
            let range = book.worksheet_range(extra).unwrap();
            assert!(
                range.is_empty(),
                "{}: sheet {extra} is not empty",
                dir.display()
            );
        }
    }
}
