//! The `err_form_…` fixtures that must be workbooks (a number format, merged cells) are made
//! here, with rust_xlsxwriter, so that they can be reviewed and rebuilt: each test builds its
//! workbook and requires the file under fixtures/ to be exactly it. A fixture that differs (or
//! is missing) is written anew and the test fails once, so the new bytes are looked at and
//! committed. The snapshot of each fixture's diagnostics is taken by tests/fixtures.rs.

use std::path::Path;

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// Requires `fixtures/<path>` to hold `bytes`, writing them when it does not.
fn require(path: &str, bytes: &[u8]) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path);
    if std::fs::read(&file).ok().as_deref() == Some(bytes) {
        return;
    }
    std::fs::write(&file, bytes).unwrap();
    panic!("fixtures/{path} was out of date and has been written anew: look at it and commit it");
}

/// The national 项目支出绩效自评表's header and funds block, as the template lays it out:
/// a merged title, the year row, 项目名称 merged across, 项目资金（万元） merged down.
fn national_head(ws: &mut Worksheet, budget: f64) -> Result<(), XlsxError> {
    let plain = Format::new();
    let two = Format::new().set_num_format("0.00");
    let pct = Format::new().set_num_format("0.00%");
    ws.merge_range(0, 0, 0, 7, "项目支出绩效自评表", &plain)?;
    ws.merge_range(1, 0, 1, 7, "（ 2023年度 ）", &plain)?;
    ws.write(2, 0, "项目名称")?;
    ws.merge_range(2, 1, 2, 7, "XX培训项目", &plain)?;
    ws.merge_range(3, 0, 4, 0, "项目资金（万元）", &plain)?;
    ws.write(3, 2, "全年预算数（A）")?;
    ws.write(3, 3, "全年执行数（B）")?;
    ws.write(3, 4, "执行率（B/A）")?;
    ws.write(4, 1, "年度资金总额")?;
    ws.write_number_with_format(4, 2, budget, &two)?;
    ws.write_number_with_format(4, 3, 3151.09, &two)?;
    ws.write_number_with_format(4, 4, 0.9982, &pct)?;
    Ok(())
}

/// A 全年预算数 of 3156.904 in a cell formatted `0.00` (shown 3156.90), and an indicator row
/// whose 分值 is "/": the warning comes with the error that stops the form.
#[test]
fn err_form_hidden_digits() {
    let mut book = jixiao::report::xlsx::workbook().unwrap();
    let ws = book.add_worksheet().set_name("自评表").unwrap();
    national_head(ws, 3156.904).unwrap();
    let plain = Format::new();
    ws.merge_range(6, 0, 8, 0, "绩效指标", &plain).unwrap();
    for (c, h) in ["一级指标", "三级指标", "年度指标值", "实际完成值", "分值"]
        .iter()
        .enumerate()
    {
        ws.write(6, 1 + c as u16, *h).unwrap();
    }
    ws.merge_range(7, 1, 8, 1, "产出指标", &plain).unwrap();
    ws.write(7, 2, "指标1：培训人次").unwrap();
    ws.write(7, 3, "≥500人次").unwrap();
    ws.write(7, 4, "520人次").unwrap();
    ws.write_number(7, 5, 45).unwrap();
    ws.write(8, 2, "指标2：课程数").unwrap();
    ws.write(8, 3, "≥10门").unwrap();
    ws.write(8, 4, "9门").unwrap();
    ws.write(8, 5, "/").unwrap();
    book.add_worksheet().set_name("Sheet2").unwrap();
    require(
        "err_form_hidden_digits/form.xlsx",
        &book.save_to_buffer().unwrap(),
    );
}
