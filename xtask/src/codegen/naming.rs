//! Every identifier the generators emit is made here, so that naming rules
//! (case conversion, invalid characters, keywords, reserved names,
//! uniqueness) live in one place.
//!
//! The keyword rule: a Rust keyword gets a trailing `_` (`type` → `type_`,
//! `Self` → `Self_`); generated code never contains a raw identifier
//! (`r#type`). The wire name is kept beside the identifier in a [`Name`],
//! and the emitters write `#[serde(rename)]`/`#[yaserde(rename)]` when the
//! two differ.

use std::collections::BTreeMap;
use std::fmt;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span, TokenStream};
use quote::ToTokens;

/// A generated name: the Rust identifier and the name on the wire (a JSON
/// member, an XML element, an enum value, an `operationId`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name {
    /// The Rust identifier, already valid (never raw).
    pub ident: String,
    /// The name as written on the wire.
    pub wire: String,
}

impl Name {
    /// A name whose identifier is `wire` in `case` (no uniqueness check;
    /// see [`UniqueNames::name`]).
    pub fn new(wire: &str, case: Case) -> Self {
        Self {
            ident: ident_text(wire, case),
            wire: wire.to_owned(),
        }
    }

    /// The identifier as a token.
    pub fn to_ident(&self) -> Ident {
        ident_of(&self.ident)
    }

    /// Whether the wire name differs from the identifier (a rename
    /// attribute is needed).
    pub fn renamed(&self) -> bool {
        self.ident != self.wire
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ident)
    }
}

impl ToTokens for Name {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.to_ident().to_tokens(tokens);
    }
}

/// An identifier token from text that is already a valid, non-keyword
/// identifier (made by this module).
pub fn ident_of(text: &str) -> Ident {
    Ident::new(text, Span::call_site())
}

/// Names of the standard prelude that generated code uses unqualified; no
/// generated type may take them (both generators reserve them).
pub const PRELUDE_TYPES: [&str; 11] = [
    "Option", "Some", "None", "String", "Vec", "Box", "Result", "Ok", "Err", "Into", "From",
];

/// Methods every generated struct has or derives and that callers invoke
/// by name (`X::new`, `x.clone()`, `X::default()`); no field may take these
/// names, since each optional field gets a setter named after it (both
/// generators reserve them).
pub const STRUCT_METHODS: [&str; 3] = ["new", "clone", "default"];

/// The catch-all variant of a generated enum, holding a value the spec does
/// not list; [`ENUM_CATCH_ALL_CLASH`] when a listed value is called that.
pub const ENUM_CATCH_ALL: &str = "Unknown";

/// The catch-all variant's name when a listed value maps to
/// [`ENUM_CATCH_ALL`].
pub const ENUM_CATCH_ALL_CLASH: &str = "UnknownValue";

/// The case an identifier is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `UpperCamelCase`: types, enum variants.
    Pascal,
    /// `snake_case`: fields, methods, modules.
    Snake,
}

/// Words that cannot be used as identifiers even in raw form.
const NOT_RAW: [&str; 5] = ["self", "Self", "super", "crate", "_"];

/// Rust's keywords (strict and reserved, all editions).
const KEYWORDS: [&str; 51] = [
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while",
];

/// The identifier text for `name` in `case`: characters other than letters,
/// digits and `_` separate words, a leading digit gets a prefix (`_` for
/// snake case, `V` for Pascal case), an empty result becomes `empty`/`Empty`.
/// Keywords are returned as they are; [`ident_text`] escapes them.
pub fn sanitize(name: &str, case: Case) -> String {
    // Words are split on anything that is not alphanumeric; `+`/`-` keep a
    // meaning worth keeping in enum values such as "+1" or "-1".
    let spelled: String = name
        .chars()
        .map(|c| match c {
            '+' => " plus ".to_owned(),
            '-' if name.trim_start().starts_with('-') => " minus ".to_owned(),
            c if c.is_alphanumeric() => c.to_string(),
            _ => " ".to_owned(),
        })
        .collect();
    let converted = match case {
        Case::Pascal => spelled.to_upper_camel_case(),
        Case::Snake => spelled.to_snake_case(),
    };
    // heck keeps non-ASCII letters; identifiers here stay ASCII.
    let ascii: String = converted
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let ascii = match (ascii.is_empty(), case) {
        (true, Case::Pascal) => "Empty".to_owned(),
        (true, Case::Snake) => "empty".to_owned(),
        (false, _) => ascii,
    };
    if ascii.starts_with(|c: char| c.is_ascii_digit()) {
        match case {
            Case::Pascal => format!("V{ascii}"),
            Case::Snake => format!("_{ascii}"),
        }
    } else {
        ascii
    }
}

/// The identifier text for `name` in `case`: [`sanitize`], then the
/// keyword rule (a keyword gets a trailing `_`: `type_`, `self_`, `Self_`).
pub fn ident_text(name: &str, case: Case) -> String {
    escape_keyword(sanitize(name, case))
}

/// `text` with a trailing `_` if it is a keyword.
fn escape_keyword(text: String) -> String {
    if is_keyword(&text) {
        format!("{text}_")
    } else {
        text
    }
}

/// Whether `text` is a Rust keyword (strict, reserved, or one of the words
/// that cannot even be raw).
pub fn is_keyword(text: &str) -> bool {
    KEYWORDS.contains(&text) || NOT_RAW.contains(&text)
}

/// An identifier for `name` in `case` (see [`ident_text`]).
pub fn ident(name: &str, case: Case) -> Ident {
    ident_of(&ident_text(name, case))
}

/// A type name (`Pascal`).
pub fn type_ident(name: &str) -> Ident {
    ident(name, Case::Pascal)
}

/// A field, method or module name (`snake`).
pub fn field_ident(name: &str) -> Ident {
    ident(name, Case::Snake)
}

/// An enum variant name (`Pascal`).
pub fn variant_ident(name: &str) -> Ident {
    ident(name, Case::Pascal)
}

/// Hands out unique identifiers within one scope (a module's types, a
/// struct's fields, an enum's variants): the second `x` becomes `x2`, the
/// third `x3`. The result depends only on the order of the calls, so
/// generating twice gives the same names.
#[derive(Debug, Default)]
pub struct UniqueNames {
    taken: BTreeMap<String, usize>,
}

impl UniqueNames {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserves a name that generated identifiers must not take (e.g. a
    /// field the runtime adds, or `Other` for an enum's fallback variant).
    pub fn reserve(&mut self, text: &str) {
        self.taken.entry(text.to_owned()).or_insert(1);
    }

    /// Whether `text` is taken in this scope.
    pub fn is_taken(&self, text: &str) -> bool {
        self.taken.contains_key(text)
    }

    /// A unique identifier for `name` in `case`.
    pub fn ident(&mut self, name: &str, case: Case) -> Ident {
        ident_of(&self.text(name, case))
    }

    /// A unique [`Name`] for the wire name `wire` in `case`.
    pub fn name(&mut self, wire: &str, case: Case) -> Name {
        Name {
            ident: self.text(wire, case),
            wire: wire.to_owned(),
        }
    }

    /// A unique identifier text for `name` in `case`.
    pub fn text(&mut self, name: &str, case: Case) -> String {
        let base = ident_text(name, case);
        let count = self.taken.entry(base.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            return base;
        }
        let mut n = *count;
        loop {
            let candidate = format!("{base}{n}");
            if !self.taken.contains_key(&candidate) {
                self.taken.insert(candidate.clone(), 1);
                return candidate;
            }
            n += 1;
        }
    }
}

/// The name of an enum's catch-all variant given its known variants'
/// identifiers: [`ENUM_CATCH_ALL`], or [`ENUM_CATCH_ALL_CLASH`] (then
/// `UnknownValue2`, …) when taken.
pub fn enum_catch_all<'a>(variants: impl IntoIterator<Item = &'a str> + Clone) -> String {
    let taken = |name: &str| variants.clone().into_iter().any(|v| v == name);
    if !taken(ENUM_CATCH_ALL) {
        return ENUM_CATCH_ALL.to_owned();
    }
    let mut candidate = ENUM_CATCH_ALL_CLASH.to_owned();
    let mut n = 2;
    while taken(&candidate) {
        candidate = format!("{ENUM_CATCH_ALL_CLASH}{n}");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_case_and_cleans_characters() {
        assert_eq!(
            sanitize("paramsScheduleCampaign", Case::Pascal),
            "ParamsScheduleCampaign"
        );
        assert_eq!(sanitize("campaignRunAt", Case::Snake), "campaign_run_at");
        assert_eq!(
            sanitize("Event with Webinar", Case::Pascal),
            "EventWithWebinar"
        );
        assert_eq!(sanitize("IDNUM", Case::Pascal), "Idnum");
        assert_eq!(sanitize("SFDCLeadID", Case::Snake), "sfdc_lead_id");
        assert_eq!(sanitize("programs.json", Case::Snake), "programs_json");
        assert_eq!(sanitize("", Case::Pascal), "Empty");
        assert_eq!(sanitize("***", Case::Snake), "empty");
        assert_eq!(sanitize("2_9", Case::Snake), "_2_9");
        assert_eq!(sanitize("100", Case::Pascal), "V100");
        assert_eq!(sanitize("+1", Case::Pascal), "Plus1");
        assert_eq!(sanitize("-1", Case::Pascal), "Minus1");
    }

    #[test]
    fn escapes_keywords_with_an_underscore_never_raw() {
        assert_eq!(field_ident("type").to_string(), "type_");
        assert_eq!(type_ident("Self").to_string(), "Self_");
        assert_eq!(field_ident("self").to_string(), "self_");
        assert_eq!(field_ident("async").to_string(), "async_");
        assert_eq!(field_ident("Id").to_string(), "id");
        let name = Name::new("type", Case::Snake);
        assert_eq!((name.ident.as_str(), name.wire.as_str()), ("type_", "type"));
        assert!(name.renamed());
        assert!(!Name::new("id", Case::Snake).renamed());
    }

    #[test]
    fn catch_all_variant_avoids_a_listed_value() {
        assert_eq!(enum_catch_all(["A", "B"]), "Unknown");
        assert_eq!(enum_catch_all(["Unknown", "B"]), "UnknownValue");
        assert_eq!(enum_catch_all(["Unknown", "UnknownValue"]), "UnknownValue2");
    }

    #[test]
    fn unique_names_are_deterministic() {
        let mut names = UniqueNames::new();
        names.reserve("Other");
        let got: Vec<String> = ["a_b", "aB", "A-B", "other", "Other"]
            .iter()
            .map(|n| names.ident(n, Case::Pascal).to_string())
            .collect();
        assert_eq!(got, ["AB", "AB2", "AB3", "Other2", "Other3"]);
        let mut fields = UniqueNames::new();
        assert_eq!(fields.ident("type", Case::Snake).to_string(), "type_");
        assert_eq!(fields.ident("Type", Case::Snake).to_string(), "type_2");
        assert_eq!(fields.name("type_", Case::Snake).ident, "type_3");
    }
}
