//! Marketo's date-times and dates, read leniently.
//!
//! The Asset API prints times as `2015-05-21T22:45:13Z+0000` — a `Z`
//! followed by a numeric offset, which is not RFC 3339 — while the Lead
//! Database API uses RFC 3339 (`2016-05-17T22:11:45Z`). [`parse`] accepts
//! both, plus `2015-05-21T22:45:13+0000` and fractional seconds. Values are
//! written back as RFC 3339.
//!
//! Generated structs use the submodules with `#[serde(with = "...")]`:
//! [`self`] for required members, [`option`] for optional ones; [`date`]
//! does the same for `format: date` (`YYYY-MM-DD`).

use serde::{Deserialize, Deserializer, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// A date-time value could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a date-time (expected RFC 3339 or Marketo's `2015-05-21T22:45:13Z+0000`): {0:?}")]
pub struct DateTimeError(pub String);

/// Parses RFC 3339 and Marketo's variants: `…Z+0000`, `…+0000`, `…+00:00`,
/// `…Z`, with or without fractional seconds.
pub fn parse(text: &str) -> Result<OffsetDateTime, DateTimeError> {
    let fail = || DateTimeError(text.chars().take(64).collect());
    if let Ok(value) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(value);
    }
    // `Z` directly followed by an offset: the offset is what counts.
    let trimmed = match text.find("Z+").or_else(|| text.find("Z-")) {
        Some(at) => format!("{}{}", &text[..at], &text[at + 1..]),
        None => text.to_owned(),
    };
    if let Ok(value) = OffsetDateTime::parse(&trimmed, &Rfc3339) {
        return Ok(value);
    }
    // A numeric offset without colon (`+0000`) or a bare `Z`.
    let (local, offset) = if let Some(local) = trimmed.strip_suffix('Z') {
        (local, UtcOffset::UTC)
    } else if trimmed.len() > 5 && trimmed.is_char_boundary(trimmed.len() - 5) {
        let (local, offset) = trimmed.split_at(trimmed.len() - 5);
        let sign = match offset.as_bytes().first() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return Err(fail()),
        };
        let hours: i8 = offset
            .get(1..3)
            .and_then(|h| h.parse().ok())
            .ok_or_else(fail)?;
        let minutes: i8 = offset
            .get(3..5)
            .and_then(|m| m.parse().ok())
            .ok_or_else(fail)?;
        let offset = UtcOffset::from_hms(sign * hours, sign * minutes, 0).map_err(|_| fail())?;
        (local, offset)
    } else {
        return Err(fail());
    };
    let with_fraction =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond]");
    let plain = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let local = PrimitiveDateTime::parse(local, &plain)
        .or_else(|_| PrimitiveDateTime::parse(local, &with_fraction))
        .map_err(|_| fail())?;
    Ok(local.assume_offset(offset))
}

/// RFC 3339 text of `value`.
pub fn format(value: &OffsetDateTime) -> String {
    // Formatting an `OffsetDateTime` as RFC 3339 fails only for years
    // outside 0..=9999; fall back to the `Debug`-like text then.
    value.format(&Rfc3339).unwrap_or_else(|_| value.to_string())
}

/// Serializes as RFC 3339.
pub fn serialize<S: Serializer>(value: &OffsetDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format(value))
}

/// Deserializes leniently (see [`parse`]).
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<OffsetDateTime, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    parse(&text).map_err(serde::de::Error::custom)
}

/// The same for `Option<OffsetDateTime>` (absent or `null` is `None`).
pub mod option {
    use super::*;

    /// Serializes `Some` as RFC 3339, `None` as `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<OffsetDateTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => super::serialize(value, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes leniently; `null` is `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        let text = <Option<std::borrow::Cow<'de, str>>>::deserialize(deserializer)?;
        text.map(|text| parse(&text).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// `format: date` (`YYYY-MM-DD`) as [`time::Date`].
pub mod date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;
    use time::macros::format_description;

    use super::DateTimeError;

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, DateTimeError> {
        Date::parse(text, format_description!("[year]-[month]-[day]"))
            .map_err(|_| DateTimeError(text.chars().take(64).collect()))
    }

    /// `YYYY-MM-DD` text of `value`.
    pub fn format(value: &Date) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            value.year(),
            u8::from(value.month()),
            value.day()
        )
    }

    /// Serializes as `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(value: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format(value))
    }

    /// Deserializes `YYYY-MM-DD`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        parse(&text).map_err(serde::de::Error::custom)
    }

    /// The same for `Option<Date>`.
    pub mod option {
        use super::*;

        /// Serializes `Some` as `YYYY-MM-DD`, `None` as `null`.
        pub fn serialize<S: Serializer>(
            value: &Option<Date>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => super::serialize(value, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Deserializes `YYYY-MM-DD`; `null` is `None`.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Date>, D::Error> {
            let text = <Option<std::borrow::Cow<'de, str>>>::deserialize(deserializer)?;
            text.map(|text| parse(&text).map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn reads_marketo_and_rfc3339_forms() {
        let expected = datetime!(2015-05-21 22:45:13 UTC);
        for text in [
            "2015-05-21T22:45:13Z+0000",
            "2015-05-21T22:45:13+0000",
            "2015-05-21T22:45:13Z",
            "2015-05-21T22:45:13+00:00",
            "2015-05-21T22:45:13.000Z",
            "2015-05-21T17:45:13-05:00",
            "2015-05-21T17:45:13-0500",
        ] {
            assert_eq!(parse(text), Ok(expected), "{text}");
        }
        assert_eq!(
            parse("2022-10-19T15:00:00.000Z").map(|d| d.millisecond()),
            Ok(0)
        );
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        for text in [
            "",
            "Z",
            "2015-05-21",
            "2015-05-21T22:45:13Z+00",
            "2015-13-40T99:99:99Z",
            "ü+0000ü",
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn dates_round_trip() {
        let d = date::parse("2015-01-01").unwrap();
        assert_eq!(date::format(&d), "2015-01-01");
        assert!(date::parse("2015-1-1x").is_err());
    }
}
