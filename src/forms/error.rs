//! Form errors and warnings: everything wrong with a 自评表 as a form (before its values meet
//! the rules), each naming the cell (`绩效指标!G12`) and pointing into [`super::Form::text`].
//! Every sentence the form reader writes is here, in English in the attributes and in Chinese
//! in [`Localized::zh`].

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::diagnostics::{Localized, Text, Zh};

#[derive(Debug, Error, Diagnostic, Clone)]
#[non_exhaustive]
pub enum FormError {
    #[error("`{name}` cannot be read as a workbook: {reason}")]
    #[diagnostic(code(jixiao::form::unreadable), help("{}", reason_help(reason)))]
    Unreadable { name: String, reason: Unreadable },

    #[error("`{name}` is not a 自评表 jixiao knows: no {missing} was found")]
    #[diagnostic(
        code(jixiao::form::layout),
        help(
            "jixiao reads the national 项目支出绩效自评表, the Sichuan 部门预算项目支出绩效自评表 and the 部门整体支出绩效自评表 by their header cells: it looked for {looked_for}; keep the form's header cells as the template writes them (docs/forms.md), or write the data as a TOML file"
        )
    )]
    Layout {
        name: String,
        missing: Text,
        looked_for: Text,
    },

    #[error("the form has two indicator tables, at {first} and {second}")]
    #[diagnostic(
        code(jixiao::form::two_tables),
        help(
            "one file holds one 自评表: put the second form in a file of its own, or delete the table that is not this project's"
        )
    )]
    TwoTables {
        first: String,
        second: String,
        #[label("the second table starts here")]
        span: Option<SourceSpan>,
    },

    #[error("the indicator `{name}` has no 分值 ({cell} is empty)")]
    #[diagnostic(
        code(jixiao::form::no_points),
        help("write the indicator's 分值 in {cell}, as the form's 分值 column gives every row")
    )]
    NoPoints {
        name: String,
        cell: String,
        #[label("this row has no 分值")]
        span: Option<SourceSpan>,
    },

    #[error("row {row} of the indicator table has values but no 三级指标 ({cell} is empty)")]
    #[diagnostic(
        code(jixiao::form::no_name),
        help(
            "write the indicator's name in {cell}, or clear the row's other cells if it is not an indicator"
        )
    )]
    NoName {
        row: u32,
        cell: String,
        #[label("a value of a row without a name")]
        span: Option<SourceSpan>,
    },

    #[error("the total row says {column} is 0 ({cell}), but the rows below it are filled in")]
    #[diagnostic(
        code(jixiao::form::zero_total),
        help(
            "write the total of the rows in {cell} ({sum}): the rules read the total row, and 0 would score the funds as if nothing had been budgeted"
        )
    )]
    ZeroTotal {
        column: String,
        cell: String,
        sum: String,
        #[label("0, beside rows adding up to {sum}")]
        span: Option<SourceSpan>,
    },

    #[error("the total {column} in {cell} is {total}, but its rows add up to {sum}")]
    #[diagnostic(
        code(jixiao::form::total_mismatch),
        severity(Warning),
        help(
            "the rules read the total ({total}); correct the total or the rows so that they agree"
        )
    )]
    TotalMismatch {
        column: String,
        cell: String,
        total: String,
        sum: String,
        #[label("the rows add up to {sum}")]
        span: Option<SourceSpan>,
    },

    #[error("{cell} shows {shown} but holds {stored}")]
    #[diagnostic(
        code(jixiao::form::hidden_digits),
        severity(Warning),
        help(
            "jixiao reads the value the cell holds ({stored}), not the rounded one it shows; if {shown} is meant, type {shown} into the cell"
        )
    )]
    HiddenDigits {
        cell: String,
        shown: String,
        stored: String,
        #[label("{stored}, shown as {shown}")]
        span: Option<SourceSpan>,
    },

    #[error("{cell} shows {} but holds {stored}", shown_en(.shown))]
    #[diagnostic(
        code(jixiao::form::hidden_digits),
        severity(Warning),
        help(
            "jixiao reads the value the cell holds ({stored}); its number format `{code}` shows no number in its place, so the printed form does not show it. If {stored} is meant, give the cell a number format that shows it (Format Cells → Number); if not, type the value meant"
        )
    )]
    HiddenText {
        cell: String,
        /// What the format shows: text, or nothing (`;;;`).
        shown: String,
        stored: String,
        code: String,
        #[label("{stored}, shown as {}", shown_en(.shown))]
        span: Option<SourceSpan>,
    },

    #[error(
        "jixiao cannot tell what number {cell} ({stored}) shows, or whether it is a percentage: its number format is `{code}`"
    )]
    #[diagnostic(
        code(jixiao::form::number_format),
        help(
            "give the cell a plain number format (Format Cells → Number): Percentage (0.00%) if it is a percentage, Number (0.00) if not; jixiao reads a format's sections and conditions only where it is sure which one shows the number"
        )
    )]
    NumberFormat {
        cell: String,
        stored: String,
        code: String,
        #[label("which number?")]
        span: Option<SourceSpan>,
    },
}

fn shown_en(shown: &str) -> String {
    match shown {
        "" => "nothing".into(),
        text => format!("`{text}`"),
    }
}

impl FormError {
    /// A warning: the form still reads.
    pub fn is_warning(&self) -> bool {
        match self {
            FormError::TotalMismatch { .. }
            | FormError::HiddenDigits { .. }
            | FormError::HiddenText { .. } => true,
            FormError::Unreadable { .. }
            | FormError::Layout { .. }
            | FormError::TwoTables { .. }
            | FormError::NoPoints { .. }
            | FormError::NoName { .. }
            | FormError::ZeroTotal { .. }
            | FormError::NumberFormat { .. } => false,
        }
    }
}

/// Why a workbook cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// The workbook is encrypted with a password.
    Password,
    /// A WPS `.et` file that is neither an .xls nor an .xlsx inside.
    Et { reader: String },
    /// Not a workbook of the kind its name says; the reader's words.
    Broken { reader: String },
    /// A workbook its reader (calamine) cannot read: damaged, or not a real workbook of its
    /// kind; the sheet it failed in, if it got that far, and the reader's words, quoted.
    Damaged {
        sheet: Option<String>,
        reader: String,
    },
    /// An extension jixiao does not read as a form.
    Extension,
    /// A cell beyond the last row or column a sheet has (`自评表!A4000000000`).
    Beyond { cell: String },
    /// A cell the sheet writes twice (`<c r="F7">` twice, with two values).
    Twice { cell: String },
    /// A CSV export in neither UTF-8 nor GBK (GB18030), the two that Excel and WPS write.
    Encoding,
    /// A sheet with more merged regions than a form could have (a merged cell's region
    /// repeated, or a file made to exhaust the reader).
    Merges { sheet: String },
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::Password => f.write_str("it is protected by a password"),
            Unreadable::Et { reader } => write!(
                f,
                "this WPS .et file is in WPS's own format, which jixiao cannot read ({reader})"
            ),
            Unreadable::Broken { reader } => write!(f, "{reader}"),
            Unreadable::Damaged { sheet, reader } => {
                f.write_str("the file is damaged, or is not a real workbook of its kind")?;
                if let Some(sheet) = sheet {
                    write!(f, " (in the sheet `{sheet}`)")?;
                }
                write!(f, "; the reader says “{reader}”")
            }
            Unreadable::Extension => {
                f.write_str("forms are read from .xlsx, .xlsm, .xls, .ods, .et and .csv files")
            }
            Unreadable::Beyond { cell } => write!(
                f,
                "it has a cell at {cell}, outside the A1:XFD1048576 (1048576 rows, 16384 columns) a sheet has: it was not saved by Excel or WPS, or it is damaged"
            ),
            Unreadable::Twice { cell } => write!(
                f,
                "the cell {cell} is written twice in the file: it was not saved by Excel or WPS, or it is damaged"
            ),
            Unreadable::Encoding => f.write_str("the CSV file is neither UTF-8 nor GBK text"),
            Unreadable::Merges { sheet } => write!(
                f,
                "the sheet `{sheet}` has more merged cells than a form has: it was not saved by Excel or WPS, or it is damaged"
            ),
        }
    }
}

fn reason_help(reason: &Unreadable) -> &'static str {
    match reason {
        Unreadable::Password => {
            "open it in Excel or WPS, remove the password (文件 → 信息 → 保护工作簿), and save it again"
        }
        Unreadable::Et { .. } => "open it in WPS and save it as an Excel workbook (.xlsx)",
        Unreadable::Broken { .. } | Unreadable::Damaged { .. } => {
            "open the file in Excel or WPS and save it again as .xlsx; if it is not a workbook, give the file its right extension"
        }
        Unreadable::Extension => "save the form as .xlsx (or export its sheet as .csv)",
        Unreadable::Beyond { .. } => {
            "open the file in Excel or WPS and save it again as .xlsx, or copy the form's cells into a new workbook"
        }
        Unreadable::Twice { .. } => {
            "open the file in Excel or WPS, check the cell's value, and save it again as .xlsx, or copy the form's cells into a new workbook"
        }
        Unreadable::Encoding => {
            "save it again from Excel or WPS as \"CSV UTF-8\", or save the form as .xlsx"
        }
        Unreadable::Merges { .. } => {
            "open the file in Excel or WPS and save it again as .xlsx, or copy the form's cells into a new workbook"
        }
    }
}

fn reason_zh(reason: &Unreadable) -> (String, &'static str) {
    match reason {
        Unreadable::Password => (
            "工作簿设有密码".into(),
            "用 Excel 或 WPS 打开，取消密码（文件 → 信息 → 保护工作簿）后重新保存",
        ),
        Unreadable::Et { reader } => (
            format!("这个 WPS .et 文件是 WPS 自有格式，jixiao 读不了（“{reader}”）"),
            "用 WPS 打开，另存为 Excel 工作簿（.xlsx）",
        ),
        Unreadable::Broken { reader } => (
            format!("“{reader}”"),
            "用 Excel 或 WPS 打开后重新保存为 .xlsx；如果它不是工作簿，请改用正确的扩展名",
        ),
        Unreadable::Damaged { sheet, reader } => (
            format!(
                "文件已损坏，或者不是真正的这类工作簿{}；读取器的原话是“{reader}”",
                sheet
                    .as_ref()
                    .map(|s| format!("（出错的工作表：“{s}”）"))
                    .unwrap_or_default()
            ),
            "用 Excel 或 WPS 打开后重新保存为 .xlsx；如果它不是工作簿，请改用正确的扩展名",
        ),
        Unreadable::Extension => (
            "自评表从 .xlsx、.xlsm、.xls、.ods、.et 和 .csv 文件读取".into(),
            "把自评表保存为 .xlsx（或把表格导出为 .csv）",
        ),
        Unreadable::Beyond { cell } => (
            format!(
                "它在 {cell} 有一个单元格，超出了工作表的范围 A1:XFD1048576（1048576 行、16384 列）：文件不是 Excel 或 WPS 保存的，或者已经损坏"
            ),
            "用 Excel 或 WPS 打开后重新保存为 .xlsx，或者把自评表的单元格复制到一个新工作簿中",
        ),
        Unreadable::Twice { cell } => (
            format!("文件中单元格 {cell} 写了两次：文件不是 Excel 或 WPS 保存的，或者已经损坏"),
            "用 Excel 或 WPS 打开，核对这个单元格的值后重新保存为 .xlsx，或者把自评表的单元格复制到一个新工作簿中",
        ),
        Unreadable::Encoding => (
            "CSV 文件既不是 UTF-8 也不是 GBK 编码的文本".into(),
            "用 Excel 或 WPS 重新另存为“CSV UTF-8”，或者把自评表保存为 .xlsx",
        ),
        Unreadable::Merges { sheet } => (
            format!(
                "工作表“{sheet}”中的合并单元格多于任何自评表：文件不是 Excel 或 WPS 保存的，或者已经损坏"
            ),
            "用 Excel 或 WPS 打开后重新保存为 .xlsx，或者把自评表的单元格复制到一个新工作簿中",
        ),
    }
}

impl Localized for FormError {
    fn zh(&self) -> Zh {
        match self {
            FormError::Unreadable { name, reason } => {
                let (why, help) = reason_zh(reason);
                Zh::new(format!("`{name}` 无法作为工作簿读取：{why}")).help(help)
            }
            FormError::Layout {
                name,
                missing,
                looked_for,
            } => Zh::new(format!(
                "`{name}` 不是 jixiao 认识的自评表：没有找到{}",
                missing.zh
            ))
            .help(format!(
                "jixiao 按表头单元格识别全国通用的项目支出绩效自评表、四川的部门预算项目支出绩效自评表和部门整体支出绩效自评表：查找的是{}；请保持模板中的表头文字（见 docs/forms.md），或者把数据写成 TOML 文件",
                looked_for.zh
            )),
            FormError::TwoTables { first, second, span } => Zh::new(format!(
                "自评表中有两个绩效指标表，分别在 {first} 和 {second}"
            ))
            .help("一个文件只放一张自评表：把第二张表放到单独的文件中，或删去不属于本项目的表")
            .label_if(span.is_some(), "第二个表从这里开始"),
            FormError::NoPoints { name, cell, span } => {
                Zh::new(format!("指标 `{name}` 没有分值（{cell} 是空的）"))
                    .help(format!("在 {cell} 中填写这个指标的分值，表中每一行都有分值"))
                    .label_if(span.is_some(), "这一行没有分值")
            }
            FormError::NoName { row, cell, span } => Zh::new(format!(
                "绩效指标表第 {row} 行有数值，但没有三级指标（{cell} 是空的）"
            ))
            .help(format!(
                "在 {cell} 中填写指标名称；如果这一行不是指标，就清空它的其他单元格"
            ))
            .label_if(span.is_some(), "没有名称的行中的数值"),
            FormError::ZeroTotal {
                column,
                cell,
                sum,
                span,
            } => Zh::new(format!(
                "合计行的{column}是 0（{cell}），但下面各行填了数"
            ))
            .help(format!(
                "在 {cell} 中填写各行的合计（{sum}）：规则读取的是合计行，填 0 会按没有预算计分"
            ))
            .label_if(span.is_some(), format!("0，而各行合计 {sum}")),
            FormError::TotalMismatch {
                column,
                cell,
                total,
                sum,
                span,
            } => Zh::new(format!(
                "{cell} 中的{column}合计是 {total}，但各行加起来是 {sum}"
            ))
            .help(format!(
                "规则读取合计（{total}）；请改正合计或各行，使两者一致"
            ))
            .label_if(span.is_some(), format!("各行加起来是 {sum}")),
            FormError::HiddenDigits {
                cell,
                shown,
                stored,
                span,
            } => Zh::new(format!("{cell} 显示为 {shown}，实际存的是 {stored}"))
                .help(format!(
                    "jixiao 读取单元格存的值（{stored}），而不是显示出来的舍入值；如果本意是 {shown}，请在单元格中输入 {shown}"
                ))
                .label_if(span.is_some(), format!("存 {stored}，显示 {shown}")),
            FormError::HiddenText {
                cell,
                shown,
                stored,
                code,
                span,
            } => {
                let shows = match shown.as_str() {
                    "" => "什么也不显示".to_string(),
                    text => format!("显示为“{text}”"),
                };
                Zh::new(format!("{cell} {shows}，实际存的是 {stored}"))
                    .help(format!(
                        "jixiao 读取单元格存的值（{stored}）；它的数字格式 `{code}` 不显示这个数，打印出来的自评表上看不到它。如果本意是 {stored}，请把单元格格式改为能显示它的数值格式（设置单元格格式 → 数字 → 数值）；否则请输入本意的值"
                    ))
                    .label_if(span.is_some(), format!("存 {stored}，{shows}"))
            }
            FormError::NumberFormat {
                cell,
                stored,
                code,
                span,
            } => Zh::new(format!(
                "无法判断 {cell}（存的是 {stored}）显示的是什么数、是不是百分数：它的数字格式是 `{code}`"
            ))
            .help(
                "把单元格改为普通的数字格式（设置单元格格式 → 数字）：百分数用“百分比”（0.00%），其他用“数值”（0.00）；jixiao 只在确定数字由哪一节格式显示时才读取格式的分节和条件",
            )
            .label_if(span.is_some(), "显示的是哪个数？"),
        }
    }
}
