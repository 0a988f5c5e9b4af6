//! Evaluating one expression, and writing it out twice for the trace: with names (the
//! formula) and with the numbers substituted.

use rust_decimal::Decimal;

use super::{Ctx, EvalError, Value};
use crate::data::Datum;
use crate::model::{BinaryOp, Expr, ExprKind, Func, InputType, UnaryOp};
use crate::number;

impl Ctx<'_> {
    pub(super) fn eval(&mut self, e: &Expr) -> Result<Value, EvalError> {
        Ok(match &e.kind {
            ExprKind::Number(n) => Value::Num(*n),
            ExprKind::Percent(n) => Value::Num(self.arith(e, n.checked_div(Decimal::ONE_HUNDRED))?),
            ExprKind::Text(t) => Value::Text(t.clone()),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Input(id) => match &self.dept.values[id.0] {
                Datum::Number(n) => Value::Num(*n),
                Datum::Bool(b) => Value::Bool(*b),
                Datum::Text(t) => Value::Text(t.clone()),
                // The checker lets a list into an expression only as the argument of `count`.
                Datum::Targets(r) => Value::Num(Decimal::from(r.len())),
                Datum::Findings(f) => Value::Num(Decimal::from(f.len())),
                Datum::Judgement { rate, .. } => Value::Num(*rate),
                Datum::Absent => {
                    return Err(EvalError::Absent {
                        input: self.rb.inputs[id.0].name.clone(),
                        indicator: self.indicator.clone(),
                        span: e.span.into(),
                    });
                }
            },
            ExprKind::Let(id) => self.let_value(*id)?,
            ExprKind::Points(id) => Value::Num(self.rb.indicator(*id).points),
            ExprKind::Unary(op, inner) => match (op, self.eval(inner)?) {
                (UnaryOp::Neg, Value::Num(n)) => Value::Num(-n),
                (UnaryOp::Not, Value::Bool(b)) => Value::Bool(!b),
                (_, v) => v,
            },
            ExprKind::Binary(op, l, r) => self.binary(e, *op, l, r)?,
            ExprKind::If(c, t, f) => {
                if self.eval(c)? == Value::Bool(true) {
                    self.reach(e.span, super::Part::Then);
                    self.eval(t)?
                } else {
                    self.reach(e.span, super::Part::Else);
                    self.eval(f)?
                }
            }
            // Asked before the argument is read: reading an absent input is an error.
            ExprKind::Call(Func::Given, args) => Value::Bool(match args.first().map(|a| &a.kind) {
                Some(ExprKind::Input(id)) => !matches!(self.dept.values[id.0], Datum::Absent),
                _ => false,
            }),
            ExprKind::Call(func, args) => {
                let mut nums = Vec::with_capacity(args.len());
                for a in args {
                    nums.push(self.eval(a)?.num());
                }
                let first = nums.first().copied().unwrap_or_default();
                Value::Num(match func {
                    Func::Min => nums.iter().copied().fold(first, Decimal::min),
                    Func::Max => nums.iter().copied().fold(first, Decimal::max),
                    Func::Abs | Func::Count | Func::Given => first.abs(),
                    Func::Floor => first.floor(),
                    Func::Ceil => first.ceil(),
                    Func::Round => {
                        let digits = nums
                            .get(1)
                            .and_then(|d| u32::try_from(d.mantissa()).ok())
                            .unwrap_or(0);
                        number::round(first, self.rb.rounding.mode, digits)
                    }
                })
            }
        })
    }

    fn binary(&mut self, e: &Expr, op: BinaryOp, l: &Expr, r: &Expr) -> Result<Value, EvalError> {
        // `and` and `or` look at the right side only when they must, so a guard such as
        // `预算数 > 0 and 执行数 / 预算数 > 0.9` cannot divide by zero.
        if matches!(op, BinaryOp::And | BinaryOp::Or) {
            let left = self.eval(l)? == Value::Bool(true);
            if left == (op == BinaryOp::Or) {
                return Ok(Value::Bool(left));
            }
            return Ok(Value::Bool(self.eval(r)? == Value::Bool(true)));
        }
        let (a, b) = (self.eval(l)?, self.eval(r)?);
        if let BinaryOp::Eq | BinaryOp::Ne = op {
            return Ok(Value::Bool((a == b) == (op == BinaryOp::Eq)));
        }
        let (x, y) = (a.num(), b.num());
        Ok(match op {
            BinaryOp::Add => Value::Num(self.arith(e, x.checked_add(y))?),
            BinaryOp::Sub => Value::Num(self.arith(e, x.checked_sub(y))?),
            BinaryOp::Mul => Value::Num(self.arith(e, x.checked_mul(y))?),
            BinaryOp::Div => {
                if y.is_zero() {
                    return Err(EvalError::DivisionByZero {
                        indicator: self.indicator.clone(),
                        divisor: self.formula(r),
                        inputs: self.inputs_note(r),
                        span: r.span.into(),
                    });
                }
                Value::Num(self.arith(e, x.checked_div(y))?)
            }
            BinaryOp::Lt => Value::Bool(x < y),
            BinaryOp::Le => Value::Bool(x <= y),
            BinaryOp::Gt => Value::Bool(x > y),
            BinaryOp::Ge => Value::Bool(x >= y),
            BinaryOp::And | BinaryOp::Or | BinaryOp::Eq | BinaryOp::Ne => Value::Bool(false),
        })
    }

    /// A checked arithmetic result, or a located overflow error.
    fn arith(&self, e: &Expr, result: Option<Decimal>) -> Result<Decimal, EvalError> {
        result.ok_or_else(|| EvalError::Overflow {
            indicator: self.indicator.clone(),
            inputs: self.inputs_note(e),
            span: e.span.into(),
        })
    }

    /// "with 全年预算数 = 0; " for the inputs an expression reads, for error help.
    fn inputs_note(&self, e: &Expr) -> String {
        let mut parts = Vec::new();
        walk_inputs(e, &mut |id| {
            let s = format!("{} = {}", self.rb.inputs[id].name, self.input_text(id));
            if !parts.contains(&s) {
                parts.push(s);
            }
        });
        if parts.is_empty() {
            String::new()
        } else {
            format!("with {}; ", parts.join(", "))
        }
    }

    /// An input's value as the trace shows it: as written in the data, percentages with `%`.
    pub(super) fn input_text(&self, id: usize) -> String {
        match &self.dept.values[id] {
            Datum::Number(n) if self.rb.inputs[id].ty == InputType::Percent => {
                match n.checked_mul(Decimal::ONE_HUNDRED) {
                    Some(p) => format!("{}%", number::exact(p)),
                    None => number::exact(*n),
                }
            }
            Datum::Number(n) => n.to_string(),
            Datum::Bool(b) => if *b { "是" } else { "否" }.to_string(),
            Datum::Text(t) => format!("“{t}”"),
            Datum::Targets(r) => format!("{} 项", r.len()),
            Datum::Findings(f) => format!("{} 例", f.len()),
            Datum::Absent => "（未填报）".to_string(),
            Datum::Judgement { rate, band, reason } => {
                let rate = rate.checked_mul(Decimal::ONE_HUNDRED).map_or_else(
                    || number::exact(*rate),
                    |p| format!("{}%", number::exact(p)),
                );
                format!("{rate}（{band}；理由：{reason}）")
            }
        }
    }

    /// The expression with names: `全年执行数 ÷ 全年预算数`.
    pub(super) fn formula(&self, e: &Expr) -> String {
        let mut out = String::new();
        self.write(&mut out, e, 0, false, false);
        out
    }

    /// The expression with the numbers in: `3151.09 ÷ 3156.9`.
    pub(super) fn substituted(&self, e: &Expr) -> String {
        let mut out = String::new();
        self.write(&mut out, e, 0, false, true);
        out
    }

    fn write(&self, out: &mut String, e: &Expr, parent: u8, right: bool, values: bool) {
        match &e.kind {
            ExprKind::Number(n) => out.push_str(&number::exact(*n)),
            ExprKind::Percent(n) => {
                out.push_str(&number::exact(*n));
                out.push('%');
            }
            ExprKind::Text(t) => out.push_str(&format!("“{t}”")),
            ExprKind::Bool(b) => out.push_str(if *b { "是" } else { "否" }),
            // In a formula, a judgement is its rate; the band and reason are on the input line.
            ExprKind::Input(id) if values => match &self.dept.values[id.0] {
                Datum::Judgement { rate, .. } => {
                    out.push_str(&rate.checked_mul(Decimal::ONE_HUNDRED).map_or_else(
                        || number::exact(*rate),
                        |p| format!("{}%", number::exact(p)),
                    ))
                }
                _ => out.push_str(&self.input_text(id.0)),
            },
            ExprKind::Input(id) => out.push_str(&self.rb.inputs[id.0].name),
            ExprKind::Let(id) if values => match self.lets[id.0].as_ref() {
                Some(v) => out.push_str(&v.show()),
                None => out.push_str(&self.rb.lets[id.0].name),
            },
            ExprKind::Let(id) => out.push_str(&self.rb.lets[id.0].name),
            ExprKind::Points(id) if values => {
                out.push_str(&number::short(self.rb.indicator(*id).points))
            }
            ExprKind::Points(_) => out.push_str("分值"),
            ExprKind::Unary(op, inner) => {
                let (sym, prec) = match op {
                    UnaryOp::Neg => ("−", 7),
                    UnaryOp::Not => ("非 ", 3),
                };
                let paren = prec < parent;
                if paren {
                    out.push('(');
                }
                out.push_str(sym);
                self.write(out, inner, prec, true, values);
                if paren {
                    out.push(')');
                }
            }
            ExprKind::Binary(op, l, r) => {
                let prec = op.precedence();
                let paren = prec < parent || (prec == parent && right);
                if paren {
                    out.push('(');
                }
                self.write(out, l, prec, false, values);
                out.push_str(&format!(" {} ", op.symbol()));
                self.write(out, r, prec, true, values);
                if paren {
                    out.push(')');
                }
            }
            ExprKind::If(c, t, f) => {
                let paren = parent > 0;
                if paren {
                    out.push('(');
                }
                out.push_str("if ");
                self.write(out, c, 0, false, values);
                out.push_str(" then ");
                self.write(out, t, 0, false, values);
                out.push_str(" else ");
                self.write(out, f, 0, false, values);
                if paren {
                    out.push(')');
                }
            }
            // With the data in, `given(满意度)` is 是 or 否.
            ExprKind::Call(Func::Given, args) if values => {
                let given = match args.first().map(|a| &a.kind) {
                    Some(ExprKind::Input(id)) => !matches!(self.dept.values[id.0], Datum::Absent),
                    _ => false,
                };
                out.push_str(if given { "是" } else { "否" });
            }
            // With the numbers in, a count is its number: `count(问题清单)` = 2.
            ExprKind::Call(Func::Count, args) if values => {
                let n = match args.first().map(|a| &a.kind) {
                    Some(ExprKind::Input(id)) => match &self.dept.values[id.0] {
                        Datum::Targets(r) => r.len(),
                        Datum::Findings(f) => f.len(),
                        _ => 0,
                    },
                    _ => 0,
                };
                out.push_str(&n.to_string());
            }
            ExprKind::Call(func, args) => {
                out.push_str(func.name());
                out.push('(');
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.write(out, a, 0, false, values);
                }
                out.push(')');
            }
        }
    }
}

fn walk_inputs(e: &Expr, f: &mut impl FnMut(usize)) {
    match &e.kind {
        ExprKind::Input(id) => f(id.0),
        ExprKind::Unary(_, a) => walk_inputs(a, f),
        ExprKind::Binary(_, a, b) => {
            walk_inputs(a, f);
            walk_inputs(b, f);
        }
        ExprKind::If(a, b, c) => {
            walk_inputs(a, f);
            walk_inputs(b, f);
            walk_inputs(c, f);
        }
        ExprKind::Call(_, args) => args.iter().for_each(|a| walk_inputs(a, f)),
        _ => {}
    }
}
