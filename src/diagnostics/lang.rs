//! Diagnostics in the reader's language. English is written where it always was, in the
//! `#[error]`, `help` and `label` attributes of each error type (and the `Display` of the
//! reasons beside them); the Chinese of each variant is written in the same file, in the
//! error type's [`Localized::zh`], an exhaustive match with one arm per variant, so that a new
//! variant does not compile without its Chinese. [`super::Bounded::in_lang`] puts the words of
//! the chosen language on the diagnostic's code, severity and places.

use miette::Diagnostic;
use std::borrow::Cow;

pub use crate::report::Lang;

/// The language diagnostics are printed in when none is asked for: one switch for every
/// subcommand.
pub const DEFAULT: Lang = Lang::Zh;

/// The Chinese of one diagnostic: its message, its help, and the text of each of its labels in
/// the order [`Diagnostic::labels`] gives them (a label whose place is absent has no text).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Zh {
    pub message: String,
    pub help: Option<String>,
    pub labels: Vec<String>,
}

impl Zh {
    /// A diagnostic saying `message`.
    pub fn new(message: impl Into<String>) -> Zh {
        Zh {
            message: message.into(),
            ..Zh::default()
        }
    }

    /// With `help`.
    pub fn help(self, help: impl Into<String>) -> Zh {
        Zh {
            help: Some(help.into()),
            ..self
        }
    }

    /// With `help` when there is one.
    pub fn help_if(self, help: Option<String>) -> Zh {
        Zh { help, ..self }
    }

    /// With the next label.
    pub fn label(mut self, label: impl Into<String>) -> Zh {
        self.labels.push(label.into());
        self
    }

    /// With the next label, when its place is there (an optional span).
    pub fn label_if(self, present: bool, label: impl Into<String>) -> Zh {
        if present { self.label(label) } else { self }
    }
}

/// A diagnostic that can be said in Chinese as well as in English.
pub trait Localized: Diagnostic {
    /// Its message, help and labels in Chinese.
    fn zh(&self) -> Zh;
}

/// A phrase in both languages, for wording made where a diagnostic is raised (a message built
/// from the facts found there). It prints in English, so the English attributes that show it
/// read as before; the Chinese side is for [`Localized::zh`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    // Borrowed when the words are fixed: readers build a `Text` for what they expect before
    // they know whether anything is wrong, and that must not allocate.
    pub en: Cow<'static, str>,
    pub zh: Cow<'static, str>,
}

impl Text {
    pub fn new(en: impl Into<Cow<'static, str>>, zh: impl Into<Cow<'static, str>>) -> Text {
        Text {
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// Words jixiao only quotes (a parser's message): the same in both languages, in quotes
    /// in Chinese.
    pub fn quoted(words: impl Into<String>) -> Text {
        let en: String = words.into();
        let zh = format!("“{en}”");
        Text {
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// The phrase in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

/// A number of things, in English (`3 errors`) or Chinese (`3 个错误`).
pub fn count(n: usize, en: &str, zh: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{n} {en}{}", if n == 1 { "" } else { "s" }),
        Lang::Zh => format!("{n} 个{zh}"),
    }
}
