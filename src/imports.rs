//! Stage 1b of the pipeline, between parsing and checking: a rule file and the files it
//! imports → one AST over one [`SourceMap`], so that `check` sees a single rule set and every
//! span still names its own file.
//!
//! An imported file contributes its header, inputs, lets and indicators, before those of the
//! file that imports it. The importing file adjusts what it imports: its header settings
//! replace the imported ones (setting by setting), an input declared again with the same type
//! is the same input, and `override indicator 名称 …` replaces the imported indicator of that
//! name wherever it stands in the imported tree. Anything else declared twice is a clash. A
//! file imported twice (through two others) is read once; a file that imports itself, directly
//! or not, is a cycle.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::check::{CheckError, closest};
use crate::pipeline::Failure;
use crate::source::{ReadError, SourceFile, SourceMap, Span, normalize};
use crate::syntax::{self, ast};

/// How imported files are read: from disk, or from a git revision for `jixiao diff`.
pub type Reader<'a> = dyn FnMut(&Path) -> Result<SourceFile, ReadError> + 'a;

/// A rule file with its imports merged in.
#[derive(Debug)]
pub struct Loaded {
    pub file: ast::File,
    pub sources: SourceMap,
}

/// Parses `main` and everything it imports, and merges them.
pub fn load(main: &SourceFile, read: &mut Reader<'_>) -> Result<Loaded, Failure> {
    let file =
        syntax::parse(main).map_err(|e| Failure::Syntax(SourceMap::single(main.clone()), e))?;
    let mut loader = Loader {
        read,
        sources: SourceMap::single(main.clone()),
        errors: Vec::new(),
        stack: main.path().map(normalize).into_iter().collect(),
        loaded: BTreeSet::new(),
    };
    let file = loader.resolve(file, main.path().map(Path::to_path_buf))?;
    if loader.errors.is_empty() {
        Ok(Loaded {
            file,
            sources: loader.sources,
        })
    } else {
        loader.errors.sort_by_key(|e| {
            use miette::Diagnostic;
            e.labels()
                .and_then(|mut l| l.next())
                .map_or(0, |l| l.offset())
        });
        Err(Failure::Check(loader.sources, loader.errors))
    }
}

struct Loader<'r, 'a> {
    read: &'r mut Reader<'a>,
    sources: SourceMap,
    errors: Vec<CheckError>,
    /// The files being imported, outermost first, to find cycles.
    stack: Vec<PathBuf>,
    /// The files already merged, so that one imported twice is merged once.
    loaded: BTreeSet<PathBuf>,
}

impl Loader<'_, '_> {
    /// `file` with everything it imports merged in before its own items.
    fn resolve(&mut self, file: ast::File, path: Option<PathBuf>) -> Result<ast::File, Failure> {
        let mut imported: Vec<ast::File> = Vec::new();
        for item in &file.items {
            let ast::Item::Import(import) = item else {
                continue;
            };
            let Some(path) = &path else {
                self.errors.push(CheckError::Import {
                    message: "`import` needs the rule file to be read from a file".into(),
                    help: "imports are found relative to the importing file; this one has no place on disk".into(),
                    span: import.span.into(),
                    label: "cannot be resolved".into(),
                });
                continue;
            };
            let target = normalize(
                &path
                    .parent()
                    .unwrap_or_else(|| Path::new(""))
                    .join(&import.path.value),
            );
            if let Some(pos) = self.stack.iter().position(|p| *p == target) {
                let chain: Vec<String> = self.stack[pos..]
                    .iter()
                    .chain(std::iter::once(&target))
                    .map(|p| crate::source::display_path(p))
                    .collect();
                self.errors.push(CheckError::Import {
                    message: format!("the imports form a cycle: {}", chain.join(" → ")),
                    help: "a file cannot import itself, directly or through others; move what both need into a third file that both import".into(),
                    span: import.path.span.into(),
                    label: "closes the cycle".into(),
                });
                continue;
            }
            if self.loaded.contains(&target) {
                continue;
            }
            let source = match (self.read)(&target) {
                Ok(s) => s,
                Err(e) => {
                    self.errors.push(CheckError::Import {
                        message: e.to_string(),
                        help: format!(
                            "the path is relative to the importing file: it names {}",
                            crate::source::display_path(&target)
                        ),
                        span: import.path.span.into(),
                        label: "cannot be read".into(),
                    });
                    continue;
                }
            };
            let base = self.sources.push(source.clone());
            let ast = syntax::parse_at(&source, base)
                .map_err(|e| Failure::Syntax(SourceMap::single(source.clone()), e))?;
            self.stack.push(target.clone());
            let merged = self.resolve(ast, Some(target.clone()))?;
            self.stack.pop();
            self.loaded.insert(target);
            imported.push(merged);
        }
        let mut merged: Option<ast::File> = None;
        for f in imported {
            merged = Some(match merged {
                None => f,
                Some(acc) => self.merge(acc, f),
            });
        }
        Ok(match merged {
            Some(acc) => self.merge(acc, file),
            None => {
                self.no_override_without_import(&file);
                ast::File {
                    items: file
                        .items
                        .into_iter()
                        .filter(|i| !matches!(i, ast::Item::Import(_)))
                        .collect(),
                    comments: file.comments,
                }
            }
        })
    }

    /// `file`'s items after `acc`'s, adjusting and replacing as described above.
    fn merge(&mut self, acc: ast::File, file: ast::File) -> ast::File {
        let mut items = acc.items;
        for item in file.items {
            match item {
                ast::Item::Import(_) => {}
                ast::Item::Rulebook(book) => {
                    match items.iter_mut().find_map(|i| match i {
                        ast::Item::Rulebook(r) => Some(r),
                        _ => None,
                    }) {
                        Some(existing) => adjust_header(existing, book),
                        None => items.insert(0, ast::Item::Rulebook(book)),
                    }
                }
                ast::Item::Input(decl) => {
                    let first = items.iter().find_map(|i| match i {
                        ast::Item::Input(d) if d.name.text == decl.name.text => Some(d),
                        _ => None,
                    });
                    match first {
                        // Declared again as it was: the same input.
                        Some(f) if f.ty == decl.ty && f.optional == decl.optional => {}
                        Some(f) => self.errors.push(CheckError::ImportClash {
                            what: "input",
                            name: decl.name.text.clone(),
                            first_file: self.file_of(f.name.span),
                            help: "an imported input can be declared again only with the same type; rename one of them".into(),
                            span: decl.name.span.into(),
                            first: f.name.span.into(),
                        }),
                        None => items.push(ast::Item::Input(decl)),
                    }
                }
                ast::Item::Let(decl) => items.push(ast::Item::Let(decl)),
                ast::Item::Indicator(ind) => self.indicator(&mut items, ind),
            }
        }
        let mut comments = acc.comments;
        comments.extend(file.comments);
        ast::File { items, comments }
    }

    /// A top-level indicator of the importing file: new, or replacing an imported one.
    fn indicator(&mut self, items: &mut Vec<ast::Item>, ind: ast::Indicator) {
        self.nested_overrides(&ind);
        if !ind.overrides {
            let first = items.iter().find_map(|i| match i {
                ast::Item::Indicator(f) if f.name.text == ind.name.text => Some(f.name.span),
                _ => None,
            });
            match first {
                Some(first) => self.errors.push(CheckError::ImportClash {
                    what: "indicator",
                    name: ind.name.text.clone(),
                    first_file: self.file_of(first),
                    help: format!(
                        "to replace the imported indicator, write `override indicator {} …`; to add another, give it another name",
                        ind.name.text
                    ),
                    span: ind.name.span.into(),
                    first: first.into(),
                }),
                None => items.push(ast::Item::Indicator(ind)),
            }
            return;
        }
        let mut names = Vec::new();
        for item in items.iter() {
            if let ast::Item::Indicator(i) = item {
                collect_names(i, &mut names);
            }
        }
        let matches = names.iter().filter(|n| **n == ind.name.text).count();
        match matches {
            1 => {
                let name = ind.name.text.clone();
                let mut replacement = Some(ind);
                for item in items.iter_mut() {
                    if let ast::Item::Indicator(i) = item {
                        replace(i, &name, &mut replacement);
                    }
                }
            }
            0 => {
                let help = match closest(&ind.name.text, names.iter().map(String::as_str)) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => "`override` replaces an indicator of an imported file; to add a new one, remove `override`".into(),
                };
                self.errors.push(CheckError::ImportOverride {
                    message: format!("no imported indicator is named `{}`", ind.name.text),
                    help,
                    span: ind.name.span.into(),
                    label: "nothing to override",
                });
            }
            _ => self.errors.push(CheckError::ImportOverride {
                message: format!(
                    "{matches} imported indicators are named `{}`",
                    ind.name.text
                ),
                help: "override the group that holds the one you mean instead".into(),
                span: ind.name.span.into(),
                label: "which one?",
            }),
        }
    }

    /// `override` is for top-level indicators only; inside a group it means nothing.
    fn nested_overrides(&mut self, ind: &ast::Indicator) {
        for child in ind.children() {
            if child.overrides {
                self.errors.push(CheckError::ImportOverride {
                    message: "`override` stands only before a top-level indicator".into(),
                    help: "write the replacement at the top level of the file, where it replaces the imported indicator of its name wherever that stands".into(),
                    span: child.name.span.into(),
                    label: "inside a group",
                });
            }
            self.nested_overrides(child);
        }
    }

    /// A file that imports nothing has nothing to override.
    fn no_override_without_import(&mut self, file: &ast::File) {
        for item in &file.items {
            if let ast::Item::Indicator(ind) = item {
                self.nested_overrides(ind);
                if ind.overrides {
                    self.errors.push(CheckError::ImportOverride {
                        message: format!(
                            "`override indicator {}`, but this file imports nothing",
                            ind.name.text
                        ),
                        help: "`override` replaces an indicator of an imported file: add the `import`, or remove `override`".into(),
                        span: ind.name.span.into(),
                        label: "nothing to override",
                    });
                }
            }
        }
    }

    fn file_of(&self, span: Span) -> String {
        self.sources.file_at(span.start).1.name().to_string()
    }
}

/// The importing file's header settings replace the imported ones of the same kind; its title
/// replaces the imported title.
fn adjust_header(existing: &mut ast::Rulebook, book: ast::Rulebook) {
    fn kind(s: &ast::Setting) -> u8 {
        match s {
            ast::Setting::Total(_) => 0,
            ast::Setting::Rating(_) => 1,
            ast::Setting::Rounding(r) if r.place.value == ast::RoundPlace::EachValue => 2,
            ast::Setting::Rounding(_) => 3,
        }
    }
    existing.title = book.title;
    for setting in book.settings {
        existing.settings.retain(|s| kind(s) != kind(&setting));
        existing.settings.push(setting);
    }
}

fn collect_names(ind: &ast::Indicator, out: &mut Vec<String>) {
    out.push(ind.name.text.clone());
    for child in ind.children() {
        collect_names(child, out);
    }
}

/// Replaces the indicator named `name` under `ind` (or `ind` itself) with `replacement`.
fn replace(ind: &mut ast::Indicator, name: &str, replacement: &mut Option<ast::Indicator>) {
    if ind.name.text == name
        && let Some(new) = replacement.take()
    {
        *ind = new;
        return;
    }
    for item in &mut ind.body {
        if let ast::IndicatorItem::Child(child) = item {
            replace(child, name, replacement);
        }
    }
}
