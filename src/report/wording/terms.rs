//! Expressions and values in words: a [`Term`] written with its names (the formula,
//! `全年执行数 ÷ 全年预算数`) or with the numbers in (`3151.09 ÷ 3156.9`), and a value as the data
//! gives it or as a formula computed it. Operators, yes/no and the names of lists follow the
//! language; names and text come from the files as they are.

use rust_decimal::Decimal;

use super::Lang;
use crate::model::{BinaryOp, UnaryOp, Unit};
use crate::number::{exact, short};
use crate::trace::{ListOf, Term, Value};

/// The expression with names: `全年执行数 ÷ 全年预算数`.
pub fn formula(term: &Term, lang: Lang) -> String {
    let mut out = String::new();
    write(&mut out, term, 0, false, false, lang);
    out
}

/// The expression with the numbers in: `3151.09 ÷ 3156.9`.
pub fn substituted(term: &Term, lang: Lang) -> String {
    let mut out = String::new();
    write(&mut out, term, 0, false, true, lang);
    out
}

/// Whether the expression, with the numbers in, shows a percentage (`95%`, an input read in
/// percent): a value beside it then needs no percentage of its own.
pub fn shows_percent(term: &Term) -> bool {
    match term {
        Term::Percent { .. } => true,
        Term::Input { value, .. } => matches!(
            value,
            Value::Number {
                unit: Unit::Percent,
                ..
            } | Value::Judgement(_)
        ),
        Term::Number { .. }
        | Term::Text { .. }
        | Term::Bool { .. }
        | Term::Let { .. }
        | Term::Points { .. } => false,
        Term::Unary { operand, .. } => shows_percent(operand),
        Term::Binary { left, right, .. } => shows_percent(left) || shows_percent(right),
        Term::If {
            condition,
            then,
            otherwise,
        } => shows_percent(condition) || shows_percent(then) || shows_percent(otherwise),
        Term::Call { args, value, .. } => value.is_none() && args.iter().any(shows_percent),
    }
}

/// The names an expression reads with their values, each once, in the order they appear:
/// `执行率 = 99.8%`. A rate is shown as a percentage, as the tables write it.
pub fn operands(term: &Term, lang: Lang) -> Vec<String> {
    fn walk(t: &Term, lang: Lang, out: &mut Vec<String>) {
        let named = match t {
            Term::Input { name, value } => Some(format!("{name} = {}", datum(value, lang))),
            Term::Let {
                name,
                value: Some(value),
            } => Some(format!("{name} = {}", rate_or_computed(value, lang))),
            Term::Let { value: None, .. }
            | Term::Number { .. }
            | Term::Percent { .. }
            | Term::Text { .. }
            | Term::Bool { .. }
            | Term::Points { .. } => None,
            Term::Unary { operand, .. } => {
                walk(operand, lang, out);
                None
            }
            Term::Binary { left, right, .. } => {
                walk(left, lang, out);
                walk(right, lang, out);
                None
            }
            Term::If {
                condition,
                then,
                otherwise,
            } => {
                walk(condition, lang, out);
                walk(then, lang, out);
                walk(otherwise, lang, out);
                None
            }
            Term::Call { args, .. } => {
                args.iter().for_each(|a| walk(a, lang, out));
                None
            }
        };
        if let Some(n) = named
            && !out.contains(&n)
        {
            out.push(n);
        }
    }
    let mut out = Vec::new();
    walk(term, lang, &mut out);
    out
}

/// A computed value, a rate (a percentage or a quotient of like amounts) as a percentage.
fn rate_or_computed(value: &Value, lang: Lang) -> String {
    match value {
        Value::Number {
            value,
            unit: Unit::Percent | Unit::Ratio,
        } => match value.0.checked_mul(Decimal::ONE_HUNDRED) {
            Some(p) => format!("{}%", short(p)),
            None => short(value.0),
        },
        other => computed(other, lang),
    }
}

/// A value as the data gives it: a number as written (a percentage with `%`), yes or no, text
/// in quotes, a list by its length, a judgement with its band and reason.
pub fn datum(value: &Value, lang: Lang) -> String {
    match (value, lang) {
        (
            Value::Number {
                value,
                unit: Unit::Percent,
            },
            _,
        ) => percent(value.0),
        (Value::Number { value, .. }, _) => value.0.to_string(),
        (Value::Bool { value }, _) => yes_no(*value, lang).into(),
        (Value::Text { value }, _) => quoted(value, lang),
        (
            Value::List {
                records,
                of: ListOf::Targets,
            },
            Lang::Zh,
        ) => format!("{records} 项"),
        (
            Value::List {
                records,
                of: ListOf::Findings,
            },
            Lang::Zh,
        ) => format!("{records} 例"),
        (
            Value::List {
                records,
                of: ListOf::Targets,
            },
            Lang::En,
        ) => format!("{records} target{}", plural(*records)),
        (
            Value::List {
                records,
                of: ListOf::Findings,
            },
            Lang::En,
        ) => format!("{records} finding{}", plural(*records)),
        (Value::Absent, Lang::Zh) => "（未填报）".into(),
        (Value::Absent, Lang::En) => "(not given)".into(),
        (Value::Judgement(j), Lang::Zh) => {
            format!("{}（{}；理由：{}）", percent(j.rate.0), j.band, j.reason)
        }
        (Value::Judgement(j), Lang::En) => {
            format!("{} ({}; reason: {})", percent(j.rate.0), j.band, j.reason)
        }
    }
}

/// A computed value, short: a number cut to the digits a reader needs (never rounded).
pub fn computed(value: &Value, lang: Lang) -> String {
    match value {
        Value::Number { value, .. } => short(value.0),
        Value::Bool { value } => yes_no(*value, lang).into(),
        Value::Text { value } => quoted(value, lang),
        Value::Judgement(j) => percent(j.rate.0),
        Value::List { .. } | Value::Absent => datum(value, lang),
    }
}

/// Text from the files in quotes: `“单位成本”` among Chinese words, `"单位成本"` among English
/// ones (as the rule file writes a text).
pub fn quoted(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("“{text}”"),
        Lang::En => format!("\"{text}\""),
    }
}

pub fn yes_no(value: bool, lang: Lang) -> &'static str {
    match (value, lang) {
        (true, Lang::Zh) => "是",
        (false, Lang::Zh) => "否",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A fraction as a percentage, exactly: 0.955 is `95.5%`.
fn percent(fraction: Decimal) -> String {
    match fraction.checked_mul(Decimal::ONE_HUNDRED) {
        Some(p) => format!("{}%", exact(p)),
        None => exact(fraction),
    }
}

/// How the trace writes an operator: the forms on a printed score table.
pub fn operator(op: BinaryOp, lang: Lang) -> &'static str {
    match (op, lang) {
        (BinaryOp::Or, Lang::Zh) => "或",
        (BinaryOp::And, Lang::Zh) => "且",
        (BinaryOp::Or, Lang::En) => "or",
        (BinaryOp::And, Lang::En) => "and",
        (BinaryOp::Eq, _) => "=",
        (BinaryOp::Ne, _) => "≠",
        (BinaryOp::Lt, _) => "<",
        (BinaryOp::Le, _) => "≤",
        (BinaryOp::Gt, _) => ">",
        (BinaryOp::Ge, _) => "≥",
        (BinaryOp::Add, _) => "+",
        (BinaryOp::Sub, _) => "−",
        (BinaryOp::Mul, _) => "×",
        (BinaryOp::Div, _) => "÷",
    }
}

fn write(out: &mut String, t: &Term, parent: u8, right: bool, values: bool, lang: Lang) {
    match t {
        Term::Number { value } => out.push_str(&exact(value.0)),
        Term::Percent { value } => {
            out.push_str(&exact(value.0));
            out.push('%');
        }
        Term::Text { value } => out.push_str(&quoted(value, lang)),
        Term::Bool { value } => out.push_str(yes_no(*value, lang)),
        // In a formula, a judgement is its rate; the band and reason are on the input line.
        Term::Input { value, .. } if values => out.push_str(&match value {
            Value::Judgement(j) => percent(j.rate.0),
            other => datum(other, lang),
        }),
        Term::Input { name, .. } => out.push_str(name),
        Term::Let {
            value: Some(value), ..
        } if values => out.push_str(&computed(value, lang)),
        Term::Let { name, .. } => out.push_str(name),
        Term::Points { value } if values => out.push_str(&short(value.0)),
        Term::Points { .. } => out.push_str(match lang {
            Lang::Zh => "分值",
            Lang::En => "points",
        }),
        Term::Unary { op, operand } => {
            let (sym, prec) = match (op, lang) {
                (UnaryOp::Neg, _) => ("−", 7),
                (UnaryOp::Not, Lang::Zh) => ("非 ", 3),
                (UnaryOp::Not, Lang::En) => ("not ", 3),
            };
            let paren = prec < parent;
            if paren {
                out.push('(');
            }
            out.push_str(sym);
            write(out, operand, prec, true, values, lang);
            if paren {
                out.push(')');
            }
        }
        Term::Binary { op, left, right: r } => {
            let prec = op.precedence();
            let paren = prec < parent || (prec == parent && right);
            if paren {
                out.push('(');
            }
            write(out, left, prec, false, values, lang);
            out.push(' ');
            out.push_str(operator(*op, lang));
            out.push(' ');
            write(out, r, prec, true, values, lang);
            if paren {
                out.push(')');
            }
        }
        Term::If {
            condition,
            then,
            otherwise,
        } => {
            let paren = parent > 0;
            if paren {
                out.push('(');
            }
            let (if_, then_, else_) = match lang {
                Lang::Zh => ("如果 ", " 则 ", " 否则 "),
                Lang::En => ("if ", " then ", " else "),
            };
            out.push_str(if_);
            write(out, condition, 0, false, values, lang);
            out.push_str(then_);
            write(out, then, 0, false, values, lang);
            out.push_str(else_);
            write(out, otherwise, 0, false, values, lang);
            if paren {
                out.push(')');
            }
        }
        // With the data in, `given(满意度)` is 是 or 否, and `count(问题清单)` its number.
        Term::Call {
            value: Some(value), ..
        } if values => out.push_str(&computed(value, lang)),
        Term::Call { func, args, .. } => {
            out.push_str(func.name());
            out.push('(');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(out, a, 0, false, values, lang);
            }
            out.push(')');
        }
    }
}
