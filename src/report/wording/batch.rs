//! The words of `jixiao batch`: the heads of the summary's columns, the status of a row and the
//! totals, in Chinese and English side by side; the layout is `batch::summary`'s.

use super::Lang;

/// The heads of the summary's columns, in the order of `batch::Row`'s fields as written.
pub fn heads(lang: Lang) -> [&'static str; 10] {
    match lang {
        Lang::Zh => [
            "部门",
            "合计",
            "评级",
            "扣分",
            "扣分最多的指标",
            "状态",
            "位置",
            "说明",
            "自评总分",
            "总分差异",
        ],
        Lang::En => [
            "Department",
            "Total",
            "Rating",
            "Points lost",
            "Most points lost",
            "Status",
            "Location",
            "Message",
            "Reported total",
            "Total − reported",
        ],
    }
}

/// The status of a department scored.
pub fn ok(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "正常",
        Lang::En => "ok",
    }
}

/// The name of the sheet of rows in a spreadsheet summary.
pub fn rows_sheet(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "部门",
        Lang::En => "Departments",
    }
}

/// The name of the sheet of totals in a spreadsheet summary, and the heading of the totals.
pub fn totals_sheet(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "汇总",
        Lang::En => "Totals",
    }
}

/// The labels of the totals, one a line: departments, scored, failed, sum, mean, min, max.
pub fn totals_labels(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Zh => [
            "部门数",
            "已计分",
            "无法计分",
            "合计之和",
            "平均",
            "最低",
            "最高",
        ],
        Lang::En => [
            "Departments",
            "Scored",
            "Failed",
            "Sum of totals",
            "Mean",
            "Min",
            "Max",
        ],
    }
}

/// The count of one rating band: `评级 优`, `Rating 优`.
pub fn rating_count(label: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("评级 {label}"),
        Lang::En => format!("Rating {label}"),
    }
}

/// The last line on standard error when departments failed.
pub fn failed(failed: usize, departments: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{departments} 个部门中 {failed} 个无法计分"),
        Lang::En => format!("{failed} of {departments} departments could not be scored"),
    }
}

/// The line on standard error when `--fail-fast` stopped the run.
pub fn stopped(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "已按 --fail-fast 在第一个无法计分的部门处停止",
        Lang::En => "stopped at the first department that could not be scored (--fail-fast)",
    }
}

/// The line on standard error when the run was interrupted.
pub fn interrupted(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "已中断：汇总文件未写入，已写入的计算过程文件均完整",
        Lang::En => "interrupted: the summary was not written; every trace file written is whole",
    }
}

/// After the first error of a department, how many more it has.
pub fn more_errors(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("（另有 {n} 个错误）"),
        Lang::En => format!(" (and {n} more)"),
    }
}
