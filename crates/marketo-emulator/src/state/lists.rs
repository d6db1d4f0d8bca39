//! Static lists and importToList jobs.

use std::collections::BTreeSet;

use time::OffsetDateTime;

use super::State;

/// A static list.
#[derive(Clone, Debug, PartialEq)]
pub struct StaticList {
    /// List id.
    pub id: i32,
    /// List name.
    pub name: String,
    /// Program holding the list, if any.
    pub program_id: Option<i32>,
    /// Member lead ids.
    pub members: BTreeSet<i64>,
}

/// Status of an importToList job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportJob {
    /// Rows imported.
    pub rows_imported: u32,
    /// Rows failed.
    pub rows_failed: u32,
    /// Start.
    pub started: OffsetDateTime,
}

impl State {
    /// The demo static lists.
    pub(super) fn seed_demo_lists(&mut self) {
        let mut members = BTreeSet::new();
        members.extend([3001, 3002, 3003]);
        self.lists.insert(
            4001,
            StaticList {
                id: 4001,
                name: "Demo Static List".into(),
                program_id: Some(1001),
                members,
            },
        );
        self.lists.insert(
            4002,
            StaticList {
                id: 4002,
                name: "Demo Empty List".into(),
                program_id: Some(1002),
                members: BTreeSet::new(),
            },
        );
        self.next_list_id = 4003;
    }
}
