//! Minimal XML helpers: reading a roxmltree tree by local names, and an escaping writer.

use roxmltree::Node;

/// Namespace of the Marketo SOAP API.
pub(crate) const MKTOWS_NS: &str = "http://www.marketo.com/mktows/";
/// SOAP 1.1 envelope namespace.
pub(crate) const SOAP_ENV_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// XML Schema instance namespace (for `xsi:type` and `xsi:nil`).
pub(crate) const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// First child element with this local name.
pub(crate) fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// All child elements with this local name.
pub(crate) fn children<'a, 'i>(
    n: Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// Whether an element is `xsi:nil="true"`.
pub(crate) fn is_nil(n: Node<'_, '_>) -> bool {
    n.attribute((XSI_NS, "nil"))
        .is_some_and(|v| v == "true" || v == "1")
}

/// Text content of an element (all text descendants), `None` when nil.
pub(crate) fn text_of(n: Node<'_, '_>) -> Option<String> {
    if is_nil(n) {
        return None;
    }
    let s: String = n
        .descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect();
    Some(s)
}

/// Trimmed text of a child element; `None` when absent, nil or empty.
pub(crate) fn text(n: Node<'_, '_>, name: &str) -> Option<String> {
    child(n, name)
        .and_then(text_of)
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// Text of a child element without trimming (values may carry spaces); `None` when absent or nil.
pub(crate) fn raw_text(n: Node<'_, '_>, name: &str) -> Option<String> {
    child(n, name).and_then(text_of)
}

/// Escapes text for element content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A small XML writer for unqualified child elements.
#[derive(Debug, Default)]
pub(crate) struct W {
    pub(crate) out: String,
}

impl W {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// `<tag>`.
    pub(crate) fn open(&mut self, tag: &str) -> &mut Self {
        self.out.push('<');
        self.out.push_str(tag);
        self.out.push('>');
        self
    }

    /// `</tag>`.
    pub(crate) fn close(&mut self, tag: &str) -> &mut Self {
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
        self
    }

    /// `<tag>text</tag>`.
    pub(crate) fn leaf(&mut self, tag: &str, text: impl AsRef<str>) -> &mut Self {
        self.open(tag);
        self.out.push_str(&escape(text.as_ref()));
        self.close(tag)
    }

    /// `<tag>text</tag>` when `Some`, nothing otherwise.
    pub(crate) fn opt(&mut self, tag: &str, text: Option<impl AsRef<str>>) -> &mut Self {
        if let Some(t) = text {
            self.leaf(tag, t);
        }
        self
    }

    /// `<tag xsi:nil="true"/>`: a required, nillable element with no value
    /// (the envelope declares the `xsi` prefix).
    pub(crate) fn nil(&mut self, tag: &str) -> &mut Self {
        self.out.push('<');
        self.out.push_str(tag);
        self.out.push_str(" xsi:nil=\"true\"/>");
        self
    }

    /// An `ArrayOfAttrib` item: `<attrib><name>…</name><value>…</value></attrib>`.
    pub(crate) fn attrib(&mut self, name: &str, value: impl AsRef<str>) -> &mut Self {
        self.open("attrib")
            .leaf("name", name)
            .leaf("value", value)
            .close("attrib")
    }

    /// An untyped `ArrayOfAttribute` item:
    /// `<attribute><attrName>…</attrName><attrValue>…</attrValue></attribute>`.
    pub(crate) fn attribute(&mut self, name: &str, value: impl AsRef<str>) -> &mut Self {
        self.open("attribute")
            .leaf("attrName", name)
            .leaf("attrValue", value)
            .close("attribute")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_reads() {
        let mut w = W::new();
        w.open("a").leaf("b", "x < y & \"z\"").close("a");
        assert_eq!(w.out, "<a><b>x &lt; y &amp; &quot;z&quot;</b></a>");
        let doc = roxmltree::Document::parse(&w.out).expect("parse");
        let root = doc.root_element();
        assert_eq!(text(root, "b").as_deref(), Some("x < y & \"z\""));
        assert_eq!(text(root, "c"), None);
    }
}
