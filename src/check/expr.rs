//! Checking expressions: resolving names to input and let slots, and inferring types.

use super::{CheckError, Checker, Deps, closest};
use crate::diagnostics::Text;
use crate::model::{self, Func, IndicatorId, Type};
use crate::source::Span;
use crate::syntax::ast::{self, BinaryOp, UnaryOp};

/// The most digits `round` may keep (see [`crate::number::MAX_ROUND_DIGITS`]).
pub const MAX_ROUND_DIGITS: u32 = crate::number::MAX_ROUND_DIGITS;

impl Checker {
    /// Lowers one expression to the model and returns its type, or `None` when an error was
    /// already reported for it (so one slip does not cascade into many messages).
    pub(super) fn expr(
        &mut self,
        e: &ast::Expr,
        owner: Option<IndicatorId>,
        deps: &mut Deps,
    ) -> (model::Expr, Option<Type>) {
        use ast::ExprKind as A;
        use model::ExprKind as M;
        let (kind, ty) = match &e.kind {
            A::Number(n) => (M::Number(*n), Some(Type::Number)),
            A::Percent(n) => (M::Percent(*n), Some(Type::Number)),
            A::Text(t) => (M::Text(t.as_str().into()), Some(Type::Text)),
            A::Bool(b) => (M::Bool(*b), Some(Type::Bool)),
            A::Points => match owner {
                Some(id) => (M::Points(id), Some(Type::Number)),
                None => {
                    self.errors.push(CheckError::PointsOutside {
                        span: e.span.into(),
                    });
                    (M::Number(rust_decimal::Decimal::ZERO), None)
                }
            },
            A::Name(name) => self.name(name, deps),
            A::Unary(op, inner) => {
                let (inner_m, inner_ty) = self.expr(inner, owner, deps);
                let want = match op {
                    UnaryOp::Neg => Type::Number,
                    UnaryOp::Not => Type::Bool,
                };
                let what = match op {
                    UnaryOp::Neg => Text::new("the operand of `-`", "`-` 后面的值"),
                    UnaryOp::Not => Text::new("the operand of `not`", "`not` 后面的值"),
                };
                self.expect_type(inner_ty, want, what, inner.span);
                (M::Unary(*op, Box::new(inner_m)), inner_ty.map(|_| want))
            }
            A::Binary(op, l, r) => {
                let (lm, lt) = self.expr(l, owner, deps);
                let (rm, rt) = self.expr(r, owner, deps);
                let ty = self.binary(*op, (lt, l.span), (rt, r.span));
                self.comparison_units(*op, &lm, &rm);
                (M::Binary(*op, Box::new(lm), Box::new(rm)), ty)
            }
            A::If(c, t, f) => {
                let (cm, ct) = self.expr(c, owner, deps);
                self.expect_type(
                    ct,
                    Type::Bool,
                    Text::new("the condition of `if`", "`if` 的条件"),
                    c.span,
                );
                let (tm, tt) = self.expr(t, owner, deps);
                let (fm, ft) = self.expr(f, owner, deps);
                let ty = match (tt, ft) {
                    (Some(a), Some(b)) if a != b => {
                        self.errors.push(CheckError::TypeMismatch {
                            what: Text::new("the `else` branch", "`else` 分支"),
                            expected: a.words(),
                            found: b.words(),
                            span: f.span.into(),
                            help: Some(Text::new(
                                "both branches of `if` must give the same kind of value",
                                "`if` 的两个分支必须给出同一类值",
                            )),
                        });
                        None
                    }
                    (Some(a), Some(_)) => Some(a),
                    _ => None,
                };
                (M::If(Box::new([cm, tm, fm])), ty)
            }
            A::Call(callee, args) => self.call(callee, args, e.span, owner, deps),
        };
        (model::Expr { kind, span: e.span }, ty)
    }

    fn name(&mut self, name: &ast::Name, deps: &mut Deps) -> (model::ExprKind, Option<Type>) {
        if let Some(id) = self.scope.get(&name.text) {
            deps.lets.insert(id);
            return (model::ExprKind::Let(id), self.let_types[id.0]);
        }
        if let Some(&id) = self.input_ids.get(&name.text) {
            self.used_inputs.insert(id);
            let ty = self.inputs[id.0].ty.value_type();
            if matches!(ty, Type::TargetList | Type::FindingList) {
                self.errors.push(CheckError::TypeMismatch {
                    what: Text::new(
                        format!("`{}` in an expression", name.text),
                        format!("表达式中的 `{}`", name.text),
                    ),
                    expected: Text::new("a single value", "单个值"),
                    found: ty.words(),
                    span: name.span.into(),
                    help: Some(if ty == Type::TargetList {
                        Text::new(
                            format!("a list of targets is scored with `targets {} split equally` in its own indicator", name.text),
                            format!("绩效指标列表在它自己的指标中用 `targets {} split equally` 评分", name.text),
                        )
                    } else {
                        Text::new(
                            format!("findings are deducted with `deduct 1 per {}` in an indicator, and counted with `count({})`", name.text, name.text),
                            format!("问题清单在指标中用 `deduct 1 per {}` 扣分，用 `count({})` 计数", name.text, name.text),
                        )
                    }),
                });
                return (model::ExprKind::Input(id), None);
            }
            deps.inputs.insert(id);
            return (model::ExprKind::Input(id), Some(ty));
        }
        let hint = self.suggest(&name.text);
        self.errors.push(CheckError::UnknownName {
            name: name.text.clone(),
            span: name.span.into(),
            hint,
        });
        (model::ExprKind::Number(rust_decimal::Decimal::ZERO), None)
    }

    /// Both operands of `sym` must be of type `want`.
    fn both_sides(
        &mut self,
        sym: &str,
        want: Type,
        (lt, ls): (Option<Type>, Span),
        (rt, rs): (Option<Type>, Span),
    ) {
        for (ty, span, side, side_zh) in [(lt, ls, "left", "左"), (rt, rs, "right", "右")] {
            // The words are formatted only for a mismatch: most operands are right, and a
            // table of 100,000 indicators has as many operators.
            if ty.is_none_or(|t| t == want) {
                continue;
            }
            self.expect_type(
                ty,
                want,
                Text::new(
                    format!("the {side} side of `{sym}`"),
                    format!("`{sym}` {side_zh}边的值"),
                ),
                span,
            );
        }
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        (lt, ls): (Option<Type>, Span),
        (rt, rs): (Option<Type>, Span),
    ) -> Option<Type> {
        let sym = op.symbol();
        match op {
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                self.both_sides(sym, Type::Number, (lt, ls), (rt, rs));
                Some(Type::Number).filter(|_| lt == Some(Type::Number) && rt == Some(Type::Number))
            }
            BinaryOp::And | BinaryOp::Or => {
                self.both_sides(sym, Type::Bool, (lt, ls), (rt, rs));
                Some(Type::Bool)
            }
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                self.both_sides(sym, Type::Number, (lt, ls), (rt, rs));
                Some(Type::Bool)
            }
            BinaryOp::Eq | BinaryOp::Ne => {
                if let (Some(a), Some(b)) = (lt, rt)
                    && a != b
                {
                    self.errors.push(CheckError::TypeMismatch {
                        what: Text::new(
                            format!("the right side of `{sym}`"),
                            format!("`{sym}` 右边的值"),
                        ),
                        expected: a.words(),
                        found: b.words(),
                        span: rs.into(),
                        help: Some(Text::new(
                            format!(
                                "only values of the same kind can be compared; the left side is {}",
                                a.describe()
                            ),
                            format!("只有同一类的值才能比较；左边是{}", a.describe_zh()),
                        )),
                    });
                }
                Some(Type::Bool)
            }
        }
    }

    fn call(
        &mut self,
        callee: &ast::Name,
        args: &[ast::Expr],
        span: Span,
        owner: Option<IndicatorId>,
        deps: &mut Deps,
    ) -> (model::ExprKind, Option<Type>) {
        // `count(列表)`: the one place a list may stand in an expression.
        if callee.text == Func::Count.name()
            && let [arg] = args
            && let ast::ExprKind::Name(n) = &arg.kind
            && self.scope.get(&n.text).is_none()
            && let Some(&id) = self.input_ids.get(&n.text)
            && matches!(
                self.inputs[id.0].ty.value_type(),
                Type::TargetList | Type::FindingList
            )
        {
            self.used_inputs.insert(id);
            deps.inputs.insert(id);
            let list = model::Expr {
                kind: model::ExprKind::Input(id),
                span: arg.span,
            };
            return (
                model::ExprKind::Call(Func::Count, Box::new([list])),
                Some(Type::Number),
            );
        }
        let lowered: Vec<_> = args.iter().map(|a| self.expr(a, owner, deps)).collect();
        let Some(&(_, func)) = Func::ALL.iter().find(|(n, _)| *n == callee.text) else {
            let nearest = closest(&callee.text, Func::ALL.iter().map(|(n, _)| *n));
            self.errors.push(CheckError::UnknownFunction {
                name: callee.text.clone(),
                functions: Func::list(),
                nearest,
                span: callee.span.into(),
            });
            return (model::ExprKind::Number(rust_decimal::Decimal::ZERO), None);
        };
        let (expected, usage, ok) = match func {
            Func::Min | Func::Max => (
                Text::new("two or more numbers", "两个或更多数字"),
                Text::new("for example `min(执行率, 1)`", "例如 `min(执行率, 1)`"),
                args.len() >= 2,
            ),
            Func::Abs => (
                Text::new("one number", "一个数字"),
                Text::new("for example `abs(变动率)`", "例如 `abs(变动率)`"),
                args.len() == 1,
            ),
            Func::Floor => (
                Text::new("one number", "一个数字"),
                Text::new(
                    "for example `floor(超出百分点)` counts only whole points (不足一个不扣)",
                    "例如 `floor(超出百分点)` 只计整百分点（不足一个不扣）",
                ),
                args.len() == 1,
            ),
            Func::Ceil => (
                Text::new("one number", "一个数字"),
                Text::new(
                    "for example `ceil(超出百分点)` counts every point begun (不足一个按一个计)",
                    "例如 `ceil(超出百分点)` 把开始的每个百分点都计入（不足一个按一个计）",
                ),
                args.len() == 1,
            ),
            Func::Given => (
                Text::new("one optional input", "一个可选输入"),
                Text::new(
                    "for example `given(满意度)` holds when the data gives 满意度",
                    "例如数据中给了 满意度 时，`given(满意度)` 成立",
                ),
                args.len() == 1,
            ),
            Func::Count => (
                Text::new("one list", "一个列表"),
                Text::new(
                    "for example `count(问题清单)` is the number of findings",
                    "例如 `count(问题清单)` 是问题的条数",
                ),
                args.len() == 1,
            ),
            Func::Round => (
                Text::new(
                    "a number and the digits to keep",
                    "一个数字和要保留的小数位数",
                ),
                Text::new(
                    "for example `round(执行率, 4)` keeps 4 decimals, rounding as the header says",
                    "例如 `round(执行率, 4)` 按表头规定的舍入方式保留 4 位小数",
                ),
                args.len() == 2,
            ),
        };
        if !ok {
            self.errors.push(CheckError::Arity {
                func: func.name(),
                expected,
                found: args.len(),
                usage,
                span: span.into(),
            });
            return (model::ExprKind::Number(rust_decimal::Decimal::ZERO), None);
        }
        if func == Func::Given {
            let optional = match &lowered[0].0.kind {
                // An optional list left out is empty: `count(列表) == 0` asks that.
                model::ExprKind::Input(id) => {
                    self.inputs[id.0].optional
                        && !matches!(
                            self.inputs[id.0].ty.value_type(),
                            Type::TargetList | Type::FindingList
                        )
                }
                _ => false,
            };
            if !optional && lowered[0].1.is_some() {
                self.errors.push(CheckError::TypeMismatch {
                    what: Text::new("the argument of `given`", "`given` 的参数"),
                    expected: Text::new("an input declared `optional`", "声明为 `optional` 的输入"),
                    found: Text::new("something the data always gives", "数据总会给出的值"),
                    span: args[0].span.into(),
                    help: Some(Text::new(
                        "`given` asks whether the data gives an optional input: declare it `input 名称: 类型 optional`; for a list, ask `count(列表) == 0`",
                        "`given` 判断数据是否给出了一个可选输入：把它声明为 `input 名称: 类型 optional`；列表则用 `count(列表) == 0` 判断",
                    )),
                });
            }
            let args = lowered.into_iter().map(|(m, _)| m).collect();
            return (
                model::ExprKind::Call(func, args),
                Some(Type::Bool).filter(|_| optional),
            );
        }
        if func == Func::Count {
            // A list input was handled above; anything else is not a list.
            if let Some(ty) = lowered[0].1 {
                self.errors.push(CheckError::TypeMismatch {
                    what: Text::new("the argument of `count`", "`count` 的参数"),
                    expected: Text::new(
                        "a list input (`list of target` or `list of finding`)",
                        "列表输入（`list of target` 或 `list of finding`）",
                    ),
                    found: ty.words(),
                    span: args[0].span.into(),
                    help: None,
                });
            }
            return (model::ExprKind::Number(rust_decimal::Decimal::ZERO), None);
        }
        for (i, (arg, (_, ty))) in args.iter().zip(&lowered).enumerate() {
            if ty.is_none_or(|t| t == Type::Number) {
                continue;
            }
            self.expect_type(
                *ty,
                Type::Number,
                Text::new(
                    format!("argument {} of `{}`", i + 1, func.name()),
                    format!("`{}` 的第 {} 个参数", func.name(), i + 1),
                ),
                arg.span,
            );
        }
        if func == Func::Round {
            let digits_ok = matches!(&args[1].kind, ast::ExprKind::Number(n)
                if n.fract().is_zero() && *n >= rust_decimal::Decimal::ZERO
                    && *n <= rust_decimal::Decimal::from(MAX_ROUND_DIGITS));
            if !digits_ok {
                self.errors.push(CheckError::TypeMismatch {
                    what: Text::new("the digits of `round`", "`round` 的小数位数"),
                    expected: Text::new(
                        "a whole number from 0 to 10 written in the rule",
                        "直接写在规则中的 0 到 10 之间的整数",
                    ),
                    found: Text::new("something else", "别的值"),
                    span: args[1].span.into(),
                    help: Some(Text::new(
                        "write the digits as a plain number, for example `round(执行率, 4)`",
                        "把位数直接写成数字，例如 `round(执行率, 4)`",
                    )),
                });
            }
        }
        let all_ok = lowered.iter().all(|(_, t)| *t == Some(Type::Number));
        let args = lowered.into_iter().map(|(m, _)| m).collect();
        (
            model::ExprKind::Call(func, args),
            Some(Type::Number).filter(|_| all_ok),
        )
    }
}
