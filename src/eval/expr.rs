//! Evaluating one expression. The checker has typed every expression, so a number is met
//! where a number is expected; anything else is an internal error, never a silent 0.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::{Ctx, EvalError, Value};
use crate::data::Datum;
use crate::model::{BinaryOp, Expr, ExprKind, Func, UnaryOp};
use crate::number;
use crate::report::Lang;

impl<R: super::Recorder + ?Sized> Ctx<'_, R> {
    pub(super) fn eval(&mut self, e: &Expr) -> Result<Value, EvalError> {
        Ok(match &e.kind {
            ExprKind::Number(n) => Value::Num(*n),
            ExprKind::Percent(n) => Value::Num(self.arith(e, n.checked_div(Decimal::ONE_HUNDRED))?),
            ExprKind::Text(t) => Value::Text(t.to_string()),
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
                        indicator: self.name(),
                        span: e.span.into(),
                    });
                }
            },
            ExprKind::Let(id) => self.let_value(*id)?,
            ExprKind::Points(id) => Value::Num(self.rb.indicator(*id).points),
            ExprKind::Unary(UnaryOp::Neg, inner) => Value::Num(-self.number(inner)?),
            ExprKind::Unary(UnaryOp::Not, inner) => Value::Bool(!self.holds(inner)?),
            ExprKind::Binary(op, l, r) => self.binary(e, *op, l, r)?,
            ExprKind::If(ctf) => {
                let [c, t, f] = &**ctf;
                if self.holds(c)? {
                    self.rec.reach(e.span, super::Part::Then);
                    self.eval(t)?
                } else {
                    self.rec.reach(e.span, super::Part::Else);
                    self.eval(f)?
                }
            }
            // Asked before the argument is read: reading an absent input is an error.
            ExprKind::Call(Func::Given, args) => Value::Bool(match args.first().map(|a| &a.kind) {
                Some(ExprKind::Input(id)) => !matches!(self.dept.values[id.0], Datum::Absent),
                _ => false,
            }),
            ExprKind::Call(func, args) => {
                let Some((first, rest)) = args.split_first() else {
                    return Err(EvalError::Mistyped {
                        indicator: self.name(),
                        span: e.span.into(),
                    });
                };
                let first = self.number(first)?;
                Value::Num(match func {
                    Func::Min | Func::Max => {
                        let mut acc = first;
                        for a in rest {
                            let n = self.number(a)?;
                            acc = if *func == Func::Min {
                                acc.min(n)
                            } else {
                                acc.max(n)
                            };
                        }
                        acc
                    }
                    Func::Abs | Func::Count | Func::Given => first.abs(),
                    Func::Floor => first.floor(),
                    Func::Ceil => first.ceil(),
                    Func::Round => {
                        // The checker allows only a whole number from 0 to 10 written in the
                        // rule, but it may be written `1.0`: its value counts, not its digits.
                        let digits = match rest.first() {
                            Some(d) => {
                                let n = self.number(d)?;
                                n.to_u32().filter(|_| n.fract().is_zero()).ok_or_else(|| {
                                    EvalError::Mistyped {
                                        indicator: self.name(),
                                        span: d.span.into(),
                                    }
                                })?
                            }
                            None => 0,
                        };
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
            let left = self.holds(l)?;
            if left == (op == BinaryOp::Or) {
                return Ok(Value::Bool(left));
            }
            return Ok(Value::Bool(self.holds(r)?));
        }
        if let BinaryOp::Eq | BinaryOp::Ne = op {
            let (a, b) = (self.eval(l)?, self.eval(r)?);
            return Ok(Value::Bool((a == b) == (op == BinaryOp::Eq)));
        }
        let (x, y) = (self.number(l)?, self.number(r)?);
        Ok(match op {
            BinaryOp::Add => Value::Num(self.arith(e, x.checked_add(y))?),
            BinaryOp::Sub => Value::Num(self.arith(e, x.checked_sub(y))?),
            BinaryOp::Mul => Value::Num(self.arith(e, x.checked_mul(y))?),
            BinaryOp::Div => {
                if y.is_zero() {
                    return Err(EvalError::DivisionByZero {
                        indicator: self.name(),
                        divisor: crate::report::wording::formula(&self.term(r), Lang::En),
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
            indicator: self.name(),
            inputs: self.inputs_note(e),
            span: e.span.into(),
        })
    }

    /// The inputs an expression reads and their values, for an error's help.
    fn inputs_note(&self, e: &Expr) -> super::error::Read {
        let mut read: Vec<(String, crate::trace::Value)> = Vec::new();
        e.walk(&mut |x| {
            if let ExprKind::Input(id) = x.kind
                && !read.iter().any(|(n, _)| *n == self.rb.inputs[id.0].name)
            {
                read.push((self.rb.inputs[id.0].name.clone(), self.datum(id.0)));
            }
        });
        super::error::Read(read)
    }
}
