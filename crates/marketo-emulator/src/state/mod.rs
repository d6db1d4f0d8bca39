//! The emulator's in-memory Marketo instance: records, indexes and the demo data set.

use std::collections::{BTreeMap, HashMap};

use time::OffsetDateTime;
use time::macros::datetime;

use crate::config::Config;
use crate::faults::FaultState;
use crate::limits::{ApiCounter, Stats};

mod activities;
mod assets;
pub(crate) mod bulk;
mod bulk_records;
mod campaigns;
mod channels;
mod design;
pub(crate) mod emails;
mod folders;
mod lead_db;
pub(crate) mod lead_objects;
mod leads;
mod lists;
mod objects;
mod programs;

pub use activities::{Activity, ActivityType};
pub use assets::{Asset, AssetKey, AssetKind, AssetStatus, NameScope, VersionFilter};
pub(crate) use assets::{
    AssetStore, BrowseQuery, MetaUpdate, MyToken, NewAsset, campaign_user, program_user,
};
pub use bulk::BulkSettings;
pub use campaigns::{ScheduleRecord, SmartCampaign, TriggerRecord};
pub use channels::{Channel, ProgressionStatus, TagType};
pub use emails::SentSample;
pub use folders::{Folder, FolderKind, FolderRef};
pub(crate) use lead_db::LeadDbStore;
pub use lead_db::{CustomActivityType, CustomAttribute, CustomLeadField, CustomTypeVersion};
pub use leads::{LEAD_FIELDS, Lead};
pub use lists::{ImportJob, StaticList};
pub use objects::{CustomObject, MObject};
pub use programs::{Cost, Program, Tag, internal_program_type};

/// Which API a recorded call came through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    /// The REST API.
    Rest,
    /// The SOAP API.
    Soap,
}

/// A token issued by the identity endpoint.
#[derive(Clone, Debug)]
pub(crate) struct IssuedToken {
    pub(crate) expires_at: OffsetDateTime,
}

/// The whole mutable state.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) config: Config,
    pub(crate) clock_offset: time::Duration,
    pub(crate) folders: BTreeMap<i32, Folder>,
    pub(crate) programs: BTreeMap<i32, Program>,
    pub(crate) program_names: HashMap<String, i32>,
    pub(crate) channels: Vec<Channel>,
    pub(crate) tag_types: Vec<TagType>,
    pub(crate) campaigns: BTreeMap<i32, SmartCampaign>,
    pub(crate) leads: BTreeMap<i64, Lead>,
    /// Lower-cased email → ids of the leads that had it (see `index_lead`).
    pub(crate) lead_emails: HashMap<String, Vec<i64>>,
    pub(crate) lists: BTreeMap<i32, StaticList>,
    pub(crate) activity_types: Vec<ActivityType>,
    pub(crate) activities: Vec<Activity>,
    pub(crate) schedules: Vec<ScheduleRecord>,
    pub(crate) triggers: Vec<TriggerRecord>,
    pub(crate) custom_objects: BTreeMap<String, Vec<CustomObject>>,
    pub(crate) mobjects: BTreeMap<i32, MObject>,
    pub(crate) imports: BTreeMap<(String, String), ImportJob>,
    pub(crate) tokens: HashMap<String, IssuedToken>,
    pub(crate) current_token: Option<String>,
    pub(crate) next_program_id: i32,
    pub(crate) next_campaign_id: i32,
    pub(crate) next_lead_id: i64,
    pub(crate) next_list_id: i32,
    pub(crate) next_activity_id: i64,
    pub(crate) next_mobject_id: i32,
    /// (day, REST clone schedule calls).
    pub(crate) rest_clones: (i64, u32),
    /// (day, SOAP clone schedule calls).
    pub(crate) soap_clones: (i64, u32),
    pub(crate) rest_counter: ApiCounter,
    pub(crate) soap_counter: ApiCounter,
    pub(crate) stats: Stats,
    pub(crate) faults: FaultState,
    /// Area A: partitions, lead fields, custom activity types, memberships, usage.
    pub(crate) lead_db: LeadDbStore,
    /// Area B: companies, opportunities, named accounts, program members, custom objects, ...
    pub(crate) lead_objects: lead_objects::LeadObjects,
    /// The Asset API's shared asset model.
    pub(crate) assets: AssetStore,
    /// Samples sent by Send Sample Email (area D).
    pub(crate) email_samples: Vec<SentSample>,
    /// Bulk API export and import jobs.
    pub(crate) bulk: bulk::BulkStore,
}

/// Fixed creation time of the demo data set.
pub(crate) const DEMO_TIME: OffsetDateTime = datetime!(2024-01-15 10:00:00 UTC);

impl State {
    pub(crate) fn new(config: Config) -> Self {
        let mut s = State {
            config,
            clock_offset: time::Duration::ZERO,
            folders: BTreeMap::new(),
            programs: BTreeMap::new(),
            program_names: HashMap::new(),
            channels: Vec::new(),
            tag_types: Vec::new(),
            campaigns: BTreeMap::new(),
            leads: BTreeMap::new(),
            lead_emails: HashMap::new(),
            lists: BTreeMap::new(),
            activity_types: Vec::new(),
            activities: Vec::new(),
            schedules: Vec::new(),
            triggers: Vec::new(),
            custom_objects: BTreeMap::new(),
            mobjects: BTreeMap::new(),
            imports: BTreeMap::new(),
            tokens: HashMap::new(),
            current_token: None,
            next_program_id: 1001,
            next_campaign_id: 2001,
            next_lead_id: 3001,
            next_list_id: 4001,
            next_activity_id: 500_001,
            next_mobject_id: 6001,
            rest_clones: (0, 0),
            soap_clones: (0, 0),
            rest_counter: ApiCounter::default(),
            soap_counter: ApiCounter::default(),
            stats: Stats::default(),
            faults: FaultState::default(),
            lead_db: LeadDbStore::default(),
            lead_objects: lead_objects::LeadObjects::with_standard_types(),
            assets: AssetStore::default(),
            email_samples: Vec::new(),
            bulk: bulk::BulkStore::default(),
        };
        s.load_base();
        s.init_emails();
        if s.config.demo_data {
            s.load_demo();
        }
        s
    }

    /// The emulator clock.
    pub(crate) fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + self.clock_offset
    }

    /// Records a response-level error code in the counters.
    pub(crate) fn count_error(&mut self, code: &str) {
        *self.stats.error_counts.entry(code.to_owned()).or_insert(0) += 1;
    }

    /// Structural data every instance has.
    fn load_base(&mut self) {
        self.seed_root_folders();
        self.seed_channels();
        self.seed_tag_types();
        self.seed_activity_types();
        self.seed_lead_db_base();
    }

    /// The demo data set.
    fn load_demo(&mut self) {
        self.seed_demo_folders();
        self.seed_demo_programs();
        self.seed_demo_campaigns();
        self.seed_demo_leads();
        self.renumber_activities();
        self.seed_demo_lists();
        self.seed_lead_db_demo();
        self.seed_demo_objects();
        self.seed_demo_lead_objects();
        self.seed_demo_emails();
        self.seed_demo_assets();
        self.seed_demo_design();
    }
}
