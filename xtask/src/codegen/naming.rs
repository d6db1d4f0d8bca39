//! Every identifier the generators emit is made here, so that naming rules
//! (case conversion, invalid characters, keywords, uniqueness) live in one
//! place.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

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
/// Keywords are returned as they are; [`ident`] makes them raw.
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

/// An identifier for `name` in `case`; keywords become raw (`r#type`), and
/// the few words that cannot be raw get a trailing `_` (`self_`).
pub fn ident(name: &str, case: Case) -> Ident {
    let text = sanitize(name, case);
    if NOT_RAW.contains(&text.as_str()) {
        Ident::new(&format!("{text}_"), Span::call_site())
    } else if KEYWORDS.contains(&text.as_str()) {
        Ident::new_raw(&text, Span::call_site())
    } else {
        Ident::new(&text, Span::call_site())
    }
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

    /// A unique identifier for `name` in `case`.
    pub fn ident(&mut self, name: &str, case: Case) -> Ident {
        let base = ident(name, case).to_string();
        let base = base.strip_prefix("r#").unwrap_or(&base).to_owned();
        let count = self.taken.entry(base.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            return ident_from_text(&base);
        }
        let mut n = *count;
        loop {
            let candidate = format!("{base}{n}");
            if !self.taken.contains_key(&candidate) {
                self.taken.insert(candidate.clone(), 1);
                return ident_from_text(&candidate);
            }
            n += 1;
        }
    }
}

/// An identifier from already sanitised text, raw if it is a keyword.
fn ident_from_text(text: &str) -> Ident {
    if KEYWORDS.contains(&text) {
        Ident::new_raw(text, Span::call_site())
    } else {
        Ident::new(text, Span::call_site())
    }
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
    fn escapes_keywords() {
        assert_eq!(field_ident("type").to_string(), "r#type");
        assert_eq!(type_ident("Self").to_string(), "Self_");
        assert_eq!(field_ident("self").to_string(), "self_");
        assert_eq!(field_ident("async").to_string(), "r#async");
        assert_eq!(field_ident("Id").to_string(), "id");
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
        assert_eq!(fields.ident("type", Case::Snake).to_string(), "r#type");
        assert_eq!(fields.ident("Type", Case::Snake).to_string(), "type2");
    }
}
