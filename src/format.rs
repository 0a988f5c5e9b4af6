//! The formatter (`jixiao fmt`): a parsed rule file printed in one canonical layout. It reads
//! the AST for structure and the source for spelling, so numbers, names, quotes, operators
//! (`×` or `*`, `且` or `and`) and rounding modes come out as the author wrote them, and puts
//! every comment back beside the line it stood on. Formatting twice changes nothing, and the
//! result parses to the same AST.
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

const INDENT: &str = "  ";

/// The canonical text of a parsed file. `text` is the source the AST was parsed from.
pub fn format(file: &File, text: &str) -> String {
    let mut f = Formatter {
        text,
        comments: &file.comments,
        next_comment: 0,
        out: Vec::new(),
        last_end: 0,
        depth: 0,
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
}

impl Formatter<'_> {
    fn src(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// Writes one line of code that stands at `[start, end)` in the source: first the comments
    /// before it, then the line, with any comment from inside its source span at its end.
    fn line(&mut self, code: String, start: usize, end: usize) {
        self.flush_comments(start);
        self.blank_line_if_before(start);
        let mut line = format!("{}{code}", INDENT.repeat(self.depth));
        while let Some(c) = self.comments.get(self.next_comment)
            && c.span.start < end
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
            && c.span.start < before
        {
            match self.out.last_mut() {
                Some(last)
                    if c.trailing
                        && !self.text[self.last_end..c.span.start].contains(lines::is_break) =>
                {
                    last.push_str(&format!("  {}", comment_text(c)));
                }
                _ => {
                    self.blank_line_if_before(c.span.start);
                    self.out
                        .push(format!("{}{}", INDENT.repeat(self.depth), comment_text(c)));
                }
            }
            self.last_end = c.span.end;
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
    fn bands(
        &self,
        bands: &[(
            crate::source::Spanned<String>,
            crate::syntax::ast::TierRange,
        )],
    ) -> String {
        let bands: Vec<String> = bands
            .iter()
            .map(|(label, range)| format!("{} => {}", self.src(label.span), range.text))
            .collect();
        format!("{{ {} }}", bands.join("  "))
    }

    fn item(&mut self, item: &Item, width: usize) {
        match item {
            Item::Import(i) => self.line(
                format!("import {}", self.src(i.path.span)),
                i.span.start,
                i.span.end,
            ),
            Item::Rulebook(r) => self.rulebook(r),
            Item::Scale(s) => self.line(
                format!("scale {} {}", self.src(s.name.span), self.bands(&s.bands)),
                s.span.start,
                s.span.end,
            ),
            Item::Input(i) => {
                let ty = match &i.ty.value {
                    TypeName::Money => "money".to_string(),
                    TypeName::Number => "number".to_string(),
                    TypeName::Percent => "percent".to_string(),
                    TypeName::Count => "count".to_string(),
                    TypeName::YesNo => "yesno".to_string(),
                    TypeName::Text => "text".to_string(),
                    TypeName::TargetList => "list of target".to_string(),
                    TypeName::FindingList => "list of finding".to_string(),
                    TypeName::Judgement(bands) => format!("judgement {}", self.bands(bands)),
                    TypeName::JudgementOf(scale) => format!("judgement {}", self.src(scale.span)),
                    TypeName::OneOf(values) => {
                        let values: Vec<&str> = values.iter().map(|v| self.src(v.span)).collect();
                        format!("one of {}", values.join(", "))
                    }
                };
                let optional = if i.optional { " optional" } else { "" };
                let range = i
                    .range
                    .as_ref()
                    .map(|r| format!(" {}", r.text))
                    .unwrap_or_default();
                let code = format!("input {}: {ty}{range}{optional}", self.src(i.name.span));
                self.line(code, i.span.start, i.span.end);
            }
            Item::Let(l) => self.let_decl(l),
            Item::Indicator(i) => self.indicator(i, width),
        }
    }

    fn rulebook(&mut self, r: &Rulebook) {
        let open = self.open_brace(r.title.span.end);
        self.line(
            format!("rulebook {} {{", self.src(r.title.span)),
            r.span.start,
            open,
        );
        self.depth += 1;
        for setting in &r.settings {
            match setting {
                Setting::Total(t) => self.line(
                    format!("total {}", self.src(t.span)),
                    t.span.start,
                    t.span.end,
                ),
                Setting::Rounding(x) => {
                    let place = match x.place.value {
                        RoundPlace::EachIndicator => "each indicator",
                        RoundPlace::Total => "total",
                        RoundPlace::EachValue => "each value",
                    };
                    let code = format!(
                        "round {} {} {place}",
                        self.src(x.mode.span),
                        self.src(x.digits.span)
                    );
                    self.line(code, x.span.start, x.span.end);
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
                        format!("rating {}", bands.join(", ")),
                        x.span.start,
                        x.span.end,
                    );
                }
            }
        }
        self.close(r.span.end);
    }

    fn let_decl(&mut self, l: &LetDecl) {
        let code = format!("let {} = {}", self.src(l.name.span), self.expr(&l.value));
        self.line(code, l.span.start, l.span.end);
    }

    /// An indicator whose name is padded to `width` display columns, aligning its siblings' points.
    fn indicator(&mut self, i: &Indicator, width: usize) {
        let open = self.open_brace(i.points.span.end);
        let name = self.src(i.name.span);
        let pad = " ".repeat(width.saturating_sub(UnicodeWidthStr::width(name)));
        let one_of = if i.alternatives.is_some() {
            " one of"
        } else {
            ""
        };
        let keyword = if i.overrides {
            "override indicator"
        } else {
            "indicator"
        };
        let header = format!(
            "{keyword} {name}{pad} points {}{one_of} {{",
            self.src(i.points.span)
        );
        let child_width = name_width(i.children(), self.text);
        self.line(header, i.span.start, open);
        self.depth += 1;
        for item in &i.body {
            match item {
                IndicatorItem::Basis(b) => {
                    self.line(
                        format!("basis {}", self.src(b.span)),
                        b.span.start,
                        b.span.end,
                    );
                }
                IndicatorItem::Let(l) => self.let_decl(l),
                IndicatorItem::NotApplicable(na) => {
                    let to: Vec<&str> = na.to.iter().map(|n| self.src(n.span)).collect();
                    let to = if to.is_empty() {
                        String::new()
                    } else {
                        format!(" to {}", to.join(", "))
                    };
                    let policy = na
                        .policy
                        .map(|p| format!(" => {}{to}", p.value.keyword()))
                        .unwrap_or_default();
                    let code = format!("not applicable if {}{policy}", self.expr(&na.condition));
                    self.line(code, na.span.start, na.span.end);
                }
                IndicatorItem::Score(s) => {
                    self.line(
                        format!("score {}", self.expr(&s.expr)),
                        s.span.start,
                        s.span.end,
                    );
                }
                IndicatorItem::Targets(t) => {
                    let split = match &t.split {
                        Split::Equally(_) => "split equally".to_string(),
                        Split::By(field) => format!("split by {}", self.src(field.span)),
                        Split::Count { text, .. } => text.clone(),
                    };
                    let code = format!("targets {} {split}", self.src(t.list.span));
                    self.line(code, t.span.start, t.span.end);
                }
                IndicatorItem::Tiers(t) => self.tiers(t),
                IndicatorItem::Checklist(c) => self.checklist(c),
                IndicatorItem::Category(c) => self.category(c),
                IndicatorItem::Deduct(d) => {
                    let how = match &d.how {
                        Deduct::PerFinding(list) => format!("per {}", self.src(list.span)),
                        Deduct::PerPoint { value, text, .. } => {
                            format!("{text} of {}", self.expr(value))
                        }
                        Deduct::If(cond) => format!("if {}", self.expr(cond)),
                    };
                    let code = format!("deduct {} {how}", self.expr(&d.amount));
                    self.line(code, d.span.start, d.span.end);
                }
                IndicatorItem::Child(c) => self.indicator(c, child_width),
            }
        }
        self.close(i.span.end);
    }

    /// A tiers block, one tier a line, the `=>` aligned.
    fn tiers(&mut self, t: &TiersRule) {
        let open = self.open_brace(t.value.span.end);
        self.line(
            format!("tiers {} {{", self.expr(&t.value)),
            t.span.start,
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
            self.line(code, tier.span.start, tier.span.end);
        }
        self.close(t.span.end);
    }

    /// A category, one value a line with the `=>` aligned.
    fn category(&mut self, c: &CategoryRule) {
        let open = self.open_brace(c.value.span.end);
        self.line(
            format!("category {} {{", self.expr(&c.value)),
            c.span.start,
            open,
        );
        self.depth += 1;
        let heads: Vec<String> = c
            .arms
            .iter()
            .map(|a| {
                a.value
                    .as_ref()
                    .map_or("else".to_string(), |v| self.src(v.span).to_string())
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
            self.line(code, arm.span.start, arm.span.end);
        }
        self.close(c.span.end);
    }

    /// A checklist, one item a line with the `=>` aligned, the vetoes after the items.
    fn checklist(&mut self, c: &ChecklistRule) {
        let open = self.open_brace(c.span.start);
        self.line("checklist {".into(), c.span.start, open);
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
                    item.span.start,
                    item.span.end,
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
                v.span.start,
                v.span.end,
                format!("veto {}{reason}", self.expr(&v.condition)),
            )
        }));
        lines.sort_by_key(|(start, _, _)| *start);
        for (start, end, code) in lines {
            self.line(code, start, end);
        }
        self.close(c.span.end);
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
            ExprKind::Number(_) | ExprKind::Percent(_) | ExprKind::Text(_) | ExprKind::Bool(_) => {
                // Literals as written: `3156.90` keeps its zero, a text its escapes.
                let span = if e.parens {
                    strip_parens(self.text, e.span)
                } else {
                    e.span
                };
                self.src(span).to_string()
            }
            ExprKind::Name(n) => self.src(n.span).to_string(),
            ExprKind::Points => "points".to_string(),
            ExprKind::Unary(op, x) => {
                let sym = self.src(e.op);
                match op {
                    UnaryOp::Neg => format!("{sym}{}", self.expr(x)),
                    UnaryOp::Not => format!("{sym} {}", self.expr(x)),
                }
            }
            ExprKind::Binary(_, l, r) => {
                format!("{} {} {}", self.expr(l), self.src(e.op), self.expr(r))
            }
            ExprKind::If(c, t, f) => {
                format!(
                    "if {} then {} else {}",
                    self.expr(c),
                    self.expr(t),
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
        .map(|i| UnicodeWidthStr::width(text.get(i.name.span.start..i.name.span.end).unwrap_or("")))
        .max()
        .unwrap_or(0)
}

/// The literal inside its parentheses, however many pairs were written around it (the
/// formatter then writes one pair, as it does around a name).
fn strip_parens(text: &str, mut span: Span) -> Span {
    loop {
        let inner = &text[span.start..span.end];
        let trimmed = inner.trim();
        if !(trimmed.starts_with('(') && trimmed.ends_with(')')) {
            let lead = inner.len() - inner.trim_start().len();
            return Span::new(span.start + lead, span.start + lead + trimmed.len());
        }
        let lead = inner.len() - inner.trim_start().len();
        span = Span::new(span.start + lead + 1, span.start + lead + trimmed.len() - 1);
    }
}

fn comment_text(c: &Comment) -> String {
    if c.doc {
        format!("///{}", c.text.trim_end())
    } else {
        format!("//{}", c.text.trim_end())
    }
}
