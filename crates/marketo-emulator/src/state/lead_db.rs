//! Lead Database records beside leads, lists and activities: partitions, custom
//! lead fields, custom activity types, campaign membership, Munchkin
//! cookies and the API usage counters.

use std::collections::BTreeMap;

use serde_json::Value;
use time::{Date, OffsetDateTime};

use super::{ActivityType, DEMO_TIME, State};

/// A lead partition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeadPartition {
    /// Partition id.
    pub id: i32,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
}

/// A custom lead field created through the API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomLeadField {
    /// API name.
    pub name: String,
    /// Display name.
    pub display_name: String,
    /// Description.
    pub description: Option<String>,
    /// Data type.
    pub data_type: String,
    /// Hidden in the UI.
    pub is_hidden: bool,
    /// HTML-encoded in emails.
    pub is_html_encoding_in_email: bool,
    /// Sensitive.
    pub is_sensitive: bool,
}

/// An attribute of a custom activity type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomAttribute {
    /// API name.
    pub api_name: String,
    /// Display name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Data type.
    pub data_type: String,
}

/// One version (draft or approved) of a custom activity type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomTypeVersion {
    /// Display name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Trigger name.
    pub trigger_name: String,
    /// Filter name.
    pub filter_name: String,
    /// Primary attribute.
    pub primary: CustomAttribute,
    /// Secondary attributes.
    pub attributes: Vec<CustomAttribute>,
}

/// A custom activity type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomActivityType {
    /// Activity type id.
    pub id: i32,
    /// API name.
    pub api_name: String,
    /// The live version, once approved.
    pub approved: Option<CustomTypeVersion>,
    /// The pending draft.
    pub draft: Option<CustomTypeVersion>,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

impl CustomActivityType {
    /// `draft`, `approved` or `approved with draft`.
    pub fn status(&self) -> &'static str {
        match (&self.approved, &self.draft) {
            (Some(_), Some(_)) => "approved with draft",
            (Some(_), None) => "approved",
            _ => "draft",
        }
    }
}

/// The Lead Database store of area A.
#[derive(Clone, Debug, Default)]
pub(crate) struct LeadDbStore {
    pub(crate) partitions: Vec<LeadPartition>,
    /// Partition id of each lead not in the default partition (1).
    pub(crate) lead_partition: BTreeMap<i64, i32>,
    pub(crate) custom_fields: Vec<CustomLeadField>,
    pub(crate) custom_types: BTreeMap<String, CustomActivityType>,
    pub(crate) next_custom_type_id: i32,
    /// (list id, lead id) → when added.
    pub(crate) list_added: BTreeMap<(i32, i64), OffsetDateTime>,
    /// (campaign id, lead id) → (entered, last change).
    pub(crate) campaign_members: BTreeMap<(i32, i64), (OffsetDateTime, OffsetDateTime)>,
    /// Munchkin cookie → lead id.
    pub(crate) cookies: BTreeMap<String, i64>,
    /// Day → API user → calls.
    pub(crate) usage: BTreeMap<Date, BTreeMap<String, u64>>,
    /// Day → error code → count.
    pub(crate) errors: BTreeMap<Date, BTreeMap<String, u64>>,
}

/// The API user every call is counted against in the usage statistics.
pub(crate) const API_USER: &str = "api.user@emulator.invalid";

impl LeadDbStore {
    /// Counts one REST call (and its error code, if any) on `now`'s day.
    pub(crate) fn record_call(&mut self, now: OffsetDateTime, error: Option<&str>) {
        let day = now.date();
        *self
            .usage
            .entry(day)
            .or_default()
            .entry(API_USER.to_owned())
            .or_insert(0) += 1;
        if let Some(code) = error {
            *self
                .errors
                .entry(day)
                .or_default()
                .entry(code.to_owned())
                .or_insert(0) += 1;
        }
    }

    /// Whether a custom lead field with this API name exists.
    pub(crate) fn has_field(&self, name: &str) -> bool {
        self.custom_fields.iter().any(|f| f.name == name)
    }

    /// Moves every membership of `loser` to `winner` (merge).
    pub(crate) fn merge_lead(&mut self, loser: i64, winner: i64) {
        fn rekey<V>(m: &mut BTreeMap<(i32, i64), V>, loser: i64, winner: i64) {
            let keys: Vec<(i32, i64)> = m.keys().filter(|k| k.1 == loser).copied().collect();
            for k in keys {
                if let Some(v) = m.remove(&k) {
                    m.entry((k.0, winner)).or_insert(v);
                }
            }
        }
        rekey(&mut self.list_added, loser, winner);
        rekey(&mut self.campaign_members, loser, winner);
        self.lead_partition.remove(&loser);
        for v in self.cookies.values_mut() {
            if *v == loser {
                *v = winner;
            }
        }
    }

    /// Forgets every membership of a deleted lead.
    pub(crate) fn forget_lead(&mut self, lead: i64) {
        self.list_added.retain(|k, _| k.1 != lead);
        self.campaign_members.retain(|k, _| k.1 != lead);
        self.lead_partition.remove(&lead);
        self.cookies.retain(|_, v| *v != lead);
    }
}

impl State {
    /// Partitions and the activity types of area A every instance has.
    pub(super) fn seed_lead_db_base(&mut self) {
        let db = &mut self.lead_db;
        db.partitions = vec![
            LeadPartition {
                id: 1,
                name: "Default".into(),
                description: "Initial system lead partition".into(),
            },
            LeadPartition {
                id: 2,
                name: "Europe".into(),
                description: "Leads of the European team".into(),
            },
        ];
        db.next_custom_type_id = 100_001;
        for (id, name, api, primary, attrs) in [
            (
                37,
                "Delete Lead",
                "deleteLead",
                ("Lead ID", "integer"),
                &[("Remove from CRM", "boolean")][..],
            ),
            (
                104,
                "Change Status in Progression",
                "changeStatusInProgression",
                ("Program ID", "integer"),
                &[
                    ("Old Status", "string"),
                    ("New Status", "string"),
                    ("Success", "boolean"),
                    ("Reason", "string"),
                ][..],
            ),
            (
                145,
                "Push Lead to Marketo",
                "pushLeadToMarketo",
                ("Program ID", "integer"),
                &[("Source", "string"), ("Reason", "string")][..],
            ),
        ] {
            if self.activity_types.iter().all(|t| t.id != id) {
                self.activity_types.push(ActivityType {
                    id,
                    name: name.into(),
                    api_name: api.into(),
                    soap_name: name.replace(' ', ""),
                    description: format!("User activity: {name}"),
                    primary: Some((primary.0.into(), primary.1.into())),
                    attributes: attrs
                        .iter()
                        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                        .collect(),
                });
            }
        }
    }

    /// Demo campaign memberships, list membership times, one custom activity type
    /// (program members are area B's records, see `lead_objects::membership`).
    pub(super) fn seed_lead_db_demo(&mut self) {
        let t = DEMO_TIME;
        for lead in [3001, 3003] {
            self.lead_db.campaign_members.insert((2001, lead), (t, t));
        }
        let members: Vec<(i32, i64)> = self
            .lists
            .values()
            .flat_map(|l| l.members.iter().map(move |m| (l.id, *m)))
            .collect();
        for k in members {
            self.lead_db.list_added.insert(k, t);
        }
        self.lead_db.lead_partition.insert(3005, 2);
        let attr = |api: &str, name: &str, ty: &str| CustomAttribute {
            api_name: api.into(),
            name: name.into(),
            description: None,
            data_type: ty.into(),
        };
        let version = CustomTypeVersion {
            name: "Attend Conference".into(),
            description: Some("Attended a conference".into()),
            trigger_name: "Attends Conference".into(),
            filter_name: "Attended Conference".into(),
            primary: attr("conferenceName", "Conference Name", "string"),
            attributes: vec![attr("conferenceDate", "Conference Date", "datetime")],
        };
        let id = self.lead_db.next_custom_type_id;
        self.lead_db.next_custom_type_id += 1;
        self.lead_db.custom_types.insert(
            "attendConference".into(),
            CustomActivityType {
                id,
                api_name: "attendConference".into(),
                approved: Some(version.clone()),
                draft: None,
                created_at: t,
                updated_at: t,
            },
        );
        self.publish_custom_type(id, &version, "attendConference");
    }

    /// Lists (or re-lists) an approved custom type among the activity types.
    pub(crate) fn publish_custom_type(&mut self, id: i32, v: &CustomTypeVersion, api: &str) {
        self.activity_types.retain(|t| t.id != id);
        self.activity_types.push(ActivityType {
            id,
            name: v.name.clone(),
            api_name: api.to_owned(),
            soap_name: api.to_owned(),
            description: v.description.clone().unwrap_or_default(),
            primary: Some((v.primary.name.clone(), v.primary.data_type.clone())),
            attributes: v
                .attributes
                .iter()
                .map(|a| (a.name.clone(), a.data_type.clone()))
                .collect(),
        });
    }

    /// Deletes a lead everywhere and records a Delete Lead activity.
    pub(crate) fn delete_lead(&mut self, id: i64) -> bool {
        let Some(lead) = self.leads.remove(&id) else {
            return false;
        };
        for list in self.lists.values_mut() {
            list.members.remove(&id);
        }
        self.lead_db.forget_lead(id);
        self.lead_objects.on_lead_deleted(id);
        let name = [lead.fields.get("firstName"), lead.fields.get("lastName")]
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        let now = self.now();
        self.push_activity(
            id,
            now,
            37,
            None,
            Some(id),
            Some(name),
            vec![("Remove from CRM".into(), Value::Bool(false))],
        );
        true
    }
}

/// Read accessors for tests (area A).
impl crate::Emulator {
    /// The leads that are members of a program, in id order (the program
    /// member records, whichever API made them).
    pub fn program_member_ids(&self, program_id: i32) -> Vec<i64> {
        self.shared
            .lock()
            .lead_objects
            .program_members(program_id)
            .into_iter()
            .map(|(lead, _)| lead)
            .collect()
    }

    /// The partition id of a lead (1, the default, unless moved).
    pub fn lead_partition_id(&self, lead_id: i64) -> i32 {
        self.shared
            .lock()
            .lead_db
            .lead_partition
            .get(&lead_id)
            .copied()
            .unwrap_or(1)
    }

    /// The custom lead fields created through the API.
    pub fn custom_lead_fields(&self) -> Vec<CustomLeadField> {
        self.shared.lock().lead_db.custom_fields.clone()
    }

    /// A custom activity type by API name.
    pub fn custom_activity_type(&self, api_name: &str) -> Option<CustomActivityType> {
        self.shared
            .lock()
            .lead_db
            .custom_types
            .get(api_name)
            .cloned()
    }

    /// The lead a Munchkin cookie is associated with.
    pub fn cookie_lead(&self, cookie: &str) -> Option<i64> {
        self.shared.lock().lead_db.cookies.get(cookie).copied()
    }
}
