//! The JSON reading of Asset API form fields (`folder`, `costs`, `tags`, `root`).
//!
//! Marketo accepts these fields in the lenient style of Java's `org.json` parser, which
//! widely used clients rely on (e.g. `{'id': 1035, 'type': Folder}` with single quotes
//! and a bare word). Strict JSON is a subset. Structure is still checked: unbalanced
//! brackets, missing colons or commas and trailing garbage are errors (609).

use serde_json::{Map, Number, Value};

/// Why a field could not be read.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid JSON at byte {at}: {what}")]
pub(crate) struct LenientError {
    at: usize,
    what: &'static str,
}

/// Parses strict JSON or the lenient org.json style.
pub(crate) fn parse(s: &str) -> Result<Value, LenientError> {
    if let Ok(v) = serde_json::from_str(s) {
        return Ok(v);
    }
    let mut p = P {
        s: s.as_bytes(),
        src: s,
        i: 0,
        depth: 0,
    };
    let v = p.value()?;
    p.ws();
    if p.i != p.s.len() {
        return Err(p.err("trailing characters"));
    }
    Ok(v)
}

struct P<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
    depth: u32,
}

impl P<'_> {
    fn err(&self, what: &'static str) -> LenientError {
        LenientError { at: self.i, what }
    }

    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn value(&mut self) -> Result<Value, LenientError> {
        self.ws();
        match self.peek() {
            None => Err(self.err("unexpected end")),
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(q @ (b'"' | b'\'')) => self.quoted(q).map(Value::String),
            Some(_) => self.bare(),
        }
    }

    fn enter(&mut self) -> Result<(), LenientError> {
        self.depth += 1;
        if self.depth > 64 {
            return Err(self.err("nesting too deep"));
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Value, LenientError> {
        self.enter()?;
        self.i += 1;
        let mut m = Map::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            self.depth -= 1;
            return Ok(Value::Object(m));
        }
        loop {
            self.ws();
            let key = match self.peek() {
                Some(q @ (b'"' | b'\'')) => self.quoted(q)?,
                Some(_) => self.word()?,
                None => return Err(self.err("unexpected end in object")),
            };
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.err("expected ':'"));
            }
            self.i += 1;
            let v = self.value()?;
            m.insert(key, v);
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(Value::Object(m));
                }
                _ => return Err(self.err("expected ',' or '}'")),
            }
        }
    }

    fn array(&mut self) -> Result<Value, LenientError> {
        self.enter()?;
        self.i += 1;
        let mut v = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            self.depth -= 1;
            return Ok(Value::Array(v));
        }
        loop {
            v.push(self.value()?);
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(Value::Array(v));
                }
                _ => return Err(self.err("expected ',' or ']'")),
            }
        }
    }

    fn quoted(&mut self, q: u8) -> Result<String, LenientError> {
        self.i += 1;
        let mut out = String::new();
        let mut start = self.i;
        while let Some(c) = self.peek() {
            if c == q {
                out.push_str(self.slice(start, self.i)?);
                self.i += 1;
                return Ok(out);
            }
            if c == b'\\' {
                out.push_str(self.slice(start, self.i)?);
                self.i += 1;
                let e = self.peek().ok_or_else(|| self.err("unfinished escape"))?;
                self.i += 1;
                match e {
                    b'n' => out.push('\n'),
                    b't' => out.push('\t'),
                    b'r' => out.push('\r'),
                    b'b' => out.push('\u{8}'),
                    b'f' => out.push('\u{c}'),
                    b'u' => {
                        let hex = self
                            .s
                            .get(self.i..self.i + 4)
                            .and_then(|h| std::str::from_utf8(h).ok())
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                            .ok_or_else(|| self.err("bad \\u escape"))?;
                        self.i += 4;
                        out.push(char::from_u32(hex).unwrap_or('\u{fffd}'));
                    }
                    other => out.push(char::from(other)),
                }
                start = self.i;
                continue;
            }
            self.i += 1;
        }
        Err(self.err("unterminated string"))
    }

    fn slice(&self, a: usize, b: usize) -> Result<&str, LenientError> {
        self.src.get(a..b).ok_or_else(|| self.err("invalid text"))
    }

    /// A bare word: up to a delimiter.
    fn word(&mut self) -> Result<String, LenientError> {
        let start = self.i;
        while let Some(c) = self.peek() {
            if matches!(c, b',' | b':' | b']' | b'}' | b'[' | b'{' | b'"' | b'\'')
                || c.is_ascii_whitespace()
            {
                break;
            }
            self.i += 1;
        }
        if self.i == start {
            return Err(self.err("expected a value"));
        }
        Ok(self.slice(start, self.i)?.to_owned())
    }

    fn bare(&mut self) -> Result<Value, LenientError> {
        let w = self.word()?;
        // Words may be followed by more words before the delimiter (`Event with Webinar`).
        let mut full = w;
        loop {
            let save = self.i;
            self.ws();
            match self.peek() {
                Some(c) if !matches!(c, b',' | b':' | b']' | b'}' | b'[' | b'{' | b'"' | b'\'') => {
                    let next = self.word()?;
                    full.push(' ');
                    full.push_str(&next);
                }
                _ => {
                    self.i = save;
                    break;
                }
            }
        }
        Ok(match full.as_str() {
            "true" | "True" => Value::Bool(true),
            "false" | "False" => Value::Bool(false),
            "null" | "None" => Value::Null,
            s => {
                if let Ok(i) = s.parse::<i64>() {
                    Value::Number(i.into())
                } else if let Some(n) = s.parse::<f64>().ok().and_then(Number::from_f64) {
                    Value::Number(n)
                } else {
                    Value::String(s.to_owned())
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strict_and_lenient() {
        assert_eq!(
            parse(r#"{"id":1,"type":"Folder"}"#),
            Ok(json!({"id": 1, "type": "Folder"}))
        );
        assert_eq!(
            parse("{'id': 1035, 'type': Folder}"),
            Ok(json!({"id": 1035, "type": "Folder"}))
        );
        assert_eq!(
            parse("[{'startDate': '2015-01-01', 'cost': 100, 'note': 'it\\'s'}]"),
            Ok(json!([{"startDate": "2015-01-01", "cost": 100, "note": "it's"}]))
        );
        assert_eq!(
            parse("{id: 7, type: Event with Webinar}"),
            Ok(json!({"id": 7, "type": "Event with Webinar"}))
        );
        for bad in [
            "{not json",
            "{'id' 1}",
            "[1,",
            "{\"a\":1}}",
            "",
            "'open",
            "{'a':1,,}",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = "[".repeat(100);
        assert!(parse(&deep).is_err());
    }
}
