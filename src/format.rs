//! The formatter (`jixiao fmt`): a parsed rule file printed in one canonical layout. It reads
//! the AST for structure and the source for spelling, so numbers, names, quotes and operators
//! (`×` or `*`) come out as the author wrote them, and puts every comment back beside the line
//! it stood on. Each keyword keeps the spelling it was written in (`score` or `得分`), unless
//! [`format_with`] is asked for one spelling throughout (`jixiao fmt --keywords zh|en`).
//! Formatting twice changes nothing, and the result parses to the same AST.
//!
//! The layout: two spaces per level; one statement per line; every indicator opened on its
//! header line and closed on a line of its own, with `points` aligned among its siblings (by
//! display width, a Chinese character counting two columns) so a group's weights read as a
//! column; one space around binary operators and after commas; at most one blank line kept
//! where the author left one. Lines end as the file's own lines do (LF, CRLF or a lone CR,
//! whichever the file uses most), and a byte-order mark that opens the file is kept.

use unicode_width::UnicodeWidthStr;

use crate::source::{Span, lines};
use crate::syntax::ast::*;
use crate::syntax::keywords::{self as kw, Spelling, Word};

const INDENT: &str = "  ";

/// The canonical text of a parsed file, every keyword spelled as it was written. `text` is
/// the source the AST was parsed from.
pub fn format(file: &File, text: &str) -> String {
    format_with(file, text, None)
}

/// The canonical text of a parsed file with every keyword in `keywords` (`Some`), or each as
/// it was written (`None`).
pub fn format_with(file: &File, text: &str, keywords: Option<Spelling>) -> String {
    let mut f = Formatter {
        text,
        comments: &file.comments,
        next_comment: 0,
        out: Vec::new(),
        last_end: 0,
        depth: 0,
        keywords,
        // Only needed to keep each keyword's own spelling.
        written: match keywords {
            Some(_) => Vec::new(),
            None => kw::spellings(text),
        },
    };
    let width = name_width(
        file.items.iter().filter_map(|i| match i {
            Item::Indicator(ind) => Some(ind),
            _ => None,
        }),
        text,
    );
    for item in &file.items {
        f.item(item, width);
    }
    f.flush_comments(text.len());
    let ending = lines::Ending::of(text).as_str();
    let mut out = f.out.join(ending);
    out.push_str(ending);
    if f.out.is_empty() {
        out.clear();
    }
    // A byte-order mark that opens the file (Windows Notepad writes one) stays: formatting
    // changes layout, never the encoding the author's editor chose.
    if text.starts_with('\u{feff}') && !out.is_empty() {
        out.insert(0, '\u{feff}');
    }
    out
}

struct Formatter<'a> {
    text: &'a str,
    comments: &'a [Comment],
    next_comment: usize,
    /// The lines written so far, without line breaks.
    out: Vec<String>,
    /// The source offset where the last written line's code ended.
    last_end: usize,
    depth: usize,
    /// The spelling asked for, or `None` to keep each keyword's own.
    keywords: Option<Spelling>,
    /// Where each keyword of the source stands and how it is spelled, in source order.
    written: Vec<(Span, Spelling)>,
}

impl Formatter<'_> {
    fn src(&self, span: Span) -> &str {
        self.text.get(span.start()..span.end()).unwrap_or("")
    }

    /// `word` in the spelling asked for, or as written by the first keyword at or after `at`
    /// (the AST does not keep keywords' places; the statement or operand that holds one does).
    fn kw(&self, word: Word, at: usize) -> &'static str {
        let written = || {
            let i = self.written.partition_point(|(s, _)| s.start() < at);
            self.written.get(i).map(|(_, s)| *s)
        };
        word.spelled(self.spelled(written))
    }

    /// `word` in the spelling asked for, or as written by the last keyword before `at` (a
    /// keyword that stands before its operand: `basis "…"`, `… of 控制率`).
    fn kw_before(&self, word: Word, at: usize) -> &'static str {
        let written = || {
            let i = self.written.partition_point(|(s, _)| s.start() < at);
            i.checked_sub(1).map(|i| self.written[i].1)
        };
        word.spelled(self.spelled(written))
    }

    fn spelled(&self, written: impl FnOnce() -> Option<Spelling>) -> Spelling {
        self.keywords.or_else(written).unwrap_or(Spelling::English)
    }

    /// Writes one line of code that stands at `[start, end)` in the source: first the comments
    /// before it, then the line, with any comment from inside its source span at its end.
    fn line(&mut self, code: String, start: usize, end: usize) {
        self.flush_comments(start);
        self.blank_line_if_before(start);
        let mut line = format!("{}{code}", INDENT.repeat(self.depth));
        while let Some(c) = self.comments.get(self.next_comment)
            && c.span.start() < end
        {
            line.push_str(&format!("  {}", comment_text(c)));
            self.next_comment += 1;
        }
        self.out.push(line);
        self.last_end = end;
    }

    /// Writes the comments that stand before `before`: a trailing one at the end of the line
    /// it followed, the others on lines of their own.
    fn flush_comments(&mut self, before: usize) {
        while let Some(c) = self.comments.get(self.next_comment)
            && c.span.start() < before
        {
            match self.out.last_mut() {
                Some(last)
                    if c.trailing
                        && !self.text[self.last_end..c.span.start()].contains(lines::is_break) =>
                {
                    last.push_str(&format!("  {}", comment_text(c)));
                }
                _ => {
                    self.blank_line_if_before(c.span.start());
                    self.out
                        .push(format!("{}{}", INDENT.repeat(self.depth), comment_text(c)));
                }
            }
            self.last_end = c.span.end();
            self.next_comment += 1;
        }
    }

    /// Keeps one blank line where the source had at least one before `start`.
    fn blank_line_if_before(&mut self, start: usize) {
        let Some(gap) = self.text.get(self.last_end..start) else {
            return;
        };
        let blank = lines::split(gap).into_iter().skip(1).collect::<Vec<_>>();
        // Lines strictly between the end of the last code and `start`.
        let had_blank =
            blank.len() >= 2 && blank[..blank.len() - 1].iter().any(|l| l.trim().is_empty());
        let at_block_start = self.out.last().is_some_and(|l| l.ends_with('{'));
        if had_blank && !self.out.is_empty() && !at_block_start {
            self.out.push(String::new());
        }
    }

    /// `{ "达成" => 80%(含)-100%(含)  "部分达成" => 60%(含)-80% }`, on one line.
    fn bands(&self, bands: &[BandDecl]) -> String {
        let bands: Vec<String> = bands.iter().map(|b| self.band(b, (0, 0))).collect();
        format!("{{ {} }}", bands.join("  "))
    }

    /// `"部分达成" => 60%(含)-80% default 70% words "基本完成", "基本达成"`; the label and the
    /// range padded to `widths` where the bands stand one a line.
    fn band(&self, b: &BandDecl, widths: (usize, usize)) -> String {
        let label = self.src(b.label.span);
        let pad = |text: &str, width: usize| {
            " ".repeat(width.saturating_sub(UnicodeWidthStr::width(text)))
        };
        let mut code = format!("{label}{} => {}", pad(label, widths.0), b.range.text);
        if b.default.is_some() || !b.words.is_empty() {
            code.push_str(&pad(&b.range.text, widths.1));
        }
        if let Some(d) = &b.default {
            code.push_str(&format!(
                " {} {}",
                self.kw_before(kw::DEFAULT, d.span.start()),
                self.src(d.span)
            ));
        }
        if let Some(first) = b.words.first() {
            let words: Vec<&str> = b.words.iter().map(|w| self.src(w.span)).collect();
            code.push_str(&format!(
                " {} {}",
                self.kw_before(kw::WORDS, first.span.start()),
                words.join(", ")
            ));
        }
        code
    }

    /// A scale whose bands grade qualitative targets (with `default` or `words`): one band a
    /// line, labels and ranges aligned, as tiers are written.
    fn graded_scale(&mut self, s: &ScaleDecl) {
        let open = self.open_brace(s.name.span.end());
        self.line(
            format!(
                "{} {} {{",
                self.kw(kw::SCALE, s.span.start()),
                self.src(s.name.span)
            ),
            s.span.start(),
            open,
        );
        self.depth += 1;
        let label_width = s
            .bands
            .iter()
            .map(|b| UnicodeWidthStr::width(self.src(b.label.span)))
            .max()
            .unwrap_or(0);
        let range_width = s
            .bands
            .iter()
            .map(|b| UnicodeWidthStr::width(b.range.text.as_str()))
            .max()
            .unwrap_or(0);
        let widths = (label_width, range_width);
        for b in &s.bands {
            let code = self.band(b, widths);
            let end = b
                .words
                .last()
                .map(|w| w.span.end())
                .or(b.default.as_ref().map(|d| d.span.end()))
                .unwrap_or(b.range.span.end());
            self.line(code, b.label.span.start(), end);
        }
        self.close(s.span.end());
    }

    fn item(&mut self, item: &Item, width: usize) {
        match item {
            Item::Import(i) => self.line(
                format!(
                    "{} {}",
                    self.kw(kw::IMPORT, i.span.start()),
                    self.src(i.path.span)
                ),
                i.span.start(),
                i.span.end(),
            ),
            Item::Rulebook(r) => self.rulebook(r),
            Item::Scale(s)
                if s.bands
                    .iter()
                    .any(|b| b.default.is_some() || !b.words.is_empty()) =>
            {
                self.graded_scale(s)
            }
            Item::Scale(s) => self.line(
                format!(
                    "{} {} {}",
                    self.kw(kw::SCALE, s.span.start()),
                    self.src(s.name.span),
                    self.bands(&s.bands)
                ),
                s.span.start(),
                s.span.end(),
            ),
            Item::Input(i) => {
                let at = i.ty.span.start();
                let word = |w: Word| self.kw(w, at).to_string();
                let ty = match &i.ty.value {
                    TypeName::Money => word(kw::MONEY),
                    TypeName::Number => word(kw::NUMBER),
                    TypeName::Percent => word(kw::PERCENT),
                    TypeName::Count => word(kw::COUNT),
                    TypeName::YesNo => word(kw::YESNO),
                    TypeName::Text => word(kw::TEXT),
                    TypeName::TargetList(None) => word(kw::TARGET_LIST),
                    TypeName::TargetList(Some(scale)) => format!(
                        "{} {} {}",
                        word(kw::TARGET_LIST),
                        self.kw_before(kw::GRADED, scale.span.start()),
                        self.src(scale.span)
                    ),
                    TypeName::FindingList => word(kw::FINDING_LIST),
                    TypeName::Judgement(bands) => {
                        format!("{} {}", word(kw::JUDGEMENT), self.bands(bands))
                    }
                    TypeName::JudgementOf(scale) => {
                        format!("{} {}", word(kw::JUDGEMENT), self.src(scale.span))
                    }
                    TypeName::OneOf(values) => {
                        let values: Vec<&str> = values.iter().map(|v| self.src(v.span)).collect();
                        format!("{} {}", word(kw::ONE_OF), values.join(", "))
                    }
                };
                // `optional` is the first keyword after the type and its range.
                let after = i.range.as_ref().map_or(i.ty.span.end(), |r| r.span.end());
                let optional = if i.optional {
                    format!(" {}", self.kw(kw::OPTIONAL, after))
                } else {
                    String::new()
                };
                let range = i
                    .range
                    .as_ref()
                    .map(|r| format!(" {}", r.text))
                    .unwrap_or_default();
                let code = format!(
                    "{} {}: {ty}{range}{optional}",
                    self.kw(kw::INPUT, i.span.start()),
                    self.src(i.name.span)
                );
                self.line(code, i.span.start(), i.span.end());
            }
            Item::Let(l) => self.let_decl(l),
            Item::Indicator(i) => self.indicator(i, width),
        }
    }

    fn rulebook(&mut self, r: &Rulebook) {
        let open = self.open_brace(r.title.span.end());
        self.line(
            format!(
                "{} {} {{",
                self.kw(kw::RULEBOOK, r.span.start()),
                self.src(r.title.span)
            ),
            r.span.start(),
            open,
        );
        self.depth += 1;
        for setting in &r.settings {
            match setting {
                Setting::Total(t) => self.line(
                    format!(
                        "{} {}",
                        self.kw_before(kw::TOTAL, t.span.start()),
                        self.src(t.span)
                    ),
                    t.span.start(),
                    t.span.end(),
                ),
                Setting::Rounding(x) => {
                    let at = x.place.span.start();
                    let place = match x.place.value {
                        RoundPlace::EachIndicator => format!(
                            "{} {}",
                            self.kw(kw::EACH, at),
                            self.kw(kw::INDICATOR, at + 1)
                        ),
                        RoundPlace::Total => self.kw(kw::TOTAL, at).to_string(),
                        RoundPlace::EachValue => {
                            format!("{} {}", self.kw(kw::EACH, at), self.kw(kw::VALUE, at + 1))
                        }
                    };
                    let mode = match x.mode.value {
                        RoundMode::HalfUp => kw::HALF_UP,
                        RoundMode::HalfEven => kw::HALF_EVEN,
                        RoundMode::Truncate => kw::TRUNCATE,
                    };
                    let code = format!(
                        "{} {} {} {place}",
                        self.kw(kw::ROUND, x.span.start()),
                        self.kw(mode, x.mode.span.start()),
                        self.src(x.digits.span)
                    );
                    self.line(code, x.span.start(), x.span.end());
                }
                Setting::Rating(x) => {
                    let bands: Vec<String> = x
                        .bands
                        .iter()
                        .map(|b| match &b.bound {
                            Some((op, n)) => format!(
                                "{} {} {}",
                                self.src(b.label.span),
                                self.src(op.span),
                                self.src(n.span)
                            ),
                            None => self.src(b.label.span).to_string(),
                        })
                        .collect();
                    self.line(
                        format!(
                            "{} {}",
                            self.kw(kw::RATING, x.span.start()),
                            bands.join(", ")
                        ),
                        x.span.start(),
                        x.span.end(),
                    );
                }
            }
        }
        self.close(r.span.end());
    }

    fn let_decl(&mut self, l: &LetDecl) {
        let code = format!(
            "{} {} = {}",
            self.kw(kw::LET, l.span.start()),
            self.src(l.name.span),
            self.expr(&l.value)
        );
        self.line(code, l.span.start(), l.span.end());
    }

    /// An indicator whose name is padded to `width` display columns, aligning its siblings' points.
    fn indicator(&mut self, i: &Indicator, width: usize) {
        let open = self.open_brace(i.points.span.end());
        let name = self.src(i.name.span);
        let pad = " ".repeat(width.saturating_sub(UnicodeWidthStr::width(name)));
        let one_of = match &i.alternatives {
            Some(a) => format!(" {}", self.kw(kw::ONE_OF, a.span.start())),
            None => String::new(),
        };
        let keyword = if i.overrides {
            format!(
                "{} {}",
                self.kw(kw::OVERRIDE, i.span.start()),
                self.kw(kw::INDICATOR, i.span.start() + 1)
            )
        } else {
            self.kw(kw::INDICATOR, i.span.start()).to_string()
        };
        let header = format!(
            "{keyword} {name}{pad} {} {}{one_of} {{",
            self.kw_before(kw::POINTS, i.points.span.start()),
            self.src(i.points.span)
        );
        let child_width = name_width(i.children(), self.text);
        self.line(header, i.span.start(), open);
        self.depth += 1;
        for item in &i.body {
            match item {
                IndicatorItem::Basis(b) => {
                    self.line(
                        format!(
                            "{} {}",
                            self.kw_before(kw::BASIS, b.span.start()),
                            self.src(b.span)
                        ),
                        b.span.start(),
                        b.span.end(),
                    );
                }
                IndicatorItem::Let(l) => self.let_decl(l),
                IndicatorItem::NotApplicable(na) => {
                    let to: Vec<&str> = na.to.iter().map(|n| self.src(n.span)).collect();
                    let to = match na.to.first() {
                        Some(first) => format!(
                            " {} {}",
                            self.kw_before(kw::TO, first.span.start()),
                            to.join(", ")
                        ),
                        None => String::new(),
                    };
                    let policy = na
                        .policy
                        .map(|p| {
                            let word = match p.value {
                                Policy::Full => kw::FULL,
                                Policy::Exclude => kw::EXCLUDE,
                                Policy::Redistribute => kw::REDISTRIBUTE,
                            };
                            format!(" => {}{to}", self.kw(word, p.span.start()))
                        })
                        .unwrap_or_default();
                    let code = format!(
                        "{} {} {}{policy}",
                        self.kw(kw::NOT_APPLICABLE, na.span.start()),
                        self.kw_before(kw::IF, na.condition.span.start()),
                        self.expr(&na.condition)
                    );
                    self.line(code, na.span.start(), na.span.end());
                }
                IndicatorItem::Score(s) => {
                    self.line(
                        format!(
                            "{} {}",
                            self.kw(kw::SCORE, s.span.start()),
                            self.expr(&s.expr)
                        ),
                        s.span.start(),
                        s.span.end(),
                    );
                }
                IndicatorItem::Targets(t) => {
                    let after = t.list.span.end();
                    let split = match &t.split {
                        Split::Equally(_) => self.kw(kw::SPLIT_EQUALLY, after).to_string(),
                        Split::By(field) => {
                            format!("{} {}", self.kw(kw::SPLIT_BY, after), self.src(field.span))
                        }
                        Split::Count { overshoot, .. } => {
                            let overshoot = overshoot
                                .as_ref()
                                .map(|o| {
                                    format!(
                                        " {} {}",
                                        self.kw_before(kw::OVERSHOOT, o.span.start()),
                                        self.src(o.span)
                                    )
                                })
                                .unwrap_or_default();
                            format!("{}{overshoot}", self.kw(kw::COUNT, after))
                        }
                    };
                    let code = format!(
                        "{} {} {split}",
                        self.kw(kw::TARGETS, t.span.start()),
                        self.src(t.list.span)
                    );
                    self.line(code, t.span.start(), t.span.end());
                }
                IndicatorItem::Levels(l) => {
                    let weights: Vec<String> = l
                        .weights
                        .iter()
                        .map(|(level, weight)| {
                            format!("{} {}", self.src(level.span), self.src(weight.span))
                        })
                        .collect();
                    let warn = match l.warn {
                        true => format!(" {}", self.kw_before(kw::WARN, l.span.end())),
                        false => String::new(),
                    };
                    let code = format!(
                        "{} {}{warn}",
                        self.kw(kw::LEVELS, l.span.start()),
                        weights.join(", ")
                    );
                    self.line(code, l.span.start(), l.span.end());
                }
                IndicatorItem::Tiers(t) => self.tiers(t),
                IndicatorItem::Checklist(c) => self.checklist(c),
                IndicatorItem::Category(c) => self.category(c),
                IndicatorItem::Deduct(d) => {
                    let how = match &d.how {
                        Deduct::PerFinding(list) => format!(
                            "{} {}",
                            self.kw_before(kw::PER, list.span.start()),
                            self.src(list.span)
                        ),
                        Deduct::PerPoint {
                            counting,
                            unit,
                            above,
                            standard,
                            value,
                            ..
                        } => {
                            let counting = match counting {
                                Counting::Proportional => String::new(),
                                Counting::Started => {
                                    format!("{} ", self.kw_before(kw::STARTED, unit.span.start()))
                                }
                                Counting::Whole => {
                                    format!("{} ", self.kw_before(kw::WHOLE, unit.span.start()))
                                }
                            };
                            let side = if *above { kw::ABOVE } else { kw::BELOW };
                            format!(
                                "{} {counting}{} {} {} {} {}",
                                self.kw(kw::PER, d.amount.span.end()),
                                self.src(unit.span),
                                self.kw_before(side, standard.span.start()),
                                self.src(standard.span),
                                self.kw_before(kw::OF, value.span.start()),
                                self.expr(value)
                            )
                        }
                        Deduct::If(cond) => format!(
                            "{} {}",
                            self.kw_before(kw::IF, cond.span.start()),
                            self.expr(cond)
                        ),
                    };
                    let code = format!(
                        "{} {} {how}",
                        self.kw(kw::DEDUCT, d.span.start()),
                        self.expr(&d.amount)
                    );
                    self.line(code, d.span.start(), d.span.end());
                }
                IndicatorItem::Child(c) => self.indicator(c, child_width),
            }
        }
        self.close(i.span.end());
    }

    /// A tiers block, one tier a line, the `=>` aligned.
    fn tiers(&mut self, t: &TiersRule) {
        let open = self.open_brace(t.value.span.end());
        self.line(
            format!(
                "{} {} {{",
                self.kw(kw::TIERS, t.span.start()),
                self.expr(&t.value)
            ),
            t.span.start(),
            open,
        );
        self.depth += 1;
        let width = t
            .tiers
            .iter()
            .map(|tier| UnicodeWidthStr::width(tier.range.text.as_str()))
            .max()
            .unwrap_or(0);
        for tier in &t.tiers {
            let range = &tier.range.text;
            let pad = " ".repeat(width.saturating_sub(UnicodeWidthStr::width(range.as_str())));
            let code = format!("{range}{pad} => {}", self.expr(&tier.score));
            self.line(code, tier.span.start(), tier.span.end());
        }
        self.close(t.span.end());
    }

    /// A category, one value a line with the `=>` aligned.
    fn category(&mut self, c: &CategoryRule) {
        let open = self.open_brace(c.value.span.end());
        self.line(
            format!(
                "{} {} {{",
                self.kw(kw::CATEGORY, c.span.start()),
                self.expr(&c.value)
            ),
            c.span.start(),
            open,
        );
        self.depth += 1;
        let heads: Vec<String> = c
            .arms
            .iter()
            .map(|a| {
                a.value.as_ref().map_or_else(
                    || self.kw(kw::ELSE, a.span.start()).to_string(),
                    |v| self.src(v.span).to_string(),
                )
            })
            .collect();
        let width = heads
            .iter()
            .map(|h| UnicodeWidthStr::width(h.as_str()))
            .max()
            .unwrap_or(0);
        for (arm, head) in c.arms.iter().zip(&heads) {
            let pad = " ".repeat(width.saturating_sub(UnicodeWidthStr::width(head.as_str())));
            let code = format!("{head}{pad} => {}", self.expr(&arm.points));
            self.line(code, arm.span.start(), arm.span.end());
        }
        self.close(c.span.end());
    }

    /// A checklist, one item a line with the `=>` aligned, the vetoes after the items.
    fn checklist(&mut self, c: &ChecklistRule) {
        let open = self.open_brace(c.span.start());
        self.line(
            format!("{} {{", self.kw(kw::CHECKLIST, c.span.start())),
            c.span.start(),
            open,
        );
        self.depth += 1;
        let conditions: Vec<String> = c.items.iter().map(|i| self.expr(&i.condition)).collect();
        let width = conditions
            .iter()
            .map(|t| UnicodeWidthStr::width(t.as_str()))
            .max()
            .unwrap_or(0);
        // Items and vetoes in the order written.
        let mut lines: Vec<(usize, usize, String)> = c
            .items
            .iter()
            .zip(&conditions)
            .map(|(item, cond)| {
                let pad = " ".repeat(width.saturating_sub(UnicodeWidthStr::width(cond.as_str())));
                (
                    item.span.start(),
                    item.span.end(),
                    format!("{cond}{pad} => {}", self.expr(&item.points)),
                )
            })
            .collect();
        lines.extend(c.vetoes.iter().map(|v| {
            let reason = v
                .reason
                .as_ref()
                .map(|r| format!(" {}", self.src(r.span)))
                .unwrap_or_default();
            (
                v.span.start(),
                v.span.end(),
                format!(
                    "{} {}{reason}",
                    self.kw(kw::VETO, v.span.start()),
                    self.expr(&v.condition)
                ),
            )
        }));
        lines.sort_by_key(|(start, _, _)| *start);
        for (start, end, code) in lines {
            self.line(code, start, end);
        }
        self.close(c.span.end());
    }

    /// The offset just after the `{` that opens a block, searched from `from`.
    fn open_brace(&self, from: usize) -> usize {
        self.text[from..].find('{').map_or(from, |i| from + i + 1)
    }

    /// Closes a block whose `}` ends at `end`: comments inside the block before the brace stay
    /// inside it; an empty block closes on its opening line.
    fn close(&mut self, end: usize) {
        let brace = end.saturating_sub(1);
        self.flush_comments(brace);
        self.depth -= 1;
        match self.out.last_mut() {
            Some(last) if last.ends_with('{') => last.push('}'),
            _ => self.line("}".into(), brace, end),
        }
        self.last_end = end;
    }

    fn expr(&self, e: &Expr) -> String {
        let inner = match &e.kind {
            ExprKind::Bool(b) => {
                let word = if *b { kw::TRUE } else { kw::FALSE };
                self.kw(word, e.span.start()).to_string()
            }
            ExprKind::Number(_) | ExprKind::Percent(_) | ExprKind::Text(_) => {
                // Literals as written: `3156.90` keeps its zero, a text its escapes.
                let span = if e.parens {
                    strip_parens(self.text, e.span)
                } else {
                    e.span
                };
                self.src(span).to_string()
            }
            ExprKind::Name(n) => self.src(n.span).to_string(),
            ExprKind::Points => self.kw(kw::POINTS, e.span.start()).to_string(),
            ExprKind::Unary(op, x) => match op {
                UnaryOp::Neg => format!("{}{}", self.src(e.op), self.expr(x)),
                UnaryOp::Not => format!("{} {}", self.kw(kw::NOT, e.op.start()), self.expr(x)),
            },
            ExprKind::Binary(op, l, r) => {
                // `and` and `or` are keywords; the other operators keep their symbol.
                let op = match op {
                    BinaryOp::And => self.kw(kw::AND, e.op.start()),
                    BinaryOp::Or => self.kw(kw::OR, e.op.start()),
                    _ => self.src(e.op),
                };
                format!("{} {op} {}", self.expr(l), self.expr(r))
            }
            ExprKind::If(c, t, f) => {
                format!(
                    "{} {} {} {} {} {}",
                    self.kw(kw::IF, e.span.start()),
                    self.expr(c),
                    self.kw_before(kw::THEN, t.span.start()),
                    self.expr(t),
                    self.kw_before(kw::ELSE, f.span.start()),
                    self.expr(f)
                )
            }
            ExprKind::Call(callee, args) => {
                let args: Vec<String> = args.iter().map(|a| self.expr(a)).collect();
                format!("{}({})", self.src(callee.span), args.join(", "))
            }
        };
        if e.parens {
            format!("({inner})")
        } else {
            inner
        }
    }
}

/// The widest name among sibling indicators, in display columns.
fn name_width<'a>(siblings: impl Iterator<Item = &'a Indicator>, text: &str) -> usize {
    siblings
        .map(|i| {
            UnicodeWidthStr::width(
                text.get(i.name.span.start()..i.name.span.end())
                    .unwrap_or(""),
            )
        })
        .max()
        .unwrap_or(0)
}

/// The literal inside its parentheses, however many pairs were written around it (the
/// formatter then writes one pair, as it does around a name).
fn strip_parens(text: &str, mut span: Span) -> Span {
    loop {
        // A span past 4 GiB is held saturated (`Span::new`): read, never sliced blindly.
        let inner = text.get(span.range()).unwrap_or_default();
        let trimmed = inner.trim();
        if !(trimmed.starts_with('(') && trimmed.ends_with(')')) {
            let lead = inner.len() - inner.trim_start().len();
            return Span::new(span.start() + lead, span.start() + lead + trimmed.len());
        }
        let lead = inner.len() - inner.trim_start().len();
        span = Span::new(
            span.start() + lead + 1,
            span.start() + lead + trimmed.len() - 1,
        );
    }
}

fn comment_text(c: &Comment) -> String {
    if c.doc {
        format!("///{}", c.text.trim_end())
    } else {
        format!("//{}", c.text.trim_end())
    }
}
