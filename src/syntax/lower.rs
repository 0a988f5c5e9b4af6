//! Lowering: pest's pairs → the typed AST, one function per grammar rule. Nothing here
//! unwraps: a pair that is not where the grammar puts it becomes a located internal error,
//! so a drift between grammar and lowering is a bug report, not a crash.

use std::sync::OnceLock;

use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use rust_decimal::Decimal;

use super::Rule;
use super::ast::*;
use super::error::SyntaxError;
use crate::source::{Span, Spanned};

/// Lowering's errors are boxed: every function here returns a `Result`, many of them
/// recursively, and a small `Err` keeps those frames small.
type Result<T> = std::result::Result<T, Box<SyntaxError>>;

/// Walks the children of one pair; every step is checked against the rule the grammar puts there.
struct Children<'i> {
    pairs: Pairs<'i, Rule>,
    /// The parent, whose span an error names (worked out only then).
    parent: Pair<'i, Rule>,
    base: usize,
}

impl<'i> Children<'i> {
    fn of(pair: Pair<'i, Rule>, base: usize) -> Self {
        Children {
            pairs: pair.clone().into_inner(),
            parent: pair,
            base,
        }
    }

    fn next(&mut self, rule: Rule) -> Result<Pair<'i, Rule>> {
        match self.pairs.next() {
            Some(p) if p.as_rule() == rule => Ok(p),
            Some(p) => Err(internal(
                format!("expected {rule:?}, found {:?}", p.as_rule()),
                span(&p, self.base),
            )),
            None => Err(internal(
                format!("missing {rule:?}"),
                span(&self.parent, self.base),
            )),
        }
    }

    fn any(&mut self) -> Result<Pair<'i, Rule>> {
        self.pairs
            .next()
            .ok_or_else(|| internal("missing child".into(), span(&self.parent, self.base)))
    }
}

fn internal(detail: String, span: Span) -> Box<SyntaxError> {
    Box::new(SyntaxError::Internal {
        detail,
        span: span.into(),
    })
}

/// The pair's span in the whole file, without the white space a rule may end with.
fn span(pair: &Pair<'_, Rule>, base: usize) -> Span {
    Span::new(pair.as_span().start() + base, end(pair) + base)
}

/// Where a pair's own text ends. pest skips trivia before an optional or repeated part even when
/// that part is absent, so a pair can end in spaces and comments that belong to the next line:
/// when only trivia follows its last inner pair, it ends where that pair ends.
fn end(pair: &Pair<'_, Rule>) -> usize {
    let start = pair.as_span().start();
    let text = pair.as_str();
    // Trivia a pair ends in ends in a line break unless it runs to the end of the input: a
    // pair that ends otherwise, in something else than white space, ends in its own text.
    if text.ends_with(|c| !is_trivia_space(c)) && pair.as_span().end() < pair.get_input().len() {
        return start + text.len();
    }
    // Most other pairs end in nothing but white space: their own text ends where that starts,
    // as the walk below would find. Only a `//` on the last line may be a comment.
    let spaced = text.trim_end_matches(is_trivia_space);
    let last_line = spaced
        .rfind(crate::source::lines::is_break)
        .map_or(spaced, |i| &spaced[i..]);
    if !last_line.contains("//") {
        return start + spaced.trim_end().len();
    }
    match pair.clone().into_inner().next_back() {
        Some(last) if only_trivia(&text[last.as_span().end() - start..]) => end(&last),
        _ => start + text.trim_end().len(),
    }
}

/// The white space the grammar skips (`WHITESPACE`).
fn is_trivia_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{3000}' | '\u{FEFF}')
}

/// Whether `text` holds nothing but whitespace and `//` comments.
fn only_trivia(mut text: &str) -> bool {
    loop {
        text = text.trim_start_matches(is_trivia_space);
        match text.strip_prefix("//") {
            Some(rest) => {
                text = rest
                    .find(crate::source::lines::is_break)
                    .map_or("", |i| &rest[i..])
            }
            None => return text.is_empty(),
        }
    }
}

fn unexpected(pair: &Pair<'_, Rule>, base: usize) -> Box<SyntaxError> {
    internal(format!("unexpected {:?}", pair.as_rule()), span(pair, base))
}

/// One top-level item (`item` in the grammar); `base` is where the parsed text starts in the
/// whole file.
pub(super) fn item(p: Pair<'_, Rule>, base: usize) -> Result<Item> {
    match p.as_rule() {
        Rule::import_decl => {
            let sp = span(&p, base);
            let mut c = Children::of(p, base);
            c.next(Rule::kw_import)?;
            Ok(Item::Import(Import {
                path: string(c.next(Rule::string)?, base)?,
                span: sp,
            }))
        }
        Rule::rulebook => rulebook(p, base).map(Item::Rulebook),
        Rule::scale_decl => scale_decl(p, base).map(Item::Scale),
        Rule::input_decl => input_decl(p, base).map(Item::Input),
        Rule::let_decl => let_decl(p, base).map(Item::Let),
        Rule::indicator => indicator(p, base).map(Item::Indicator),
        _ => Err(unexpected(&p, base)),
    }
}

fn rulebook(pair: Pair<'_, Rule>, base: usize) -> Result<Rulebook> {
    let sp = span(&pair, base);
    let mut c = Children::of(pair, base);
    c.next(Rule::kw_rulebook)?;
    let title = string(c.next(Rule::string)?, base)?;
    let mut settings = Vec::new();
    for p in c.pairs {
        settings.push(match p.as_rule() {
            Rule::total => Setting::Total(total(p, base)?),
            Rule::rounding => Setting::Rounding(rounding(p, base)?),
            Rule::rating => Setting::Rating(rating(p, base)?),
            _ => return Err(unexpected(&p, base)),
        });
    }
    Ok(Rulebook {
        title,
        settings,
        span: sp,
    })
}

fn total(pair: Pair<'_, Rule>, base: usize) -> Result<Spanned<Decimal>> {
    let mut c = Children::of(pair, base);
    c.next(Rule::kw_total)?;
    number(c.next(Rule::number)?, base)
}

fn rounding(pair: Pair<'_, Rule>, base: usize) -> Result<Rounding> {
    let sp = span(&pair, base);
    let mut c = Children::of(pair, base);
    c.next(Rule::kw_round)?;
    let mode_pair = c.next(Rule::round_mode)?;
    let mode_span = span(&mode_pair, base);
    let mode = match Children::of(mode_pair, base).any()?.as_rule() {
        Rule::kw_half_up => RoundMode::HalfUp,
        Rule::kw_half_even => RoundMode::HalfEven,
        _ => RoundMode::Truncate,
    };
    let digits_pair = c.next(Rule::integer)?;
    let digits_span = span(&digits_pair, base);
    let digits = digits_pair
        .as_str()
        .parse::<u32>()
        .ok()
        .filter(|d| *d <= crate::number::MAX_ROUND_DIGITS)
        .ok_or_else(|| {
            Box::new(SyntaxError::RoundingDigits {
                text: digits_pair.as_str().to_string(),
                max: crate::number::MAX_ROUND_DIGITS,
                span: digits_span.into(),
            })
        })?;
    let place_pair = c.next(Rule::round_place)?;
    let place_span = span(&place_pair, base);
    let place = match Children::of(place_pair, base).any()?.as_rule() {
        Rule::round_each => RoundPlace::EachIndicator,
        Rule::round_values => RoundPlace::EachValue,
        _ => RoundPlace::Total,
    };
    Ok(Rounding {
        mode: Spanned::new(mode, mode_span),
        digits: Spanned::new(digits, digits_span),
        place: Spanned::new(place, place_span),
        span: sp,
    })
}

fn rating(pair: Pair<'_, Rule>, base: usize) -> Result<Rating> {
    let sp = span(&pair, base);
    let mut c = Children::of(pair, base);
    c.next(Rule::kw_rating)?;
    let mut bands = Vec::new();
    for p in c.pairs {
        bands.push(band(p, base)?);
    }
    Ok(Rating { bands, span: sp })
}

fn band(pair: Pair<'_, Rule>, base: usize) -> Result<Band> {
    let sp = span(&pair, base);
    let mut c = Children::of(pair, base);
    let label = name(c.next(Rule::name)?, base)?;
    let bound = match c.pairs.next() {
        Some(op) => {
            let op_span = span(&op, base);
            let op = if op.as_str() == ">" {
                BandOp::Above
            } else {
                BandOp::AtLeast
            };
            let value = c.next(Rule::tier_value)?;
            let value_span = span(&value, base);
            Some((
                Spanned::new(op, op_span),
                Spanned::new(tier_value(value, base)?, value_span),
            ))
        }
        None => None,
    };
    Ok(Band {
        label,
        bound,
        span: sp,
    })
}

/// `"达成" => 80%(含)-100%(含)  …`: the bands of a judgement or a scale, each with its
/// `default` rate and its `words` where written.
fn judgement_bands(pairs: Pairs<'_, Rule>, base: usize) -> Result<Vec<BandDecl>> {
    let mut bands = Vec::new();
    for b in pairs {
        let mut bc = Children::of(b, base);
        let label = string(bc.next(Rule::string)?, base)?;
        let range = tier_range(bc.next(Rule::tier_range)?, base)?;
        let mut band = BandDecl {
            label,
            range,
            default: None,
            words: Vec::new(),
        };
        for part in bc.pairs {
            let mut pc = Children::of(part.clone(), base);
            match part.as_rule() {
                Rule::band_default => {
                    pc.next(Rule::kw_default)?;
                    let value = pc.next(Rule::tier_value)?;
                    let sp = span(&value, base);
                    band.default = Some(Spanned::new(tier_value(value, base)?, sp));
                }
                Rule::band_words => {
                    pc.next(Rule::kw_words)?;
                    for w in pc.pairs {
                        band.words.push(string(w, base)?);
                    }
                }
                _ => return Err(unexpected(&part, base)),
            }
        }
        bands.push(band);
    }
    Ok(bands)
}

/// `scale 三档 { … }`
fn scale_decl(pair: Pair<'_, Rule>, base: usize) -> Result<ScaleDecl> {
    let sp = span(&pair, base);
    let mut c = Children::of(pair, base);
    c.next(Rule::kw_scale)?;
    let name = name(c.next(Rule::name)?, base)?;
    let bands = judgement_bands(c.pairs, base)?;
    Ok(ScaleDecl {
        name,
        bands,
        span: sp,
    })
}

fn input_decl(pair: Pair<'_, Rule>, base: usize) -> Result<InputDecl> {
    let sp = span(&pair, base);
    let mut c = Children::of(pair, base);
    c.next(Rule::kw_input)?;
    let name = name(c.next(Rule::name)?, base)?;
    let ty_pair = c.next(Rule::type_name)?;
    let ty_span = span(&ty_pair, base);
    let inner = Children::of(ty_pair, base).any()?;
    let ty = match inner.as_rule() {
        Rule::one_of_type => {
            let mut options = Vec::new();
            // `one of` or `择一`, then the values.
            for o in Children::of(inner, base).pairs {
                if o.as_rule() == Rule::string {
                    options.push(string(o, base)?);
                }
            }
            TypeName::OneOf(options)
        }
        Rule::judgement_type => {
            let mut c = Children::of(inner, base);
            c.next(Rule::kw_judgement)?;
            match c.pairs.peek().map(|p| p.as_rule()) {
                Some(Rule::name) => TypeName::JudgementOf(self::name(c.next(Rule::name)?, base)?),
                _ => TypeName::Judgement(judgement_bands(c.pairs, base)?),
            }
        }
        Rule::list_type => {
            // `list of finding` or `问题列表`, or a target list with its `graded` scale.
            let words: Vec<Pair<'_, Rule>> = Children::of(inner, base).pairs.collect();
            match words.last().map(|p| p.as_rule()) {
                Some(Rule::kw_finding | Rule::kw_finding_list_zh) => TypeName::FindingList,
                Some(Rule::graded) => {
                    let graded = words
                        .last()
                        .cloned()
                        .ok_or_else(|| internal("missing scale".into(), Span::new(base, base)))?;
                    let mut g = Children::of(graded, base);
                    g.next(Rule::kw_graded)?;
                    TypeName::TargetList(Some(self::name(g.next(Rule::name)?, base)?))
                }
                _ => TypeName::TargetList(None),
            }
        }
        Rule::scalar_type => match Children::of(inner, base).any()?.as_rule() {
            Rule::kw_money => TypeName::Money,
            Rule::kw_number => TypeName::Number,
            Rule::kw_percent => TypeName::Percent,
            Rule::kw_count => TypeName::Count,
            Rule::kw_yesno => TypeName::YesNo,
            _ => TypeName::Text,
        },
        _ => return Err(unexpected(&inner, base)),
    };
    let range = match c.pairs.peek().map(|p| p.as_rule()) {
        Some(Rule::input_range) => Some(input_range(c.next(Rule::input_range)?, base)?),
        _ => None,
    };
    let optional = c.pairs.next().is_some();
    Ok(InputDecl {
        name,
        ty: Spanned::new(ty, ty_span),
        range,
        optional,
        span: sp,
    })
}

fn let_decl(pair: Pair<'_, Rule>, base: usize) -> Result<LetDecl> {
    let sp = span(&pair, base);
    let mut c = Children::of(pair, base);
    c.next(Rule::kw_let)?;
    let name = name(c.next(Rule::name)?, base)?;
    let value = expr(c.next(Rule::expr)?, base)?;
    Ok(LetDecl {
        name,
        value,
        span: sp,
    })
}

fn indicator(pair: Pair<'_, Rule>, base: usize) -> Result<Indicator> {
    let sp = span(&pair, base);
    let mut c = Children::of(pair, base);
    let overrides = match c.pairs.peek() {
        Some(p) if p.as_rule() == Rule::overrides => c.next(Rule::overrides).is_ok(),
        _ => false,
    };
    c.next(Rule::kw_indicator)?;
    let name = indicator_name(c.next(Rule::indicator_name)?, base)?;
    c.next(Rule::kw_points)?;
    let points = number(c.next(Rule::number)?, base)?;
    let alternatives = match c.pairs.peek() {
        Some(p) if p.as_rule() == Rule::alternatives => Some(Spanned {
            value: (),
            span: span(&c.next(Rule::alternatives)?, base),
        }),
        _ => None,
    };
    // The statements are the pairs left, so the block is allocated at its size: grown one push
    // at a time it would keep room for up to twice as many, and a generated table of 100,000
    // indicators holds all their blocks at once before it is checked.
    let mut body = Vec::with_capacity(c.pairs.len());
    for p in c.pairs {
        body.push(match p.as_rule() {
            Rule::not_applicable => {
                IndicatorItem::NotApplicable(Box::new(not_applicable(p, base)?))
            }
            Rule::basis => {
                let mut b = Children::of(p, base);
                b.next(Rule::kw_basis)?;
                IndicatorItem::Basis(string(b.next(Rule::string)?, base)?)
            }
            Rule::let_decl => IndicatorItem::Let(Box::new(let_decl(p, base)?)),
            Rule::score_rule => {
                let sp = span(&p, base);
                let mut s = Children::of(p, base);
                s.next(Rule::kw_score)?;
                IndicatorItem::Score(Box::new(ScoreRule {
                    expr: expr(s.next(Rule::expr)?, base)?,
                    span: sp,
                }))
            }
            Rule::targets_rule => IndicatorItem::Targets(Box::new(targets_rule(p, base)?)),
            Rule::levels_rule => IndicatorItem::Levels(levels_rule(p, base)?),
            Rule::tiers_rule => IndicatorItem::Tiers(Box::new(tiers_rule(p, base)?)),
            Rule::deduct_rule => IndicatorItem::Deduct(Box::new(deduct_rule(p, base)?)),
            Rule::checklist_rule => IndicatorItem::Checklist(checklist_rule(p, base)?),
            Rule::category_rule => IndicatorItem::Category(Box::new(category_rule(p, base)?)),
            Rule::indicator => IndicatorItem::Child(Box::new(indicator(p, base)?)),
            _ => return Err(unexpected(&p, base)),
        });
    }
    Ok(Indicator {
        overrides,
        name,
        points,
        alternatives,
        body,
        span: sp,
    })
}

/// `levels 产出指标 50, 效益指标 30 warn`
fn levels_rule(pair: Pair<'_, Rule>, base: usize) -> Result<LevelsRule> {
    let sp = span(&pair, base);
    let mut c = Children::of(pair, base);
    c.next(Rule::kw_levels)?;
    let mut weights = Vec::new();
    let mut warn = false;
    for p in c.pairs {
        match p.as_rule() {
            Rule::level_weight => {
                let mut w = Children::of(p, base);
                let level = indicator_name(w.next(Rule::indicator_name)?, base)?;
                let weight = number(w.next(Rule::number)?, base)?;
                weights.push((level, weight));
            }
            Rule::kw_warn => warn = true,
            _ => return Err(unexpected(&p, base)),
        }
    }
    Ok(LevelsRule {
        weights,
        warn,
        span: sp,
    })
}

/// An indicator's name, plain or in double quotes.
fn indicator_name(pair: Pair<'_, Rule>, base: usize) -> Result<Name> {
    let inner = Children::of(pair, base).any()?;
    Ok(match inner.as_rule() {
        Rule::string => {
            let s = string(inner, base)?;
            Name {
                text: s.value,
                quote: Quote::Double,
                span: s.span,
            }
        }
        _ => name(inner, base)?,
    })
}

fn not_applicable(pair: Pair<'_, Rule>, base: usize) -> Result<NotApplicable> {
    let sp = span(&pair, base);
    let mut c = Children::of(pair, base);
    c.next(Rule::kw_not_applicable)?;
    c.next(Rule::kw_if)?;
    let condition = expr(c.next(Rule::expr)?, base)?;
    let mut to = Vec::new();
    let policy = match c.pairs.next() {
        Some(p) => {
            let mut pc = Children::of(p, base);
            let kw = pc.any()?;
            let value = match kw.as_rule() {
                Rule::kw_full => Policy::Full,
                Rule::kw_exclude => Policy::Exclude,
                _ => Policy::Redistribute,
            };
            for n in pc.pairs {
                if n.as_rule() == Rule::indicator_name {
                    to.push(indicator_name(n, base)?);
                }
            }
            Some(Spanned {
                value,
                span: span(&kw, base),
            })
        }
        None => None,
    };
    Ok(NotApplicable {
        condition,
        policy,
        to,
        span: sp,
    })
}

fn targets_rule(pair: Pair<'_, Rule>, base: usize) -> Result<TargetsRule> {
    let sp = span(&pair, base);
    let mut c = Children::of(pair, base);
    c.next(Rule::kw_targets)?;
    let list = name(c.next(Rule::name)?, base)?;
    if c.pairs
        .peek()
        .is_some_and(|p| p.as_rule() == Rule::count_ratio)
    {
        let count = c.next(Rule::count_ratio)?;
        let text = as_written(&count);
        let mut k = Children::of(count, base);
        k.next(Rule::kw_count)?;
        let overshoot = match k.pairs.next() {
            Some(_) => {
                let pair = k.next(Rule::tier_value)?;
                let sp = span(&pair, base);
                Some(Spanned::new(tier_value(pair, base)?, sp))
            }
            None => None,
        };
        return Ok(TargetsRule {
            list,
            split: Split::Count { overshoot, text },
            span: sp,
        });
    }
    let split_pair = Children::of(c.next(Rule::split)?, base).any()?;
    let split = match split_pair.as_rule() {
        Rule::split_equally => Split::Equally(span(&split_pair, base)),
        Rule::split_by => {
            // `split by` or `按`, then the field.
            let by = span(&split_pair, base);
            let field = Children::of(split_pair, base)
                .pairs
                .last()
                .ok_or_else(|| internal("missing field".into(), by))?;
            match field.as_rule() {
                Rule::name => Split::By(name(field, base)?),
                Rule::field_points => Split::By(Name {
                    text: field.as_str().to_string(),
                    quote: Quote::Bare,
                    span: span(&field, base),
                }),
                _ => return Err(unexpected(&field, base)),
            }
        }
        _ => return Err(unexpected(&split_pair, base)),
    };
    Ok(TargetsRule {
        list,
        split,
        span: sp,
    })
}

fn tiers_rule(pair: Pair<'_, Rule>, base: usize) -> Result<TiersRule> {
    let sp = span(&pair, base);
    let mut c = Children::of(pair, base);
    c.next(Rule::kw_tiers)?;
    let value = expr(c.next(Rule::expr)?, base)?;
    // One pair a tier: allocated at its size, as an indicator's block is.
    let mut tiers = Vec::with_capacity(c.pairs.len());
    for t in c.pairs {
        let tier_span = span(&t, base);
        let mut tc = Children::of(t, base);
        let range = tier_range(tc.next(Rule::tier_range)?, base)?;
        // A tier score has the shape of an expression (operands and operators), so the same
        // Pratt lowering reads it.
        let score = expr(tc.next(Rule::tier_score)?, base)?;
        tiers.push(Tier {
            range,
            score,
            span: tier_span,
        });
    }
    Ok(TiersRule {
        value,
        tiers,
        span: sp,
    })
}

fn category_rule(pair: Pair<'_, Rule>, base: usize) -> Result<CategoryRule> {
    let sp = span(&pair, base);
    let mut c = Children::of(pair, base);
    c.next(Rule::kw_category)?;
    let value = expr(c.next(Rule::expr)?, base)?;
    // One pair an arm: allocated at its size, as an indicator's block is.
    let mut arms = Vec::with_capacity(c.pairs.len());
    for arm in c.pairs {
        let arm_span = span(&arm, base);
        let mut a = Children::of(arm, base);
        let head = a.any()?;
        let matched = match head.as_rule() {
            Rule::string => Some(string(head, base)?),
            _ => None,
        };
        let points = expr(a.next(Rule::tier_score)?, base)?;
        arms.push(CategoryArm {
            value: matched,
            points,
            span: arm_span,
        });
    }
    Ok(CategoryRule {
        value,
        arms,
        span: sp,
    })
}

fn checklist_rule(pair: Pair<'_, Rule>, base: usize) -> Result<ChecklistRule> {
    let sp = span(&pair, base);
    let mut c = Children::of(pair, base);
    c.next(Rule::kw_checklist)?;
    // Each allocated at its size, as an indicator's block is.
    let veto_count = c
        .pairs
        .clone()
        .filter(|p| p.as_rule() == Rule::veto_item)
        .count();
    let mut items = Vec::with_capacity(c.pairs.len() - veto_count);
    let mut vetoes = Vec::with_capacity(veto_count);
    for p in c.pairs {
        let item_span = span(&p, base);
        match p.as_rule() {
            Rule::check_item => {
                let mut i = Children::of(p, base);
                let condition = expr(i.next(Rule::expr)?, base)?;
                let points = expr(i.next(Rule::tier_score)?, base)?;
                items.push(CheckItem {
                    condition,
                    points,
                    span: item_span,
                });
            }
            Rule::veto_item => {
                let mut v = Children::of(p, base);
                v.next(Rule::kw_veto)?;
                let condition = expr(v.next(Rule::expr)?, base)?;
                let reason = match v.pairs.next() {
                    Some(r) => Some(string(r, base)?),
                    None => None,
                };
                vetoes.push(Veto {
                    condition,
                    reason,
                    span: item_span,
                });
            }
            _ => return Err(unexpected(&p, base)),
        }
    }
    Ok(ChecklistRule {
        items,
        vetoes,
        span: sp,
    })
}

fn deduct_rule(pair: Pair<'_, Rule>, base: usize) -> Result<DeductRule> {
    let sp = span(&pair, base);
    let mut c = Children::of(pair, base);
    c.next(Rule::kw_deduct)?;
    let amount = expr(c.next(Rule::tier_score)?, base)?;
    let how_pair = c.any()?;
    let how = match how_pair.as_rule() {
        Rule::per_finding => {
            let mut h = Children::of(how_pair, base);
            h.next(Rule::kw_per)?;
            Deduct::PerFinding(name(h.next(Rule::name)?, base)?)
        }
        Rule::per_point => {
            let mut h = Children::of(how_pair, base);
            h.next(Rule::kw_per)?;
            let counting = match h.pairs.peek().map(|p| p.as_rule()) {
                Some(Rule::started) => Counting::Started,
                Some(Rule::whole) => Counting::Whole,
                _ => Counting::Proportional,
            };
            if counting != Counting::Proportional {
                h.any()?;
            }
            let unit_pair = h.next(Rule::tier_value)?;
            let unit_text = unit_pair.as_str().to_string();
            let unit_span = span(&unit_pair, base);
            let unit = Spanned::new(tier_value(unit_pair, base)?, unit_span);
            let above = h.any()?.as_rule() == Rule::above;
            let standard_pair = h.next(Rule::tier_value)?;
            let standard_text = standard_pair.as_str().to_string();
            let standard_span = span(&standard_pair, base);
            let standard = Spanned::new(tier_value(standard_pair, base)?, standard_span);
            h.any()?; // `of` or `按`
            let value = expr(h.next(Rule::expr)?, base)?;
            // The part a reader needs in the trace, from its tokens (so that neither comments
            // nor a missing space before `of` can leak in): `per started 1% above 100%`.
            let text = format!(
                "per {}{unit_text} {} {standard_text}",
                match counting {
                    Counting::Proportional => "",
                    Counting::Started => "started ",
                    Counting::Whole => "whole ",
                },
                if above { "above" } else { "below" }
            );
            Deduct::PerPoint {
                counting,
                unit,
                above,
                standard,
                value,
                text,
            }
        }
        Rule::deduct_if => {
            let mut h = Children::of(how_pair, base);
            h.next(Rule::kw_if)?;
            Deduct::If(expr(h.next(Rule::expr)?, base)?)
        }
        _ => return Err(unexpected(&how_pair, base)),
    };
    Ok(DeductRule {
        amount,
        how,
        span: sp,
    })
}

/// A rule's text as written, each run of white space made one space: `>=   95%` reads
/// `>= 95%`.
fn as_written(pair: &Pair<'_, Rule>) -> String {
    pair.as_str()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `> 0` as a tier's side is written; `0%..100%` with both ends included.
fn input_range(pair: Pair<'_, Rule>, base: usize) -> Result<TierRange> {
    let sp = span(&pair, base);
    let text = as_written(&pair);
    let inner = Children::of(pair, base).any()?;
    match inner.as_rule() {
        Rule::input_both => {
            let mut c = Children::of(inner, base);
            let bound = |m: Measure| TierBound {
                value: m.value,
                inclusive: true,
                percent: m.percent,
            };
            let lower = bound(tier_value(c.next(Rule::tier_value)?, base)?);
            let upper = bound(tier_value(c.next(Rule::tier_value)?, base)?);
            Ok(TierRange {
                lower: Some(lower),
                upper: Some(upper),
                text,
                span: sp,
            })
        }
        Rule::tier_side => {
            let (lower, upper) = tier_side(inner, base)?;
            Ok(TierRange {
                lower,
                upper,
                text,
                span: sp,
            })
        }
        _ => Err(unexpected(&inner, base)),
    }
}

/// `>= 95%`, `< 80%`, `= 0%`, `95%以上`, `超过 100%`: the bounds of one side, or of one value.
fn tier_side(pair: Pair<'_, Rule>, base: usize) -> Result<(Option<TierBound>, Option<TierBound>)> {
    let mut c = Children::of(pair, base);
    let first = c.any()?;
    // The comparison, and the value it compares with.
    let (op, value) = match first.as_rule() {
        Rule::tier_op => (first.as_str(), c.next(Rule::tier_value)?),
        Rule::tier_prefix => {
            let op = match first.as_str() {
                "超过" | "高于" | "大于" => ">",
                _ => "<",
            };
            (op, c.next(Rule::tier_value)?)
        }
        Rule::tier_value => {
            // `以上`/`以下` include the number unless marked `(不含)`.
            let word = c.next(Rule::tier_word)?;
            let excluded = c.pairs.next().is_some_and(|m| m.as_str().contains("不含"));
            let op = match (word.as_str().contains("以上"), excluded) {
                (true, false) => ">=",
                (true, true) => ">",
                (false, false) => "<=",
                (false, true) => "<",
            };
            (op, first)
        }
        _ => return Err(unexpected(&first, base)),
    };
    let Measure { value, percent } = tier_value(value, base)?;
    let bound = |inclusive| TierBound {
        value,
        inclusive,
        percent,
    };
    Ok(match op {
        ">=" | "≥" => (Some(bound(true)), None),
        ">" => (Some(bound(false)), None),
        "<=" | "≤" => (None, Some(bound(true))),
        // `= 0%`: exactly the value, as 预算调整率 "=0 计3分" is written.
        "=" | "＝" => (Some(bound(true)), Some(bound(true))),
        _ => (None, Some(bound(false))),
    })
}

fn tier_range(pair: Pair<'_, Rule>, base: usize) -> Result<TierRange> {
    let sp = span(&pair, base);
    let text = as_written(&pair);
    let inner = Children::of(pair, base).any()?;
    let (lower, upper) = match inner.as_rule() {
        Rule::tier_between => {
            let mut c = Children::of(inner, base);
            let lower = tier_bound(c.next(Rule::tier_bound)?, base)?;
            let upper = tier_bound(c.next(Rule::tier_bound)?, base)?;
            (Some(lower), Some(upper))
        }
        Rule::tier_side => tier_side(inner, base)?,
        _ => return Err(unexpected(&inner, base)),
    };
    Ok(TierRange {
        lower,
        upper,
        text,
        span: sp,
    })
}

/// `90%(含)`: inclusive only when marked, as score tables write it.
fn tier_bound(pair: Pair<'_, Rule>, base: usize) -> Result<TierBound> {
    let mut c = Children::of(pair, base);
    let Measure { value, percent } = tier_value(c.next(Rule::tier_value)?, base)?;
    let inclusive = c
        .pairs
        .next()
        .is_some_and(|mark| !mark.as_str().contains("不含"));
    Ok(TierBound {
        value,
        inclusive,
        percent,
    })
}

/// A bound's number; a percentage is divided by 100 so it compares with rates.
fn tier_value(pair: Pair<'_, Rule>, base: usize) -> Result<Measure> {
    let inner = Children::of(pair, base).any()?;
    match inner.as_rule() {
        Rule::number => Ok(Measure {
            value: number(inner, base)?.value,
            percent: false,
        }),
        Rule::percent => {
            let sp = span(&inner, base);
            let n = number(Children::of(inner, base).next(Rule::number)?, base)?.value;
            let value = n.checked_div(Decimal::ONE_HUNDRED).ok_or_else(|| {
                Box::new(SyntaxError::NumberRange {
                    text: n.to_string(),
                    span: sp.into(),
                })
            })?;
            Ok(Measure {
                value,
                percent: true,
            })
        }
        _ => Err(unexpected(&inner, base)),
    }
}

fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::op_or, Assoc::Left))
            .op(Op::infix(Rule::op_and, Assoc::Left))
            .op(Op::prefix(Rule::op_not))
            .op(Op::infix(Rule::op_eq, Assoc::Left)
                | Op::infix(Rule::op_ne, Assoc::Left)
                | Op::infix(Rule::op_lt, Assoc::Left)
                | Op::infix(Rule::op_le, Assoc::Left)
                | Op::infix(Rule::op_gt, Assoc::Left)
                | Op::infix(Rule::op_ge, Assoc::Left))
            .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
            .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
            .op(Op::prefix(Rule::op_neg))
    })
}

/// How deep an expression tree may be: the same limit as bracket nesting. A real 评分标准
/// rarely nests ten deep; a long sum (each `+` is one level) is written as `let` steps. Measured:
/// evaluating and printing take about 16 KiB of stack per level in a debug build, so 64 levels
/// stay under 1 MiB, with room to spare on the 2 MiB threads of a test harness.
pub(super) const MAX_EXPR_DEPTH: usize = super::comments::MAX_NESTING;

fn expr(pair: Pair<'_, Rule>, base: usize) -> Result<Expr> {
    expr_with_depth(pair, base).map(|(e, _)| e)
}

/// An expression and the depth of its tree. The depth is checked as the tree grows, so a
/// 100,000-term sum is refused when it reaches the limit instead of being built.
fn expr_with_depth(pair: Pair<'_, Rule>, base: usize) -> Result<(Expr, usize)> {
    let deeper = |depth: usize, span: Span| -> Result<usize> {
        if depth > MAX_EXPR_DEPTH {
            Err(Box::new(SyntaxError::ExprTooDeep {
                max: MAX_EXPR_DEPTH,
                span: span.into(),
            }))
        } else {
            Ok(depth)
        }
    };
    // pest's Pratt parser recurses once per prefix operator, before any map below runs; the
    // operands of `expr` are flat in the pairs, so a long run of `-`/`not` is caught here.
    let mut run = 0;
    for p in pair.clone().into_inner() {
        if matches!(p.as_rule(), Rule::op_neg | Rule::op_not) {
            run += 1;
            if run > MAX_EXPR_DEPTH {
                return Err(Box::new(SyntaxError::ExprTooDeep {
                    max: MAX_EXPR_DEPTH,
                    span: span(&p, base).into(),
                }));
            }
        } else {
            run = 0;
        }
    }
    pratt()
        .map_primary(|p| primary(p, base))
        .map_prefix(|op, rhs| {
            let (rhs, d) = rhs?;
            let op_span = span(&op, base);
            let span = op_span.to(rhs.span);
            let un = if op.as_rule() == Rule::op_neg {
                UnaryOp::Neg
            } else {
                UnaryOp::Not
            };
            let depth = deeper(d + 1, span)?;
            Ok((
                Expr {
                    span,
                    kind: ExprKind::Unary(un, Box::new(rhs)),
                    parens: false,
                    op: op_span,
                },
                depth,
            ))
        })
        .map_infix(|lhs, op, rhs| {
            let ((lhs, ld), (rhs, rd)) = (lhs?, rhs?);
            let bin = match op.as_rule() {
                Rule::op_or => BinaryOp::Or,
                Rule::op_and => BinaryOp::And,
                Rule::op_eq => BinaryOp::Eq,
                Rule::op_ne => BinaryOp::Ne,
                Rule::op_lt => BinaryOp::Lt,
                Rule::op_le => BinaryOp::Le,
                Rule::op_gt => BinaryOp::Gt,
                Rule::op_ge => BinaryOp::Ge,
                Rule::op_add => BinaryOp::Add,
                Rule::op_sub => BinaryOp::Sub,
                Rule::op_mul => BinaryOp::Mul,
                Rule::op_div => BinaryOp::Div,
                _ => return Err(unexpected(&op, base)),
            };
            let span = lhs.span.to(rhs.span);
            let op_span = crate::syntax::lower::span(&op, base);
            // Point at the operator that goes too deep, not at the whole (long) expression.
            let depth = deeper(ld.max(rd) + 1, op_span)?;
            Ok((
                Expr {
                    span,
                    kind: ExprKind::Binary(bin, Box::new(lhs), Box::new(rhs)),
                    parens: false,
                    op: op_span,
                },
                depth,
            ))
        })
        .parse(pair.into_inner())
}

fn primary(pair: Pair<'_, Rule>, base: usize) -> Result<(Expr, usize)> {
    let sp = span(&pair, base);
    let mut depth = 1;
    let mut sub = |pair: Pair<'_, Rule>| -> Result<Expr> {
        let (e, d) = expr_with_depth(pair, base)?;
        depth = depth.max(d + 1);
        Ok(e)
    };
    let kind = match pair.as_rule() {
        Rule::number => ExprKind::Number(number(pair, base)?.value),
        Rule::percent => {
            let mut c = Children::of(pair, base);
            ExprKind::Percent(number(c.next(Rule::number)?, base)?.value)
        }
        Rule::string => ExprKind::Text(string(pair, base)?.value),
        Rule::boolean => ExprKind::Bool(Children::of(pair, base).any()?.as_rule() == Rule::kw_true),
        Rule::points_ref => ExprKind::Points,
        Rule::name => ExprKind::Name(name(pair, base)?),
        Rule::paren => {
            let mut c = Children::of(pair, base);
            // The parenthesised expression keeps the span with its parentheses.
            let inner = sub(c.next(Rule::expr)?)?;
            return Ok((
                Expr {
                    kind: inner.kind,
                    span: sp,
                    parens: true,
                    op: inner.op,
                },
                depth,
            ));
        }
        Rule::if_expr => {
            let mut c = Children::of(pair, base);
            c.next(Rule::kw_if)?;
            let cond = sub(c.next(Rule::expr)?)?;
            c.next(Rule::kw_then)?;
            let then = sub(c.next(Rule::expr)?)?;
            c.next(Rule::kw_else)?;
            let other = sub(c.next(Rule::expr)?)?;
            ExprKind::If(Box::new(cond), Box::new(then), Box::new(other))
        }
        Rule::call => {
            let mut c = Children::of(pair, base);
            let callee = c.next(Rule::callee)?;
            let callee = Name {
                text: callee.as_str().to_string(),
                quote: Quote::Bare,
                span: span(&callee, base),
            };
            let mut args = Vec::new();
            for a in c.pairs {
                args.push(sub(a)?);
            }
            ExprKind::Call(callee, args)
        }
        _ => return Err(unexpected(&pair, base)),
    };
    if depth > MAX_EXPR_DEPTH {
        return Err(Box::new(SyntaxError::ExprTooDeep {
            max: MAX_EXPR_DEPTH,
            span: sp.into(),
        }));
    }
    Ok((
        Expr {
            kind,
            span: sp,
            parens: false,
            op: Span::default(),
        },
        depth,
    ))
}

fn name(pair: Pair<'_, Rule>, base: usize) -> Result<Name> {
    let sp = span(&pair, base);
    let inner = Children::of(pair, base).any()?;
    match inner.as_rule() {
        Rule::ident => Ok(Name {
            text: inner.as_str().to_string(),
            quote: Quote::Bare,
            span: sp,
        }),
        Rule::quoted_name => {
            let text = Children::of(inner, base)
                .next(Rule::quoted_inner)?
                .as_str()
                .to_string();
            Ok(Name {
                text,
                quote: Quote::Backtick,
                span: sp,
            })
        }
        _ => Err(unexpected(&inner, base)),
    }
}

fn number(pair: Pair<'_, Rule>, base: usize) -> Result<Spanned<Decimal>> {
    let sp = span(&pair, base);
    Decimal::from_str_exact(pair.as_str())
        .map(|d| Spanned::new(d, sp))
        .map_err(|_| {
            Box::new(SyntaxError::NumberRange {
                text: pair.as_str().to_string(),
                span: sp.into(),
            })
        })
}

fn string(pair: Pair<'_, Rule>, base: usize) -> Result<Spanned<String>> {
    let sp = span(&pair, base);
    let raw = Children::of(pair, base).next(Rule::string_inner)?;
    // Most strings have no escape: copied whole, not a character at a time.
    if !raw.as_str().contains('\\') {
        return Ok(Spanned::new(raw.as_str().to_string(), sp));
    }
    let mut out = String::with_capacity(raw.as_str().len());
    let mut chars = raw.as_str().chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    Ok(Spanned::new(out, sp))
}
