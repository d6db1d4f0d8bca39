//! The SOAP fault codes the emulator knows: Marketo's SOAP error code table.

/// (code, standard message) of each known code.
const CODES: &[(&str, &str)] = &[
    ("10001", "Internal Error"),
    ("20011", "Internal Error"),
    ("20012", "Request Not Understood"),
    ("20013", "Access Denied"),
    ("20014", "Authentication failed"),
    ("20015", "Request Limit Exceeded"),
    ("20016", "Request Expired"),
    ("20017", "Invalid Request"),
    ("20019", "Unsupported Operation"),
    (
        "20022",
        "Time range specified in query filter exceeded limit",
    ),
    ("20023", "Rate Limit Exceeded"),
    ("20024", "Concurrency Limit Exceeded"),
    ("20101", "Lead Key Required"),
    ("20102", "Lead Key Bad"),
    ("20103", "Lead Not Found"),
    ("20104", "Lead Detail Required"),
    ("20105", "Lead Attribute Bad"),
    ("20106", "Lead Sync Failed"),
    ("20107", "Activity Key Bad"),
    ("20108", "Lead Owner Not Found"),
    ("20109", "Parameter Required"),
    ("20110", "Bad Parameter"),
    ("20111", "List Not Found"),
    ("20113", "Campaign Not Found"),
    ("20114", "Bad Parameter"),
    ("20122", "Bad Stream Position"),
    ("20123", "Stream at End"),
];

/// The known code equal to `code`.
pub(crate) fn known(code: &str) -> Option<&'static str> {
    CODES.iter().find(|(c, _)| *c == code).map(|(c, _)| *c)
}

/// The standard message of a known code (`"Error"` for any other).
pub(crate) fn standard_message(code: &str) -> &'static str {
    CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("Error", |(_, m)| m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for (c, _) in CODES {
            assert!(seen.insert(*c), "{c} twice");
        }
    }

    #[test]
    fn known_and_unknown_codes() {
        assert_eq!(known("20023"), Some("20023"));
        assert_eq!(standard_message("20024"), "Concurrency Limit Exceeded");
        assert_eq!(known("20099"), None);
        assert_eq!(standard_message("20099"), "Error");
    }
}
