//! Turns pest's failure into a diagnostic that names what was expected in words ("a number",
//! "the keyword `points`") instead of grammar rule names, and recognises the slips a Chinese
//! input method makes (full-width punctuation where ASCII is meant).

use std::collections::BTreeMap;

use pest::error::{Error, ErrorVariant, InputLocation};

use super::Rule;
use super::error::SyntaxError;
use crate::diagnostics::Text;
use crate::source::Span;

/// Describes a failure of parsing `text[base..]`; pest's offsets are relative to `base`.
pub(super) fn describe(err: &Error<Rule>, text: &str, base: usize) -> SyntaxError {
    // Each expected thing in English (the key, which orders them) and in Chinese.
    let mut words: Words = BTreeMap::new();
    let classic = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((p, _)) => p,
    };
    let mut at = classic;
    match err.parse_attempts() {
        // The attempts see past the point where the last whole rule failed (for example up to
        // the `：` in `input 名：money`), so they place the error where the slip is. They also
        // record the lookahead after a keyword (`basis` then a space); a furthest point on white
        // space is that, and the classic position is the better one.
        Some(attempts)
            if attempts.max_position > classic
                && text[base..]
                    .get(attempts.max_position..)
                    .and_then(|t| t.chars().next())
                    .is_some_and(|c| !c.is_whitespace()) =>
        {
            at = attempts.max_position;
            for stack in &attempts.call_stacks {
                if let Some(rule) = attempted_rule(&format!("{:?}", stack.deepest)) {
                    words.extend(rule_in_words(rule).map(|(en, zh)| (en.into(), zh.into())));
                }
            }
            add_punctuation(&mut words, attempts.expected_tokens());
        }
        attempts => {
            if let ErrorVariant::ParsingError { positives, .. } = &err.variant {
                words.extend(
                    positives
                        .iter()
                        .filter_map(|r| rule_in_words(*r))
                        .map(|(en, zh)| (en.into(), zh.into())),
                );
            }
            if let Some(attempts) = attempts {
                add_punctuation(&mut words, attempts.expected_tokens());
            }
        }
    }
    // Everything that can start an operand is "an expression"; listing each is noise.
    if words.contains_key("an expression") {
        words.retain(|w, _| !OPERAND_WORDS.contains(&w.as_str()));
    }
    // Where any statement of a block may come, naming every keyword is a wall of text.
    let statements = words
        .keys()
        .filter(|w| STATEMENT_WORDS.contains(&w.as_str()))
        .count();
    if statements >= 3 {
        words.retain(|w, _| !STATEMENT_WORDS.contains(&w.as_str()));
        words.insert(
            "a statement (`score`, `basis`, `let`, `indicator`, `tiers`, `deduct`, …)".into(),
            "语句（`score`、`basis`、`let`、`indicator`、`tiers`、`deduct` 等）".into(),
        );
    }
    let at = (base + at).min(text.len());
    let slip = slip(text, at, &words);
    let (en, zh): (Vec<String>, Vec<String>) = words.into_iter().unzip();
    let expected = Text::new(
        crate::diagnostics::alternatives(en),
        crate::diagnostics::alternatives_zh(zh),
    );
    let (mut found, span) = found_at(text, at);
    if slip
        .opened
        .as_ref()
        .is_some_and(|(_, label)| label.en == UNCLOSED_TEXT)
    {
        found = Text::new("a text that is never closed", "没有结束引号的文字");
    }
    SyntaxError::Unexpected {
        label: Text::new(
            format!("expected {} here", expected.en),
            format!("这里应当是{}", expected.zh),
        ),
        expected,
        found,
        span: span.into(),
        help: slip.help,
        opened: slip.opened.as_ref().map(|(span, _)| (*span).into()),
        opened_label: slip.opened.map(|(_, l)| l).unwrap_or_default(),
    }
}

/// What the parser expected: each thing in English, with its Chinese.
type Words = BTreeMap<String, String>;

/// Words that "an expression" already covers.
const OPERAND_WORDS: [&str; 8] = [
    "a function name",
    "a name",
    "a number",
    "a percentage",
    "a quoted text \"…\"",
    "the keyword `if`",
    "the keyword `points`",
    "`(`",
];

/// The keywords that start a statement inside an indicator block.
const STATEMENT_WORDS: [&str; 10] = [
    "`not applicable if …`",
    "the keyword `basis`",
    "the keyword `category`",
    "the keyword `checklist`",
    "the keyword `deduct`",
    "the keyword `indicator`",
    "the keyword `let`",
    "the keyword `score`",
    "the keyword `targets`",
    "the keyword `tiers`",
];

/// Punctuation the grammar writes as literals (not rules), when pest tried it at the error.
fn add_punctuation(words: &mut Words, tokens: Vec<impl ToString>) {
    for token in tokens {
        // pest's token type is not nameable outside pest, so it is read through its display form.
        let token = token.to_string();
        if ["{", "}", ":", "=", ",", "(", ")"].contains(&token.as_str()) {
            words.insert(format!("`{token}`"), format!("`{token}`"));
        }
    }
}

/// The rule in pest's debug form of a parse attempt (`Rule(kw_points)`), if it is a rule.
fn attempted_rule(debug: &str) -> Option<Rule> {
    let name = debug.strip_prefix("Rule(")?.strip_suffix(')')?;
    Rule::all_rules()
        .iter()
        .copied()
        .find(|r| format!("{r:?}") == name)
}

/// The token the parser stopped at, for the message, and its span.
fn found_at(text: &str, at: usize) -> (Text, Span) {
    let rest = &text[at.min(text.len())..];
    let Some(first) = rest.chars().next() else {
        return (
            Text::new("the end of the file", "文件末尾"),
            Span::new(at, at),
        );
    };
    if first.is_alphanumeric() || first == '_' {
        let len: usize = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .map(char::len_utf8)
            .sum();
        let word = format!("`{}`", &rest[..len]);
        (Text::new(word.clone(), word), Span::new(at, at + len))
    } else if first == '\n' || first == '\r' {
        (Text::new("the end of the line", "行末"), Span::new(at, at))
    } else if first.is_control() {
        // Printing a NUL or an escape byte would garble the terminal; name it instead.
        let code = u32::from(first);
        (
            Text::new(
                format!("the control character U+{code:04X}"),
                format!("控制字符 U+{code:04X}"),
            ),
            Span::new(at, at + first.len_utf8()),
        )
    } else {
        let c = format!("`{first}`");
        (
            Text::new(c.clone(), c),
            Span::new(at, at + first.len_utf8()),
        )
    }
}

const UNCLOSED_TEXT: &str = "this text is never closed";

/// Targeted help for a slip an auditor is likely to have made, and where an unclosed quote or
/// brace was opened.
#[derive(Default)]
struct Slip {
    help: Option<Text>,
    opened: Option<(Span, Text)>,
}

fn slip(text: &str, at: usize, expected: &Words) -> Slip {
    let rest = &text[at..];
    let before = &text[..at];
    let line_start = crate::source::lines::start(text, at);
    let expects = |w: &str| expected.contains_key(w);
    let line_end = crate::source::lines::end(text, at);
    let at_line_end = rest.is_empty() || rest.starts_with(['\n', '\r']);
    // A text whose closing quote is missing: the parser stops at its opening quote or at the
    // end of its line.
    if (at_line_end || expects("a quoted text \"…\""))
        && let Some(open) = unclosed_quote(&text[line_start..line_end])
    {
        return Slip {
            help: Some(Text::new(
                "close the text with `\"` on the same line; a text cannot run over a line break",
                "在同一行用 `\"` 结束这段文字；文字不能跨行",
            )),
            opened: Some((
                Span::new(line_start + open, line_start + open + 1),
                Text::new(UNCLOSED_TEXT, "这段文字没有结束引号"),
            )),
        };
    }
    if rest.is_empty() && expects("`}`") {
        if let Some(open) = unclosed_brace(text) {
            return Slip {
                help: Some(Text::new(
                    "add the `}` that closes this block",
                    "补上结束这个块的 `}`",
                )),
                opened: Some((
                    Span::new(open, open + 1),
                    Text::new("this `{` is never closed", "这个 `{` 没有对应的 `}`"),
                )),
            };
        }
    }
    if let Some(help) = keyword_slip(text, at, expects("a name")) {
        return Slip {
            help: Some(help),
            opened: None,
        };
    }
    let Some(c) = rest.chars().next() else {
        return Slip::default();
    };
    let help = match c {
        '=' if !rest.starts_with("==") && expects("an operator") => Some(Text::new(
            "to compare two values write `==`; a single `=` only names a value in `let`",
            "比较两个值要写 `==`；单个 `=` 只用于 `let` 给值命名",
        )),
        '，' if before.ends_with(|p: char| p.is_ascii_digit())
            && rest['，'.len_utf8()..].starts_with(|n: char| n.is_ascii_digit()) =>
        {
            Some(Text::new(
                "write numbers without thousands separators: 3156.9, not 3，156.9",
                "数字不要写千位分隔符：写 3156.9，而不是 3，156.9",
            ))
        }
        c if c.is_ascii_digit() && expects("the keyword `points`") => Some(Text::new(
            "write `points` before the number: `indicator 名称 points 10 {`",
            "在数字前写上 `points`：`indicator 名称 points 10 {`",
        )),
        c if (c.is_alphabetic()) && expects("an expression") && starts_statement(rest) => {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            Some(Text::new(
                format!(
                    "the expression before `{word}` is unfinished: an operator needs a value on its right"
                ),
                format!("`{word}` 前面的表达式没有写完：运算符右边还需要一个值"),
            ))
        }
        _ => full_width(c),
    };
    Slip { help, opened: None }
}

/// A keyword where a name was meant, or a keyword run together with what follows it. Chinese
/// has no spaces between words, so both come easily: `令 得分 = …` names a value with the
/// keyword `得分`, and `得分执行率` is one word, a name, not `得分` then `执行率`.
fn keyword_slip(text: &str, at: usize, name_expected: bool) -> Option<Text> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let start = at
        - text[..at]
            .chars()
            .rev()
            .take_while(|c| is_word(*c))
            .map(char::len_utf8)
            .sum::<usize>();
    let end = at
        + text[at..]
            .chars()
            .take_while(|c| is_word(*c))
            .map(char::len_utf8)
            .sum::<usize>();
    let keyword = |word: &str| {
        super::keywords::ALL
            .iter()
            .find(|w| w.en == word || w.zh == word)
            .copied()
    };
    let word = &text[start..end];
    if name_expected && let Some(kw) = keyword(word) {
        return Some(Text::new(
            format!(
                "`{word}` is a keyword (`{}` or `{}`), so it cannot be a name: write it in backticks, `` `{word}` ``, or choose another name",
                kw.en, kw.zh
            ),
            format!(
                "`{word}` 是关键字（`{}` 或 `{}`），不能用作名称：把它写在反引号中，`` `{word}` ``，或者换一个名称",
                kw.en, kw.zh
            ),
        ));
    }
    // Parsing stopped inside a word right after a keyword it starts with.
    let head = &text[start..at];
    if start < at && at < end && keyword(head).is_some() {
        return Some(Text::new(
            format!(
                "`{word}` is one word, so it is read as a name; a keyword is a whole word: to write the keyword `{head}`, put a space after it"
            ),
            format!(
                "`{word}` 连在一起，会被当作一个名称；关键字必须单独成词：要写关键字 `{head}`，在它后面加一个空格"
            ),
        ));
    }
    None
}

fn starts_statement(rest: &str) -> bool {
    super::keywords::STATEMENTS
        .iter()
        .flat_map(|w| [w.en, w.zh])
        .any(|kw| {
            rest.starts_with(kw)
                && !rest[kw.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
        })
}

/// The offset of the opening `"` of a text left open on this line, if one is.
fn unclosed_quote(line: &str) -> Option<usize> {
    let mut open = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            '\\' if open.is_some() && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => open = if open.is_some() { None } else { Some(i) },
            '/' if open.is_none() && line[i..].starts_with("//") => break,
            _ => {}
        }
        escaped = false;
    }
    open
}

/// The innermost `{` that is never closed, skipping strings and comments.
fn unclosed_brace(text: &str) -> Option<usize> {
    let mut stack = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' => stack.push(i),
            '}' => {
                stack.pop();
            }
            '"' | '`' => {
                while let Some(&(_, d)) = chars.peek() {
                    if crate::source::lines::is_break(d) {
                        break;
                    }
                    chars.next();
                    if d == c {
                        break;
                    }
                }
            }
            '/' if text[i..].starts_with("//") => {
                while chars
                    .peek()
                    .is_some_and(|&(_, d)| !crate::source::lines::is_break(d))
                {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    stack.pop()
}

/// Full-width punctuation typed by a Chinese input method where the language wants ASCII.
fn full_width(c: char) -> Option<Text> {
    let (ascii, ascii_zh) = match c {
        '：' => (":", ":"),
        '，' => (",", ","),
        '（' => ("(", "("),
        '）' => (")", ")"),
        '｛' => ("{", "{"),
        '｝' => ("}", "}"),
        '“' | '”' => ("\"", "\""),
        '；' => (
            "a line break (statements need no `;`)",
            "换行（语句不需要 `;`）",
        ),
        '％' => ("%", "%"),
        '＝' => ("=", "="),
        '＋' => ("+", "+"),
        '－' => ("-", "-"),
        '＞' => (">", ">"),
        '＜' => ("<", "<"),
        '０'..='９' => ("0-9", "0-9"),
        ';' => {
            return Some(Text::new(
                "statements need no `;`: remove it",
                "语句不需要 `;`：删去它",
            ));
        }
        c if c.is_control() && c != '\t' => {
            return Some(Text::new(
                "the file holds an invisible control character, perhaps pasted from a Word document or another program: delete it",
                "文件中有看不见的控制字符，可能是从 Word 文档或其他程序粘贴进来的：删除它",
            ));
        }
        _ => return None,
    };
    Some(Text::new(
        format!(
            "`{c}` is a full-width character from the Chinese input method; type the ASCII {ascii} instead (switch the input method to English punctuation)"
        ),
        format!(
            "`{c}` 是中文输入法打出的全角字符；请改为半角的 {ascii_zh}（把输入法切换到英文标点）"
        ),
    ))
}

/// A rule in words, in English and in Chinese.
fn rule_in_words(rule: Rule) -> Option<(&'static str, &'static str)> {
    use Rule::*;
    Some(match rule {
        EOI => ("the end of the file", "文件末尾"),
        rulebook | kw_rulebook => ("the keyword `rulebook`", "关键字 `rulebook`"),
        total | kw_total | round_total => ("the keyword `total`", "关键字 `total`"),
        rounding | kw_round => ("the keyword `round`", "关键字 `round`"),
        round_mode | kw_half_up | kw_half_even | kw_truncate => (
            "a rounding mode (`half_up`/`四舍五入`, `half_even`/`银行家舍入`, `truncate`/`截断`)",
            "舍入方式（`half_up`/`四舍五入`、`half_even`/`银行家舍入`、`truncate`/`截断`）",
        ),
        round_place => (
            "where rounding applies (`each indicator`, `each value` or `total`)",
            "舍入的位置（`each indicator`、`each value` 或 `total`）",
        ),
        round_values | kw_value => ("the keyword `value`", "关键字 `value`"),
        round_each | kw_each => ("the keyword `each`", "关键字 `each`"),
        indicator | kw_indicator => ("the keyword `indicator`", "关键字 `indicator`"),
        rating | kw_rating => ("the keyword `rating`", "关键字 `rating`"),
        band => (
            "a rating band such as `优 >= 90`",
            "评级档次，例如 `优 >= 90`",
        ),
        band_op => ("`>=` or `>`", "`>=` 或 `>`"),
        input_decl | kw_input => ("the keyword `input`", "关键字 `input`"),
        type_name | scalar_type | list_type => (
            "a type (`money`, `number`, `percent`, `count`, `yesno`, `text`, `list of target` or `list of finding`)",
            "类型（`money`、`number`、`percent`、`count`、`yesno`、`text`、`list of target` 或 `list of finding`）",
        ),
        kw_money | kw_number | kw_percent | kw_count | kw_yesno | kw_text | kw_list
        | kw_target_list_zh | kw_finding_list_zh => ("a type", "类型"),
        kw_of | kw_of_zh => ("the keyword `of`", "关键字 `of`"),
        kw_target => ("`target` or `finding`", "`target` 或 `finding`"),
        let_decl | kw_let => ("the keyword `let`", "关键字 `let`"),
        indicator_name => ("an indicator name", "指标名称"),
        kw_points | points_ref => ("the keyword `points`", "关键字 `points`"),
        basis | kw_basis => ("the keyword `basis`", "关键字 `basis`"),
        score_rule | kw_score => ("the keyword `score`", "关键字 `score`"),
        targets_rule | kw_targets => ("the keyword `targets`", "关键字 `targets`"),
        tiers_rule | kw_tiers => ("the keyword `tiers`", "关键字 `tiers`"),
        tier | tier_range | tier_between | tier_side => (
            "a tier such as `80%(含)-90% => 2` or `>= 95% => 6`",
            "档次，例如 `80%(含)-90% => 2` 或 `>= 95% => 6`",
        ),
        tier_bound | tier_value => (
            "a bound such as `90%` or `90%(含)`",
            "界限，例如 `90%` 或 `90%(含)`",
        ),
        tier_score => (
            "a score (a number, `points`, or arithmetic)",
            "得分（数字、`points` 或算式）",
        ),
        deduct_rule | kw_deduct => ("the keyword `deduct`", "关键字 `deduct`"),
        checklist_rule | kw_checklist => ("the keyword `checklist`", "关键字 `checklist`"),
        category_rule | kw_category => ("the keyword `category`", "关键字 `category`"),
        category_arm => (
            "a value in quotes or `else`, then `=>` and its points",
            "引号中的取值或 `else`，然后是 `=>` 和分值",
        ),
        one_of_type | kw_one | kw_one_of_zh => (
            "`one of` and the values in quotes",
            "`one of` 和引号中的各个取值",
        ),
        alternatives => ("`one of` (alternatives)", "`one of`（备选指标）"),
        optional | kw_optional => ("the keyword `optional`", "关键字 `optional`"),
        input_range | input_both => (
            "a range such as `> 0` or `0%..100%`",
            "取值范围，例如 `> 0` 或 `0%..100%`",
        ),
        kw_to => ("the keyword `to`", "关键字 `to`"),
        import_decl | kw_import => ("the keyword `import`", "关键字 `import`"),
        overrides | kw_override => ("the keyword `override`", "关键字 `override`"),
        not_applicable | kw_not_applicable => ("`not applicable if …`", "`not applicable if …`"),
        na_policy | kw_full | kw_exclude | kw_redistribute => (
            "what becomes of the points: `full`, `exclude` or `redistribute`",
            "分值的处理方式：`full`、`exclude` 或 `redistribute`",
        ),
        judgement_type | kw_judgement => (
            "`judgement` and its bands, or a scale's name",
            "`judgement` 及其各档，或等级标准的名称",
        ),
        scale_decl | kw_scale => ("the keyword `scale`", "关键字 `scale`"),
        judgement_band => (
            "a band such as `\"达成\" => 80%(含)-100%(含)`",
            "等级，例如 `\"达成\" => 80%(含)-100%(含)`",
        ),
        check_item => (
            "an item such as `是否设定绩效目标 => 2`",
            "检查项，例如 `是否设定绩效目标 => 2`",
        ),
        veto_item | kw_veto => ("the keyword `veto`", "关键字 `veto`"),
        per_point | per_finding | kw_per => (
            "`per` (a list of findings, or a unit such as `1% above 100% of …`)",
            "`per`（问题清单，或单位，例如 `1% above 100% of …`）",
        ),
        deduct_if => ("`per` or `if`", "`per` 或 `if`"),
        started | kw_started => ("the keyword `started`", "关键字 `started`"),
        whole | kw_whole => ("the keyword `whole`", "关键字 `whole`"),
        above | below | kw_above | kw_below => ("`above` or `below`", "`above` 或 `below`"),
        kw_finding => ("the keyword `finding`", "关键字 `finding`"),
        tier_op => ("`>=`, `>`, `<=`, `<` or `=`", "`>=`、`>`、`<=`、`<` 或 `=`"),
        tier_word => ("`以上` or `以下`", "`以上` 或 `以下`"),
        tier_prefix => ("`超过` or `低于`", "`超过` 或 `低于`"),
        tier_mark => ("`(含)` or `(不含)`", "`(含)` 或 `(不含)`"),
        kw_split | kw_split_equally_zh | kw_split_by_zh => {
            ("`split` or `count`", "`split` 或 `count`")
        }
        count_ratio | kw_overshoot => (
            "`count` (optionally `overshoot 30%`)",
            "`count`（可以加 `overshoot 30%`）",
        ),
        split | split_equally | split_by | kw_equally | kw_by => {
            ("`equally` or `by` a field", "`equally` 或 `by` 某个字段")
        }
        expr | paren | if_expr | call | boolean | op_neg | op_not | kw_not | kw_not_zh => {
            ("an expression", "表达式")
        }
        op_or | op_and | op_eq | op_ne | op_le | op_ge | op_lt | op_gt | op_add | op_sub
        | op_mul | op_div | kw_or | kw_and | kw_or_zh | kw_and_zh => ("an operator", "运算符"),
        callee => ("a function name", "函数名"),
        kw_if => ("the keyword `if`", "关键字 `if`"),
        kw_then => ("the keyword `then`", "关键字 `then`"),
        kw_else => ("the keyword `else`", "关键字 `else`"),
        kw_true | kw_false => ("`true` or `false`", "`true` 或 `false`"),
        percent => ("a percentage", "百分数"),
        number => ("a number", "数字"),
        integer => ("a whole number", "整数"),
        string | string_inner => ("a quoted text \"…\"", "引号中的文字 \"…\""),
        name | ident | quoted_name | quoted_inner | field_points => ("a name", "名称"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::alternatives_zh as join_alternatives_zh;

    #[test]
    fn an_alternative_with_its_own_or_is_set_off_from_the_last() {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_alternatives_zh(words(&["`:`", "名称"])), "`:`或名称");
        assert_eq!(
            join_alternatives_zh(words(&["`}`", "档次，例如 `a` 或 `b`", "运算符"])),
            "`}`、档次，例如 `a` 或 `b`；或者运算符"
        );
    }
}
