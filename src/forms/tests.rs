//! The form reader on small grids: every quirk of real forms, and the number rules.

use super::grid::{Fmt, Raw, Shown, exact, normalize};
use super::*;

/// The national 项目支出绩效自评表 as a CSV export: title, spacer row, merged cells exported as
/// blanks, "/" and "—" cells, stray spaces, full-width brackets, 指标1： prefixes.
const NATIONAL: &str = "\
项目支出绩效自评表,,,,,,,,,
（ 2023 年度）,,,,,,,,,
,,,,,,,,,
项目名称,2023年花都区XX培训项目,,,,,,,,
主管部门,广州市花都区XX局,,,,实施单位,广州市花都区XX中心,,,
项目资金（万元）,,年初预算数,全年预算数（A）,全年执行数（B）,分值,执行率（B/A）,得分,,
,年度资金总额,100,120,118.5,10,98.75%,9.88,,
,其中：本年财政拨款,100,110,108.5,—,—,—,,
,上年结转资金,,10,10,—,—,—,,
,其他资金,/,/,/,—,—,—,,
年度总体目标,预期目标,,,,实际完成情况,,,,
,完成培训500人次,,,,完成培训520人次,,,,
绩效指标,一级指标,二级指标,三级指标,年 度 指 标 值,实际完成值,分值,得分,偏差原因分析及改进措施,
,产出指标,数量指标,指标1：培训人次,≥500人次,520人次,20,20,,
,,,指标2：培训课程数,≥10门,12门,20,20,,
,,质量指标,培训合格率,≥95%,96%,20,20,,
,效益指标,社会效益指标,/,/,/,,,,
,,,,,,,,,
,满意度指标,服务对象满意度指标,参训人员满意度,≥90%,93%,30,28,略低于预期,
总分,,,,,,100,97.88,,
";

fn csv_form(text: &str) -> Form {
    match read("自评表.csv", text.as_bytes()) {
        Ok(form) => form,
        Err(errors) => panic!("{errors:#?}"),
    }
}

fn field<'f>(form: &'f Form, key: &str) -> Option<&'f CellValue> {
    form.fields.iter().find(|f| f.key == key).map(|f| &f.value)
}

fn row_value<'r>(row: &'r FormRow, key: &str) -> Option<&'r CellValue> {
    row.fields.iter().find(|f| f.key == key).map(|f| &f.value)
}

fn num(s: &str) -> CellValue {
    CellValue::Number(s.into())
}

fn text(s: &str) -> CellValue {
    CellValue::Text(s.into())
}

#[test]
fn the_national_form_reads_under_the_canonical_keys() {
    let form = csv_form(NATIONAL);
    assert_eq!(form.layout, Layout::National);
    assert_eq!(
        field(&form, "项目名称"),
        Some(&text("2023年花都区XX培训项目"))
    );
    assert_eq!(field(&form, "主管部门"), Some(&text("广州市花都区XX局")));
    assert_eq!(field(&form, "实施单位"), Some(&text("广州市花都区XX中心")));
    assert_eq!(field(&form, "年度"), Some(&num("2023")));
    assert_eq!(field(&form, "年初预算数"), Some(&num("100")));
    assert_eq!(field(&form, "全年预算数"), Some(&num("120")));
    assert_eq!(field(&form, "全年执行数"), Some(&num("118.5")));
    assert_eq!(
        field(&form, "执行率"),
        Some(&CellValue::Percent("98.75".into()))
    );
    assert_eq!(field(&form, "资金分值"), Some(&num("10")));
    assert_eq!(field(&form, "资金得分"), Some(&num("9.88")));
    assert_eq!(field(&form, "当年财政拨款.全年预算数"), Some(&num("110")));
    assert_eq!(field(&form, "上年结转资金.全年执行数"), Some(&num("10")));
    // "/" and "—" cells are left out.
    assert_eq!(field(&form, "其他资金.年初预算数"), None);
    assert_eq!(field(&form, "当年财政拨款.分值"), None);
    assert_eq!(field(&form, "预期目标"), Some(&text("完成培训500人次")));
    assert_eq!(field(&form, "实际完成情况"), Some(&text("完成培训520人次")));
    assert_eq!(field(&form, "总分"), Some(&num("97.88")));
    assert!(form.warnings.is_empty(), "{:?}", form.warnings);
}

#[test]
fn table_rows_fill_levels_down_strip_prefixes_and_skip_slash_rows() {
    let form = csv_form(NATIONAL);
    let names: Vec<String> = form
        .rows
        .iter()
        .map(|r| row_value(r, "名称").unwrap().shown())
        .collect();
    assert_eq!(
        names,
        ["培训人次", "培训课程数", "培训合格率", "参训人员满意度"]
    );
    let second = &form.rows[1];
    assert_eq!(row_value(second, "一级指标"), Some(&text("产出指标")));
    assert_eq!(row_value(second, "二级指标"), Some(&text("数量指标")));
    assert_eq!(row_value(second, "指标值"), Some(&text("≥10门")));
    assert_eq!(row_value(second, "分值"), Some(&num("20")));
    let third = &form.rows[2];
    assert_eq!(row_value(third, "二级指标"), Some(&text("质量指标")));
    assert_eq!(
        row_value(third, "指标值"),
        Some(&text("≥95%")),
        "a header with spaces inside (年 度 指 标 值) is 指标值"
    );
    let last = &form.rows[3];
    assert_eq!(row_value(last, "一级指标"), Some(&text("满意度指标")));
    assert_eq!(row_value(last, "偏差原因"), Some(&text("略低于预期")));
    assert_eq!(row_value(last, "得分"), Some(&num("28")));
}

#[test]
fn every_line_of_the_text_names_its_cell_and_spans_point_at_values() {
    let form = csv_form(NATIONAL);
    for line in form.text.lines() {
        assert!(line.starts_with("自评表!"), "{line}");
    }
    let name = form.fields.iter().find(|f| f.key == "项目名称").unwrap();
    assert_eq!(name.cell, "自评表!B4");
    assert_eq!(
        &form.text[name.span.start()..name.span.end()],
        "2023年花都区XX培训项目"
    );
    let row = &form.rows[0];
    let line = &form.text[row.span.start()..row.span.end()];
    assert!(line.contains("自评表!D14  名称  培训人次"), "{line}");
    assert!(line.contains("自评表!G14  分值  20"), "{line}");
    for f in form
        .fields
        .iter()
        .chain(form.rows.iter().flat_map(|r| &r.fields))
    {
        assert_eq!(&form.text[f.span.start()..f.span.end()], f.value.shown());
    }
}

const SICHUAN: &str = "\
部门预算项目支出绩效自评表(2023年度),,,,,,,,,,
项目名称,51000021R000000019951-工资性支出,,,,,,,,,
主管部门,青神县XX局,,,,实施单位 (盖章),青神县XX局,,,,
项目基本情况,1.项目年度目标完成情况,项目年度目标,,,,年度目标完成情况,,,,
,,保障工资及时足额发放,,,,已足额发放,,,,
,2.项目实施内容及过程概述,按月发放工资,,,,,,,,
预算执行情况(10分),年度预算数(万元),年初预算,调整后预算数,预算执行数,预算执行率,权重,得分,原因,,
,总额,238.93,251.89,251.89,100.00%,10,10,,,
,其中:财政资金,238.93,251.89,251.89,100.00%,/,/,,,
,财政专户管理资金,0.00,0.00,0.00,0.00%,/,/,,,
,单位资金,0.00,0.00,0.00,0.00%,/,/,,,
,其他资金,,,,,/,/,,,
绩效指标(90分),一级指标,二级指标,三级指标,指标性质,指标值,度量单位,完成值,权重,得分,未完成原因分析
,产出指标,数量指标,发放覆盖率,=,100,%,100,60,60,
,效益指标,社会效益指标,足额保障率,=,100,%,100,30,30,
合计,,,,,,,,100,100,
评价结论,已按时足额发放,,,,,,,,,
存在问题,无,,,,,,,,,
改进措施,无,,,,,,,,,
项目负责人:张三,,财务负责人:,,,,,,,,
";

#[test]
fn the_sichuan_variant_maps_onto_the_national_keys() {
    let form = csv_form(SICHUAN);
    assert_eq!(form.layout, Layout::Sichuan);
    assert_eq!(field(&form, "年度"), Some(&num("2023")));
    assert_eq!(field(&form, "实施单位"), Some(&text("青神县XX局")));
    assert_eq!(
        field(&form, "预期目标"),
        Some(&text("保障工资及时足额发放"))
    );
    assert_eq!(field(&form, "实际完成情况"), Some(&text("已足额发放")));
    assert_eq!(
        field(&form, "项目实施内容及过程概述"),
        Some(&text("按月发放工资"))
    );
    assert_eq!(field(&form, "年初预算数"), Some(&num("238.93")));
    assert_eq!(field(&form, "全年预算数"), Some(&num("251.89")));
    assert_eq!(field(&form, "全年执行数"), Some(&num("251.89")));
    assert_eq!(
        field(&form, "执行率"),
        Some(&CellValue::Percent("100.00".into()))
    );
    assert_eq!(field(&form, "资金分值"), Some(&num("10")));
    assert_eq!(field(&form, "资金得分"), Some(&num("10")));
    assert_eq!(field(&form, "财政资金.全年预算数"), Some(&num("251.89")));
    assert_eq!(field(&form, "单位资金.全年执行数"), Some(&num("0.00")));
    assert_eq!(field(&form, "总分"), Some(&num("100")));
    assert_eq!(field(&form, "评价结论"), Some(&text("已按时足额发放")));
    assert_eq!(field(&form, "存在问题"), Some(&text("无")));
    assert_eq!(field(&form, "项目负责人"), Some(&text("张三")));
    assert_eq!(field(&form, "财务负责人"), None);
    assert_eq!(form.rows.len(), 2);
    let row = &form.rows[0];
    assert_eq!(row_value(row, "名称"), Some(&text("发放覆盖率")));
    assert_eq!(row_value(row, "指标性质"), Some(&text("=")));
    assert_eq!(row_value(row, "指标值"), Some(&num("100")));
    assert_eq!(row_value(row, "度量单位"), Some(&text("%")));
    assert_eq!(row_value(row, "实际完成值"), Some(&num("100")));
    assert_eq!(row_value(row, "分值"), Some(&num("60")));
    assert!(form.warnings.is_empty(), "{:?}", form.warnings);
}

const DEPARTMENT: &str = "\
部门整体支出绩效自评表,,,,,,,,
（2023年度）,,,,,,,,
部门（单位）名称,花都区XX局,,,,,,,
年度部门整体支出预算执行情况（万元）,,年初预算数,全年预算数,全年执行数,分值,执行率,得分,
,年度资金总额,500,520,510,10,98.08%,9.81,
,按收入性质分：财政拨款,500,520,510,,,,
,按支出性质分：基本支出,400,400,400,,,,
,项目支出,100,120,110,,,,
绩效指标,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分,偏差原因分析及改进措施
,产出指标,数量指标,完成重点任务数,≥5项,5项,90,90,
总分,,,,,,100,99.81,
";

#[test]
fn the_departmental_form_reads_its_name_and_does_not_add_up_its_two_partitions() {
    let form = csv_form(DEPARTMENT);
    assert_eq!(form.layout, Layout::Department);
    assert_eq!(field(&form, "部门名称"), Some(&text("花都区XX局")));
    assert_eq!(field(&form, "全年预算数"), Some(&num("520")));
    assert_eq!(
        field(&form, "按收入性质分:财政拨款.全年预算数"),
        Some(&num("520"))
    );
    assert!(form.warnings.is_empty(), "{:?}", form.warnings);
    assert_eq!(form.rows.len(), 1);
}

fn errors(name: &str, text: &str) -> Vec<FormError> {
    match read(name, text.as_bytes()) {
        Ok(form) => panic!("read: {form:#?}"),
        Err(errors) => errors,
    }
}

fn codes(errs: &[FormError]) -> Vec<String> {
    use miette::Diagnostic;
    errs.iter()
        .map(|e| e.code().map(|c| c.to_string()).unwrap_or_default())
        .collect()
}

#[test]
fn a_published_total_row_of_zeros_beside_filled_rows_is_an_error() {
    let form = NATIONAL.replace(",年度资金总额,100,120,118.5,", ",年度资金总额,0,0,0,");
    let errs = errors("f.csv", &form);
    assert_eq!(
        codes(&errs),
        [
            "jixiao::form::zero_total",
            "jixiao::form::zero_total",
            "jixiao::form::zero_total"
        ]
    );
    assert!(errs[1].to_string().contains("f!D7"), "{}", errs[1]);
}

#[test]
fn a_total_that_contradicts_its_rows_is_a_warning() {
    let form = NATIONAL.replace(
        ",年度资金总额,100,120,118.5,",
        ",年度资金总额,100,125,118.5,",
    );
    let form = csv_form(&form);
    assert_eq!(codes(&form.warnings), ["jixiao::form::total_mismatch"]);
    let w = form.warnings[0].to_string();
    assert!(
        w.contains("自评表!D7") && w.contains("125") && w.contains("120"),
        "{w}"
    );
}

#[test]
fn a_row_with_a_name_but_no_points_is_an_error_naming_the_cell() {
    let form = NATIONAL.replace("培训合格率,≥95%,96%,20,20", "培训合格率,≥95%,96%,,20");
    let errs = errors("f.csv", &form);
    assert_eq!(
        codes(&errs),
        ["jixiao::form::no_points", "jixiao::form::total_mismatch"]
    );
    assert!(errs[0].to_string().contains("f!G16"), "{}", errs[0]);
}

#[test]
fn a_row_with_values_but_no_name_is_an_error() {
    let form = NATIONAL.replace("指标2：培训课程数", "指标2：");
    let errs = errors("f.csv", &form);
    assert_eq!(codes(&errs), ["jixiao::form::no_name"]);
}

#[test]
fn two_indicator_tables_are_an_error() {
    let second = NATIONAL
        .lines()
        .skip(12)
        .take(2)
        .collect::<Vec<_>>()
        .join("\n");
    let form = format!("{NATIONAL}{second}\n");
    let errs = errors("f.csv", &form);
    assert_eq!(codes(&errs)[0], "jixiao::form::two_tables");
    assert!(errs[0].to_string().contains("f!D13"), "{}", errs[0]);
}

#[test]
fn a_sheet_that_is_no_form_says_what_was_looked_for() {
    let errs = errors("data.csv", "全年预算数,全年执行数\n3156.9,3151.09\n");
    assert_eq!(codes(&errs), ["jixiao::form::layout"]);
    use miette::Diagnostic;
    let help = errs[0].help().unwrap().to_string();
    assert!(
        help.contains("三级指标") && help.contains("项目名称"),
        "{help}"
    );
}

#[test]
fn an_unknown_extension_and_a_broken_workbook_are_unreadable() {
    assert_eq!(codes(&errors("f.txt", "x")), ["jixiao::form::unreadable"]);
    let errs = errors("f.xlsx", "not a zip");
    assert_eq!(codes(&errs), ["jixiao::form::unreadable"]);
    let errs = errors("f.et", "WPS own");
    assert!(errs[0].to_string().contains("WPS"), "{}", errs[0]);
}

#[test]
fn a_gbk_csv_reads() {
    let (bytes, _, _) = encoding_rs::GB18030.encode(NATIONAL);
    let form = read("自评表.csv", &bytes).unwrap();
    assert_eq!(field(&form, "主管部门"), Some(&text("广州市花都区XX局")));
}

// The number rules.

#[test]
fn a_stored_double_is_its_shortest_decimal() {
    assert_eq!(exact(3151.09).as_deref(), Some("3151.09"));
    assert_eq!(exact(0.1 + 0.2).as_deref(), Some("0.3"));
    assert_eq!(exact(3156.9 - 0.01).as_deref(), Some("3156.89"));
    assert_eq!(exact(1e21).as_deref(), Some("1000000000000000000000"));
    assert_eq!(exact(1.5e-7).as_deref(), Some("0.00000015"));
    assert_eq!(exact(-0.0).as_deref(), Some("0"));
    assert_eq!(exact(-2.5).as_deref(), Some("-2.5"));
    assert_eq!(exact(100.0).as_deref(), Some("100"));
    assert_eq!(exact(f64::NAN), None);
    for v in [0.1 + 0.2, 1e21, 1.5e-7, 123456789.123, 1e-20] {
        let s = exact(v).unwrap();
        assert!(!s.contains(['e', 'E']) && !s.starts_with("-0"), "{s}");
    }
}

fn read_raw(raw: Raw) -> (CellValue, Option<(String, String)>) {
    let r = grid::read(&raw).unwrap();
    let hidden = r.hidden.map(|h| match h {
        Shown::Rounded { shown, stored } => (shown, stored),
        Shown::Text { shown, stored, .. } => (format!("text:{shown}"), stored),
    });
    (r.value, hidden)
}

#[test]
fn a_percent_cell_is_a_percentage_and_a_rounded_format_warns() {
    let pct = Fmt::of_code("0%");
    assert_eq!(
        read_raw(Raw::Float(0.91, pct.clone())),
        (CellValue::Percent("91".into()), None)
    );
    assert_eq!(
        read_raw(Raw::Float(0.9875, Fmt::builtin(10))),
        (CellValue::Percent("98.75".into()), None)
    );
    assert_eq!(
        read_raw(Raw::Float(1.0, Fmt::builtin(10))),
        (CellValue::Percent("100.00".into()), None)
    );
    let two = Fmt::of_code("#,##0.00_ ;[Red]-#,##0.00");
    assert_eq!(
        read_raw(Raw::Float(3151.09, two.clone())),
        (num("3151.09"), None)
    );
    assert_eq!(
        read_raw(Raw::Float(10.0, two.clone())),
        (num("10.00"), None)
    );
    assert_eq!(
        read_raw(Raw::Float(3151.094, two)),
        (num("3151.094"), Some(("3151.09".into(), "3151.094".into())))
    );
    assert_eq!(
        read_raw(Raw::Float(0.99815, pct)),
        (
            CellValue::Percent("99.815".into()),
            Some(("100%".into(), "99.815%".into()))
        )
    );
    assert_eq!(Fmt::of_code("General"), Fmt::default());
    assert_eq!(
        read_raw(Raw::Float(10.0, Fmt::of_code("0.0\"万元\""))),
        (num("10.0"), None)
    );
    assert_eq!(
        read_raw(Raw::Float(
            45260.0,
            Fmt::of_code("[$-804]yyyy\"年\"m\"月\"")
        )),
        (num("45260"), None)
    );
    // `#` places round what they show, without padding: 999.456 in `0.##` shows 999.46.
    let hash = Fmt::of_code("0.##");
    assert_eq!(
        read_raw(Raw::Float(999.456, hash.clone())),
        (num("999.456"), Some(("999.46".into(), "999.456".into())))
    );
    assert_eq!(
        read_raw(Raw::Float(999.5, hash.clone())),
        (num("999.5"), None)
    );
    assert_eq!(read_raw(Raw::Float(10.0, hash)), (num("10"), None));
}

/// A `%` that is not a token of its own (padding `_%`, a fill `*%`, quoted or escaped) is
/// text: the cell holds the number it shows, never a hundredth of it.
#[test]
fn only_a_percent_token_makes_a_percent_cell() {
    for code in [
        "0.00_%",
        "0.00*%",
        "0.00\"%\"",
        "0.00\\%",
        "[$%-804]0.00",
        "0.00;-0.00%",
    ] {
        assert_eq!(
            read_raw(Raw::Float(0.5, Fmt::of_code(code))),
            (num("0.50"), None),
            "{code}"
        );
    }
    // The section the value is shown in decides: a negative number in `0.00;-0.00%` shows as
    // a percentage.
    assert_eq!(
        read_raw(Raw::Float(-0.95, Fmt::of_code("0.00;-0.00%"))).0,
        CellValue::Percent("-95.00".into())
    );
    assert_eq!(
        read_raw(Raw::Float(0.95, Fmt::of_code("[<1]0%;0.00"))).0,
        CellValue::Percent("95".into())
    );
    assert_eq!(
        read_raw(Raw::Float(0.95, Fmt::of_code("[>=1]0%;0.00"))).0,
        num("0.95")
    );
    // Sections that do not say for sure: an error, not a guess.
    for code in ["0;[>100]0%", "0%%", "0\"%"] {
        let r = grid::read(&Raw::Float(0.5, Fmt::of_code(code))).unwrap();
        assert_eq!(r.unclear.as_deref(), Some(code), "{code}");
    }
    let r = grid::read(&Raw::Float(0.5, Fmt::of_code("0.00\"x"))).unwrap();
    assert_eq!((r.value, r.unclear), (num("0.5"), None));
}

/// A cell that shows another number (a scaled or scientific format) or none at all warns.
#[test]
fn a_format_that_shows_another_number_or_none_warns() {
    assert_eq!(
        read_raw(Raw::Float(1185.5, Fmt::of_code("#,##0,"))),
        (num("1185.5"), Some(("1".into(), "1185.5".into())))
    );
    // A round thousand shows another number too: 2 for 2000.
    assert_eq!(
        read_raw(Raw::Float(2000.0, Fmt::of_code("#,##0,"))),
        (num("2000"), Some(("2".into(), "2000".into())))
    );
    // Zero shows as zero, and an accounting format's dash for zero says 0.
    assert_eq!(
        read_raw(Raw::Float(0.0, Fmt::of_code("#,##0,"))),
        (num("0"), None)
    );
    assert_eq!(
        read_raw(Raw::Float(
            0.0,
            Fmt::of_code("_ * #,##0_ ;_ * -#,##0_ ;_ * \"-\"_ ;_ @_ ")
        )),
        (num("0"), None)
    );
    assert_eq!(
        read_raw(Raw::Float(1185.5, Fmt::of_code("#,##0"))),
        (num("1185.5"), Some(("1186".into(), "1185.5".into())))
    );
    assert_eq!(
        read_raw(Raw::Float(118.5, Fmt::of_code("0.00E+00"))),
        (num("118.5"), Some(("1.19E+02".into(), "118.5".into())))
    );
    assert_eq!(
        read_raw(Raw::Float(0.000123, Fmt::of_code("0.0E+0"))),
        (num("0.000123"), Some(("1.2E-4".into(), "0.000123".into())))
    );
    assert_eq!(
        read_raw(Raw::Float(9.996, Fmt::of_code("0.00E+00"))),
        (num("9.996"), Some(("1.00E+01".into(), "9.996".into())))
    );
    assert_eq!(
        read_raw(Raw::Float(120.0, Fmt::of_code("0.00E+00"))),
        (num("120"), None)
    );
    assert_eq!(
        read_raw(Raw::Float(118.5, Fmt::of_code(";;;"))),
        (num("118.5"), Some(("text:".into(), "118.5".into())))
    );
    assert_eq!(
        read_raw(Raw::Float(118.5, Fmt::of_code("[>100]\"满\";0.00"))),
        (num("118.5"), Some(("text:满".into(), "118.5".into())))
    );
    assert_eq!(
        read_raw(Raw::Float(50.0, Fmt::of_code("[>100]\"满\";0.00"))),
        (num("50.00"), None)
    );
}

#[test]
fn numbers_stored_as_text_are_numbers_as_typed() {
    assert_eq!(read_raw(Raw::Text(" 3156.90 ".into())).0, num("3156.90"));
    assert_eq!(
        read_raw(Raw::Text("99.8%".into())).0,
        CellValue::Percent("99.8".into())
    );
    assert_eq!(read_raw(Raw::Text("≥500人次".into())).0, text("≥500人次"));
    for na in ["/", "—", "－", "／", " "] {
        assert!(grid::read(&Raw::Text(na.into())).is_none(), "{na}");
    }
}

#[test]
fn headers_are_normalised() {
    assert_eq!(normalize("全年预算数（A）"), "全年预算数");
    assert_eq!(normalize("执行率（B/A）"), "执行率");
    assert_eq!(normalize("年 度 指 标 值"), "年度指标值");
    assert_eq!(normalize(" 实施单位 (盖章)"), "实施单位");
    assert_eq!(
        normalize("2.项目实施内容及过程概述"),
        "项目实施内容及过程概述"
    );
    assert_eq!(normalize("项目负责人："), "项目负责人");
    assert_eq!(normalize("部门（单位）名称"), "部门(单位)名称");
}

// Workbooks, made here with rust_xlsxwriter.

fn national_xlsx(budget: f64, extra_sheet: bool) -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    if extra_sheet {
        wb.add_worksheet().set_name("说明").unwrap();
    }
    let ws = wb.add_worksheet().set_name("自评表").unwrap();
    let pct = Format::new().set_num_format("0.00%");
    let two = Format::new().set_num_format("0.00");
    ws.merge_range(0, 0, 0, 8, "项目支出绩效自评表", &Format::new())
        .unwrap();
    ws.write(1, 0, "（2023年度）").unwrap();
    ws.write(3, 0, "项目名称").unwrap();
    ws.merge_range(3, 1, 3, 8, "XX项目", &Format::new())
        .unwrap();
    ws.merge_range(4, 0, 6, 0, "项目资金（万元）", &Format::new())
        .unwrap();
    for (c, h) in [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    .iter()
    .enumerate()
    {
        ws.write(4, 2 + c as u16, *h).unwrap();
    }
    ws.write(5, 1, "年度资金总额").unwrap();
    ws.write_number(5, 2, 3156.9).unwrap();
    ws.write_number_with_format(5, 3, budget, &two).unwrap();
    ws.write_number(5, 4, 3151.09).unwrap();
    ws.write_number(5, 5, 10).unwrap();
    ws.write_number_with_format(5, 6, 0.9982, &pct).unwrap();
    ws.write(5, 7, "9.98").unwrap();
    ws.write(6, 1, "其中：当年财政拨款").unwrap();
    ws.write(6, 2, "/").unwrap();
    ws.merge_range(8, 0, 11, 0, "绩效指标", &Format::new())
        .unwrap();
    for (c, h) in [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
    ]
    .iter()
    .enumerate()
    {
        ws.write(8, 1 + c as u16, *h).unwrap();
    }
    ws.merge_range(9, 1, 11, 1, "产出指标", &Format::new())
        .unwrap();
    ws.merge_range(9, 2, 10, 2, "数量指标", &Format::new())
        .unwrap();
    ws.write(9, 3, "指标1：培训人次").unwrap();
    ws.write(9, 4, "≥500人次").unwrap();
    ws.write(9, 5, "520人次").unwrap();
    ws.write_number(9, 6, 45).unwrap();
    ws.write(10, 3, "指标2：课程数").unwrap();
    ws.write(10, 4, "≥10门").unwrap();
    ws.write(10, 5, "12门").unwrap();
    ws.write_number(10, 6, 45).unwrap();
    ws.write(11, 2, "质量指标").unwrap();
    ws.write(11, 3, "/").unwrap();
    ws.write(12, 0, "总分").unwrap();
    ws.write_number(12, 6, 100).unwrap();
    if extra_sheet {
        wb.add_worksheet().set_name("Sheet3").unwrap();
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn an_xlsx_form_reads_merges_formats_and_exact_numbers() {
    let form = read("自评表.xlsx", &national_xlsx(3156.9, true)).unwrap();
    assert_eq!(field(&form, "年度"), Some(&num("2023")));
    assert_eq!(field(&form, "项目名称"), Some(&text("XX项目")));
    // 3156.9 in a `0.00` cell is 3156.90, as the cell shows it.
    assert_eq!(field(&form, "全年预算数"), Some(&num("3156.90")));
    assert_eq!(field(&form, "全年执行数"), Some(&num("3151.09")));
    assert_eq!(
        field(&form, "执行率"),
        Some(&CellValue::Percent("99.82".into()))
    );
    assert_eq!(field(&form, "资金得分"), Some(&num("9.98")));
    assert_eq!(form.rows.len(), 2);
    for row in &form.rows {
        assert_eq!(row_value(row, "一级指标"), Some(&text("产出指标")));
        assert_eq!(row_value(row, "二级指标"), Some(&text("数量指标")));
    }
    assert_eq!(row_value(&form.rows[1], "名称"), Some(&text("课程数")));
    let level = &form.rows[1].fields[0];
    assert_eq!(
        level.cell, "自评表!B10",
        "a merged level is read from its first cell"
    );
    assert!(form.warnings.is_empty(), "{:?}", form.warnings);
}

#[test]
fn an_xlsx_cell_showing_fewer_decimals_than_it_holds_warns() {
    let form = read("自评表.xlsx", &national_xlsx(3151.094, false)).unwrap();
    assert_eq!(field(&form, "全年预算数"), Some(&num("3151.094")));
    assert_eq!(codes(&form.warnings), ["jixiao::form::hidden_digits"]);
    let w = form.warnings[0].to_string();
    assert!(w.contains("自评表!D6") && w.contains("3151.09 "), "{w}");
}

#[test]
fn a_wps_et_that_is_an_xlsx_inside_reads_as_one() {
    let bytes = national_xlsx(3156.9, false);
    for name in ["自评表.et", "自评表.XLSM"] {
        let form = read(name, &bytes).unwrap();
        assert_eq!(field(&form, "全年预算数"), Some(&num("3156.90")), "{name}");
    }
    // An .xls that is not one: calamine's words, quoted.
    let errs = errors("f.xls", "not a compound file");
    assert_eq!(codes(&errs), ["jixiao::form::unreadable"]);
}

#[test]
fn a_sheet_with_more_merges_than_a_form_is_refused_not_slow() {
    let mut g = grid::Grid::new("s");
    g.set(400_000, 0, Raw::Text("x".into()));
    assert!(g.merge(((0, 0), (399_999, 0))));
    // Rows below the last cell are not indexed: nothing is read there.
    assert!(g.merge(((0, 1), (u32::MAX, 1))));
    assert!(!g.merge(((0, 2), (399_999, 2))));
    assert_eq!(g.origin(300_000, 1), (0, 1));
}

#[test]
fn funds_labels_merged_across_columns_read() {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    ws.write(0, 0, "项目名称").unwrap();
    ws.write(0, 1, "X").unwrap();
    ws.merge_range(1, 0, 1, 2, "项目资金（万元）", &f).unwrap();
    ws.write(1, 3, "全年预算数").unwrap();
    ws.write(1, 4, "全年执行数").unwrap();
    ws.merge_range(2, 0, 2, 2, "年度资金总额", &f).unwrap();
    ws.write_number(2, 3, 10).unwrap();
    ws.write_number(2, 4, 9).unwrap();
    ws.merge_range(3, 0, 3, 2, "其中：本年财政拨款", &f)
        .unwrap();
    ws.write_number(3, 3, 10).unwrap();
    ws.write_number(3, 4, 9).unwrap();
    ws.write(4, 0, "三级指标").unwrap();
    ws.write(4, 1, "分值").unwrap();
    ws.write(5, 0, "培训人次").unwrap();
    ws.write(5, 1, 90).unwrap();
    let form = read("f.xlsx", &wb.save_to_buffer().unwrap()).unwrap();
    assert_eq!(field(&form, "全年预算数"), Some(&num("10")));
    assert_eq!(field(&form, "当年财政拨款.全年执行数"), Some(&num("9")));
    assert!(form.warnings.is_empty(), "{:?}", form.warnings);
}

/// A minimal .ods: its content.xml's rows (cells as written here), and whether its manifest
/// says it is encrypted.
fn ods(rows: &[&str], encrypted: bool) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opt =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("mimetype", opt).unwrap();
    w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    w.start_file("META-INF/manifest.xml", opt).unwrap();
    let encryption = if encrypted {
        "<manifest:encryption-data/>"
    } else {
        ""
    };
    write!(
        w,
        r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml">{encryption}</manifest:file-entry></manifest:manifest>"#
    )
    .unwrap();
    w.start_file("content.xml", opt).unwrap();
    let body: String = rows
        .iter()
        .map(|r| format!("<table:table-row>{r}</table:table-row>"))
        .collect();
    write!(
        w,
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="自评表">{body}</table:table></office:spreadsheet></office:body></office:document-content>"#
    )
    .unwrap();
    w.finish().unwrap().into_inner()
}

fn s(t: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#
    )
}

fn n(v: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>"#
    )
}

#[test]
fn an_ods_form_reads_its_percentages_and_merges() {
    let rows = [
        s("项目名称") + &s("X"),
        r#"<table:table-cell table:number-rows-spanned="2" office:value-type="string"><text:p>项目资金（万元）</text:p></table:table-cell><table:table-cell/>"#.to_string()
            + &s("全年预算数") + &s("全年执行数") + &s("执行率"),
        "<table:covered-table-cell/>".to_string()
            + &s("年度资金总额") + &n("3156.9") + &n("3151.09")
            + r#"<table:table-cell office:value-type="percentage" office:value="0.9982"><text:p>99.82%</text:p></table:table-cell>"#,
        s("一级指标") + &s("三级指标") + &s("分值"),
        r#"<table:table-cell table:number-rows-spanned="2" office:value-type="string"><text:p>产出指标</text:p></table:table-cell>"#.to_string()
            + &s("培训人次") + &n("45"),
        "<table:covered-table-cell/>".to_string() + &s("课程数") + &n("45"),
    ];
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let form = read("自评表.ods", &ods(&rows, false)).unwrap();
    assert_eq!(field(&form, "全年预算数"), Some(&num("3156.9")));
    assert_eq!(
        field(&form, "执行率"),
        Some(&CellValue::Percent("99.82".into()))
    );
    assert_eq!(form.rows.len(), 2);
    assert_eq!(
        row_value(&form.rows[1], "一级指标"),
        Some(&text("产出指标"))
    );
    assert_eq!(form.rows[1].fields[0].cell, "自评表!A5");

    match read("自评表.ods", &ods(&rows, true)) {
        Err(errs) => assert!(
            matches!(
                &errs[0],
                FormError::Unreadable {
                    reason: Unreadable::Password,
                    ..
                }
            ),
            "{errs:?}"
        ),
        Ok(_) => panic!("an encrypted workbook read"),
    }
}

#[test]
fn a_damaged_workbook_is_an_error_not_a_panic() {
    let good = national_xlsx(3156.9, true);
    let mut cases: Vec<Vec<u8>> = (1..40)
        .map(|i| good[..good.len() * i / 40].to_vec())
        .collect();
    for i in (0..good.len()).step_by(97) {
        let mut bad = good.clone();
        bad[i] ^= 0x5A;
        cases.push(bad);
    }
    for bytes in cases {
        for name in ["f.xlsx", "f.xls", "f.ods", "f.et", "f.csv"] {
            let _ = read(name, &bytes);
        }
    }
}

#[test]
fn a_level_loses_its_points_note() {
    let form = csv_form(&NATIONAL.replace(",产出指标,数量指标,", ",产出指标（50分）,数量指标,"));
    assert_eq!(
        row_value(&form.rows[1], "一级指标"),
        Some(&text("产出指标"))
    );
    assert_eq!(
        super::layout::level_name(text("产出指标(第5分)")),
        text("产出指标(第5分)")
    );
}

/// A table header of two rows (年度指标值 over 指标性质 | 指标值 | 度量单位), and funds labels
/// merged across two columns, exported as CSV (the second column left empty).
const TWO_ROW_HEADER: &str = "\
项目支出绩效自评表,,,,,,,,,,
（2020年度）,,,,,,,,,,
项目名称 ,卫片执法补助经费,,,,,,,,,
项目资金（万元）,,,年初预算数 ,全年预算数,全年执行数, 分值,执行率,得分,,
,年度资金总额,,7.29,7.29,7.29,10.00,100%,10.00,,
,其中：当年财政拨款,,7.29,7.29,7.29,—,100%,—,,
绩效指标,一级 指标,二级指标,三级指标 ,年度指标值,,,实际完成值,分值,得分,偏差原因分析及改进措施
,,,,指标性质,指标值,度量单位,,,,
,产出指标,数量指标,卫片执法补助经费,﹦,72890,元,72890,90.00,90.00,
总分,,,,,,,,100,,
";

#[test]
fn a_two_row_table_header_and_funds_labels_in_merged_columns_read() {
    let form = csv_form(TWO_ROW_HEADER);
    assert_eq!(field(&form, "全年预算数"), Some(&num("7.29")));
    assert_eq!(field(&form, "资金分值"), Some(&num("10.00")));
    assert_eq!(
        field(&form, "当年财政拨款.执行率"),
        Some(&CellValue::Percent("100".into()))
    );
    assert_eq!(form.rows.len(), 1);
    let row = &form.rows[0];
    assert_eq!(row_value(row, "指标性质"), Some(&text("﹦")));
    assert_eq!(row_value(row, "指标值"), Some(&num("72890")));
    assert_eq!(row_value(row, "度量单位"), Some(&text("元")));
    assert_eq!(row_value(row, "实际完成值"), Some(&num("72890")));
    assert!(form.warnings.is_empty(), "{:?}", form.warnings);
}

#[test]
fn a_workbook_is_read_as_what_it_is_whatever_its_name() {
    let bytes = national_xlsx(3156.9, false);
    let form = read("下载的自评表.xls", &bytes).unwrap();
    assert_eq!(field(&form, "全年预算数"), Some(&num("3156.90")));
}

use proptest::strategy::Strategy as _;

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Whatever a sheet holds (cells from the forms' own words, numbers, "/" and blanks, in
    /// any order), reading it returns, and every span of what it read is the value it shows.
    #[test]
    fn any_grid_of_form_words_reads_or_fails_cleanly(
        cells in proptest::collection::vec(
            proptest::prelude::prop_oneof![
                proptest::sample::select(vec![
                    "项目名称", "主管部门", "年初预算数", "全年预算数", "全年执行数", "分值",
                    "执行率", "得分", "年度资金总额", "其中：本年财政拨款", "三级指标", "一级指标",
                    "二级指标", "年度指标值", "实际完成值", "总分", "合计", "指标1：", "/", "—",
                    "", "", "", "预期目标", "评价结论", "调整后预算数", "指标性质", "权重",
                    "部门（单位）名称", "≥500人次", "达成预期指标", "（2023年度）",
                ]).prop_map(str::to_string),
                (0u32..100_000).prop_map(|n| format!("{}.{}", n / 100, n % 100)),
            ],
            0..120,
        ),
        width in 1usize..10,
    ) {
        let csv: String = cells
            .chunks(width)
            .map(|row| row.join(","))
            .collect::<Vec<_>>()
            .join("\n");
        if let Ok(form) = read("f.csv", csv.as_bytes()) {
            for f in form.fields.iter().chain(form.rows.iter().flat_map(|r| &r.fields)) {
                proptest::prop_assert_eq!(&form.text[f.span.start()..f.span.end()], f.value.shown());
            }
        }
    }
}
