//! Public controls and read accessors of the Bulk API emulation.

use serde_json::{Map, Value};

use crate::Emulator;
use crate::state::BulkSettings;

/// An export job as the emulator holds it (for tests).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkExportInfo {
    /// The job id.
    pub export_id: String,
    /// Its state (`Created`, `Queued`, `Processing`, `Completed`, `Cancelled`, `Failed`).
    pub status: String,
    /// The file, once completed (and until it expires).
    pub file: Option<Vec<u8>>,
}

impl Emulator {
    /// The Bulk API knobs in force.
    pub fn bulk_settings(&self) -> BulkSettings {
        self.shared.lock().bulk.settings.clone()
    }

    /// Changes the Bulk API knobs (processing time, daily export quota, queue sizes, retention).
    pub fn set_bulk_settings(&self, settings: BulkSettings) {
        self.shared.lock().bulk.settings = settings;
    }

    /// Every export job, oldest first by id.
    pub fn bulk_exports(&self) -> Vec<BulkExportInfo> {
        let mut st = self.shared.lock();
        st.advance_bulk();
        st.bulk
            .exports
            .values()
            .map(|j| BulkExportInfo {
                export_id: j.id.clone(),
                status: j.status.to_owned(),
                file: j.file.as_ref().map(|f| f.as_ref().clone()),
            })
            .collect()
    }

    /// Export bytes counted against today's quota.
    pub fn bulk_quota_used(&self) -> u64 {
        let st = self.shared.lock();
        let now = st.now();
        st.bulk.quota_used(now)
    }

    /// Adds `n` leads quickly (for volume tests and benchmarks): lead `i`
    /// gets `email` `bulk{i}@example.com`, `firstName`, `lastName`,
    /// `company` and the other text fields filled from `i`.
    pub fn add_bulk_leads(&self, n: usize) -> Vec<i64> {
        let mut st = self.shared.lock();
        let now = st.now();
        let mut ids = Vec::with_capacity(n);
        for _ in 0..n {
            let id = st.next_lead_id;
            st.next_lead_id += 1;
            let mut fields = Map::new();
            fields.insert("email".into(), Value::from(format!("bulk{id}@example.com")));
            fields.insert("firstName".into(), Value::from(format!("First{id}")));
            fields.insert("lastName".into(), Value::from(format!("Last, {id}")));
            fields.insert(
                "company".into(),
                Value::from(format!("Company {}", id % 977)),
            );
            for (k, v) in [
                ("title", "Engineer"),
                ("phone", "+1 555 0100"),
                ("city", "Portland"),
                ("state", "OR"),
                ("country", "USA"),
                ("postalCode", "97201"),
                ("industry", "Software"),
                ("leadSource", "Bulk \"import\""),
                ("leadStatus", "Open"),
                ("website", "https://example.com"),
                ("address", "1 Main St\nSuite 2"),
            ] {
                fields.insert(k.into(), Value::from(v));
            }
            fields.insert("leadScore".into(), Value::from(id % 100));
            st.leads.insert(
                id,
                crate::Lead {
                    id,
                    fields,
                    created_at: now,
                    updated_at: now,
                },
            );
            st.index_lead(id);
            ids.push(id);
        }
        ids
    }
}
