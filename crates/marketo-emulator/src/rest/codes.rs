//! The REST error codes the emulator knows: every code of Marketo's REST
//! error-code page (response-level and record-level tables), with its message.

/// (code, message) of each known code, in the page's order. `600` is not in
/// the page's table but is what Marketo answers when no token is sent.
const CODES: &[(&str, &str)] = &[
    ("500", "Internal Server error"),
    ("502", "Bad Gateway"),
    ("600", "Access token not specified"),
    ("601", "Access token invalid"),
    ("602", "Access token expired"),
    ("603", "Access denied"),
    ("604", "Request time-out"),
    ("605", "HTTP Method not supported"),
    ("606", "Max rate limit '100' exceeded with in '20' secs"),
    ("607", "Daily quota reached"),
    ("608", "API Temporarily Unavailable"),
    ("609", "Invalid JSON"),
    ("610", "Requested resource not found"),
    ("611", "System error"),
    ("612", "Invalid Content Type"),
    ("613", "Invalid Multipart Request"),
    ("614", "Invalid Subscription"),
    ("615", "Concurrent access limit reached"),
    ("616", "Invalid subscription type"),
    ("701", "Field cannot be blank"),
    ("702", "No data found for a given search scenario"),
    ("703", "The feature is not enabled for the subscription"),
    ("704", "Invalid date format"),
    ("709", "Business Rule Violation"),
    ("710", "Parent Folder Not Found"),
    ("711", "Incompatible Folder Type"),
    ("712", "Merge to person Account operation is invalid"),
    ("713", "Transient Error"),
    ("714", "Unable to find the default record type"),
    ("718", "ExternalSalesPersonID not found"),
    ("719", "Lock wait timeout exception"),
    ("1001", "Invalid value"),
    ("1002", "Missing value for the required parameter"),
    ("1003", "Invalid data"),
    ("1004", "Lead not found"),
    ("1005", "Lead already exists"),
    ("1006", "Field not found"),
    ("1007", "Multiple leads match the lookup criteria"),
    ("1008", "Access denied to partition"),
    ("1009", "Partition name must be specified"),
    ("1010", "Partition update not allowed"),
    ("1011", "Field not supported"),
    ("1012", "Invalid cookie value"),
    ("1013", "Object not found"),
    ("1014", "Failed to create Object"),
    ("1015", "Lead not in list"),
    ("1016", "Too many imports"),
    ("1017", "Object already exists"),
    ("1018", "CRM Enabled"),
    ("1019", "Import in progress"),
    ("1020", "Too many clones to program"),
    ("1021", "Company update not allowed"),
    ("1022", "Object in use"),
    ("1025", "Program status not found"),
    ("1026", "Custom object not enabled"),
    ("1027", "Max Activity Type Limit Reached"),
    ("1028", "Max field limit reached"),
    ("1029", "Too many jobs in queue"),
    ("1035", "Unsupported filter type"),
    ("1036", "Duplicate object found in input"),
    ("1037", "Lead was skipped"),
    ("1042", "Invalid runAt date"),
    ("1048", "Custom Object Discard Draft Failed"),
    ("1049", "Failed to Create Activity"),
    ("1076", "Merge Leads call with mergeInCRM flag is 4"),
    ("1077", "Merge Leads call failed due to SFDC Field length"),
    (
        "1078",
        "Merge Leads call failed due to deleted entity, not a lead/contact, or field filter criteria does not match",
    ),
    (
        "1079",
        "Merge Leads call failed due to Personalized URL conflict in duplicate records",
    ),
];

/// The known code equal to `code`, with its message.
pub(crate) fn known(code: &str) -> Option<(&'static str, &'static str)> {
    CODES.iter().find(|(c, _)| *c == code).copied()
}

/// The message of a known code (`"Error"` for any other).
pub(crate) fn message_for(code: &str) -> &'static str {
    known(code).map_or("Error", |(_, m)| m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_numeric() {
        let mut seen = std::collections::BTreeSet::new();
        for (c, m) in CODES {
            assert!(c.bytes().all(|b| b.is_ascii_digit()), "{c}");
            assert!(!m.is_empty(), "{c}");
            assert!(seen.insert(*c), "{c} twice");
        }
    }

    #[test]
    fn known_and_unknown_codes() {
        assert_eq!(known("606").map(|(c, _)| c), Some("606"));
        assert_eq!(message_for("1029"), "Too many jobs in queue");
        assert_eq!(known("799"), None);
        assert_eq!(known(" 606"), None);
        assert_eq!(message_for("799"), "Error");
    }
}
