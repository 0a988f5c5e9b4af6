//! Stage 2 of the pipeline: AST → checked [`model::Rulebook`]. Resolves every name to a slot,
//! infers and checks types, checks that points add up, and collects every problem before
//! returning, so an auditor sees all of them in one run.

mod error;
mod expr;
mod hanzi;
mod header;
mod inputs;
mod rules;
mod scope;
mod tiers;
mod units;
mod weights;

pub use error::CheckError;

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::model::{self, IndicatorId, InputId, LetId, Type};
use crate::source::{SourceMap, Span};
use crate::syntax::ast;

/// Keys of a data file that are not inputs: the department's name and the year.
pub const RESERVED_DATA_KEYS: [&str; 2] = ["部门", "年度"];

/// A rule file that passed its checks, with the warnings found on the way.
#[derive(Debug)]
pub struct Checked {
    pub rulebook: model::Rulebook,
    pub warnings: Vec<CheckError>,
}

/// Checks a parsed rule file. On failure the list holds every error and warning, in file order.
/// `source` is the rule file, or the rule file with its imports when `file` was merged from
/// several (see [`crate::imports`]).
pub fn check(file: &ast::File, source: impl Into<SourceMap>) -> Result<Checked, Vec<CheckError>> {
    let source: SourceMap = source.into();
    let mut c = Checker::default();
    c.collect_scales(file);
    c.collect_inputs(file);
    c.collect_let_names(file);
    let header = c.header(file);
    let mut roots = Vec::new();
    let mut root_names: BTreeMap<&str, Span> = BTreeMap::new();
    // Counted once: the top level of a generated table can hold 100,000 indicators.
    let root_count = file
        .items
        .iter()
        .filter(|i| matches!(i, ast::Item::Indicator(_)))
        .count();
    for item in &file.items {
        match item {
            ast::Item::Let(decl) => c.let_decl(decl, None),
            ast::Item::Indicator(ind) => {
                c.sibling_unique(&mut root_names, ind);
                roots.push(c.indicator(ind, Parent::new(None, root_count)));
            }
            ast::Item::Rulebook(_)
            | ast::Item::Scale(_)
            | ast::Item::Input(_)
            | ast::Item::Import(_) => {}
        }
    }
    let root_asts = file.items.iter().filter_map(|i| match i {
        ast::Item::Indicator(ind) => Some(ind),
        _ => None,
    });
    c.redistribute_to(root_asts.zip(roots.iter().copied()));
    if let Some(h) = &header {
        weights::total(&mut c.errors, h.total, h.total_span, &file.items);
    }
    c.unused_inputs();
    hidden_characters(&mut c.errors, &source);
    let mut errors = c.errors;
    errors.sort_by_key(|e| {
        use miette::Diagnostic;
        e.labels()
            .and_then(|mut l| l.next())
            .map_or(0, |l| l.offset())
    });
    let failed = errors.iter().any(|e| !e.is_warning());
    match header {
        Some(h) if !failed => Ok(Checked {
            rulebook: model::Rulebook {
                title: h.title,
                source,
                total: h.total,
                rounding: h.rounding,
                rating: h.rating,
                inputs: c.inputs,
                lets: c.lets,
                indicators: c.indicators.into_iter().map(|i| i.expect_built()).collect(),
                roots,
            },
            warnings: errors,
        }),
        _ => Err(errors),
    }
}

/// The most hidden characters reported per file: one is enough to act on, a file full of them
/// is one problem.
const MAX_HIDDEN_REPORTED: usize = 20;

/// Invisible and bidirectional control characters anywhere in a rule file (a name, a string,
/// a comment) are warnings: they make a name differ from one that looks the same, or make the
/// text read differently from what it does (a right-to-left override in a comment: "Trojan
/// Source"). A byte-order mark opening a file is not one of them.
fn hidden_characters(errors: &mut Vec<CheckError>, source: &SourceMap) {
    for (base, file) in source.with_offsets() {
        let hidden = file
            .text()
            .char_indices()
            .filter(|&(i, c)| crate::echo::is_invisible(c) && !(i == 0 && c == '\u{feff}'))
            .take(MAX_HIDDEN_REPORTED);
        for (i, c) in hidden {
            errors.push(CheckError::HiddenCharacter {
                character: crate::echo::describe(c),
                span: Span::new(base + i, base + i + c.len_utf8()).into(),
            });
        }
    }
}

/// What the checker needs to know of an indicator's parent: whether its children are
/// alternatives, and how many siblings share its points.
#[derive(Clone, Copy)]
struct Parent {
    alternatives: bool,
    children: usize,
}

impl Parent {
    fn new(alternatives: Option<crate::source::Spanned<()>>, children: usize) -> Self {
        Parent {
            alternatives: alternatives.is_some(),
            children,
        }
    }
}

/// What a `let` or a score reads directly: its inputs and the lets it names.
#[derive(Clone, Debug, Default)]
struct Deps {
    inputs: BTreeSet<InputId>,
    lets: BTreeSet<LetId>,
}

/// An indicator slot: reserved before its children so ids follow tree order.
enum Slot {
    Pending,
    Built(Box<model::Indicator>),
}

impl Slot {
    fn expect_built(self) -> model::Indicator {
        match self {
            Slot::Built(i) => *i,
            // Every slot is filled before `indicator` returns; an error path never leaves one
            // pending because the checker builds a (possibly dummy) indicator either way.
            Slot::Pending => model::Indicator {
                name: String::new(),
                points: Decimal::ZERO,
                basis: None,
                not_applicable: None,
                kind: model::IndicatorKind::Group(Vec::new()),
                lets: Vec::new(),
                span: Span::default(),
            },
        }
    }
}

#[derive(Default)]
struct Checker {
    errors: Vec<CheckError>,
    inputs: Vec<model::Input>,
    input_ids: BTreeMap<String, InputId>,
    lets: Vec<model::Let>,
    let_types: Vec<Option<Type>>,
    /// The unit of each let's value, known when it is declared (lets see only lets above).
    let_units: Vec<model::Unit>,
    /// What each let reads directly. Only direct reads are kept: the transitive sets of a
    /// chain of n lets hold n²/2 entries (20,000 lets took 4 GB).
    let_deps: Vec<Deps>,
    /// The lets visible at this point.
    scope: scope::Scope,
    /// Every let in the file with its place, for "defined below" hints.
    all_lets: Vec<(String, Span)>,
    indicators: Vec<Slot>,
    used_inputs: BTreeSet<InputId>,
    /// `scale 三档 { … }`: the bands of each named scale, and where it is named.
    scales: BTreeMap<String, (Vec<model::JudgementBand>, Span)>,
}

impl Checker {
    fn collect_let_names(&mut self, file: &ast::File) {
        fn walk(items: &[ast::IndicatorItem], out: &mut Vec<(String, Span)>) {
            for item in items {
                match item {
                    ast::IndicatorItem::Let(l) => out.push((l.name.text.clone(), l.name.span)),
                    ast::IndicatorItem::Child(c) => walk(&c.body, out),
                    _ => {}
                }
            }
        }
        for item in &file.items {
            match item {
                ast::Item::Let(l) => self.all_lets.push((l.name.text.clone(), l.name.span)),
                ast::Item::Indicator(i) => walk(&i.body, &mut self.all_lets),
                _ => {}
            }
        }
    }

    fn sibling_unique<'a>(&mut self, seen: &mut BTreeMap<&'a str, Span>, ind: &'a ast::Indicator) {
        if let Some(first) = seen.get(ind.name.text.as_str()) {
            self.errors.push(CheckError::DuplicateIndicator {
                name: ind.name.text.clone(),
                span: ind.name.span.into(),
                first: (*first).into(),
            });
        } else {
            seen.insert(&ind.name.text, ind.name.span);
        }
    }

    fn let_decl(&mut self, decl: &ast::LetDecl, owner: Option<IndicatorId>) {
        let mut deps = Deps::default();
        let (expr, ty) = self.expr(&decl.value, owner, &mut deps);
        let name = &decl.name.text;
        let clash = self
            .scope
            .get(name)
            .map(|id| self.lets[id.0].span)
            .or_else(|| self.input_ids.get(name).map(|id| self.inputs[id.0].span));
        if let Some(first) = clash {
            self.errors.push(CheckError::DuplicateName {
                name: name.clone(),
                span: decl.name.span.into(),
                first: first.into(),
            });
        }
        let id = LetId(self.lets.len());
        let unit = self.unit(&expr);
        self.lets.push(model::Let {
            name: name.clone(),
            expr,
            owner,
            span: decl.name.span,
        });
        self.let_units.push(unit);
        self.let_types.push(ty);
        self.let_deps.push(deps);
        self.scope.push(name, id);
    }

    fn indicator(&mut self, ind: &ast::Indicator, parent: Parent) -> IndicatorId {
        let id = IndicatorId(self.indicators.len());
        self.indicators.push(Slot::Pending);
        weights::points_in_range(&mut self.errors, "points", &ind.points);
        let scope_mark = self.scope.mark();
        let mut basis: Option<&crate::source::Spanned<String>> = None;
        let mut children = Vec::new();
        let mut child_names: BTreeMap<&str, Span> = BTreeMap::new();
        let mut rule: Option<(model::IndicatorKind, Span)> = None;
        let mut own_lets = Vec::new();
        // Every `deduct` line of the leaf together is its one scoring rule.
        let mut deducts: Vec<model::Deduct> = Vec::new();
        let mut deduct_deps = Deps::default();
        let mut deduct_span: Option<Span> = None;
        let mut not_applicable: Option<model::NotApplicable> = None;
        let child_count = ind.children().count();
        for item in &ind.body {
            match item {
                ast::IndicatorItem::Basis(b) => match basis {
                    Some(first) => self.errors.push(CheckError::DuplicateSetting {
                        setting: "basis",
                        span: b.span.into(),
                        first: first.span.into(),
                    }),
                    None => basis = Some(b),
                },
                ast::IndicatorItem::Let(l) => {
                    own_lets.push(LetId(self.lets.len()));
                    self.let_decl(l, Some(id));
                }
                ast::IndicatorItem::Child(child) => {
                    self.sibling_unique(&mut child_names, child);
                    children
                        .push(self.indicator(child, Parent::new(ind.alternatives, child_count)));
                }
                ast::IndicatorItem::NotApplicable(na) => {
                    let checked = self.not_applicable(na, id, parent);
                    match &not_applicable {
                        Some(first) => self.errors.push(CheckError::DuplicateSetting {
                            setting: "not applicable",
                            span: na.span.into(),
                            first: first.span.into(),
                        }),
                        None => not_applicable = Some(checked),
                    }
                }
                ast::IndicatorItem::Score(s) => {
                    let kind = self.formula(s, id);
                    self.scoring_rule(&mut rule, &ind.name.text, kind, s.span);
                }
                ast::IndicatorItem::Targets(t) => {
                    let kind = self.targets(t);
                    self.scoring_rule(&mut rule, &ind.name.text, kind, t.span);
                }
                ast::IndicatorItem::Tiers(t) => {
                    let kind = self.tiers(t, id);
                    self.scoring_rule(&mut rule, &ind.name.text, kind, t.span);
                }
                ast::IndicatorItem::Category(c) => {
                    let kind = self.category(c, id);
                    self.scoring_rule(&mut rule, &ind.name.text, kind, c.span);
                }
                ast::IndicatorItem::Checklist(c) => {
                    let kind = self.checklist(c, id, &ind.points);
                    self.scoring_rule(&mut rule, &ind.name.text, kind, c.span);
                }
                ast::IndicatorItem::Deduct(d) => {
                    if let Some(deduct) = self.deduct(d, id, &mut deduct_deps) {
                        deducts.push(deduct);
                    }
                    deduct_span = Some(deduct_span.map_or(d.span, |s| s.to(d.span)));
                }
            }
        }
        self.redistribute_to(ind.children().zip(children.iter().copied()));
        if let Some(b) = basis {
            units::counting_agrees(&mut self.errors, b, &deducts);
        }
        if let Some(span) = deduct_span {
            let closure = self.closure(deduct_deps);
            let kind = model::IndicatorKind::Deductions(model::Deductions {
                deducts,
                reads: closure.inputs.into_iter().collect(),
                lets: closure.lets.into_iter().collect(),
                span,
            });
            self.scoring_rule(&mut rule, &ind.name.text, Some(kind), span);
        }
        self.scope.truncate(scope_mark);
        let kind = match (rule, children.is_empty()) {
            (Some((kind, _)), true) => kind,
            (Some((_, span)), false) => {
                self.errors.push(CheckError::TwoScoringRules {
                    name: ind.name.text.clone(),
                    help: "an indicator with child indicators is scored by adding up its children; move this rule into a child indicator",
                    span: span.into(),
                    first: first_child_span(ind).into(),
                });
                model::IndicatorKind::Group(children)
            }
            (None, false) if ind.alternatives.is_some() => {
                self.alternatives(ind);
                model::IndicatorKind::Alternatives(children)
            }
            (None, false) => {
                weights::children(&mut self.errors, ind);
                model::IndicatorKind::Group(children)
            }
            (None, true) => {
                self.errors.push(CheckError::NoScoringRule {
                    name: ind.name.text.clone(),
                    span: ind.name.span.into(),
                });
                model::IndicatorKind::Group(children)
            }
        };
        self.indicators[id.0] = Slot::Built(Box::new(model::Indicator {
            name: ind.name.text.clone(),
            points: ind.points.value,
            basis: basis.map(|b| b.value.clone()),
            not_applicable,
            kind,
            lets: own_lets,
            span: ind.span,
        }));
        id
    }

    /// `not applicable if …`: a yes/no condition, and a policy unless among alternatives.
    fn not_applicable(
        &mut self,
        na: &ast::NotApplicable,
        owner: IndicatorId,
        parent: Parent,
    ) -> model::NotApplicable {
        let mut deps = Deps::default();
        let (condition, ty) = self.expr(&na.condition, Some(owner), &mut deps);
        self.expect_type(
            ty,
            Type::Bool,
            "the condition of `not applicable`",
            na.condition.span,
        );
        let policy = na.policy.map(|p| p.value);
        match (na.policy, parent.alternatives) {
            (None, false) => self.errors.push(CheckError::NotApplicable {
                message: "`not applicable` does not say what becomes of the points".into(),
                help: "end the line with `=> full` (counted at full points), `=> exclude` (left out, the total converted back to full scale) or `=> redistribute` (spread over the siblings in proportion), as the 评分标准 says".into(),
                span: na.span.into(),
                label: "add a policy here",
            }),
            (Some(p), true) => self.errors.push(CheckError::NotApplicable {
                message: format!("`=> {}` has no effect among alternatives", p.value.keyword()),
                help: "among `one of` alternatives, an alternative that does not apply gives way to the next one; remove the policy".into(),
                span: p.span.into(),
                label: "remove this",
            }),
            (Some(p), false)
                if p.value == model::Policy::Redistribute && parent.children < 2 =>
            {
                self.errors.push(CheckError::NotApplicable {
                    message: "there is no sibling to redistribute the points to".into(),
                    help: "`redistribute` spreads the points over the other indicators of the same group; with none, use `full` or `exclude`".into(),
                    span: p.span.into(),
                    label: "no sibling indicator",
                });
            }
            _ => {}
        }
        let closure = self.closure(deps);
        model::NotApplicable {
            condition,
            policy,
            // Resolved once the siblings are known: see `redistribute_to`.
            to: Vec::new(),
            reads: closure.inputs.into_iter().collect(),
            lets: closure.lets.into_iter().collect(),
            span: na.span,
        }
    }

    /// `redistribute to 甲, 乙`: each name must be another indicator of the same group.
    fn redistribute_to<'a>(
        &mut self,
        kids: impl Iterator<Item = (&'a ast::Indicator, IndicatorId)>,
    ) {
        let kids: Vec<(&ast::Indicator, IndicatorId)> = kids.collect();
        for &(kid, id) in &kids {
            let Some(na) = kid.body.iter().find_map(|i| match i {
                ast::IndicatorItem::NotApplicable(na) => Some(na),
                _ => None,
            }) else {
                continue;
            };
            let mut to = Vec::new();
            for name in &na.to {
                match kids
                    .iter()
                    .find(|(k, other)| k.name.text == name.text && *other != id)
                {
                    Some(&(_, sibling)) => to.push(sibling),
                    None => {
                        let siblings = kids
                            .iter()
                            .filter(|(_, other)| *other != id)
                            .map(|(k, _)| k.name.text.as_str());
                        let help = match closest(&name.text, siblings.clone()) {
                            Some(s) => crate::echo::did_you_mean(&name.text, s),
                            None => format!(
                                "the points go to indicators of the same group: {}",
                                siblings.collect::<Vec<_>>().join(", ")
                            ),
                        };
                        self.errors.push(CheckError::NotApplicable {
                            message: format!(
                                "`{}` is not a sibling of `{}`",
                                name.text, kid.name.text
                            ),
                            help,
                            span: name.span.into(),
                            label: "not in this group",
                        });
                    }
                }
            }
            if let Slot::Built(built) = &mut self.indicators[id.0]
                && let Some(n) = &mut built.not_applicable
            {
                n.to = to;
            }
        }
    }

    /// `one of`: every alternative is worth the group's points, and every one but the last
    /// says when it does not apply (otherwise those after it could never be scored).
    fn alternatives(&mut self, ind: &ast::Indicator) {
        let group = ind.alternatives.map_or(ind.name.span, |a| a.span);
        let kids: Vec<&ast::Indicator> = ind.children().collect();
        let fmt = |d: Decimal| crate::number::exact(d);
        for kid in &kids {
            if kid.points.value != ind.points.value {
                self.errors.push(CheckError::Alternatives {
                    message: format!(
                        "alternative `{}` has {} points, not the group's {}",
                        kid.name.text,
                        fmt(kid.points.value),
                        fmt(ind.points.value)
                    ),
                    help: format!(
                        "only one alternative is scored, at the points of `{}`: write `points {}`",
                        ind.name.text,
                        fmt(ind.points.value)
                    ),
                    span: kid.points.span.into(),
                    label: "different points".into(),
                    group: group.into(),
                });
            }
        }
        if kids.len() < 2 {
            self.errors.push(CheckError::Alternatives {
                message: format!("`{}` has only one alternative", ind.name.text),
                help: "`one of` chooses between two or more child indicators; add the other, or remove `one of`".into(),
                span: ind.name.span.into(),
                label: "one child".into(),
                group: group.into(),
            });
        }
        let always = |k: &ast::Indicator| {
            !k.body
                .iter()
                .any(|i| matches!(i, ast::IndicatorItem::NotApplicable(_)))
        };
        if let Some(pos) = kids.iter().position(|k| always(k)) {
            if let Some(next) = kids.get(pos + 1) {
                self.errors.push(CheckError::Alternatives {
                    message: format!("alternative `{}` can never be scored", next.name.text),
                    help: format!(
                        "`{}` before it has no `not applicable if …` line, so it is always the one scored; say when it does not apply, or put it last",
                        kids[pos].name.text
                    ),
                    span: next.name.span.into(),
                    label: "never reached".into(),
                    group: group.into(),
                });
            }
        }
    }

    fn scoring_rule(
        &mut self,
        rule: &mut Option<(model::IndicatorKind, Span)>,
        name: &str,
        kind: Option<model::IndicatorKind>,
        span: Span,
    ) {
        match rule {
            Some((_, first)) => self.errors.push(CheckError::TwoScoringRules {
                name: name.to_string(),
                help: "a leaf has exactly one scoring rule: keep one, or split the indicator into two children",
                span: span.into(),
                first: (*first).into(),
            }),
            None => {
                // A rule with errors still counts as present, so no second error says it is missing.
                let kind = kind.unwrap_or(model::IndicatorKind::Group(Vec::new()));
                *rule = Some((kind, span));
            }
        }
    }

    /// Everything a score reads, through its lets and theirs: a walk with a work list (no
    /// recursion, however long a chain of lets is).
    fn closure(&self, direct: Deps) -> Deps {
        let mut all = Deps {
            inputs: direct.inputs,
            lets: BTreeSet::new(),
        };
        let mut todo: Vec<LetId> = direct.lets.into_iter().collect();
        while let Some(id) = todo.pop() {
            if all.lets.insert(id) {
                let d = &self.let_deps[id.0];
                all.inputs.extend(d.inputs.iter().copied());
                todo.extend(d.lets.iter().copied().filter(|l| !all.lets.contains(l)));
            }
        }
        all
    }

    fn expect_type(&mut self, found: Option<Type>, expected: Type, what: &str, span: Span) {
        if let Some(found) = found
            && found != expected
        {
            self.errors.push(CheckError::TypeMismatch {
                what: what.to_string(),
                expected: expected.describe(),
                found: found.describe(),
                span: span.into(),
                help: None,
            });
        }
    }

    /// "did you mean" over every input and let visible here, and a hint when the name is a
    /// `let` written further down.
    fn suggest(&self, name: &str) -> Option<String> {
        let candidates = self
            .input_ids
            .keys()
            .map(String::as_str)
            .chain(self.scope.names());
        if let Some(best) = closest(name, candidates) {
            return Some(crate::echo::did_you_mean(name, best));
        }
        self.all_lets
            .iter()
            .find(|(n, _)| n == name)
            .map(|_| format!("`{name}` is a `let` defined below this use, or inside another indicator; a `let` can be used only after it, in its own block and the blocks inside it"))
    }
}

fn first_child_span(ind: &ast::Indicator) -> Span {
    ind.children().next().map_or(ind.name.span, |c| c.name.span)
}

/// The candidate nearest to `name` by edit distance, if near enough to be a slip. Swapped
/// neighbours (`mni` for `min`, 预执算行 for 预算执行) count as one slip, and traditional
/// characters match their simplified forms (全年預算數 finds 全年预算数).
///
/// Edit distance costs the product of the two lengths, so names longer than any real one
/// (a 2-million-character name took hours) get no suggestion, and candidates whose length
/// alone puts them out of reach are skipped.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    const LONGEST: usize = 64;
    let len = name.chars().count();
    if len > LONGEST {
        return None;
    }
    let limit = (len / 3).max(1);
    // Compared with traditional characters folded to simplified ones: 預算 finds 预算.
    let folded = hanzi::fold(name);
    candidates
        .filter(|c| {
            let n = c.chars().count();
            n <= LONGEST && n.abs_diff(len) <= limit
        })
        .map(|c| (strsim::damerau_levenshtein(&folded, &hanzi::fold(c)), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}
