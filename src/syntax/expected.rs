//! Turns pest's failure into a diagnostic that names what was expected in words ("a number",
//! "the keyword `points`") instead of grammar rule names, and recognises the slips a Chinese
//! input method makes (full-width punctuation where ASCII is meant).

use std::collections::BTreeSet;

use pest::error::{Error, ErrorVariant, InputLocation};

use super::Rule;
use super::error::SyntaxError;
use crate::source::Span;

/// Describes a failure of parsing `text[base..]`; pest's offsets are relative to `base`.
pub(super) fn describe(err: &Error<Rule>, text: &str, base: usize) -> SyntaxError {
    let mut words = BTreeSet::new();
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
                    words.extend(rule_in_words(rule).map(str::to_string));
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
                        .map(str::to_string),
                );
            }
            if let Some(attempts) = attempts {
                add_punctuation(&mut words, attempts.expected_tokens());
            }
        }
    }
    // Everything that can start an operand is "an expression"; listing each is noise.
    if words.contains("an expression") {
        words.retain(|w| !OPERAND_WORDS.contains(&w.as_str()));
    }
    // Where any statement of a block may come, naming every keyword is a wall of text.
    let statements = words
        .iter()
        .filter(|w| STATEMENT_WORDS.contains(&w.as_str()))
        .count();
    if statements >= 3 {
        words.retain(|w| !STATEMENT_WORDS.contains(&w.as_str()));
        words.insert(
            "a statement (`score`, `basis`, `let`, `indicator`, `tiers`, `deduct`, …)".into(),
        );
    }
    let at = (base + at).min(text.len());
    let slip = slip(text, at, &words);
    let expected = join_alternatives(words.into_iter().collect());
    let (mut found, span) = found_at(text, at);
    if slip.opened.is_some_and(|(_, label)| label == UNCLOSED_TEXT) {
        found = "a text that is never closed".into();
    }
    SyntaxError::Unexpected {
        label: format!("expected {expected} here"),
        expected,
        found,
        span: span.into(),
        help: slip.help,
        opened: slip.opened.map(|(span, _)| span.into()),
        opened_label: slip.opened.map(|(_, l)| l).unwrap_or_default().to_string(),
    }
}

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
fn add_punctuation(words: &mut BTreeSet<String>, tokens: Vec<impl ToString>) {
    for token in tokens {
        // pest's token type is not nameable outside pest, so it is read through its display form.
        let token = token.to_string();
        if ["{", "}", ":", "=", ",", "(", ")"].contains(&token.as_str()) {
            words.insert(format!("`{token}`"));
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
fn found_at(text: &str, at: usize) -> (String, Span) {
    let rest = &text[at.min(text.len())..];
    let Some(first) = rest.chars().next() else {
        return ("the end of the file".into(), Span::new(at, at));
    };
    if first.is_alphanumeric() || first == '_' {
        let len: usize = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .map(char::len_utf8)
            .sum();
        (format!("`{}`", &rest[..len]), Span::new(at, at + len))
    } else if first == '\n' || first == '\r' {
        ("the end of the line".into(), Span::new(at, at))
    } else if first.is_control() {
        // Printing a NUL or an escape byte would garble the terminal; name it instead.
        (
            format!("the control character U+{:04X}", u32::from(first)),
            Span::new(at, at + first.len_utf8()),
        )
    } else {
        (format!("`{first}`"), Span::new(at, at + first.len_utf8()))
    }
}

const UNCLOSED_TEXT: &str = "this text is never closed";

/// Targeted help for a slip an auditor is likely to have made, and where an unclosed quote or
/// brace was opened.
#[derive(Default)]
struct Slip {
    help: Option<String>,
    opened: Option<(Span, &'static str)>,
}

fn slip(text: &str, at: usize, expected: &BTreeSet<String>) -> Slip {
    let rest = &text[at..];
    let before = &text[..at];
    let line_start = crate::source::lines::start(text, at);
    let expects = |w: &str| expected.contains(w);
    let line_end = crate::source::lines::end(text, at);
    let at_line_end = rest.is_empty() || rest.starts_with(['\n', '\r']);
    // A text whose closing quote is missing: the parser stops at its opening quote or at the
    // end of its line.
    if (at_line_end || expects("a quoted text \"…\""))
        && let Some(open) = unclosed_quote(&text[line_start..line_end])
    {
        return Slip {
            help: Some(
                "close the text with `\"` on the same line; a text cannot run over a line break"
                    .into(),
            ),
            opened: Some((
                Span::new(line_start + open, line_start + open + 1),
                UNCLOSED_TEXT,
            )),
        };
    }
    if rest.is_empty() && expects("`}`") {
        if let Some(open) = unclosed_brace(text) {
            return Slip {
                help: Some("add the `}` that closes this block".into()),
                opened: Some((Span::new(open, open + 1), "this `{` is never closed")),
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
        '=' if !rest.starts_with("==") && expects("an operator") => Some(
            "to compare two values write `==`; a single `=` only names a value in `let`"
                .to_string(),
        ),
        '，' if before.ends_with(|p: char| p.is_ascii_digit())
            && rest['，'.len_utf8()..].starts_with(|n: char| n.is_ascii_digit()) =>
        {
            Some("write numbers without thousands separators: 3156.9, not 3，156.9".into())
        }
        c if c.is_ascii_digit() && expects("the keyword `points`") => {
            Some("write `points` before the number: `indicator 名称 points 10 {`".into())
        }
        c if (c.is_alphabetic()) && expects("an expression") && starts_statement(rest) => {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            Some(format!(
                "the expression before `{word}` is unfinished: an operator needs a value on its right"
            ))
        }
        _ => full_width(c),
    };
    Slip { help, opened: None }
}

/// A keyword where a name was meant, or a keyword run together with what follows it. Chinese
/// has no spaces between words, so both come easily: `令 得分 = …` names a value with the
/// keyword `得分`, and `得分执行率` is one word, a name, not `得分` then `执行率`.
fn keyword_slip(text: &str, at: usize, name_expected: bool) -> Option<String> {
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
        return Some(format!(
            "`{word}` is a keyword (`{}` or `{}`), so it cannot be a name: write it in backticks, `` `{word}` ``, or choose another name",
            kw.en, kw.zh
        ));
    }
    // Parsing stopped inside a word right after a keyword it starts with.
    let head = &text[start..at];
    if start < at && at < end && keyword(head).is_some() {
        return Some(format!(
            "`{word}` is one word, so it is read as a name; a keyword is a whole word: to write the keyword `{head}`, put a space after it"
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
fn full_width(c: char) -> Option<String> {
    let ascii = match c {
        '：' => ":",
        '，' => ",",
        '（' => "(",
        '）' => ")",
        '｛' => "{",
        '｝' => "}",
        '“' | '”' => "\"",
        '；' => "a line break (statements need no `;`)",
        '％' => "%",
        '＝' => "=",
        '＋' => "+",
        '－' => "-",
        '＞' => ">",
        '＜' => "<",
        '０'..='９' => "0-9",
        ';' => return Some("statements need no `;`: remove it".into()),
        c if c.is_control() && c != '\t' => {
            return Some(
                "the file holds an invisible control character, perhaps pasted from a Word document or another program: delete it".into(),
            );
        }
        _ => return None,
    };
    Some(format!(
        "`{c}` is a full-width character from the Chinese input method; type the ASCII {ascii} instead (switch the input method to English punctuation)"
    ))
}

fn join_alternatives(mut words: Vec<String>) -> String {
    match words.len() {
        0 => "something else".into(),
        1 => words.remove(0),
        _ => {
            let last = words.pop().unwrap_or_default();
            format!("{} or {}", words.join(", "), last)
        }
    }
}

fn rule_in_words(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        EOI => "the end of the file",
        rulebook | kw_rulebook => "the keyword `rulebook`",
        total | kw_total | round_total => "the keyword `total`",
        rounding | kw_round => "the keyword `round`",
        round_mode | kw_half_up | kw_half_even | kw_truncate => {
            "a rounding mode (`half_up`/`四舍五入`, `half_even`/`银行家舍入`, `truncate`/`截断`)"
        }
        round_place => "where rounding applies (`each indicator`, `each value` or `total`)",
        round_values | kw_value => "the keyword `value`",
        round_each | kw_each => "the keyword `each`",
        indicator | kw_indicator => "the keyword `indicator`",
        rating | kw_rating => "the keyword `rating`",
        band => "a rating band such as `优 >= 90`",
        band_op => "`>=` or `>`",
        input_decl | kw_input => "the keyword `input`",
        type_name | scalar_type | list_type => {
            "a type (`money`, `number`, `percent`, `count`, `yesno`, `text`, `list of target` or `list of finding`)"
        }
        kw_money | kw_number | kw_percent | kw_count | kw_yesno | kw_text | kw_list
        | kw_target_list_zh | kw_finding_list_zh => "a type",
        kw_of | kw_of_zh => "the keyword `of`",
        kw_target => "`target` or `finding`",
        let_decl | kw_let => "the keyword `let`",
        indicator_name => "an indicator name",
        kw_points | points_ref => "the keyword `points`",
        basis | kw_basis => "the keyword `basis`",
        score_rule | kw_score => "the keyword `score`",
        targets_rule | kw_targets => "the keyword `targets`",
        tiers_rule | kw_tiers => "the keyword `tiers`",
        tier | tier_range | tier_between | tier_side => {
            "a tier such as `80%(含)-90% => 2` or `>= 95% => 6`"
        }
        tier_bound | tier_value => "a bound such as `90%` or `90%(含)`",
        tier_score => "a score (a number, `points`, or arithmetic)",
        deduct_rule | kw_deduct => "the keyword `deduct`",
        checklist_rule | kw_checklist => "the keyword `checklist`",
        category_rule | kw_category => "the keyword `category`",
        category_arm => "a value in quotes or `else`, then `=>` and its points",
        one_of_type | kw_one | kw_one_of_zh => "`one of` and the values in quotes",
        alternatives => "`one of` (alternatives)",
        optional | kw_optional => "the keyword `optional`",
        input_range | input_both => "a range such as `> 0` or `0%..100%`",
        kw_to => "the keyword `to`",
        import_decl | kw_import => "the keyword `import`",
        overrides | kw_override => "the keyword `override`",
        not_applicable | kw_not_applicable => "`not applicable if …`",
        na_policy | kw_full | kw_exclude | kw_redistribute => {
            "what becomes of the points: `full`, `exclude` or `redistribute`"
        }
        judgement_type | kw_judgement => "`judgement` and its bands, or a scale's name",
        scale_decl | kw_scale => "the keyword `scale`",
        judgement_band => "a band such as `\"达成\" => 80%(含)-100%(含)`",
        check_item => "an item such as `是否设定绩效目标 => 2`",
        veto_item | kw_veto => "the keyword `veto`",
        per_point | per_finding | kw_per => {
            "`per` (a list of findings, or a unit such as `1% above 100% of …`)"
        }
        deduct_if => "`per` or `if`",
        started | kw_started => "the keyword `started`",
        whole | kw_whole => "the keyword `whole`",
        above | below | kw_above | kw_below => "`above` or `below`",
        kw_finding => "the keyword `finding`",
        tier_op => "`>=`, `>`, `<=`, `<` or `=`",
        tier_word => "`以上` or `以下`",
        tier_prefix => "`超过` or `低于`",
        tier_mark => "`(含)` or `(不含)`",
        kw_split | kw_split_equally_zh | kw_split_by_zh => "`split` or `count`",
        count_ratio | kw_overshoot => "`count` (optionally `overshoot 30%`)",
        split | split_equally | split_by | kw_equally | kw_by => "`equally` or `by` a field",
        expr | paren | if_expr | call | boolean | op_neg | op_not | kw_not | kw_not_zh => {
            "an expression"
        }
        op_or | op_and | op_eq | op_ne | op_le | op_ge | op_lt | op_gt | op_add | op_sub
        | op_mul | op_div | kw_or | kw_and | kw_or_zh | kw_and_zh => "an operator",
        callee => "a function name",
        kw_if => "the keyword `if`",
        kw_then => "the keyword `then`",
        kw_else => "the keyword `else`",
        kw_true | kw_false => "`true` or `false`",
        percent => "a percentage",
        number => "a number",
        integer => "a whole number",
        string | string_inner => "a quoted text \"…\"",
        name | ident | quoted_name | quoted_inner | field_points => "a name",
        _ => return None,
    })
}
