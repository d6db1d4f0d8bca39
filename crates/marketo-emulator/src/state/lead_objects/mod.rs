//! Lead Database objects besides leads (area B): companies, opportunities and
//! roles, named accounts and their lists, sales persons, program members and
//! custom objects with their type admin. Every kind is an [`ObjectStore`] (one
//! generic record store driven by an [`ObjectType`] descriptor); the rules
//! peculiar to a kind live with the REST handlers, in [`custom_types`] and, for
//! program membership (the one copy every membership API uses), in [`membership`].

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

mod access;
pub(crate) mod custom_types;
pub(crate) mod membership;
mod seed;
pub(crate) mod store;

pub(crate) use custom_types::CoType;
pub(crate) use store::{
    FieldDef, Filter, ObjectStore, ObjectType, Record, Relationship, page, text,
};

/// Store keys of the standard kinds.
pub(crate) const COMPANY: &str = "company";
pub(crate) const OPPORTUNITY: &str = "opportunity";
pub(crate) const OPPORTUNITY_ROLE: &str = "opportunityRole";
pub(crate) const NAMED_ACCOUNT: &str = "namedAccount";
pub(crate) const NAMED_ACCOUNT_LIST: &str = "namedAccountList";
pub(crate) const SALES_PERSON: &str = "salesPerson";
pub(crate) const PROGRAM_MEMBER: &str = "programMember";

/// Store key of the records of a custom object type.
pub(crate) fn custom_key(api_name: &str) -> String {
    format!("co:{api_name}")
}

/// Area B's part of the state.
#[derive(Debug, Default)]
pub(crate) struct LeadObjects {
    /// Record stores by kind (see the constants and [`custom_key`]).
    pub(crate) stores: BTreeMap<String, ObjectStore>,
    /// Custom object types (approved version and draft) by API name.
    pub(crate) co_types: BTreeMap<String, CoType>,
    /// Named account list GUID → member account GUIDs.
    pub(crate) list_members: BTreeMap<String, BTreeSet<String>>,
    /// Next record number (ids and GUIDs of every kind).
    pub(crate) next: i64,
}

impl LeadObjects {
    /// The store of a kind (present for every standard kind and approved custom type).
    pub(crate) fn store(&self, kind: &str) -> Option<&ObjectStore> {
        self.stores.get(kind)
    }

    /// The store of a kind, mutably.
    pub(crate) fn store_mut(&mut self, kind: &str) -> Option<&mut ObjectStore> {
        self.stores.get_mut(kind)
    }

    /// A lead was deleted (`State::delete_lead` calls it): its program memberships, opportunity roles and the
    /// custom object records linked to it go too.
    pub(crate) fn on_lead_deleted(&mut self, lead_id: i64) {
        let id = lead_id.to_string();
        for store in self.stores.values_mut() {
            let fields = store.ty.lead_fields.clone();
            store.records.retain(|_, r| {
                !fields
                    .iter()
                    .any(|f| r.fields.get(f).and_then(text).as_deref() == Some(id.as_str()))
            });
        }
    }

    /// Leads were merged: records linked to a loser now link to the winner; a
    /// record whose key then equals one the winner already has is dropped.
    pub(crate) fn on_leads_merged(&mut self, winner: i64, losers: &[i64]) {
        let losers: Vec<String> = losers.iter().map(i64::to_string).collect();
        for store in self.stores.values_mut() {
            let fields = store.ty.lead_fields.clone();
            if fields.is_empty() {
                continue;
            }
            let nums: Vec<i64> = store.records.keys().copied().collect();
            for n in nums {
                let Some(r) = store.records.get(&n) else {
                    continue;
                };
                let moved: Vec<String> = fields
                    .iter()
                    .filter(|f| {
                        r.fields
                            .get(*f)
                            .and_then(text)
                            .is_some_and(|t| losers.contains(&t))
                    })
                    .cloned()
                    .collect();
                if moved.is_empty() {
                    continue;
                }
                let mut fields_after = r.fields.clone();
                for f in &moved {
                    fields_after.insert(f.clone(), Value::from(winner));
                }
                let key: serde_json::Map<String, Value> = store
                    .ty
                    .dedupe
                    .iter()
                    .filter_map(|d| fields_after.get(d).map(|v| (d.clone(), v.clone())))
                    .collect();
                let clash = key.len() == store.ty.dedupe.len()
                    && store.find_key(&key).iter().any(|m| *m != n);
                if clash {
                    store.records.remove(&n);
                } else if let Some(r) = store.records.get_mut(&n) {
                    r.fields = fields_after;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::state::State;

    fn leads_of(st: &State, kind: &str) -> Vec<String> {
        let mut v: Vec<String> = st.lead_objects.stores[kind]
            .records
            .values()
            .filter_map(|r| r.fields.get("leadId").and_then(text))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_deleted_lead_takes_its_members_roles_and_linked_records() {
        let mut st = State::new(Config::default());
        st.lead_objects.on_lead_deleted(3001);
        assert_eq!(leads_of(&st, PROGRAM_MEMBER), ["3002", "3002"]);
        assert_eq!(leads_of(&st, OPPORTUNITY_ROLE), ["3002"]);
        assert_eq!(leads_of(&st, &custom_key("car")), ["3003"]);
    }

    #[test]
    fn a_merge_moves_links_to_the_winner_and_drops_duplicate_keys() {
        let mut st = State::new(Config::default());
        // 3001 and 3002 are both members of programs 1001 and 1003: the loser's memberships are dropped.
        st.lead_objects.on_leads_merged(3002, &[3001]);
        assert_eq!(leads_of(&st, PROGRAM_MEMBER), ["3002", "3002"]);
        assert_eq!(leads_of(&st, OPPORTUNITY_ROLE), ["3002", "3002"]);
        assert_eq!(leads_of(&st, &custom_key("car")), ["3002", "3003"]);
    }
}
