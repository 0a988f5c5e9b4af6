//! How evaluation reports what happened. The evaluator computes scores and hands typed facts to
//! a [`Recorder`]: the indicators it enters and leaves, the [`Step`]s of each (only when the
//! recorder keeps them, so that no step is built otherwise), and the parts of the rules it
//! reached. Three recorders exist: [`Tracer`] builds the [`Node`] tree of a trace, [`Coverage`]
//! notes the parts reached for `jixiao test --coverage`, and `()` records nothing, which is the
//! fast path for scoring many departments. [`Both`] runs two at once.

use std::ptr::NonNull;

use compact_str::CompactString;
use rust_decimal::Decimal;

use super::Coverage;
use super::coverage::Part;
use crate::source::Span;
use crate::trace::{Dec, Location, Loss, Node, Rare, Step, Steps};

/// What an evaluation reports to. Every method does nothing unless a recorder wants it.
pub trait Recorder {
    /// Whether this recorder keeps indicators and steps. When it does not, the evaluator never
    /// builds them: no names are copied and no step is made.
    fn keeps_steps(&self) -> bool {
        false
    }

    /// An indicator (or a target record under a split) begins.
    fn enter(&mut self, _head: Head) {}

    /// A step of the indicator entered last.
    fn step(&mut self, _step: Step) {}

    /// The steps of the indicator entered last, for a recorder that holds them where the next
    /// one can be built in place (a [`Tracer`]); `None` for the others, which are handed each
    /// step by [`Recorder::step`].
    fn steps(&mut self) -> Option<&mut Steps> {
        None
    }

    /// The indicator entered last is about to hold `children` indicators (a hint, so that a
    /// tree is built without growing its lists).
    fn reserve_children(&mut self, _children: usize) {}

    /// The indicator entered last ends, out of `points`, with `score`.
    fn leave(&mut self, _points: Decimal, _score: Decimal) {}

    /// A part of the rules was reached (a branch, a tier, a cap …), for coverage.
    fn reach(&mut self, _span: Span, _part: Part) {}
}

/// What is known of an indicator when it begins: the parts of its node that no step says.
#[derive(Clone, Debug)]
pub struct Head {
    pub name: CompactString,
    pub location: Location,
    pub basis: Option<String>,
    /// For a group of target records under a form's 一级指标 (1) or 二级指标 (2).
    pub level: Option<u8>,
    /// The score the department reported for it (自评得分).
    pub reported: Option<Decimal>,
    /// A target record's other columns, as written.
    pub columns: Vec<(String, String)>,
}

impl Head {
    /// An indicator of the rules, or a target record: no level.
    pub fn new(name: CompactString, location: Location, basis: Option<String>) -> Head {
        Head {
            name,
            location,
            basis,
            level: None,
            reported: None,
            columns: Vec::new(),
        }
    }
}

/// Records nothing: scores only.
impl Recorder for () {}

/// Builds the indicator tree of a trace, in place: an indicator entered is put where it
/// stands in the tree at once, and its steps and children are added to it there, so that no
/// node is moved from a stack of open ones to its parent when it is left.
#[derive(Debug, Default)]
pub struct Tracer {
    /// The top-level indicators entered so far, with everything entered under them.
    roots: Vec<Node>,
    /// The indicators entered and not yet left, outermost first, each where it stands in the
    /// tree: each step and each leave goes to the last one without walking down to it from the
    /// top (about five walks a target record, 4% of recording a trace).
    ///
    /// A node open stays where it is until it is left: a node moves only when the list holding
    /// it grows, and that list grows only when a sibling is entered, after the node was left
    /// (the ones above it are in other lists, which do not grow either while it is open).
    open: Vec<NonNull<Node>>,
    /// Whether any indicator entered carries a score the department reported (most data give
    /// none: the trace then has no differences to look for).
    reported: bool,
    /// Every leaf left so far that lost points, in tree order (leaves are left in tree order):
    /// [`crate::trace::losses`] as the tree is built, without walking it again after.
    losses: Vec<Loss>,
}

// SAFETY: the pointers in `open` point into the nodes the tracer owns (in `roots`): moved to
// another thread, the tracer takes them with it; and they are read only through `&mut self`,
// so a tracer shared between threads reads none of them.
unsafe impl Send for Tracer {}
// SAFETY: as for `Send`: `&Tracer` gives no way to reach the nodes through `open`.
unsafe impl Sync for Tracer {}

impl Tracer {
    /// A tracer for a rule set of `roots` top-level indicators: room for them, and for the
    /// indicators open at once (an indicator, a level or two of a form, a record), is made once.
    pub fn with_roots(roots: usize) -> Tracer {
        Tracer {
            roots: Vec::with_capacity(roots),
            open: Vec::with_capacity(4),
            reported: false,
            losses: Vec::new(),
        }
    }

    /// Whether any indicator entered carries a score the department reported.
    pub fn reports(&self) -> bool {
        self.reported
    }

    /// The top-level indicators, in tree order.
    pub fn into_roots(self) -> Vec<Node> {
        self.roots
    }

    /// The top-level indicators, in tree order, and the leaves that lost points as
    /// [`crate::trace::losses`] lists them (the largest loss first, ties in tree order).
    pub fn into_parts(self) -> (Vec<Node>, Vec<Loss>) {
        let mut losses = self.losses;
        crate::trace::rank(&mut losses);
        (self.roots, losses)
    }

    /// The leaf open last lost points: its path from the top, the names of the nodes open.
    #[cold]
    fn lost(&mut self, points: Decimal, score: Decimal, deduction: Decimal) {
        let path = self
            .open
            .iter()
            // SAFETY: every node in `open` is where `enter` put it (see `open`); they are only
            // read here, while the tracer, which owns them, is borrowed mutably.
            .map(|node| unsafe { node.as_ref() }.name.clone())
            .collect();
        self.losses.push(Loss {
            path,
            points: Dec(points),
            score: Dec(score),
            deduction: Dec(deduction),
        });
    }

    /// The indicator entered last and not yet left.
    #[inline(always)]
    fn current(&mut self) -> Option<&mut Node> {
        let mut node = *self.open.last()?;
        // SAFETY: the node is open, so where `enter` put it (see `open`), and the tracer, which
        // owns it, is borrowed mutably for as long as the node is.
        Some(unsafe { node.as_mut() })
    }
}

impl Recorder for Tracer {
    #[inline]
    fn keeps_steps(&self) -> bool {
        true
    }

    // Always inline, so that the head is built where the node takes it from: handed to a call,
    // it is built aside and copied (through `memcpy`, reading it in wide loads just after it
    // was written in narrow stores, which stalls), once for each record of a department.
    #[inline(always)]
    fn enter(&mut self, head: Head) {
        self.reported |= head.reported.is_some();
        // A target record has none of the rare parts: nothing is allocated for them.
        let rare = match head.basis.is_none()
            && head.level.is_none()
            && head.reported.is_none()
            && head.columns.is_empty()
        {
            true => None,
            false => Some(rare(head.basis, head.level, head.reported, head.columns)),
        };
        let siblings = match self.current() {
            Some(parent) => &mut parent.children,
            None => &mut self.roots,
        };
        // The node is built where it will stand, in the room made for it: a push builds it
        // aside first and copies it into place (a node is about 600 bytes, most of them its
        // room for steps), and that copy was most of what recording a record spent copying.
        siblings.reserve(1);
        let at = siblings.len();
        if let Some(slot) = siblings.spare_capacity_mut().first_mut() {
            slot.write(Node {
                name: head.name,
                points: Dec(Decimal::ZERO),
                score: Dec(Decimal::ZERO),
                deduction: Dec(Decimal::ZERO),
                location: head.location,
                rare,
                steps: crate::trace::Steps::new(),
                children: Vec::new(),
            });
            // SAFETY: the element at `at`, the first of the spare room, was written just above.
            unsafe { siblings.set_len(at + 1) };
        }
        if let Some(node) = siblings.get_mut(at) {
            let node = NonNull::from(node);
            self.open.push(node);
        }
    }

    #[inline]
    fn step(&mut self, step: Step) {
        // A node holds its first steps itself: a target record's go where the record stands.
        if let Some(node) = self.current() {
            node.steps.push(step);
        }
    }

    #[inline(always)]
    fn steps(&mut self) -> Option<&mut Steps> {
        self.current().map(|node| &mut node.steps)
    }

    #[inline]
    fn reserve_children(&mut self, children: usize) {
        if let Some(node) = self.current() {
            node.children.reserve_exact(children);
        }
    }

    #[inline(always)]
    fn leave(&mut self, points: Decimal, score: Decimal) {
        if let Some(node) = self.current() {
            let deduction = points - score;
            node.points = Dec(points);
            node.score = Dec(score);
            node.deduction = Dec(deduction);
            // A leaf that lost points (above zero, asked without rust_decimal's comparison),
            // for 扣分最多的指标.
            if node.children.is_empty() && deduction.is_sign_positive() && !deduction.is_zero() {
                self.lost(points, score, deduction);
            }
        }
        self.open.pop();
    }
}

/// The rare parts of a node that has some (a rule's indicator with a basis, a form's level, a
/// row with a reported score or other columns).
#[cold]
fn rare(
    basis: Option<String>,
    level: Option<u8>,
    reported: Option<Decimal>,
    columns: Vec<(String, String)>,
) -> Box<Rare> {
    Box::new(Rare {
        basis,
        level,
        reported: reported.map(Dec),
        columns: columns
            .into_iter()
            .map(|(name, value)| crate::trace::Column { name, value })
            .collect(),
    })
}

impl Recorder for Coverage {
    fn reach(&mut self, span: Span, part: Part) {
        self.reached.insert((span, part));
    }
}

/// Two recorders at once: a trace and its coverage, for `jixiao test --coverage`.
pub struct Both<'a>(pub &'a mut dyn Recorder, pub &'a mut dyn Recorder);

impl Both<'_> {
    /// Hands `value` to each recorder that keeps steps (a copy only when both do).
    fn keepers<T: Clone>(&mut self, value: T, hand: impl Fn(&mut dyn Recorder, T)) {
        match (self.0.keeps_steps(), self.1.keeps_steps()) {
            (true, true) => {
                hand(&mut *self.0, value.clone());
                hand(&mut *self.1, value);
            }
            (true, false) => hand(&mut *self.0, value),
            (false, true) => hand(&mut *self.1, value),
            (false, false) => {}
        }
    }
}

impl Recorder for Both<'_> {
    fn keeps_steps(&self) -> bool {
        self.0.keeps_steps() || self.1.keeps_steps()
    }

    fn enter(&mut self, head: Head) {
        self.keepers(head, |r, head| r.enter(head));
    }

    fn step(&mut self, step: Step) {
        self.keepers(step, |r, step| r.step(step));
    }

    fn reserve_children(&mut self, children: usize) {
        self.0.reserve_children(children);
        self.1.reserve_children(children);
    }

    fn leave(&mut self, points: Decimal, score: Decimal) {
        self.0.leave(points, score);
        self.1.leave(points, score);
    }

    fn reach(&mut self, span: Span, part: Part) {
        self.0.reach(span, part);
        self.1.reach(span, part);
    }
}
