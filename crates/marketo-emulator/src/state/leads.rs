//! Leads (persons), the lead fields the emulator knows, and the demo leads.

use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::{DEMO_TIME, State};

/// A lead (person).
#[derive(Clone, Debug, PartialEq)]
pub struct Lead {
    /// Lead id.
    pub id: i64,
    /// Field values by API name (without `id`, `createdAt`, `updatedAt`).
    pub fields: Map<String, Value>,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last update.
    pub updated_at: OffsetDateTime,
}

impl Lead {
    /// The lead's email, if any.
    pub fn email(&self) -> Option<&str> {
        self.fields.get("email").and_then(Value::as_str)
    }

    /// A field as text (numbers and booleans printed), if set and not null.
    pub fn field_text(&self, name: &str) -> Option<String> {
        match name {
            "id" => Some(self.id.to_string()),
            _ => match self.fields.get(name)? {
                Value::Null => None,
                Value::String(s) => Some(s.clone()),
                other => Some(other.to_string()),
            },
        }
    }
}

/// Lead fields the emulator knows (API names). Sync with any other field is skipped (1006).
pub const LEAD_FIELDS: &[&str] = &[
    "email",
    "firstName",
    "lastName",
    "middleName",
    "salutation",
    "company",
    "title",
    "phone",
    "mobilePhone",
    "address",
    "city",
    "state",
    "country",
    "postalCode",
    "website",
    "industry",
    "leadSource",
    "leadStatus",
    "leadScore",
    "rating",
    "unsubscribed",
    "doNotCall",
    "sfdcLeadId",
    "sfdcContactId",
    "externalId",
    "cookies",
];

impl State {
    /// The demo leads with their first activities.
    pub(super) fn seed_demo_leads(&mut self) {
        let t = DEMO_TIME;
        let leads = [
            (
                3001,
                "ada@example.com",
                "Ada",
                "Lovelace",
                "Analytical Engines",
            ),
            (3002, "alan@example.com", "Alan", "Turing", "Bletchley Park"),
            (3003, "grace@example.com", "Grace", "Hopper", "US Navy"),
            (
                3004,
                "edsger@example.com",
                "Edsger",
                "Dijkstra",
                "TH Eindhoven",
            ),
            (3005, "barbara@example.com", "Barbara", "Liskov", "MIT"),
        ];
        for (id, email, first, last, company) in leads {
            let mut fields = Map::new();
            fields.insert("email".into(), Value::from(email));
            fields.insert("firstName".into(), Value::from(first));
            fields.insert("lastName".into(), Value::from(last));
            fields.insert("company".into(), Value::from(company));
            fields.insert("leadScore".into(), Value::from(10));
            fields.insert(
                "cookies".into(),
                Value::from(format!("id:123-EMU-456&token:_mch-example.com-{id}")),
            );
            self.leads.insert(
                id,
                Lead {
                    id,
                    fields,
                    created_at: t,
                    updated_at: t,
                },
            );
            self.index_lead(id);
            let date = t + time::Duration::minutes(id - 3000);
            self.push_activity(
                id,
                date,
                12,
                None,
                None,
                None,
                vec![("Source Type".into(), Value::from("Web service API"))],
            );
            self.push_activity(
                id,
                date + time::Duration::hours(1),
                1,
                None,
                Some(7),
                Some("demo.example.com/pricing".into()),
                vec![("Webpage URL".into(), Value::from("/pricing"))],
            );
        }
        self.push_activity(
            3001,
            t + time::Duration::hours(2),
            2,
            None,
            Some(1),
            Some("Demo Contact Form".into()),
            vec![("Webpage ID".into(), Value::from(7))],
        );
        self.push_activity(
            3002,
            t + time::Duration::hours(3),
            2,
            None,
            Some(1),
            Some("Demo Contact Form".into()),
            vec![("Webpage ID".into(), Value::from(7))],
        );
        self.next_lead_id = 3006;
    }

    /// The ids of the leads whose `field` equals `value` (ASCII case
    /// ignored), lowest first. `email` is looked up in an index; other
    /// fields are scanned.
    pub(crate) fn lead_by_field(&self, field: &str, value: &str) -> Vec<i64> {
        let matches = |l: &Lead| match field {
            "id" => l.id.to_string() == value,
            _ => match l.fields.get(field) {
                None | Some(Value::Null) => false,
                Some(Value::String(s)) => s.eq_ignore_ascii_case(value),
                Some(other) => other.to_string().eq_ignore_ascii_case(value),
            },
        };
        if field == "email" {
            let mut ids: Vec<i64> = self
                .lead_emails
                .get(&value.to_ascii_lowercase())
                .into_iter()
                .flatten()
                .copied()
                .filter(|id| self.leads.get(id).is_some_and(matches))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            return ids;
        }
        self.leads
            .values()
            .filter(|l| matches(l))
            .map(|l| l.id)
            .collect()
    }

    /// Records a lead's current email in the email index. Every write of a
    /// lead's `email` must call it (create, update, merge, demo data);
    /// entries left behind by a removal or an email change are harmless,
    /// since lookups check the lead itself.
    pub(crate) fn index_lead(&mut self, id: i64) {
        let Some(email) = self.leads.get(&id).and_then(Lead::email) else {
            return;
        };
        let ids = self
            .lead_emails
            .entry(email.to_ascii_lowercase())
            .or_default();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }

    /// Creates a lead from field values; returns its id.
    pub(crate) fn create_lead(&mut self, fields: Map<String, Value>) -> i64 {
        let now = self.now();
        let id = self.next_lead_id;
        self.next_lead_id += 1;
        self.leads.insert(
            id,
            Lead {
                id,
                fields,
                created_at: now,
                updated_at: now,
            },
        );
        self.index_lead(id);
        self.push_activity(
            id,
            now,
            12,
            None,
            None,
            None,
            vec![("Source Type".into(), Value::from("Web service API"))],
        );
        id
    }

    /// Updates a lead's fields; records Change Data Value activities.
    pub(crate) fn update_lead(&mut self, id: i64, fields: Map<String, Value>) {
        let now = self.now();
        let mut changes = Vec::new();
        if let Some(lead) = self.leads.get_mut(&id) {
            for (k, v) in fields {
                let old = lead.fields.get(&k).cloned();
                if old.as_ref() != Some(&v) {
                    changes.push((k.clone(), old, v.clone()));
                    lead.fields.insert(k, v);
                }
            }
            lead.updated_at = now;
        }
        if changes.iter().any(|(k, _, _)| k == "email") {
            self.index_lead(id);
        }
        for (k, old, new) in changes {
            self.push_activity(
                id,
                now,
                13,
                None,
                None,
                Some(k),
                vec![
                    ("New Value".into(), new),
                    ("Old Value".into(), old.unwrap_or(Value::Null)),
                ],
            );
        }
    }
}
