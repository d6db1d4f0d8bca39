//! Activity types and the activity log.

use serde_json::Value;
use time::OffsetDateTime;

use super::State;

/// An activity type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityType {
    /// Type id.
    pub id: i32,
    /// Display name, e.g. `New Lead`.
    pub name: String,
    /// API name, e.g. `newLead`.
    pub api_name: String,
    /// SOAP enumeration value, e.g. `NewLead`.
    pub soap_name: String,
    /// Description.
    pub description: String,
    /// Primary attribute (name, data type).
    pub primary: Option<(String, String)>,
    /// Secondary attributes (name, data type).
    pub attributes: Vec<(String, String)>,
}

/// An activity of a lead.
#[derive(Clone, Debug, PartialEq)]
pub struct Activity {
    /// Activity id.
    pub id: i64,
    /// Unique id.
    pub marketo_guid: String,
    /// Lead id.
    pub lead_id: i64,
    /// When it happened.
    pub date: OffsetDateTime,
    /// Activity type id.
    pub type_id: i32,
    /// Campaign involved.
    pub campaign_id: Option<i32>,
    /// Id behind the primary attribute.
    pub primary_value_id: Option<i64>,
    /// Primary attribute value.
    pub primary_value: Option<String>,
    /// Secondary attributes.
    pub attributes: Vec<(String, Value)>,
}

impl State {
    /// The activity types every instance has.
    pub(super) fn seed_activity_types(&mut self) {
        let at = |id: i32,
                  name: &str,
                  api: &str,
                  soap: &str,
                  primary: Option<(&str, &str)>,
                  attrs: &[(&str, &str)]| ActivityType {
            id,
            name: name.to_owned(),
            api_name: api.to_owned(),
            soap_name: soap.to_owned(),
            description: format!("User activity: {name}"),
            primary: primary.map(|(a, b)| (a.to_owned(), b.to_owned())),
            attributes: attrs
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect(),
        };
        self.activity_types = vec![
            at(
                1,
                "Visit Webpage",
                "visitWebpage",
                "VisitWebpage",
                Some(("Webpage ID", "integer")),
                &[("Webpage URL", "string"), ("Query Parameters", "string")],
            ),
            at(
                2,
                "Fill Out Form",
                "fillOutForm",
                "FillOutForm",
                Some(("Webform ID", "integer")),
                &[("Webpage ID", "integer"), ("Form Fields", "text")],
            ),
            at(
                6,
                "Send Email",
                "sendEmail",
                "SendEmail",
                Some(("Mailing ID", "integer")),
                &[("Campaign Run ID", "integer")],
            ),
            at(
                7,
                "Email Delivered",
                "emailDelivered",
                "EmailDelivered",
                Some(("Mailing ID", "integer")),
                &[],
            ),
            at(
                10,
                "Open Email",
                "openEmail",
                "OpenEmail",
                Some(("Mailing ID", "integer")),
                &[("Device", "string")],
            ),
            at(
                11,
                "Click Email",
                "clickEmail",
                "ClickEmail",
                Some(("Mailing ID", "integer")),
                &[("Link", "string")],
            ),
            at(
                12,
                "New Lead",
                "newLead",
                "NewLead",
                None,
                &[("Source Type", "string")],
            ),
            at(
                13,
                "Change Data Value",
                "changeDataValue",
                "ChangeDataValue",
                Some(("Lead Field", "integer")),
                &[
                    ("New Value", "string"),
                    ("Old Value", "string"),
                    ("Reason", "string"),
                ],
            ),
            at(
                24,
                "Add to List",
                "addToList",
                "AddToList",
                Some(("List ID", "integer")),
                &[],
            ),
            at(
                25,
                "Remove from List",
                "removeFromList",
                "RemoveFromList",
                Some(("List ID", "integer")),
                &[],
            ),
            at(
                32,
                "Merge Leads",
                "mergeLeads",
                "MergeLeads",
                Some(("Lead ID", "integer")),
                &[("Merge IDs", "string")],
            ),
            at(
                102,
                "Change Score",
                "changeScore",
                "ChangeScore",
                Some(("Scoring Field", "integer")),
                &[
                    ("Change Value", "string"),
                    ("New Value", "integer"),
                    ("Old Value", "integer"),
                ],
            ),
        ];
    }

    /// Numbers the activities in time order, as the activity log does.
    pub(super) fn renumber_activities(&mut self) {
        self.activities.sort_by_key(|a| a.date);
        for (i, a) in self.activities.iter_mut().enumerate() {
            a.id = 500_001 + i64::try_from(i).unwrap_or(0);
            a.marketo_guid = a.id.to_string();
        }
        self.next_activity_id = 500_001 + i64::try_from(self.activities.len()).unwrap_or(0);
    }

    /// Appends an activity.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push_activity(
        &mut self,
        lead_id: i64,
        date: OffsetDateTime,
        type_id: i32,
        campaign_id: Option<i32>,
        primary_value_id: Option<i64>,
        primary_value: Option<String>,
        attributes: Vec<(String, Value)>,
    ) {
        let id = self.next_activity_id;
        self.next_activity_id += 1;
        self.activities.push(Activity {
            id,
            marketo_guid: format!("{id}"),
            lead_id,
            date,
            type_id,
            campaign_id,
            primary_value_id,
            primary_value,
            attributes,
        });
    }
}
