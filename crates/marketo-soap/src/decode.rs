//! Reading generated types straight from a parsed document.
//!
//! The generator knows each type's elements, their occurrence and their
//! types, so it emits a [`FromXml`] impl per type that walks a
//! [`roxmltree`] node: one parse of the document, no event stream, no
//! rewriting of the text. [`crate::envelope::decode_response`] reads
//! responses this way; the types keep their `yaserde` impls for users (and
//! as the reference the decoders are tested against).
//!
//! The rules are those of the `yaserde` path, so both read a valid
//! document the same way:
//!
//! * children are matched by local name; unknown ones are skipped, so an
//!   element Marketo adds later does not break old clients;
//! * an element marked `xsi:nil="true"` reads as absent;
//! * text is trimmed (a number may carry spaces);
//! * a missing required element is an error.
//!
//! What the `yaserde` path accepts silently is an error here: a second
//! occurrence of a single element, child elements where text is expected.
//! Every error names the element path and what was expected
//! ([`DecodeError`]).

use std::borrow::Cow;
use std::fmt;

use crate::xml::{DateTime, XSI_NS, excerpt};

/// A node of the parsed document (re-exported so generated code needs no
/// `roxmltree` dependency).
pub use roxmltree::Node;

/// Why a document could not be read into a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    problem: String,
    /// Element names from the innermost out.
    path: Vec<String>,
    /// Line and column of the element the problem is at.
    position: (u32, u32),
}

impl DecodeError {
    /// A problem found at `node`.
    pub fn new(node: Node<'_, '_>, problem: impl Into<String>) -> Self {
        let pos = node.document().text_pos_at(node.range().start);
        Self {
            problem: problem.into(),
            path: Vec::new(),
            position: (pos.row, pos.col),
        }
    }

    /// The same problem, seen from the parent of element `name`.
    #[must_use]
    pub fn within(mut self, name: &str) -> Self {
        self.path.push(name.to_owned());
        self
    }

    /// The same problem, seen from the parent of the `index`-th (from 0)
    /// of the repeated elements `name`.
    #[must_use]
    pub fn within_item(mut self, name: &str, index: usize) -> Self {
        self.path.push(format!("{name}[{index}]"));
        self
    }

    /// What was wrong, without the path.
    pub fn problem(&self) -> &str {
        &self.problem
    }

    /// The element path, outermost first (`successGetLead/result/count`).
    pub fn path(&self) -> String {
        let mut names: Vec<&str> = self.path.iter().map(String::as_str).collect();
        names.reverse();
        names.join("/")
    }

    /// Line and column (from 1) of the element the problem is at.
    pub fn position(&self) -> (u32, u32) {
        self.position
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, column) = self.position;
        if self.path.is_empty() {
            write!(f, "{} (line {line}, column {column})", self.problem)
        } else {
            write!(
                f,
                "{} at {} (line {line}, column {column})",
                self.problem,
                self.path()
            )
        }
    }
}

impl std::error::Error for DecodeError {}

/// A type read from an element.
pub trait FromXml: Sized {
    /// Reads a value from element `node` (its attributes, children and
    /// text; not its name, which the parent matched).
    fn from_xml(node: Node<'_, '_>) -> Result<Self, DecodeError>;
}

/// A type read from text (built-ins, enumerations): element text or an
/// attribute value.
pub trait FromText: Sized {
    /// Reads a value from trimmed text; the error says what was expected.
    fn from_text(text: &str) -> Result<Self, String>;
}

/// The trimmed text of element `node`: its text and CDATA, an error when
/// it has child elements.
pub fn text<'a>(node: Node<'a, '_>) -> Result<Cow<'a, str>, DecodeError> {
    let mut children = node.children();
    let first = match children.next() {
        None => return Ok(Cow::Borrowed("")),
        Some(first) => first,
    };
    if first.is_text() && first.next_sibling().is_none() {
        return Ok(Cow::Borrowed(first.text().unwrap_or_default().trim()));
    }
    let mut all = String::new();
    for child in node.children() {
        if child.is_element() {
            return Err(DecodeError::new(
                child,
                format!(
                    "<{}> must hold text only, found child element <{}>",
                    node.tag_name().name(),
                    child.tag_name().name()
                ),
            ));
        }
        if child.is_text() {
            all.push_str(child.text().unwrap_or_default());
        }
    }
    Ok(Cow::Owned(all.trim().to_owned()))
}

/// Reads a text-valued element with [`FromText`].
pub fn from_text_node<T: FromText>(node: Node<'_, '_>) -> Result<T, DecodeError> {
    let text = text(node)?;
    T::from_text(&text).map_err(|problem| DecodeError::new(node, problem))
}

/// Whether element `node` is marked `xsi:nil="true"`.
pub fn is_nil(node: Node<'_, '_>) -> bool {
    node.attribute((XSI_NS, "nil"))
        .is_some_and(|v| matches!(v.trim(), "true" | "1"))
}

/// The local name of the `xsi:type` of `node` (prefix dropped), if any.
pub fn xsi_type<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    node.attribute((XSI_NS, "type"))
        .map(|v| v.rsplit_once(':').map_or(v, |(_, local)| local))
}

/// The error for an `xsi:type` that names no subtype of `base`.
pub fn unknown_subtype(node: Node<'_, '_>, base: &str, expected: &[&str]) -> DecodeError {
    let expected = expected.join(", ");
    let problem = match xsi_type(node) {
        Some(found) => format!(
            "unknown xsi:type {:?} for {base}; expected one of {expected}",
            excerpt(found, 64)
        ),
        None => format!("an element of abstract type {base} needs xsi:type, one of {expected}"),
    };
    DecodeError::new(node, problem)
}

/// The error for a second `child` when `slot`, a field that occurs at most
/// once, is already set.
fn at_most_once<T>(slot: &Option<T>, child: Node<'_, '_>) -> Result<(), DecodeError> {
    match slot {
        None => Ok(()),
        Some(_) => Err(DecodeError::new(
            child,
            format!(
                "<{}> occurs more than once; expected at most one",
                child.tag_name().name()
            ),
        )),
    }
}

/// Reads element `child` into `slot`, a field that occurs at most once: a
/// nil element leaves it `None`, a second occurrence is an error.
pub fn one<T: FromXml>(slot: &mut Option<T>, child: Node<'_, '_>) -> Result<(), DecodeError> {
    if is_nil(child) {
        return Ok(());
    }
    let name = child.tag_name().name();
    at_most_once(slot, child)?;
    *slot = Some(T::from_xml(child).map_err(|e| e.within(name))?);
    Ok(())
}

/// Adds element `child` to `items`, a repeated field (nil items are
/// skipped).
pub fn many<T: FromXml>(items: &mut Vec<T>, child: Node<'_, '_>) -> Result<(), DecodeError> {
    if is_nil(child) {
        return Ok(());
    }
    let value =
        T::from_xml(child).map_err(|e| e.within_item(child.tag_name().name(), items.len()))?;
    items.push(value);
    Ok(())
}

/// Reads list wrapper `child` (`<leadAttributeList><attribute>…`) into
/// `slot` as the list of its `item` elements (others are skipped).
pub fn list<T: FromXml>(
    slot: &mut Option<Vec<T>>,
    child: Node<'_, '_>,
    item: &str,
) -> Result<(), DecodeError> {
    if is_nil(child) {
        return Ok(());
    }
    let name = child.tag_name().name();
    at_most_once(slot, child)?;
    let mut items = Vec::new();
    for node in child.children() {
        if node.is_element() && node.tag_name().name() == item {
            many(&mut items, node).map_err(|e| e.within(name))?;
        }
    }
    *slot = Some(items);
    Ok(())
}

/// The value of a required element `name` of `parent`, or the error that
/// it is missing.
pub fn required<T>(slot: Option<T>, parent: Node<'_, '_>, name: &str) -> Result<T, DecodeError> {
    slot.ok_or_else(|| {
        DecodeError::new(
            parent,
            format!(
                "<{}> has no <{name}>, which is required",
                parent.tag_name().name()
            ),
        )
    })
}

/// The value of a required attribute `name` of `node`, or the error that
/// it is missing.
pub fn required_attribute<T>(
    slot: Option<T>,
    node: Node<'_, '_>,
    name: &str,
) -> Result<T, DecodeError> {
    slot.ok_or_else(|| {
        DecodeError::new(
            node,
            format!(
                "<{}> has no attribute {name}, which is required",
                node.tag_name().name()
            ),
        )
    })
}

/// The attribute `name` of `node` read as a `T` (`None` when absent).
pub fn attribute<T: FromText>(node: Node<'_, '_>, name: &str) -> Result<Option<T>, DecodeError> {
    match node.attribute(name) {
        None => Ok(None),
        Some(value) => T::from_text(value.trim())
            .map(Some)
            .map_err(|problem| DecodeError::new(node, format!("attribute {name}: {problem}"))),
    }
}

/// Reads `T` from the first element of `text`, a whole document.
pub fn from_str<T: FromXml>(text: &str) -> Result<T, DecodeError> {
    let doc = roxmltree::Document::parse(text).map_err(|e| DecodeError {
        problem: format!("malformed XML: {e}"),
        path: Vec::new(),
        position: (e.pos().row, e.pos().col),
    })?;
    let root = doc.root_element();
    T::from_xml(root).map_err(|e| e.within(root.tag_name().name()))
}

impl FromText for String {
    fn from_text(text: &str) -> Result<Self, String> {
        Ok(text.to_owned())
    }
}

impl FromText for bool {
    fn from_text(text: &str) -> Result<Self, String> {
        match text {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            other => Err(format!(
                "expected an xs:boolean (true, false, 1, 0), found {:?}",
                excerpt(other, 64)
            )),
        }
    }
}

impl FromText for DateTime {
    fn from_text(text: &str) -> Result<Self, String> {
        text.parse()
            .map_err(|e: crate::xml::DateTimeError| e.to_string())
    }
}

/// `FromText` through `FromStr` for numbers, named by their schema type.
macro_rules! numbers {
    ($($ty:ty => $xsd:literal),* $(,)?) => {$(
        impl FromText for $ty {
            fn from_text(text: &str) -> Result<Self, String> {
                text.parse().map_err(|_| {
                    format!(concat!("expected an ", $xsd, ", found {:?}"), excerpt(text, 64))
                })
            }
        }
    )*};
}

numbers!(
    i8 => "xs:byte", i16 => "xs:short", i32 => "xs:int", i64 => "xs:long",
    u8 => "xs:unsignedByte", u16 => "xs:unsignedShort", u32 => "xs:unsignedInt",
    u64 => "xs:unsignedLong", f32 => "xs:float", f64 => "xs:double",
);

/// `FromXml` for the text-valued built-ins.
macro_rules! text_elements {
    ($($ty:ty),* $(,)?) => {$(
        impl FromXml for $ty {
            fn from_xml(node: Node<'_, '_>) -> Result<Self, DecodeError> {
                from_text_node(node)
            }
        }
    )*};
}

text_elements!(
    String, bool, DateTime, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64
);

#[cfg(test)]
mod tests {
    use super::*;

    fn root<T>(xml: &str, f: impl FnOnce(Node<'_, '_>) -> T) -> T {
        let doc = roxmltree::Document::parse(xml).unwrap();
        f(doc.root_element())
    }

    #[test]
    fn text_is_trimmed_and_joined() {
        root("<a> x </a>", |n| assert_eq!(text(n).unwrap(), "x"));
        root("<a>x<!-- c -->y<![CDATA[<z>]]></a>", |n| {
            assert_eq!(text(n).unwrap(), "xy<z>")
        });
        root("<a/>", |n| assert_eq!(text(n).unwrap(), ""));
        let err = root("<a>x<b/></a>", |n| text(n).unwrap_err());
        assert!(err.problem().contains("child element <b>"), "{err}");
        assert_eq!(err.position(), (1, 5));
    }

    #[test]
    fn numbers_and_booleans_say_what_was_expected() {
        let err = root("<n>twelve</n>", |n| i32::from_xml(n).unwrap_err());
        assert_eq!(
            err.to_string(),
            "expected an xs:int, found \"twelve\" (line 1, column 1)"
        );
        root("<b> 1 </b>", |n| assert!(bool::from_xml(n).unwrap()));
        root("<b>yes</b>", |n| assert!(bool::from_xml(n).is_err()));
        root("<n> 42 </n>", |n| assert_eq!(i64::from_xml(n).unwrap(), 42));
    }

    #[test]
    fn nil_duplicates_and_missing_elements() {
        let xml = r#"<p xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><a xsi:nil="true"/><b>1</b><b>2</b></p>"#;
        root(xml, |p| {
            let mut children = p.children().filter(|c| c.is_element());
            let mut a: Option<String> = None;
            one(&mut a, children.next().unwrap()).unwrap();
            assert_eq!(a, None);
            let mut b: Option<i32> = None;
            one(&mut b, children.next().unwrap()).unwrap();
            let err = one(&mut b, children.next().unwrap()).unwrap_err();
            assert!(err.problem().contains("more than once"), "{err}");
            let err = required::<i32>(None, p, "c").unwrap_err();
            assert_eq!(err.problem(), "<p> has no <c>, which is required");
        });
    }

    #[test]
    fn paths_name_items_from_the_outside_in() {
        let xml = "<r><list><i>1</i><i>x</i></list></r>";
        let err = root(xml, |r| {
            let mut slot: Option<Vec<i32>> = None;
            list(&mut slot, r.first_element_child().unwrap(), "i").unwrap_err()
        });
        assert_eq!(err.path(), "list/i[1]");
        assert_eq!(err.position(), (1, 18));
    }

    #[test]
    fn documents_that_do_not_parse_are_errors() {
        let err = from_str::<i32>("<a>").unwrap_err();
        assert!(err.problem().starts_with("malformed XML"), "{err}");
        assert_eq!(from_str::<i32>("<a>7</a>").unwrap(), 7);
    }
}
