//! XML support shared by the generated code: the `xs:dateTime` value type,
//! text-valued enumerations, `xsi:type` choices, and reading/writing whole
//! documents.
//!
//! Plain structs use `yaserde`'s derive. Three things it does not do the way
//! SOAP needs are written here by hand and called from generated impls:
//!
//! * enumerations: written as their text with [`write_text`] and read with
//!   [`read_text`]; a value the spec does not list is kept in the enum's
//!   `Unknown(String)` variant (the derive would silently fall back to the
//!   first variant);
//! * subtypes of an abstract type: written with `xsi:type="ns1:Subtype"`
//!   and read by dispatching on that attribute;
//! * `xsi:nil="true"`: [`from_str`] drops nil elements before decoding, so
//!   a nillable field (always an `Option`) reads as `None`; an element that
//!   is both required and nillable is written through [`Nil`] or
//!   [`NilText`], which write `None` as `<name xsi:nil="true"/>` (omitting
//!   it would break the schema's sequence).

use std::borrow::Cow;
use std::fmt;
use std::io::{Read, Write};
use std::str::FromStr;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use xml::reader::XmlEvent as ReadEvent;
use xml::writer::XmlEvent as WriteEvent;
use yaserde::de::Deserializer;
use yaserde::ser::Serializer;
use yaserde::{YaDeserialize, YaSerialize};

/// The XML Schema instance namespace (`xsi:type`, `xsi:nil`).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The prefix generated code binds the WSDL's target namespace to.
pub const TARGET_PREFIX: &str = "ns1";

/// The attribute list of `YaSerialize::serialize_attributes`.
pub type Attributes = Vec<xml::attribute::OwnedAttribute>;

/// The namespace map of `YaSerialize::serialize_attributes`.
pub type Namespace = xml::namespace::Namespace;

/// A text that is not one of an enumeration's values (for hand-written
/// strict checks; generated enums keep unknown values instead).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {type_name} value {value:?}; expected one of {}", expected.join(", "))]
pub struct UnknownValue {
    /// The enumeration's type name.
    pub type_name: &'static str,
    /// The value found (at most 64 characters of it).
    pub value: String,
    /// The values the enumeration has.
    pub expected: &'static [&'static str],
}

impl UnknownValue {
    /// The error for `value` read as a `type_name`.
    pub fn new(type_name: &'static str, value: &str, expected: &'static [&'static str]) -> Self {
        Self {
            type_name,
            value: value.chars().take(64).collect(),
            expected,
        }
    }
}

/// An `xs:dateTime` value.
///
/// Written in RFC 3339 form with its offset (`2013-08-03T21:39:34-07:00`);
/// read from RFC 3339, or from a date-time without offset, taken as UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime(pub OffsetDateTime);

impl DateTime {
    /// The wrapped date-time.
    pub fn get(self) -> OffsetDateTime {
        self.0
    }
}

impl From<OffsetDateTime> for DateTime {
    fn from(value: OffsetDateTime) -> Self {
        Self(value)
    }
}

impl From<DateTime> for OffsetDateTime {
    fn from(value: DateTime) -> Self {
        value.0
    }
}

/// Why a text could not be read as an `xs:dateTime`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid xs:dateTime {value:?}: expected e.g. 2013-08-03T21:39:34-07:00")]
pub struct DateTimeError {
    value: String,
}

impl FromStr for DateTime {
    type Err = DateTimeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Ok(value) = OffsetDateTime::parse(s, &Rfc3339) {
            return Ok(Self(value));
        }
        // xs:dateTime allows a missing offset; read it as UTC.
        let with_utc = format!("{s}Z");
        OffsetDateTime::parse(&with_utc, &Rfc3339)
            .map(Self)
            .map_err(|_| DateTimeError {
                value: s.chars().take(64).collect(),
            })
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.format(&Rfc3339) {
            Ok(text) => f.write_str(&text),
            // Years outside 0..=9999 cannot be written in RFC 3339.
            Err(_) => write!(f, "{}", self.0),
        }
    }
}

impl YaSerialize for DateTime {
    fn serialize<W: Write>(&self, writer: &mut Serializer<W>) -> Result<(), yaserde::Error> {
        let text = self.0.format(&Rfc3339).map_err(yaserde::Error::custom)?;
        write_text(writer, "dateTime", &text)
    }

    fn serialize_attributes(
        &self,
        attributes: Vec<xml::attribute::OwnedAttribute>,
        namespace: xml::namespace::Namespace,
    ) -> Result<
        (
            Vec<xml::attribute::OwnedAttribute>,
            xml::namespace::Namespace,
        ),
        yaserde::Error,
    > {
        Ok((attributes, namespace))
    }
}

impl YaDeserialize for DateTime {
    fn deserialize<R: Read>(reader: &mut Deserializer<R>) -> Result<Self, yaserde::Error> {
        read_text(reader)?.parse().map_err(yaserde::Error::custom)
    }
}

/// Writes a simple-content element: `<name>text</name>`, where `name` is
/// the element name the parent asked for (or `default_name` at top level).
/// Used by generated enumerations and [`DateTime`].
pub fn write_text<W: Write>(
    writer: &mut Serializer<W>,
    default_name: &str,
    text: &str,
) -> Result<(), yaserde::Error> {
    if writer.skip_start_end() {
        writer.write(WriteEvent::characters(text))?;
        return Ok(());
    }
    let name = writer
        .get_start_event_name()
        .unwrap_or_else(|| default_name.to_owned());
    writer.write(WriteEvent::start_element(name.as_str()))?;
    writer.write(WriteEvent::characters(text))?;
    writer.write(WriteEvent::end_element())?;
    Ok(())
}

/// Reads the text of a simple-content element. Consumes the start tag and
/// the text and leaves the end tag for the caller, as `yaserde`'s derived
/// code expects of a child.
pub fn read_text<R: Read>(reader: &mut Deserializer<R>) -> Result<String, yaserde::Error> {
    let name = match reader.next_event()? {
        ReadEvent::StartElement { name, .. } => name,
        other => {
            return Err(yaserde::Error::custom(format!(
                "expected an element with text content, found {other:?}"
            )));
        }
    };
    let mut text = String::new();
    loop {
        match reader.peek()? {
            ReadEvent::Characters(chunk) | ReadEvent::CData(chunk) => {
                text.push_str(chunk);
                reader.next_event()?;
            }
            ReadEvent::Whitespace(_) => {
                reader.next_event()?;
            }
            ReadEvent::EndElement { .. } => return Ok(text),
            ReadEvent::StartElement { name: child, .. } => {
                return Err(yaserde::Error::custom(format!(
                    "<{}> must hold text only, found child element <{}>",
                    name.local_name, child.local_name
                )));
            }
            other => {
                return Err(yaserde::Error::custom(format!(
                    "unexpected {other:?} in <{}>",
                    name.local_name
                )));
            }
        }
    }
}

/// Writes `value` as an element carrying `xsi:type="ns1:{type_name}"`
/// (`ns1` bound to `namespace`). Used by the generated enums of abstract
/// types and their subtypes.
pub fn write_typed<W: Write, T: YaSerialize>(
    writer: &mut Serializer<W>,
    default_name: &str,
    namespace: &str,
    type_name: &str,
    value: &T,
) -> Result<(), yaserde::Error> {
    let name = writer
        .get_start_event_name()
        .unwrap_or_else(|| default_name.to_owned());
    let qualified = format!("{TARGET_PREFIX}:{type_name}");
    writer.write(
        WriteEvent::start_element(name.as_str())
            .ns("xsi", XSI_NS)
            .ns(TARGET_PREFIX, namespace)
            .attr("xsi:type", &qualified),
    )?;
    writer.set_start_event_name(None);
    writer.set_skip_start_end(true);
    let result = value.serialize(writer);
    writer.set_skip_start_end(false);
    result?;
    writer.write(WriteEvent::end_element())?;
    Ok(())
}

/// The local name of the `xsi:type` of the element about to be read (the
/// prefix is dropped), or `None` when it has none.
pub fn peek_xsi_type<R: Read>(
    reader: &mut Deserializer<R>,
) -> Result<Option<String>, yaserde::Error> {
    match reader.peek()? {
        ReadEvent::StartElement { attributes, .. } => Ok(attributes
            .iter()
            .find(|a| a.name.local_name == "type" && a.name.namespace.as_deref() == Some(XSI_NS))
            .map(|a| match a.value.rsplit_once(':') {
                Some((_, local)) => local.to_owned(),
                None => a.value.clone(),
            })),
        other => Err(yaserde::Error::custom(format!(
            "expected an element, found {other:?}"
        ))),
    }
}

/// The error for an `xsi:type` that names no known subtype.
pub fn unknown_subtype(base: &str, found: Option<&str>, expected: &[&str]) -> yaserde::Error {
    let expected = expected.join(", ");
    match found {
        Some(found) => {
            let found: String = found.chars().take(64).collect();
            yaserde::Error::custom(format!(
                "unknown xsi:type {found:?} for {base}; expected one of {expected}"
            ))
        }
        None => yaserde::Error::custom(format!(
            "an element of abstract type {base} needs xsi:type, one of {expected}"
        )),
    }
}

/// A required, nillable element as generated wire twins hold it: `None` is
/// written as `<name xsi:nil="true"/>`, `Some` as the value's own element.
/// For values that write their element themselves (generated structs,
/// enums, choices, [`DateTime`]); built-in values use [`NilText`].
///
/// Its `Default` is the value of an element absent on the wire (a nil one
/// is dropped before decoding): `None`, distinct from [`Nil::new`]`(None)`
/// because yaserde skips writing a field equal to its default.
#[derive(Debug, Clone, PartialEq)]
pub struct Nil<T> {
    value: Option<T>,
    absent: bool,
}

impl<T> Nil<T> {
    /// The wire form of `value`, written even when `None`.
    pub fn new(value: Option<T>) -> Self {
        Self {
            value,
            absent: false,
        }
    }

    /// The value (`None` when nil or absent).
    pub fn into_option(self) -> Option<T> {
        self.value
    }
}

impl<T> Default for Nil<T> {
    fn default() -> Self {
        Self {
            value: None,
            absent: true,
        }
    }
}

impl<T: YaSerialize> YaSerialize for Nil<T> {
    fn serialize<W: Write>(&self, writer: &mut Serializer<W>) -> Result<(), yaserde::Error> {
        match &self.value {
            Some(value) => value.serialize(writer),
            None => write_nil(writer, "nil"),
        }
    }

    fn serialize_attributes(
        &self,
        attributes: Attributes,
        namespace: Namespace,
    ) -> Result<(Attributes, Namespace), yaserde::Error> {
        match &self.value {
            Some(value) => value.serialize_attributes(attributes, namespace),
            None => Ok((attributes, namespace)),
        }
    }
}

impl<T: YaDeserialize> YaDeserialize for Nil<T> {
    fn deserialize<R: Read>(reader: &mut Deserializer<R>) -> Result<Self, yaserde::Error> {
        T::deserialize(reader).map(|value| Self::new(Some(value)))
    }
}

/// A required, nillable element of a built-in type (`String`, numbers,
/// `bool`) as generated wire twins hold it: `None` is written as
/// `<name xsi:nil="true"/>`, `Some(v)` as `<name>v</name>`.
///
/// Its `Default` is the value of an element absent on the wire (a nil one
/// is dropped before decoding): `None`, distinct from [`NilText::new`]`(None)`
/// because yaserde skips writing a field equal to its default.
#[derive(Debug, Clone, PartialEq)]
pub struct NilText<T> {
    value: Option<T>,
    absent: bool,
}

impl<T> NilText<T> {
    /// The wire form of `value`, written even when `None`.
    pub fn new(value: Option<T>) -> Self {
        Self {
            value,
            absent: false,
        }
    }

    /// The value (`None` when nil or absent).
    pub fn into_option(self) -> Option<T> {
        self.value
    }
}

impl<T> Default for NilText<T> {
    fn default() -> Self {
        Self {
            value: None,
            absent: true,
        }
    }
}

impl<T: fmt::Display> YaSerialize for NilText<T> {
    fn serialize<W: Write>(&self, writer: &mut Serializer<W>) -> Result<(), yaserde::Error> {
        match &self.value {
            Some(value) => write_text(writer, "value", &value.to_string()),
            None => write_nil(writer, "nil"),
        }
    }

    fn serialize_attributes(
        &self,
        attributes: Attributes,
        namespace: Namespace,
    ) -> Result<(Attributes, Namespace), yaserde::Error> {
        Ok((attributes, namespace))
    }
}

impl<T> YaDeserialize for NilText<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    fn deserialize<R: Read>(reader: &mut Deserializer<R>) -> Result<Self, yaserde::Error> {
        let text = read_text(reader)?;
        // Text is kept as read; numbers and booleans may carry whitespace.
        let value = match text.parse() {
            Ok(value) => value,
            Err(_) => text.trim().parse().map_err(|e: T::Err| {
                yaserde::Error::custom(format!("invalid value {:?}: {e}", excerpt(&text, 64)))
            })?,
        };
        Ok(Self::new(Some(value)))
    }
}

/// The value of a required nillable element that was nil (and so dropped
/// before decoding): `None`. Named by generated wire twins as yaserde's
/// `default` for [`Nil`] and [`NilText`] fields.
pub fn nil_absent<T: Default>() -> T {
    T::default()
}

/// Writes `<name xsi:nil="true"/>`, `name` being the element name the
/// parent asked for (or `default_name` at top level).
pub fn write_nil<W: Write>(
    writer: &mut Serializer<W>,
    default_name: &str,
) -> Result<(), yaserde::Error> {
    let name = writer
        .get_start_event_name()
        .unwrap_or_else(|| default_name.to_owned());
    writer.write(
        WriteEvent::start_element(name.as_str())
            .ns("xsi", XSI_NS)
            .attr("xsi:nil", "true"),
    )?;
    writer.write(WriteEvent::end_element())?;
    Ok(())
}

/// Serializes a top-level element (a generated `params*`/`success*` type or
/// any other struct) to XML without a declaration.
pub fn to_string<T: YaSerialize>(value: &T) -> Result<String, yaserde::Error> {
    let config = yaserde::ser::Config {
        perform_indent: false,
        write_document_declaration: false,
        indent_string: None,
    };
    yaserde::ser::to_string_with_config(value, &config)
}

/// Reads a top-level element, after dropping `xsi:nil="true"` elements.
pub fn from_str<T: YaDeserialize>(text: &str) -> Result<T, yaserde::Error> {
    let cleaned = without_nil_elements(text).map_err(yaserde::Error::custom)?;
    yaserde::de::from_str(&cleaned)
}

/// `text` without the elements marked `xsi:nil="true"` (a nillable field
/// is an `Option`, so a nil element and an absent one read the same).
/// Checks that `text` is well-formed XML (no DTD) on the way.
pub fn without_nil_elements(text: &str) -> Result<Cow<'_, str>, roxmltree::Error> {
    let doc = roxmltree::Document::parse(text)?;
    Ok(strip_nil(text, &doc))
}

/// Like [`without_nil_elements`] on an already parsed document.
pub(crate) fn strip_nil<'t>(text: &'t str, doc: &roxmltree::Document<'_>) -> Cow<'t, str> {
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        if !crate::decode::is_nil(node) {
            continue;
        }
        let range = node.range();
        if ranges.last().is_some_and(|last| range.start < last.end) {
            continue; // inside a nil element already removed
        }
        ranges.push(range);
    }
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for range in ranges {
        out.push_str(text.get(at..range.start).unwrap_or_default());
        at = range.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    Cow::Owned(out)
}

/// At most `max` characters of `text`, on one line, for error messages.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max + 1)
        .collect();
    if flat.chars().count() > max {
        let cut: String = flat.chars().take(max).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn date_times_keep_their_offset() {
        let t: DateTime = "2013-08-03T21:39:34-07:00".parse().unwrap();
        assert_eq!(t.0, datetime!(2013-08-03 21:39:34 -07:00));
        assert_eq!(t.to_string(), "2013-08-03T21:39:34-07:00");
        let no_offset: DateTime = "2013-08-03T21:39:34".parse().unwrap();
        assert_eq!(no_offset.0, datetime!(2013-08-03 21:39:34 UTC));
        let err = "".parse::<DateTime>().unwrap_err();
        assert!(err.to_string().contains("invalid xs:dateTime"), "{err}");
    }

    #[test]
    fn nil_elements_are_dropped() {
        let text = r#"<a xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><b xsi:nil="true"/><c>1</c><d xsi:nil="true"></d></a>"#;
        assert_eq!(
            without_nil_elements(text).unwrap(),
            r#"<a xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><c>1</c></a>"#
        );
        assert!(matches!(
            without_nil_elements("<a><c>1</c></a>").unwrap(),
            Cow::Borrowed(_)
        ));
        assert!(without_nil_elements("<a>").is_err());
    }

    #[test]
    fn excerpts_are_short() {
        assert_eq!(excerpt("ab\ncd", 10), "ab cd");
        assert_eq!(excerpt("abcdef", 3), "abc…");
    }
}
