//! The SOAP API versions the emulator serves: `/soap/mktows/2_0` to `/soap/mktows/2_9`.

use std::fmt;

/// One API version path, `2_0` to `2_9` (Marketo served each under `/soap/mktows/{version}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Version {
    minor: u8,
}

impl Version {
    /// The newest version, the one [`Emulator::soap_endpoint`](crate::Emulator::soap_endpoint) names.
    pub(crate) const LATEST: Self = Self { minor: 9 };

    /// The version of a path segment such as `2_3` (`None` for anything else).
    pub(crate) fn parse(segment: &str) -> Option<Self> {
        let minor = segment.strip_prefix("2_")?;
        if minor.len() != 1 {
            return None;
        }
        let minor = minor.parse::<u8>().ok()?;
        Some(Self { minor })
    }

    /// Whether activity records carry the old integer `id` only (versions up to 2_3, whose
    /// published WSDL has `ActivityRecord.id` required and no `marketoGUID`); newer versions
    /// carry `marketoGUID` (Marketo replaced `id` by it in the Spring 2017 release).
    pub(crate) fn activity_id_only(self) -> bool {
        self.minor <= 3
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "2_{}", self.minor)
    }
}

/// The WSDL with its `soap:address` location pointing at `endpoint` (unchanged when the
/// document has no such attribute).
pub(crate) fn wsdl_for(wsdl: &str, endpoint: &str) -> String {
    const ATTR: &str = "address location=\"";
    let Some(start) = wsdl.find(ATTR).map(|i| i + ATTR.len()) else {
        return wsdl.to_owned();
    };
    let Some(len) = wsdl[start..].find('"') else {
        return wsdl.to_owned();
    };
    let mut out = String::with_capacity(wsdl.len() + endpoint.len());
    out.push_str(&wsdl[..start]);
    out.push_str(&super::xml::escape(endpoint));
    out.push_str(&wsdl[start + len..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_2_0_to_2_9() {
        for m in 0..=9 {
            let v = Version::parse(&format!("2_{m}")).expect("known version");
            assert_eq!(v.to_string(), format!("2_{m}"));
        }
        for bad in ["2_10", "3_0", "2_", "2_x", "1_9", "", "2_9 "] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
        assert!(Version::parse("2_3").unwrap().activity_id_only());
        assert!(!Version::parse("2_4").unwrap().activity_id_only());
        assert_eq!(Version::LATEST.to_string(), "2_9");
    }

    #[test]
    fn wsdl_address_is_rewritten() {
        let w = r#"<x><soap:address location="https://a/soap/mktows/2_9"/></x>"#;
        assert_eq!(
            wsdl_for(w, "http://h:1/soap/mktows/2_2"),
            r#"<x><soap:address location="http://h:1/soap/mktows/2_2"/></x>"#
        );
        assert_eq!(wsdl_for("<x/>", "http://h"), "<x/>");
    }
}
