//! Replaying a JSON trace (`jixiao.trace/2`) from its typed fields alone: every term is
//! evaluated again, every leaf's score recomputed from its steps (the raw score, then its cap,
//! floor, conversion and rounding), every group added up, and the total rebuilt from the top
//! level. Nothing here reads the Rust trace types or a rendered sentence: only the JSON, as a
//! tool that consumes the trace would. A mismatch panics with the fixture and the node's path.

use std::collections::BTreeMap;

use jixiao::model::RoundMode;
use rust_decimal::Decimal;
use serde_json::Value as Json;

/// A value as a term evaluates to.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    Num(Decimal),
    Bool(bool),
    Text(String),
}

/// The rounding of the trace's header.
struct Rounding {
    mode: RoundMode,
    mode_name: String,
    digits: u32,
    each_indicator: bool,
    /// `round … each value`: the mode and digits every `let` is rounded to.
    values: Option<(RoundMode, u32)>,
}

/// Replays `trace` (the parsed JSON of one trace) and returns its total; `what` names it in
/// every failure.
pub fn replay(what: &str, trace: &Json) -> Decimal {
    let mut r = Replay {
        what: what.to_string(),
        path: Vec::new(),
        rounding: Rounding {
            mode: RoundMode::HalfUp,
            mode_name: String::new(),
            digits: 0,
            each_indicator: true,
            values: None,
        },
        seen: BTreeMap::new(),
    };
    r.trace(trace)
}

struct Replay {
    what: String,
    /// The names from the top to the node being replayed.
    path: Vec<String>,
    rounding: Rounding,
    /// Every input value met so far in the trace, and every `let` value in the leaf, by kind and
    /// name: one name has one value wherever it is shown (a `let` inside an indicator may
    /// share its name with one inside another).
    seen: BTreeMap<(&'static str, String), Json>,
}

/// Fails the replay, naming the fixture and the node.
macro_rules! ensure {
    ($r:expr, $cond:expr, $($msg:tt)+) => {
        if !$cond {
            $r.fail(format!($($msg)+))
        }
    };
}

fn round_mode(name: &str) -> Option<RoundMode> {
    match name {
        "half_up" => Some(RoundMode::HalfUp),
        "half_even" => Some(RoundMode::HalfEven),
        "truncate" => Some(RoundMode::Truncate),
        _ => None,
    }
}

impl Replay {
    fn fail(&self, msg: String) -> ! {
        let at = if self.path.is_empty() {
            "(total)".to_string()
        } else {
            self.path.join(" › ")
        };
        panic!("replay of {}: at {at}: {msg}", self.what)
    }

    /// The decimal a field holds (a JSON string).
    fn dec(&self, v: &Json, field: &str) -> Decimal {
        let Some(s) = v[field].as_str() else {
            self.fail(format!("`{field}` is not a decimal string: {}", v[field]))
        };
        s.parse()
            .unwrap_or_else(|e| self.fail(format!("`{field}` = {s:?} does not parse: {e}")))
    }

    fn opt_dec(&self, v: &Json, field: &str) -> Option<Decimal> {
        (!v[field].is_null()).then(|| self.dec(v, field))
    }

    fn str<'a>(&self, v: &'a Json, field: &str) -> &'a str {
        v[field]
            .as_str()
            .unwrap_or_else(|| self.fail(format!("`{field}` is not a string: {}", v[field])))
    }

    fn bool(&self, v: &Json, field: &str) -> bool {
        v[field]
            .as_bool()
            .unwrap_or_else(|| self.fail(format!("`{field}` is not a boolean: {}", v[field])))
    }

    fn usize(&self, v: &Json, field: &str) -> usize {
        v[field]
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or_else(|| self.fail(format!("`{field}` is not a count: {}", v[field])))
    }

    fn array<'a>(&self, v: &'a Json, field: &str) -> &'a [Json] {
        v[field]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_else(|| self.fail(format!("`{field}` is not a list: {}", v[field])))
    }

    fn round(&self, value: Decimal) -> Decimal {
        jixiao::number_round(value, self.rounding.mode, self.rounding.digits)
    }

    // ---- the trace ------------------------------------------------------------------------

    fn trace(&mut self, t: &Json) -> Decimal {
        ensure!(
            self,
            t["schema"] == "jixiao.trace/2",
            "schema {}",
            t["schema"]
        );
        let rounding = &t["rounding"];
        let mode_name = self.str(rounding, "mode").to_string();
        let values = &rounding["values"];
        self.rounding = Rounding {
            mode: round_mode(&mode_name)
                .unwrap_or_else(|| self.fail(format!("rounding mode {mode_name}"))),
            mode_name,
            digits: self.usize(rounding, "digits") as u32,
            each_indicator: match self.str(rounding, "place") {
                "each_indicator" => true,
                "total" => false,
                other => self.fail(format!("rounding place {other}")),
            },
            values: (!values.is_null()).then(|| {
                let mode = self.str(values, "mode");
                (
                    round_mode(mode).unwrap_or_else(|| self.fail(format!("value rounding {mode}"))),
                    self.usize(values, "digits") as u32,
                )
            }),
        };

        let mut sum = Decimal::ZERO;
        let mut counted = Decimal::ZERO;
        for n in self.array(t, "indicators") {
            let (points, score) = self.node(n);
            sum += score;
            counted += points;
        }
        let points = self.dec(t, "points");
        let rescale = &t["rescale"];
        let unrounded = if counted == points {
            ensure!(
                self,
                rescale.is_null(),
                "a conversion to the full scale, but nothing was excluded: {rescale}"
            );
            sum
        } else {
            ensure!(
                self,
                !rescale.is_null(),
                "the top level counts {counted} of {points} points, but there is no conversion"
            );
            ensure!(
                self,
                self.dec(rescale, "counted") == counted,
                "rescale counted {} ≠ the top level's points {counted}",
                rescale["counted"]
            );
            ensure!(
                self,
                self.dec(rescale, "sum") == sum,
                "rescale sum {} ≠ the top level's scores {sum}",
                rescale["sum"]
            );
            let value = sum * points / counted;
            ensure!(
                self,
                self.dec(rescale, "value") == value,
                "rescale value {} ≠ {sum} × {points} ÷ {counted} = {value}",
                rescale["value"]
            );
            value
        };
        let total = if self.rounding.each_indicator && rescale.is_null() {
            unrounded
        } else {
            self.round(unrounded)
        };
        let rounding_step = &t["total_rounding"];
        if total == unrounded {
            ensure!(
                self,
                rounding_step.is_null(),
                "a rounding of the total that changed nothing: {rounding_step}"
            );
        } else {
            self.expect_step(rounding_step, &self.rounding_step(unrounded, total));
        }
        ensure!(
            self,
            self.dec(t, "total") == total,
            "total {} ≠ replayed {total}",
            t["total"]
        );
        ensure!(
            self,
            self.dec(t, "deduction") == points - total,
            "deduction {} ≠ {points} − {total}",
            t["deduction"]
        );
        self.rating(t, total);
        self.losses(t);
        total
    }

    /// The rating band holds the total, and the rating is its label.
    fn rating(&self, t: &Json, total: Decimal) {
        let band = &t["rating_band"];
        ensure!(
            self,
            band["label"] == t["rating"],
            "rating {} ≠ its band's label {}",
            t["rating"],
            band["label"]
        );
        let bound = self.opt_dec(band, "bound");
        let holds = match (band["op"].as_str(), bound) {
            (Some(">="), Some(b)) => total >= b,
            (Some(">"), Some(b)) => total > b,
            (None, None) => true,
            _ => self.fail(format!("rating band {band}")),
        };
        ensure!(self, holds, "total {total} is not in the band {band}");
    }

    /// The losses are the leaves that lost points, the largest loss first, ties in tree order.
    fn losses(&self, t: &Json) {
        fn walk(nodes: &[Json], prefix: &[String], out: &mut Vec<(Vec<String>, Decimal)>) {
            for n in nodes {
                let mut path = prefix.to_vec();
                path.push(n["name"].as_str().unwrap_or_default().to_string());
                let kids = n["children"].as_array().map(Vec::as_slice).unwrap_or(&[]);
                if kids.is_empty() {
                    let loss: Decimal = n["deduction"]
                        .as_str()
                        .and_then(|s| s.parse().ok())
                        .unwrap_or_default();
                    if loss > Decimal::ZERO {
                        out.push((path, loss));
                    }
                } else {
                    walk(kids, &path, out);
                }
            }
        }
        let mut expected = Vec::new();
        walk(self.array(t, "indicators"), &[], &mut expected);
        expected.sort_by_key(|(_, loss)| std::cmp::Reverse(*loss));
        let recorded: Vec<(Vec<String>, Decimal)> = self
            .array(t, "losses")
            .iter()
            .map(|l| {
                let path = self
                    .array(l, "path")
                    .iter()
                    .map(|p| p.as_str().unwrap_or_default().to_string())
                    .collect();
                (path, self.dec(l, "deduction"))
            })
            .collect();
        ensure!(
            self,
            recorded == expected,
            "losses {recorded:?} ≠ {expected:?}"
        );
    }

    // ---- indicators -----------------------------------------------------------------------

    /// Replays one indicator; returns its points and its score.
    fn node(&mut self, n: &Json) -> (Decimal, Decimal) {
        self.path.push(self.str(n, "name").to_string());
        let points = self.dec(n, "points");
        let score = self.dec(n, "score");
        ensure!(
            self,
            self.dec(n, "deduction") == points - score,
            "deduction {} ≠ {points} − {score}",
            n["deduction"]
        );
        let kids = self.array(n, "children");
        let expected = if kids.is_empty() {
            self.leaf(n, points)
        } else {
            self.group(n, points, kids)
        };
        ensure!(
            self,
            score == expected,
            "score {score} ≠ replayed {expected}"
        );
        self.path.pop();
        (points, score)
    }

    /// A group (or a target split): the sum of its children, whose points add up to its own.
    fn group(&mut self, n: &Json, points: Decimal, kids: &[Json]) -> Decimal {
        // A group counts for its children's points after its own changed: children left out
        // take theirs (and any it received) with them.
        self.reweights(n, None);
        let mut sum = Decimal::ZERO;
        let mut kid_points = Vec::with_capacity(kids.len());
        for k in kids {
            let (p, s) = self.node(k);
            sum += s;
            kid_points.push(p);
        }
        // A split shares its points among the records, which a form's levels may group.
        let record_points = records(kids);
        ensure!(
            self,
            kid_points.iter().copied().sum::<Decimal>() == points,
            "the children's points {kid_points:?} do not add up to {points}"
        );
        for step in self.array(n, "steps") {
            match self.str(step, "kind") {
                "reweight" => {}
                "share" => self.share(step, points, &record_points),
                other => self.fail(format!("a `{other}` step on a group")),
            }
        }
        sum
    }

    /// Equal shares of a target split: the last records get `share`, the first `larger` one
    /// rounding unit more, and together they make the points.
    fn share(&self, step: &Json, points: Decimal, kids: &[Decimal]) {
        ensure!(
            self,
            self.dec(step, "points") == points,
            "shared points {} ≠ {points}",
            step["points"]
        );
        let records = self.usize(step, "records");
        ensure!(
            self,
            records == kids.len(),
            "{records} records shared, {} children",
            kids.len()
        );
        let (share, unit, larger) = (
            self.dec(step, "share"),
            self.dec(step, "unit"),
            self.usize(step, "larger"),
        );
        ensure!(
            self,
            unit == Decimal::new(1, self.rounding.digits),
            "share unit {unit}"
        );
        for (i, p) in kids.iter().enumerate() {
            let expected = if i < larger { share + unit } else { share };
            ensure!(
                self,
                *p == expected,
                "record {} has {p} points, its share is {expected}",
                i + 1
            );
        }
    }

    /// How many steps are of `kind`.
    fn count(&self, steps: &[Json], kind: &str) -> usize {
        steps.iter().filter(|s| s["kind"] == kind).count()
    }

    /// Checks the chain of `reweight` steps (each starts where the last ended, and the last
    /// ends at `points` when given); returns the points declared before any change.
    fn reweights(&self, n: &Json, points: Option<Decimal>) -> Decimal {
        let mut at: Option<Decimal> = None;
        let mut declared = None;
        for step in self.array(n, "steps") {
            if step["kind"] != "reweight" {
                continue;
            }
            let (from, to) = (self.dec(step, "from"), self.dec(step, "to"));
            if let Some(at) = at {
                ensure!(self, from == at, "a reweight from {from} after one to {at}");
            }
            declared.get_or_insert(from);
            at = Some(to);
            let cause = &step["cause"];
            match self.str(cause, "kind") {
                "redistributed" => ensure!(
                    self,
                    to > from && self.usize(cause, "givers") >= self.array(cause, "from").len(),
                    "redistribution {step}"
                ),
                "scaled" => {
                    self.str(cause, "parent");
                }
                // Said only of a record whose own 分值 is not its equal share.
                "shared_equally" => ensure!(self, from != to, "an equal share said for {step}"),
                other => self.fail(format!("reweight cause {other}")),
            }
        }
        match (at, points) {
            (Some(at), Some(points)) => {
                ensure!(
                    self,
                    at == points,
                    "reweighted to {at}, scored out of {points}"
                );
                declared.unwrap_or(points)
            }
            _ => declared.or(points).unwrap_or_default(),
        }
    }

    /// A leaf: its score from its steps.
    fn leaf(&mut self, n: &Json, points: Decimal) -> Decimal {
        self.seen.retain(|(kind, _), _| *kind != "let");
        let steps = self.array(n, "steps");
        // An indicator that is not scored: counted in full, or not at all.
        for step in steps {
            match self.str(step, "kind") {
                "not_applicable" => {
                    self.condition(&step["condition"], true, "not applicable");
                    let declared = self.dec(step, "points");
                    let (p, s) = match step["policy"].as_str() {
                        Some("full") => (declared, declared),
                        Some("exclude" | "redistribute") | None => (Decimal::ZERO, Decimal::ZERO),
                        Some(other) => self.fail(format!("policy {other}")),
                    };
                    self.transfers(step, declared);
                    ensure!(
                        self,
                        points == p,
                        "not applicable ({}) out of {points}, not {p}",
                        step["policy"]
                    );
                    // Its points may have changed with its parent's before it was left out.
                    self.reweights(n, Some(declared));
                    ensure!(
                        self,
                        steps.len() == 1 + self.count(steps, "reweight"),
                        "a step besides not applicable"
                    );
                    return s;
                }
                "not_chosen" => {
                    ensure!(self, points.is_zero(), "not chosen, but out of {points}");
                    self.reweights(n, None);
                    ensure!(
                        self,
                        steps.len() == 1 + self.count(steps, "reweight"),
                        "a step besides not chosen"
                    );
                    return Decimal::ZERO;
                }
                _ => {}
            }
        }
        let declared = self.reweights(n, Some(points));
        let mut raw: Option<(&str, Decimal)> = None;
        let mut post = Vec::new();
        let mut earned = Vec::new();
        let mut vetoed = false;
        let mut deducted = Decimal::ZERO;
        // Each target record's (met, target, actual).
        let mut targets: Vec<(bool, Decimal, Decimal)> = Vec::new();
        let mut graded = false;
        for step in steps {
            let kind = self.str(step, "kind");
            if matches!(kind, "cap" | "floor" | "scale" | "round") {
                ensure!(self, raw.is_some(), "a `{kind}` step before the score");
                post.push(step);
                continue;
            }
            ensure!(
                self,
                post.is_empty(),
                "a `{kind}` step after the cap, floor, conversion or rounding"
            );
            if kind == "reweight" {
                continue;
            }
            let value = match kind {
                "input" => {
                    let name = self.str(step, "name");
                    self.remember("input", name, &step["value"]);
                    None
                }
                "let" => {
                    self.let_step(step);
                    None
                }
                "score" => Some(self.computes(step, "formula", "value")),
                "tier" => Some(self.tier(step)),
                "category" => Some(self.category(step)),
                "check" => {
                    let holds = self.bool(step, "holds");
                    self.condition(&step["condition"], holds, "check");
                    let p = self.dec(step, "points");
                    ensure!(self, holds || p.is_zero(), "a check that failed earned {p}");
                    earned.push(p);
                    None
                }
                "veto" => {
                    self.condition(&step["condition"], true, "veto");
                    vetoed = true;
                    None
                }
                "checklist" => {
                    let listed: Vec<Decimal> = self
                        .array(step, "earned")
                        .iter()
                        .map(|e| {
                            e.as_str()
                                .and_then(|s| s.parse().ok())
                                .unwrap_or_else(|| self.fail(format!("earned {e}")))
                        })
                        .collect();
                    ensure!(
                        self,
                        listed == earned,
                        "checklist earned {listed:?}, its checks {earned:?}"
                    );
                    ensure!(
                        self,
                        self.bool(step, "vetoed") == vetoed,
                        "checklist vetoed = {}, vetoes held: {vetoed}",
                        step["vetoed"]
                    );
                    let v = if vetoed {
                        Decimal::ZERO
                    } else {
                        listed.iter().copied().sum()
                    };
                    Some(self.expect_value(step, v))
                }
                "deduction" => {
                    deducted += self.deduction(step);
                    None
                }
                "deductions" => {
                    let p = self.dec(step, "points");
                    ensure!(
                        self,
                        p == declared,
                        "deductions from {p}, the indicator has {declared}"
                    );
                    let d = self.dec(step, "deducted");
                    ensure!(
                        self,
                        d == deducted,
                        "deducted {d}, the deduction steps add up to {deducted}"
                    );
                    Some(self.expect_value(step, p - d))
                }
                "target" => {
                    targets.push(self.target(step));
                    None
                }
                // A graded (定性) record: its rate is in the target score that follows.
                "grade" => {
                    self.str(step, "grade");
                    graded = true;
                    targets.push((false, Decimal::ZERO, Decimal::ZERO));
                    None
                }
                "target_score" => {
                    let [record] = targets.as_slice() else {
                        self.fail(format!("a target score after {} targets", targets.len()))
                    };
                    match graded {
                        true => Some(self.graded_score(step, n, points)),
                        false => Some(self.target_score(step, *record, points)),
                    }
                }
                "met_ratio" => {
                    ensure!(self, !graded, "a met ratio over graded records");
                    let met = targets.iter().filter(|(met, _, _)| *met).count();
                    ensure!(
                        self,
                        self.usize(step, "met") == met
                            && self.usize(step, "records") == targets.len(),
                        "met ratio {step}, targets met {met} of {}",
                        targets.len()
                    );
                    ensure!(
                        self,
                        self.dec(step, "points") == points,
                        "met ratio out of {}, the indicator has {points}",
                        step["points"]
                    );
                    let v = Decimal::from(met) * points / Decimal::from(targets.len());
                    Some(self.expect_value(step, v))
                }
                other => self.fail(format!("a `{other}` step on a leaf")),
            };
            if let Some(v) = value {
                ensure!(self, raw.is_none(), "a second score, from `{kind}`");
                raw = Some((kind, v));
            }
        }
        let Some((kind, raw)) = raw else {
            self.fail("a leaf without a score".into())
        };
        // Targets share out the points themselves: no conversion.
        let declared = if matches!(kind, "target_score" | "met_ratio") {
            points
        } else {
            declared
        };
        let (score, expected) = self.finish(kind, raw, declared, points);
        ensure!(
            self,
            post.len() == expected.len(),
            "steps after the score: {post:?}, expected {expected:?}"
        );
        for (step, want) in post.iter().zip(&expected) {
            self.expect_step(step, want);
        }
        score
    }

    /// The steps that turn a raw score into the leaf's: the cap at the points it was scored
    /// out of (not for a target record), the floor at 0, the conversion to new points and the
    /// rounding of each indicator, each only where it changes the value.
    fn finish(
        &self,
        kind: &str,
        raw: Decimal,
        declared: Decimal,
        points: Decimal,
    ) -> (Decimal, Vec<Json>) {
        let d = |v: Decimal| Json::String(jixiao_exact(v));
        let mut steps = Vec::new();
        let mut v = raw;
        if kind != "target_score" {
            if v > declared {
                steps.push(serde_json::json!({"kind": "cap", "from": d(v), "to": d(declared)}));
                v = declared;
            } else if v < Decimal::ZERO {
                steps.push(serde_json::json!({"kind": "floor", "from": d(v), "to": "0"}));
                v = Decimal::ZERO;
            }
        }
        if declared != points {
            let to = v * points / declared;
            steps.push(serde_json::json!({
                "kind": "scale", "score": d(v), "declared": d(declared), "points": d(points), "value": d(to)
            }));
            v = to;
        }
        if self.rounding.each_indicator {
            let to = self.round(v);
            if to != v {
                steps.push(self.rounding_step(v, to));
                v = to;
            }
        }
        (v, steps)
    }

    /// A `round` step as the header's rounding makes it.
    fn rounding_step(&self, from: Decimal, to: Decimal) -> Json {
        serde_json::json!({
            "kind": "round",
            "mode": self.rounding.mode_name,
            "digits": self.rounding.digits,
            "from": jixiao_exact(from),
            "to": jixiao_exact(to),
        })
    }

    /// `step` is `want`: the same kind and fields, decimals compared as numbers.
    fn expect_step(&self, step: &Json, want: &Json) {
        let (Some(got), Some(want_fields)) = (step.as_object(), want.as_object()) else {
            self.fail(format!("step {step}, expected {want}"))
        };
        let same = got.len() == want_fields.len()
            && want_fields.iter().all(|(k, w)| {
                let g = &got[k];
                match (
                    g.as_str().map(str::parse::<Decimal>),
                    w.as_str().map(str::parse::<Decimal>),
                ) {
                    (Some(Ok(a)), Some(Ok(b))) => a == b,
                    _ => g == w,
                }
            });
        ensure!(self, same, "step {step}, replayed {want}");
    }

    /// The step's `value` is `v`; returns it.
    fn expect_value(&self, step: &Json, v: Decimal) -> Decimal {
        let recorded = self.dec(step, "value");
        ensure!(
            self,
            recorded == v,
            "`{}` value {recorded}, replayed {v}",
            step["kind"]
        );
        v
    }

    /// Points handed to siblings add up to the points of the indicator that gave them.
    fn transfers(&self, step: &Json, declared: Decimal) {
        let to = self.array(step, "to");
        if to.is_empty() {
            return;
        }
        ensure!(
            self,
            step["policy"] == "redistribute",
            "points handed on under policy {}",
            step["policy"]
        );
        let given: Decimal = to.iter().map(|t| self.dec(t, "points")).sum();
        // The first of siblings that give together hands on all of their points.
        if self.array(step, "with").is_empty() {
            ensure!(
                self,
                given == declared,
                "hands on {given} of its {declared} points"
            );
        } else {
            ensure!(
                self,
                given >= declared,
                "hands on {given}, less than its own {declared} points"
            );
        }
    }

    fn let_step(&mut self, step: &Json) {
        let name = self.str(step, "name");
        let value = &step["value"];
        self.remember("let", name, value);
        let computed = self.eval(&step["formula"]);
        let recorded = self
            .val(value)
            .unwrap_or_else(|| self.fail(format!("let {name} has no value")));
        match self.opt_dec(step, "unrounded") {
            Some(unrounded) => {
                let Some((mode, digits)) = self.rounding.values else {
                    self.fail(format!("let {name} rounded, but values are not rounded"))
                };
                ensure!(
                    self,
                    computed == Val::Num(unrounded),
                    "let {name} computes {computed:?}, the trace says {unrounded} before rounding"
                );
                let rounded = jixiao::number_round(unrounded, mode, digits);
                ensure!(
                    self,
                    rounded != unrounded && recorded == Val::Num(rounded),
                    "let {name} rounds {unrounded} to {rounded}, the trace says {recorded:?}"
                );
            }
            None => {
                ensure!(
                    self,
                    computed == recorded,
                    "let {name} computes {computed:?}, the trace says {recorded:?}"
                );
                if let (Some((mode, digits)), Val::Num(n)) = (self.rounding.values, &recorded) {
                    ensure!(
                        self,
                        jixiao::number_round(*n, mode, digits) == *n,
                        "let {name} = {n} should have been rounded"
                    );
                }
            }
        }
    }

    /// One name, one value: the first time it is met it is remembered, after that compared.
    fn remember(&mut self, kind: &'static str, name: &str, value: &Json) {
        let key = (kind, name.to_string());
        match self.seen.get(&key) {
            Some(before) => ensure!(
                self,
                before == value,
                "{kind} {name} is {value} here, {before} elsewhere"
            ),
            None => {
                self.seen.insert(key, value.clone());
            }
        }
    }

    fn tier(&mut self, step: &Json) -> Decimal {
        let value = self.computes(step, "formula", "value");
        // A bound is written as a percentage (80 for 80%) where the tiers are.
        let bound = |field: &str| {
            let b = &step[field];
            (!b.is_null()).then(|| {
                let n = self.dec(b, "value");
                let n = if self.bool(b, "percent") {
                    n / Decimal::ONE_HUNDRED
                } else {
                    n
                };
                (n, self.bool(b, "inclusive"))
            })
        };
        let above = bound("lower").is_none_or(|(b, inc)| value > b || (inc && value == b));
        let below = bound("upper").is_none_or(|(b, inc)| value < b || (inc && value == b));
        ensure!(
            self,
            above && below,
            "value {value} is not in the tier {}",
            step["label"]
        );
        self.computes(step, "score_formula", "score")
    }

    fn category(&mut self, step: &Json) -> Decimal {
        let value = self.eval(&step["formula"]);
        let recorded = self
            .val(&step["value"])
            .unwrap_or_else(|| self.fail("a category of no value".into()));
        ensure!(
            self,
            value == recorded,
            "category value computes {value:?}, the trace says {recorded:?}"
        );
        if let Some(arm) = step["matched"].as_str() {
            ensure!(
                self,
                value == Val::Text(arm.to_string()),
                "category {value:?} matched the arm {arm}"
            );
        }
        self.dec(step, "score")
    }

    /// One `deduction` step; returns its amount.
    fn deduction(&mut self, step: &Json) -> Decimal {
        let amount = self.dec(step, "amount");
        let why = &step["why"];
        match self.str(why, "kind") {
            "finding" => {
                self.str(why, "list");
                self.str(why, "description");
                ensure!(self, self.usize(why, "index") >= 1, "finding index {why}");
            }
            "no_findings" => ensure!(self, amount.is_zero(), "no findings, but {amount} taken"),
            "condition" => {
                let holds = self.bool(why, "holds");
                self.condition(&why["condition"], holds, "deduction");
                ensure!(
                    self,
                    holds || amount.is_zero(),
                    "a condition that failed took {amount}"
                );
            }
            "per_unit" => {
                let value = self.computes(why, "measured", "value");
                let standard = self.dec(why, "standard");
                let excess = if self.bool(why, "above") {
                    value - standard
                } else {
                    standard - value
                };
                let (counted, taken) = if excess <= Decimal::ZERO {
                    (None, Decimal::ZERO)
                } else {
                    let units = excess / self.dec(why, "per");
                    let counted = match self.str(why, "counting") {
                        "proportional" => units,
                        "started" => units.ceil(),
                        "whole" => units.floor(),
                        other => self.fail(format!("counting {other}")),
                    };
                    (Some(counted), counted * self.dec(why, "each"))
                };
                ensure!(
                    self,
                    self.opt_dec(why, "excess") == counted.map(|_| excess)
                        && self.opt_dec(why, "counted") == counted
                        && amount == taken,
                    "per-unit deduction {why} took {amount}; replayed excess {excess}, counted {counted:?}, taken {taken}"
                );
            }
            other => self.fail(format!("deduction reason {other}")),
        }
        amount
    }

    /// A target record compared with its target; returns whether it counts as met, the target
    /// and the actual value.
    fn target(&self, step: &Json) -> (bool, Decimal, Decimal) {
        let (t, a) = (
            self.dec(step, "target_value"),
            self.dec(step, "actual_value"),
        );
        let reached = match self.str(step, "op") {
            "≥" => a >= t,
            "≤" => a <= t,
            "=" => a == t,
            other => self.fail(format!("target op {other}")),
        };
        let (met, overshot) = (self.bool(step, "met"), self.bool(step, "overshot"));
        ensure!(
            self,
            met == (reached && !overshot) && (!overshot || reached),
            "target {t} {} actual {a}: met = {met}, overshot = {overshot}",
            step["op"]
        );
        (met, t, a)
    }

    /// A graded record's score: its share × its own reported score ÷ its points, or × its
    /// band's default rate.
    fn graded_score(&self, step: &Json, n: &Json, points: Decimal) -> Decimal {
        let share = self.dec(step, "share");
        ensure!(
            self,
            share == points,
            "a share of {share}, the record has {points}"
        );
        let (num, den) = (self.dec(step, "numerator"), self.dec(step, "denominator"));
        match step["completion"].as_str() {
            Some("reported") => ensure!(
                self,
                self.opt_dec(n, "reported") == Some(num),
                "rated by a reported {num}, the record reports {}",
                n["reported"]
            ),
            Some("default") => ensure!(self, den == Decimal::ONE, "a default rate over {den}"),
            other => self.fail(format!("a graded record's completion {other:?}")),
        }
        self.expect_value(step, num * share / den)
    }

    /// A target record's score: its share when met, otherwise the share scaled by its
    /// completion, the actual value over the target or the other way round.
    fn target_score(
        &self,
        step: &Json,
        record: (bool, Decimal, Decimal),
        points: Decimal,
    ) -> Decimal {
        let (met, target, actual) = record;
        let share = self.dec(step, "share");
        ensure!(
            self,
            share == points,
            "a share of {share}, the record has {points}"
        );
        let (num, den) = (self.dec(step, "numerator"), self.dec(step, "denominator"));
        let completion = step["completion"].as_str();
        ensure!(
            self,
            completion.is_none() == met,
            "completion {completion:?} for a target met = {met}"
        );
        let ratio = match completion {
            None => (Decimal::ONE, Decimal::ONE),
            Some("actual_over_target") => (actual, target),
            Some("target_over_actual") => (target, actual),
            Some(other) => self.fail(format!("completion {other}")),
        };
        ensure!(
            self,
            (num, den) == ratio,
            "completion {completion:?} is {num} ÷ {den}, target {target}, actual {actual}"
        );
        let v = if met { share } else { num * share / den };
        self.expect_value(step, v)
    }

    // ---- terms ----------------------------------------------------------------------------

    /// The number `step[term]` evaluates to is the one `step[field]` records; returns it.
    fn computes(&mut self, step: &Json, term: &str, field: &str) -> Decimal {
        let v = self.number(&step[term]);
        let recorded = self.dec(step, field);
        ensure!(
            self,
            v == recorded,
            "`{}` {term} computes {v}, the trace says {field} = {recorded}",
            step["kind"]
        );
        recorded
    }

    /// A condition evaluates to whether the trace says it held.
    fn condition(&mut self, term: &Json, holds: bool, what: &str) {
        let v = self.eval(term);
        ensure!(
            self,
            v == Val::Bool(holds),
            "{what}: the condition is {v:?}, the trace says {holds}"
        );
    }

    fn number(&mut self, term: &Json) -> Decimal {
        match self.eval(term) {
            Val::Num(n) => n,
            other => self.fail(format!("a number expected, {other:?} from {term}")),
        }
    }

    fn holds(&mut self, term: &Json) -> bool {
        match self.eval(term) {
            Val::Bool(b) => b,
            other => self.fail(format!("a yes/no expected, {other:?} from {term}")),
        }
    }

    /// A trace value as a term reads it: a list is its number of records, a judgement its
    /// rate; an absent input has none.
    fn val(&self, v: &Json) -> Option<Val> {
        Some(match self.str(v, "type") {
            "number" => Val::Num(self.dec(v, "value")),
            "bool" => Val::Bool(self.bool(v, "value")),
            "text" => Val::Text(self.str(v, "value").to_string()),
            "list" => Val::Num(Decimal::from(self.usize(v, "records"))),
            "judgement" => Val::Num(self.dec(v, "rate")),
            "absent" => return None,
            other => self.fail(format!("value type {other}")),
        })
    }

    /// Evaluates a term exactly, as the rules' expression would be.
    fn eval(&mut self, term: &Json) -> Val {
        let arith = |r: &Self, n: Option<Decimal>| {
            n.unwrap_or_else(|| r.fail(format!("arithmetic overflows in {term}")))
        };
        match self.str(term, "kind") {
            "number" => Val::Num(self.dec(term, "value")),
            "percent" => Val::Num(self.dec(term, "value") / Decimal::ONE_HUNDRED),
            "text" => Val::Text(self.str(term, "value").to_string()),
            "bool" => Val::Bool(self.bool(term, "value")),
            "points" => Val::Num(self.dec(term, "value")),
            "input" => {
                let name = self.str(term, "name");
                self.remember("input", name, &term["value"]);
                self.val(&term["value"])
                    .unwrap_or_else(|| self.fail(format!("absent input {name} read")))
            }
            "let" => {
                let name = self.str(term, "name");
                if term["value"].is_null() {
                    self.fail(format!("let {name} read before it has a value"))
                }
                self.remember("let", name, &term["value"]);
                self.val(&term["value"])
                    .unwrap_or_else(|| self.fail(format!("let {name} has no value")))
            }
            "unary" => match self.str(term, "op") {
                "neg" => Val::Num(-self.number(&term["operand"])),
                "not" => Val::Bool(!self.holds(&term["operand"])),
                other => self.fail(format!("unary {other}")),
            },
            "binary" => {
                let (l, r) = (&term["left"], &term["right"]);
                match self.str(term, "op") {
                    // Only as far as needed, as the evaluator does.
                    "and" => Val::Bool(self.holds(l) && self.holds(r)),
                    "or" => Val::Bool(self.holds(l) || self.holds(r)),
                    "eq" => Val::Bool(self.eval(l) == self.eval(r)),
                    "ne" => Val::Bool(self.eval(l) != self.eval(r)),
                    op => {
                        let (x, y) = (self.number(l), self.number(r));
                        match op {
                            "add" => Val::Num(arith(self, x.checked_add(y))),
                            "sub" => Val::Num(arith(self, x.checked_sub(y))),
                            "mul" => Val::Num(arith(self, x.checked_mul(y))),
                            "div" => Val::Num(arith(self, x.checked_div(y))),
                            "lt" => Val::Bool(x < y),
                            "le" => Val::Bool(x <= y),
                            "gt" => Val::Bool(x > y),
                            "ge" => Val::Bool(x >= y),
                            other => self.fail(format!("binary {other}")),
                        }
                    }
                }
            }
            "if" => {
                if self.holds(&term["condition"]) {
                    self.eval(&term["then"])
                } else {
                    self.eval(&term["otherwise"])
                }
            }
            "call" => self.call(term),
            other => self.fail(format!("term kind {other}")),
        }
    }

    fn call(&mut self, term: &Json) -> Val {
        let args = self.array(term, "args");
        let func = self.str(term, "func");
        let shown = &term["value"];
        match func {
            // Shown by their result, which the argument's value must agree with.
            "given" | "count" => {
                let [arg] = args else {
                    self.fail(format!("{func} of {} arguments", args.len()))
                };
                let result = self
                    .val(shown)
                    .unwrap_or_else(|| self.fail(format!("{func} without a result")));
                let of = &arg["value"];
                let expected = if func == "given" {
                    Val::Bool(of["type"] != "absent")
                } else {
                    Val::Num(Decimal::from(self.usize(of, "records")))
                };
                ensure!(
                    self,
                    result == expected,
                    "{func} shows {result:?}, its argument is {of}"
                );
                result
            }
            _ => {
                let Some((first, rest)) = args.split_first() else {
                    self.fail(format!("{func} of no arguments"))
                };
                let first = self.number(first);
                Val::Num(match func {
                    "min" | "max" => rest.iter().fold(first, |acc, a| {
                        let n = self.number(a);
                        if func == "min" {
                            acc.min(n)
                        } else {
                            acc.max(n)
                        }
                    }),
                    "abs" => first.abs(),
                    "floor" => first.floor(),
                    "ceil" => first.ceil(),
                    "round" => {
                        let digits = match rest.first() {
                            Some(d) => {
                                let d = self.number(d);
                                u32::try_from(d.mantissa())
                                    .ok()
                                    .filter(|_| d.scale() == 0)
                                    .unwrap_or_else(|| self.fail(format!("round to {d} digits")))
                            }
                            None => 0,
                        };
                        jixiao::number_round(first, self.rounding.mode, digits)
                    }
                    other => self.fail(format!("function {other}")),
                })
            }
        }
    }
}

/// A decimal as the trace writes it: exact, without trailing zeros.
fn jixiao_exact(v: Decimal) -> String {
    if v.is_zero() {
        "0".into()
    } else {
        v.normalize().to_string()
    }
}

/// The points of the records among `kids`: a group of a form's level stands for its records.
fn records(kids: &[Json]) -> Vec<Decimal> {
    let mut out = Vec::new();
    for k in kids {
        match k.get("level") {
            Some(_) => out.extend(records(
                k["children"].as_array().map_or(&[][..], Vec::as_slice),
            )),
            None => out.push(
                k["points"]
                    .as_str()
                    .and_then(|p| p.parse().ok())
                    .unwrap_or_default(),
            ),
        }
    }
    out
}
