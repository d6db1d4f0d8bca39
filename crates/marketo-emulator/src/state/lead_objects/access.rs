//! Read accessors on [`Emulator`](crate::Emulator) for area B's records, for
//! tests that check what a call did.

use serde_json::Value;

use crate::Emulator;

impl Emulator {
    /// Every record of a Lead Database object kind, with its id (`id` or
    /// `marketoGUID`), fields and time stamps. Kinds: `company`,
    /// `opportunity`, `opportunityRole`, `namedAccount`, `namedAccountList`,
    /// `salesPerson`, `programMember`, and `co:<apiName>` for the records of an
    /// approved custom object type. An unknown kind has no records.
    pub fn lead_object_records(&self, kind: &str) -> Vec<Value> {
        let st = self.shared.lock();
        let Some(s) = st.lead_objects.store(kind) else {
            return Vec::new();
        };
        s.records
            .values()
            .map(|r| {
                let mut v = s.render(r, None, 0);
                if let Some(o) = v.as_object_mut() {
                    o.remove("seq");
                    for (k, x) in &r.fields {
                        o.insert(k.clone(), x.clone());
                    }
                }
                v
            })
            .collect()
    }

    /// The `marketoGUID`s of the named accounts in a named account list (empty for an unknown list).
    pub fn named_account_list_members(&self, list_guid: &str) -> Vec<String> {
        let st = self.shared.lock();
        st.lead_objects
            .list_members
            .get(list_guid)
            .map(|m| m.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// The state of a custom object type (`draft`, `approved` or
    /// `approvedWithDraft`), `None` when there is no such type.
    pub fn custom_object_type_state(&self, api_name: &str) -> Option<String> {
        let st = self.shared.lock();
        st.lead_objects
            .co_types
            .get(api_name)
            .map(|t| t.state().to_owned())
    }
}
