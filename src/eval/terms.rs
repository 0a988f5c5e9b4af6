//! The trace's view of expressions and values: an [`Expr`] of the checked rules with the value of
//! every name in it ([`Term`]), and a datum or a computed value with what it measures
//! ([`trace::Value`]). Built only for a recorder that keeps steps; the words are the printers'.

use rust_decimal::Decimal;

use super::{Ctx, Value};
use crate::data::Datum;
use crate::model::{Expr, ExprKind, Func, Unit};
use crate::trace::{self, Dec, ListOf, Term};

impl<R: super::Recorder + ?Sized> Ctx<'_, R> {
    /// `e` with the value of every input, `let` and `points` in it.
    pub(super) fn term(&self, e: &Expr) -> Term {
        let boxed = |e: &Expr| Box::new(self.term(e));
        match &e.kind {
            ExprKind::Number(n) => Term::Number { value: Dec(*n) },
            ExprKind::Percent(n) => Term::Percent { value: Dec(*n) },
            ExprKind::Text(t) => Term::Text {
                value: t.to_string(),
            },
            ExprKind::Bool(b) => Term::Bool { value: *b },
            ExprKind::Input(id) => Term::Input {
                name: self.rb.inputs[id.0].name.as_str().into(),
                value: self.datum(id.0),
            },
            ExprKind::Let(id) => Term::Let {
                name: self.rb.lets[id.0].name.as_str().into(),
                value: self.lets[id.0]
                    .as_ref()
                    .map(|v| self.computed(v, self.rb.lets[id.0].unit)),
            },
            ExprKind::Points(id) => Term::Points {
                value: Dec(self.rb.indicator(*id).points),
            },
            ExprKind::Unary(op, inner) => Term::Unary {
                op: *op,
                operand: boxed(inner),
            },
            ExprKind::Binary(op, l, r) => Term::Binary {
                op: *op,
                left: boxed(l),
                right: boxed(r),
            },
            ExprKind::If(ctf) => {
                let [c, t, f] = &**ctf;
                Term::If {
                    condition: boxed(c),
                    then: boxed(t),
                    otherwise: boxed(f),
                }
            }
            ExprKind::Call(func, args) => {
                let first = args.first().map(|a| &a.kind);
                // A count and a given are shown by their result: `count(问题清单)` is 2.
                let value = match (func, first) {
                    (Func::Given, Some(ExprKind::Input(id))) => Some(trace::Value::Bool {
                        value: !matches!(self.dept.values[id.0], Datum::Absent),
                    }),
                    (Func::Count, Some(ExprKind::Input(id))) => Some(trace::Value::Number {
                        value: Dec(Decimal::from(match &self.dept.values[id.0] {
                            Datum::Targets(r) => r.len(),
                            Datum::Findings(f) => f.len(),
                            Datum::Number(_)
                            | Datum::Bool(_)
                            | Datum::Text(_)
                            | Datum::Judgement { .. }
                            | Datum::Absent => 0,
                        })),
                        unit: Unit::Count,
                    }),
                    (
                        Func::Given
                        | Func::Count
                        | Func::Min
                        | Func::Max
                        | Func::Abs
                        | Func::Round
                        | Func::Floor
                        | Func::Ceil,
                        _,
                    ) => None,
                };
                Term::Call {
                    func: *func,
                    args: args.iter().map(|a| self.term(a)).collect(),
                    value,
                }
            }
        }
    }

    /// An input's value as the data gives it, with the unit its declared type says.
    pub(super) fn datum(&self, id: usize) -> trace::Value {
        let ty = self.rb.inputs[id].ty;
        match &self.dept.values[id] {
            Datum::Number(n) => trace::Value::Number {
                value: Dec(*n),
                unit: ty.unit(),
            },
            Datum::Bool(b) => trace::Value::Bool { value: *b },
            Datum::Text(t) => trace::Value::Text { value: t.clone() },
            Datum::Targets(r) => trace::Value::List {
                records: r.len(),
                of: ListOf::Targets,
            },
            Datum::Findings(f) => trace::Value::List {
                records: f.len(),
                of: ListOf::Findings,
            },
            Datum::Absent => trace::Value::Absent,
            Datum::Judgement { rate, band, reason } => {
                trace::Value::Judgement(Box::new(trace::Judgement {
                    rate: Dec(*rate),
                    band: band.clone(),
                    reason: reason.clone(),
                }))
            }
        }
    }

    /// A computed value; a number measures `unit`.
    pub(super) fn computed(&self, v: &Value, unit: Unit) -> trace::Value {
        match v {
            Value::Num(n) => trace::Value::Number {
                value: Dec(*n),
                unit,
            },
            Value::Bool(b) => trace::Value::Bool { value: *b },
            Value::Text(t) => trace::Value::Text { value: t.clone() },
        }
    }
}
