//! Small helpers: date formats, ids, pseudo-random numbers.

use std::sync::atomic::{AtomicU64, Ordering};

use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, UtcOffset};

/// `yyyy-MM-ddTHH:mm:ss` in UTC followed by `suffix`.
fn utc_datetime(t: OffsetDateTime, suffix: &str) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{suffix}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Formats a time the way the Asset API prints it: `2015-05-21T22:45:13Z+0000`.
pub fn asset_datetime(t: OffsetDateTime) -> String {
    utc_datetime(t, "Z+0000")
}

/// Formats a time as RFC 3339 in UTC without fractions: `2016-05-17T22:11:45Z`.
pub fn rfc3339(t: OffsetDateTime) -> String {
    utc_datetime(t, "Z")
}

/// Formats a time as the SOAP API does: `2013-08-03T21:39:34+00:00`.
pub fn soap_datetime(t: OffsetDateTime) -> String {
    utc_datetime(t, "+00:00")
}

/// Parses a date-time leniently: RFC 3339 (with or without fractions), Marketo's
/// `…Z+0000` form, an offset without colon (`+0000`), or a bare date (midnight UTC).
pub fn parse_datetime(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t);
    }
    // `2015-05-21T22:45:13Z+0000` → drop the `Z`.
    let fixed = if let Some(idx) = s.find("Z+") {
        format!("{}{}", &s[..idx], &s[idx + 1..])
    } else {
        s.to_owned()
    };
    // `+0000` → `+00:00`.
    let b = fixed.as_bytes();
    if b.len() > 5 && fixed.is_char_boundary(fixed.len() - 5) {
        let tail = &fixed[fixed.len() - 5..];
        let tb = tail.as_bytes();
        if (tb[0] == b'+' || tb[0] == b'-') && tb[1..].iter().all(u8::is_ascii_digit) {
            let with_colon = format!("{}{}:{}", &fixed[..fixed.len() - 5], &tail[..3], &tail[3..]);
            if let Ok(t) = OffsetDateTime::parse(&with_colon, &Rfc3339) {
                return Some(t);
            }
        }
    }
    // No offset at all: assume UTC.
    if let Ok(t) = OffsetDateTime::parse(&format!("{fixed}Z"), &Rfc3339) {
        return Some(t);
    }
    parse_date(s).map(|d| d.midnight().assume_utc())
}

/// Parses `yyyy-MM-dd`.
pub fn parse_date(s: &str) -> Option<Date> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let d: u8 = it.next()?.parse().ok()?;
    Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()
}

static SEQ: AtomicU64 = AtomicU64::new(1);

/// A pseudo-random 64-bit number (splitmix64 over a counter and the clock);
/// good enough for ids and shuffles, not for secrets.
pub fn random_u64() -> u64 {
    let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos() as u64;
    let mut z = SEQ
        .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
        .wrapping_add(nanos);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A Marketo-looking request id, e.g. `7a39#1511bf8a41c`.
pub fn request_id() -> String {
    let millis = OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
    format!("{:x}#{:x}", random_u64() & 0xffff, millis)
}

/// A Marketo-looking access token, e.g. `cdf01657-110d-4155-99a7-f986b2ff13a0:ab`.
pub fn new_token() -> String {
    let a = random_u64();
    let b = random_u64();
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}:em",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

/// Shuffles a slice in place (Fisher–Yates with [`random_u64`]).
pub fn shuffle<T>(v: &mut [T]) {
    for i in (1..v.len()).rev() {
        let j = (random_u64() % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        let t = parse_datetime("2015-05-21T22:45:13Z+0000").expect("parse");
        assert_eq!(asset_datetime(t), "2015-05-21T22:45:13Z+0000");
        let t2 = parse_datetime("2017-01-01T00:00:00-05:00").expect("parse");
        assert_eq!(rfc3339(t2), "2017-01-01T05:00:00Z");
        assert!(parse_datetime("2022-10-19T15:00:00.000Z").is_some());
        assert!(parse_datetime("2022-10-19").is_some());
        assert!(parse_datetime("2022-10-19T15:00:00+0200").is_some());
        assert!(parse_datetime("yesterday").is_none());
        assert!(parse_datetime("2020-01-01T00:00:00\u{e9}1234").is_none());
        assert!(parse_datetime("\u{e9}\u{e9}\u{e9}").is_none());
    }
}
