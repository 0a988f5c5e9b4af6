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

use crate::diagnostics::{Localized, Text};
use std::collections::{BTreeMap, BTreeSet};
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
                    message: Text::new(
                        "`import` needs the rule file to be read from a file",
                        "`import` 要求规则文件是从磁盘上的文件读入的",
                    ),
                    help: Text::new(
                        "imports are found relative to the importing file; this one has no place on disk",
                        "导入的文件按导入它的文件所在位置查找；这个规则文件不在磁盘上",
                    ),
                    span: import.span.into(),
                    label: Text::new("cannot be resolved", "无法找到"),
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
                    message: Text::new(
                        format!("the imports form a cycle: {}", chain.join(" → ")),
                        format!("导入形成了循环：{}", chain.join(" → ")),
                    ),
                    help: Text::new(
                        "a file cannot import itself, directly or through others: remove this import if the file does not need it, or move what both need into a third file that both import",
                        "文件不能直接或间接地导入自己：如果这个文件用不到，就删去这条导入；否则把双方都需要的内容移到第三个文件中，由双方分别导入",
                    ),
                    span: import.path.span.into(),
                    label: Text::new("closes the cycle", "在这里形成循环"),
                });
                continue;
            }
            if self.loaded.contains(&target) {
                continue;
            }
            let source = match (self.read)(&target) {
                Ok(s) => s,
                Err(e) => {
                    let target = crate::source::display_path(&target);
                    self.errors.push(CheckError::Import {
                        message: Text::new(e.to_string(), e.zh().message),
                        help: Text::new(
                            format!(
                                "the path is relative to the importing file: it names {target}; write the path of the file from the importing file's folder"
                            ),
                            format!("路径相对于导入它的文件：它指的是 {target}；请写出从导入文件所在文件夹到该文件的路径"),
                        ),
                        span: import.path.span.into(),
                        label: Text::new("cannot be read", "无法读取"),
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
        let mut merged = Merged::new(acc.items);
        for item in file.items {
            match item {
                ast::Item::Import(_) => {}
                ast::Item::Rulebook(book) => match merged.book {
                    Some(i) => {
                        if let ast::Item::Rulebook(existing) = &mut merged.items[i] {
                            adjust_header(existing, book);
                        }
                    }
                    None => merged.push(ast::Item::Rulebook(book)),
                },
                ast::Item::Input(decl) => {
                    let first =
                        merged
                            .inputs
                            .get(&decl.name.text)
                            .and_then(|&i| match &merged.items[i] {
                                ast::Item::Input(d) => Some(d),
                                _ => None,
                            });
                    match first {
                        // Declared again as it was: the same input.
                        Some(f) if f.ty == decl.ty && f.optional == decl.optional => {}
                        Some(f) => self.errors.push(CheckError::ImportClash {
                            what: Text::new("input", "输入"),
                            name: decl.name.text.clone(),
                            first_file: self.file_of(f.name.span),
                            help: Text::new(
                                "an imported input can be declared again only with the same type: declare it as the imported file does, or rename one of them",
                                "导入的输入只能以相同的类型再次声明：照导入文件的写法声明它，或给其中一个改名",
                            ),
                            span: decl.name.span.into(),
                            first: f.name.span.into(),
                        }),
                        None => merged.push(ast::Item::Input(decl)),
                    }
                }
                ast::Item::Let(decl) => merged.push(ast::Item::Let(decl)),
                // A scale named twice is the checker's `duplicate_name`.
                ast::Item::Scale(scale) => merged.push(ast::Item::Scale(scale)),
                ast::Item::Indicator(ind) => self.indicator(&mut merged, ind),
            }
        }
        let mut comments = acc.comments;
        comments.extend(file.comments);
        ast::File {
            items: merged.items,
            comments,
        }
    }

    /// A top-level indicator of the importing file: new, or replacing an imported one.
    fn indicator(&mut self, merged: &mut Merged, ind: ast::Indicator) {
        self.nested_overrides(&ind);
        if !ind.overrides {
            let first = merged
                .tops
                .get(&ind.name.text)
                .and_then(|&i| match &merged.items[i] {
                    ast::Item::Indicator(f) => Some(f.name.span),
                    _ => None,
                });
            match first {
                Some(first) => self.errors.push(CheckError::ImportClash {
                    what: Text::new("indicator", "指标"),
                    name: ind.name.text.clone(),
                    first_file: self.file_of(first),
                    help: Text::new(
                        format!(
                            "to replace the imported indicator, write `override indicator {} …`; to add another, give it another name",
                            ind.name.text
                        ),
                        format!(
                            "要替换导入的指标，写 `override indicator {} …`；要另加一个指标，给它换个名称",
                            ind.name.text
                        ),
                    ),
                    span: ind.name.span.into(),
                    first: first.into(),
                }),
                None => merged.push(ast::Item::Indicator(ind)),
            }
            return;
        }
        let places = merged.places.get(&ind.name.text).map_or(0, |p| p.len());
        match places {
            1 => merged.replace(ind),
            0 => {
                let help = match closest(&ind.name.text, merged.places.keys().map(String::as_str)) {
                    Some(c) => Text::new(
                        crate::echo::did_you_mean(&ind.name.text, c),
                        crate::echo::did_you_mean_in(&ind.name.text, c, crate::report::Lang::Zh),
                    ),
                    None => Text::new(
                        "`override` replaces an indicator of an imported file; to add a new one, remove `override`",
                        "`override` 替换导入文件中的指标；要新增一个指标，删去 `override`",
                    ),
                };
                self.errors.push(CheckError::ImportOverride {
                    message: Text::new(
                        format!("no imported indicator is named `{}`", ind.name.text),
                        format!("导入的指标中没有名为 `{}` 的", ind.name.text),
                    ),
                    help,
                    span: ind.name.span.into(),
                    label: Text::new("nothing to override", "没有可替换的指标"),
                });
            }
            n => self.errors.push(CheckError::ImportOverride {
                message: Text::new(
                    format!("{n} imported indicators are named `{}`", ind.name.text),
                    format!("导入的指标中有 {n} 个名为 `{}`", ind.name.text),
                ),
                help: Text::new(
                    "override the group that holds the one you mean instead",
                    "改为替换包含你所指指标的那一组",
                ),
                span: ind.name.span.into(),
                label: Text::new("which one?", "哪一个？"),
            }),
        }
    }

    /// `override` is for top-level indicators only; inside a group it means nothing.
    fn nested_overrides(&mut self, ind: &ast::Indicator) {
        for child in ind.children() {
            if child.overrides {
                self.errors.push(CheckError::ImportOverride {
                    message: Text::new(
                        "`override` stands only before a top-level indicator",
                        "`override` 只能写在顶层指标之前",
                    ),
                    help: Text::new(
                        format!(
                            "remove `override` here: a child is part of the group it stands in; to replace only this indicator, write `override indicator {} …` at the top level of the file, where it replaces the imported indicator of its name wherever that stands",
                            child.name.text
                        ),
                        format!(
                            "删去这里的 `override`：子指标属于它所在的那组指标；如果只想替换这一个指标，在文件顶层写 `override indicator {} …`，它会替换导入文件中同名的指标，无论那个指标在哪一层",
                            child.name.text
                        ),
                    ),
                    span: child.name.span.into(),
                    label: Text::new("inside a group", "在一组指标之内"),
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
                        message: Text::new(
                            format!(
                                "`override indicator {}`, but this file imports nothing",
                                ind.name.text
                            ),
                            format!(
                                "写了 `override indicator {}`，但这个文件没有导入任何文件",
                                ind.name.text
                            ),
                        ),
                        help: Text::new(
                            "`override` replaces an indicator of an imported file: add the `import`, or remove `override`",
                            "`override` 替换导入文件中的指标：加上 `import`，或者删去 `override`",
                        ),
                        span: ind.name.span.into(),
                        label: Text::new("nothing to override", "没有可替换的指标"),
                    });
                }
            }
        }
    }

    fn file_of(&self, span: Span) -> String {
        self.sources.file_at(span.start()).1.name().to_string()
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

/// Items being merged, with what the lookups need, so that merging a file of any size takes
/// time in proportion to it: the header's place, inputs and top-level indicators by name, and
/// where every indicator stands by name (for `override`).
struct Merged {
    items: Vec<ast::Item>,
    book: Option<usize>,
    inputs: BTreeMap<String, usize>,
    tops: BTreeMap<String, usize>,
    /// Each indicator name with every place it stands: the item, then the position among the
    /// children at each level below.
    places: BTreeMap<String, Vec<Vec<usize>>>,
}

impl Merged {
    fn new(items: Vec<ast::Item>) -> Self {
        let mut merged = Merged {
            items: Vec::with_capacity(items.len()),
            book: None,
            inputs: BTreeMap::new(),
            tops: BTreeMap::new(),
            places: BTreeMap::new(),
        };
        for item in items {
            merged.push(item);
        }
        merged
    }

    fn push(&mut self, item: ast::Item) {
        let at = self.items.len();
        match &item {
            ast::Item::Rulebook(_) => {
                self.book.get_or_insert(at);
            }
            ast::Item::Input(d) => {
                self.inputs.entry(d.name.text.clone()).or_insert(at);
            }
            ast::Item::Indicator(ind) => {
                self.tops.entry(ind.name.text.clone()).or_insert(at);
                index_places(ind, &mut vec![at], &mut self.places, true);
            }
            ast::Item::Let(_) | ast::Item::Scale(_) | ast::Item::Import(_) => {}
        }
        self.items.push(item);
    }

    /// Puts `new` in the one place an indicator of its name stands.
    fn replace(&mut self, new: ast::Indicator) {
        let Some(path) = self
            .places
            .get(&new.name.text)
            .and_then(|p| p.first())
            .cloned()
        else {
            return;
        };
        let Some(slot) = self.at(&path) else {
            return;
        };
        let old = std::mem::replace(slot, new);
        let mut place = path.clone();
        index_places(&old, &mut place, &mut self.places, false);
        if let Some(slot) = self.at(&path) {
            let new = slot.clone();
            let mut place = path;
            index_places(&new, &mut place, &mut self.places, true);
        }
    }

    fn at(&mut self, path: &[usize]) -> Option<&mut ast::Indicator> {
        let (&first, rest) = path.split_first()?;
        let ast::Item::Indicator(top) = self.items.get_mut(first)? else {
            return None;
        };
        let mut ind: &mut ast::Indicator = top;
        for &k in rest {
            ind = ind
                .body
                .iter_mut()
                .filter_map(|i| match i {
                    ast::IndicatorItem::Child(c) => Some(c),
                    _ => None,
                })
                .nth(k)?;
        }
        Some(ind)
    }
}

/// Adds (or removes) the place of `ind` and of every indicator below it.
fn index_places(
    ind: &ast::Indicator,
    path: &mut Vec<usize>,
    places: &mut BTreeMap<String, Vec<Vec<usize>>>,
    add: bool,
) {
    if add {
        places
            .entry(ind.name.text.clone())
            .or_default()
            .push(path.clone());
    } else if let Some(p) = places.get_mut(&ind.name.text) {
        p.retain(|x| x != path);
        if p.is_empty() {
            places.remove(&ind.name.text);
        }
    }
    for (k, child) in ind.children().enumerate() {
        path.push(k);
        index_places(child, path, places, add);
        path.pop();
    }
}
