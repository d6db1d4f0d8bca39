//! The emulator's in-memory Marketo instance: records, indexes and the demo data set.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::macros::datetime;

use crate::config::Config;
use crate::faults::FaultState;
use crate::limits::{ApiCounter, Stats};

/// Which API a recorded call came through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    /// The REST API.
    Rest,
    /// The SOAP API.
    Soap,
}

/// Whether a folder reference points at a folder or at a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FolderKind {
    /// A plain folder.
    Folder,
    /// A program acting as a folder.
    Program,
}

impl FolderKind {
    /// The name Marketo uses (`Folder` / `Program`).
    pub fn as_str(self) -> &'static str {
        match self {
            FolderKind::Folder => "Folder",
            FolderKind::Program => "Program",
        }
    }
}

/// A reference to a folder or a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FolderRef {
    /// Folder or program id.
    pub id: i32,
    /// Folder or program.
    pub kind: FolderKind,
}

/// A folder of Marketing Activities or Design Studio.
#[derive(Clone, Debug, PartialEq)]
pub struct Folder {
    /// Folder id.
    pub id: i32,
    /// Folder name.
    pub name: String,
    /// Description, if any.
    pub description: Option<String>,
    /// Parent folder id (`None` for a root area).
    pub parent: Option<i32>,
    /// `Zone`, `Marketing Folder`, `Email`, ...
    pub folder_type: String,
    /// Whether programs may be created in it (the Marketing Activities tree).
    pub holds_programs: bool,
    /// Read-only system folder.
    pub is_system: bool,
    /// Archived folder.
    pub is_archive: bool,
    /// Workspace name.
    pub workspace: String,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last update.
    pub updated_at: OffsetDateTime,
}

/// A program tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    /// Tag type name.
    pub tag_type: String,
    /// Tag value.
    pub tag_value: String,
}

/// A period cost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cost {
    /// First day (`yyyy-MM-dd`).
    pub start_date: String,
    /// Amount.
    pub cost: i64,
    /// Optional note.
    pub note: Option<String>,
}

/// A program.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// Program id.
    pub id: i32,
    /// Unique name.
    pub name: String,
    /// Description (often empty).
    pub description: String,
    /// `Default`, `Event`, `Event with Webinar`, `Engagement` or `Email`.
    pub program_type: String,
    /// Channel name.
    pub channel: String,
    /// Parent folder.
    pub folder: FolderRef,
    /// `on`/`off` (Engagement), `unlocked`/`locked` (Email) or empty.
    pub status: String,
    /// Workspace name.
    pub workspace: String,
    /// Tags.
    pub tags: Vec<Tag>,
    /// Period costs.
    pub costs: Vec<Cost>,
    /// Email programs: start.
    pub start_date: Option<OffsetDateTime>,
    /// Email programs: end.
    pub end_date: Option<OffsetDateTime>,
    /// Program My Tokens (name in `{{my.x}}` form → value).
    pub tokens: BTreeMap<String, String>,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last update.
    pub updated_at: OffsetDateTime,
}

/// A member status of a channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressionStatus {
    /// Status name.
    pub name: String,
    /// Step number.
    pub step: i32,
    /// Counts as success.
    pub success: bool,
}

/// A channel.
#[derive(Clone, Debug, PartialEq)]
pub struct Channel {
    /// Channel id.
    pub id: i32,
    /// Channel name.
    pub name: String,
    /// Internal program type name (`program`, `event`, `webinar`, `nurture`, `email_batch`).
    pub applicable_program_type: String,
    /// Member statuses in step order.
    pub statuses: Vec<ProgressionStatus>,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// A tag type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagType {
    /// Tag type name.
    pub name: String,
    /// Internal program type names it applies to.
    pub applicable_program_types: Vec<String>,
    /// Whether programs of those types must carry it.
    pub required: bool,
    /// Allowed values.
    pub values: Vec<String>,
}

/// A smart campaign.
#[derive(Clone, Debug, PartialEq)]
pub struct SmartCampaign {
    /// Campaign id.
    pub id: i32,
    /// Campaign name.
    pub name: String,
    /// Description.
    pub description: String,
    /// `batch`, `trigger` or `default`.
    pub campaign_type: String,
    /// Active trigger campaign.
    pub is_active: bool,
    /// Has a `Campaign is Requested` (Web Service API) trigger and is active.
    pub is_requestable: bool,
    /// Parent program, if inside one.
    pub program_id: Option<i32>,
    /// Parent folder or program.
    pub folder: FolderRef,
    /// Run status (`Inactive`, `Active`, `Single Run`, ...).
    pub status: String,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last update.
    pub updated_at: OffsetDateTime,
}

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

/// A recorded campaign schedule (REST schedule or SOAP scheduleCampaign).
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduleRecord {
    /// API used.
    pub api: Api,
    /// Id of the campaign named in the call.
    pub campaign_id: i32,
    /// Its name.
    pub campaign_name: String,
    /// Name of its program (if any).
    pub program_name: Option<String>,
    /// When the run is scheduled.
    pub run_at: OffsetDateTime,
    /// Name of the program clone requested.
    pub clone_to_program_name: Option<String>,
    /// Id of the clone created, if any.
    pub cloned_program_id: Option<i32>,
    /// Id of the campaign actually scheduled (the clone's copy when cloned).
    pub scheduled_campaign_id: i32,
    /// Tokens sent (name, value), in order.
    pub tokens: Vec<(String, String)>,
    /// When the call was made (emulator clock).
    pub requested_at: OffsetDateTime,
}

/// A recorded campaign trigger (REST trigger or SOAP requestCampaign).
#[derive(Clone, Debug, PartialEq)]
pub struct TriggerRecord {
    /// API used.
    pub api: Api,
    /// Campaign id.
    pub campaign_id: i32,
    /// Leads passed.
    pub lead_ids: Vec<i64>,
    /// Tokens sent (name, value), in order.
    pub tokens: Vec<(String, String)>,
    /// When the call was made (emulator clock).
    pub requested_at: OffsetDateTime,
}

/// A custom object record (SOAP custom objects).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomObject {
    /// Key attributes.
    pub keys: Vec<(String, String)>,
    /// Other attributes.
    pub attributes: Vec<(String, String)>,
}

/// A Marketo object (SOAP MObjects: opportunities and friends).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MObject {
    /// Object type, e.g. `Opportunity`.
    pub mobj_type: String,
    /// Id.
    pub id: i32,
    /// Attributes.
    pub attributes: Vec<(String, String)>,
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

/// A token issued by the identity endpoint.
#[derive(Clone, Debug)]
pub(crate) struct IssuedToken {
    pub(crate) expires_at: OffsetDateTime,
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
}

/// Fixed creation time of the demo data set.
pub(crate) const DEMO_TIME: OffsetDateTime = datetime!(2024-01-15 10:00:00 UTC);

/// Internal program-type name of a program type (as channels and tag types list them).
pub fn internal_program_type(program_type: &str) -> Option<&'static str> {
    match program_type {
        "Default" => Some("program"),
        "Event" => Some("event"),
        "Event with Webinar" => Some("webinar"),
        "Engagement" => Some("nurture"),
        "Email" => Some("email_batch"),
        _ => None,
    }
}

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
        };
        s.load_base();
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

    // ----- structural data every instance has -----

    fn load_base(&mut self) {
        let t = DEMO_TIME;
        let folder = |id: i32, name: &str, parent: Option<i32>, ty: &str, ma: bool| Folder {
            id,
            name: name.to_owned(),
            description: None,
            parent,
            folder_type: ty.to_owned(),
            holds_programs: ma,
            is_system: parent.is_none(),
            is_archive: false,
            workspace: "Default".to_owned(),
            created_at: t,
            updated_at: t,
        };
        let roots = [
            folder(1, "Marketing Activities", None, "Zone", true),
            folder(2, "Design Studio", None, "Zone", false),
        ];
        for f in roots {
            self.folders.insert(f.id, f);
        }
        let statuses = |names: &[(&str, bool)]| -> Vec<ProgressionStatus> {
            names
                .iter()
                .enumerate()
                .map(|(i, (n, s))| ProgressionStatus {
                    name: (*n).to_owned(),
                    step: i32::try_from(i).unwrap_or(0),
                    success: *s,
                })
                .collect()
        };
        self.channels = vec![
            Channel {
                id: 1,
                name: "Content".into(),
                applicable_program_type: "program".into(),
                statuses: statuses(&[("Not in Program", false), ("Engaged", true)]),
                created_at: t,
            },
            Channel {
                id: 2,
                name: "Online Advertising".into(),
                applicable_program_type: "program".into(),
                statuses: statuses(&[("Not in Program", false), ("Clicked", true)]),
                created_at: t,
            },
            Channel {
                id: 3,
                name: "Tradeshow".into(),
                applicable_program_type: "event".into(),
                statuses: statuses(&[
                    ("Not in Program", false),
                    ("Invited", false),
                    ("Registered", false),
                    ("Attended", true),
                ]),
                created_at: t,
            },
            Channel {
                id: 4,
                name: "Webinar".into(),
                applicable_program_type: "webinar".into(),
                statuses: statuses(&[
                    ("Not in Program", false),
                    ("Registered", false),
                    ("Attended", true),
                    ("Attended On-demand", true),
                ]),
                created_at: t,
            },
            Channel {
                id: 5,
                name: "Nurture".into(),
                applicable_program_type: "nurture".into(),
                statuses: statuses(&[
                    ("Not in Program", false),
                    ("Member", false),
                    ("Engaged", true),
                ]),
                created_at: t,
            },
            Channel {
                id: 6,
                name: "Email Send".into(),
                applicable_program_type: "email_batch".into(),
                statuses: statuses(&[
                    ("Not in Program", false),
                    ("Sent", false),
                    ("Clicked", true),
                ]),
                created_at: t,
            },
        ];
        let all = ["program", "event", "webinar", "nurture", "email_batch"];
        self.tag_types = vec![
            TagType {
                name: "Region".into(),
                applicable_program_types: all.iter().map(|s| (*s).to_owned()).collect(),
                required: false,
                values: vec!["EMEA".into(), "North America".into(), "APAC".into()],
            },
            TagType {
                name: "Product Line".into(),
                applicable_program_types: all.iter().map(|s| (*s).to_owned()).collect(),
                required: false,
                values: vec!["Analytics".into(), "Automation".into(), "Platform".into()],
            },
        ];
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

    // ----- demo data set -----

    fn load_demo(&mut self) {
        let t = DEMO_TIME;
        let folders = [
            (10, "Campaigns", 1, "Marketing Folder", true, false),
            (11, "Events", 10, "Marketing Folder", true, false),
            (12, "Webinars", 11, "Marketing Folder", true, false),
            (13, "Nurturing", 1, "Marketing Folder", true, false),
            (14, "Email Sends", 1, "Marketing Folder", true, false),
            (15, "Archive", 1, "Marketing Folder", true, true),
            (20, "Emails", 2, "Email", false, false),
            (21, "Landing Pages", 2, "Landing Page", false, false),
        ];
        for (id, name, parent, ty, ma, archive) in folders {
            self.folders.insert(
                id,
                Folder {
                    id,
                    name: name.to_owned(),
                    description: Some(format!("Demo folder {name}")),
                    parent: Some(parent),
                    folder_type: ty.to_owned(),
                    holds_programs: ma,
                    is_system: false,
                    is_archive: archive,
                    workspace: "Default".to_owned(),
                    created_at: t,
                    updated_at: t,
                },
            );
        }
        let programs = [
            (1001, "Demo Default Program", "Default", "Content", 10, ""),
            (1002, "Demo Event Program", "Event", "Tradeshow", 11, ""),
            (
                1003,
                "Demo Webinar Program",
                "Event with Webinar",
                "Webinar",
                12,
                "",
            ),
            (
                1004,
                "Demo Engagement Program",
                "Engagement",
                "Nurture",
                13,
                "on",
            ),
            (
                1005,
                "Demo Email Program",
                "Email",
                "Email Send",
                14,
                "unlocked",
            ),
        ];
        for (id, name, ty, channel, folder, status) in programs {
            let mut p = Program {
                id,
                name: name.to_owned(),
                description: format!("Demo {ty} program"),
                program_type: ty.to_owned(),
                channel: channel.to_owned(),
                folder: FolderRef {
                    id: folder,
                    kind: FolderKind::Folder,
                },
                status: status.to_owned(),
                workspace: "Default".to_owned(),
                tags: Vec::new(),
                costs: Vec::new(),
                start_date: None,
                end_date: None,
                tokens: BTreeMap::new(),
                created_at: t,
                updated_at: t,
            };
            p.tokens
                .insert("{{my.message}}".into(), "Hello from the demo".into());
            if id == 1001 {
                p.tags.push(Tag {
                    tag_type: "Region".into(),
                    tag_value: "EMEA".into(),
                });
                p.costs.push(Cost {
                    start_date: "2024-01-01".into(),
                    cost: 1000,
                    note: Some("Demo cost".into()),
                });
            }
            if id == 1003 {
                p.tags.push(Tag {
                    tag_type: "Region".into(),
                    tag_value: "EMEA".into(),
                });
            }
            if id == 1005 {
                p.start_date = Some(datetime!(2030-01-01 09:00:00 UTC));
                p.end_date = Some(datetime!(2030-01-31 18:00:00 UTC));
            }
            self.insert_program(p);
        }
        self.next_program_id = 1006;
        let campaigns = [
            (
                2001,
                "Demo Batch Campaign",
                "batch",
                false,
                false,
                Some(1001),
                "Inactive",
            ),
            (
                2002,
                "Demo Requestable Campaign",
                "trigger",
                true,
                true,
                Some(1001),
                "Active",
            ),
            (
                2003,
                "Demo Event Reminder",
                "batch",
                false,
                false,
                Some(1002),
                "Inactive",
            ),
            (
                2004,
                "Demo Webinar Follow-up",
                "trigger",
                true,
                true,
                Some(1003),
                "Active",
            ),
            (
                2005,
                "Demo Nurture Trigger",
                "trigger",
                false,
                false,
                Some(1004),
                "Inactive",
            ),
            (
                2006,
                "Demo Email Send",
                "batch",
                false,
                false,
                Some(1005),
                "Inactive",
            ),
            (
                2007,
                "Demo Global Batch Campaign",
                "batch",
                false,
                false,
                None,
                "Inactive",
            ),
        ];
        for (id, name, ty, active, requestable, program, status) in campaigns {
            let folder = match program {
                Some(pid) => FolderRef {
                    id: pid,
                    kind: FolderKind::Program,
                },
                None => FolderRef {
                    id: 10,
                    kind: FolderKind::Folder,
                },
            };
            self.campaigns.insert(
                id,
                SmartCampaign {
                    id,
                    name: name.to_owned(),
                    description: format!("Demo {ty} campaign"),
                    campaign_type: ty.to_owned(),
                    is_active: active,
                    is_requestable: requestable,
                    program_id: program,
                    folder,
                    status: status.to_owned(),
                    created_at: t,
                    updated_at: t,
                },
            );
        }
        self.next_campaign_id = 2008;
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
        // Activity ids follow time order, as the activity log does.
        self.activities.sort_by_key(|a| a.date);
        for (i, a) in self.activities.iter_mut().enumerate() {
            a.id = 500_001 + i64::try_from(i).unwrap_or(0);
            a.marketo_guid = a.id.to_string();
        }
        self.next_activity_id = 500_001 + i64::try_from(self.activities.len()).unwrap_or(0);
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
        self.custom_objects.insert(
            "RoadShow".into(),
            vec![CustomObject {
                keys: vec![
                    ("MKTOID".into(), "3001".into()),
                    ("rid".into(), "rid1".into()),
                ],
                attributes: vec![("city".into(), "Stockholm".into())],
            }],
        );
        self.mobjects.insert(
            6001,
            MObject {
                mobj_type: "Opportunity".into(),
                id: 6001,
                attributes: vec![
                    ("Name".into(), "Demo Opportunity".into()),
                    ("Amount".into(), "5000".into()),
                    ("Stage".into(), "Prospecting".into()),
                ],
            },
        );
        self.next_mobject_id = 6002;
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

    /// Inserts or replaces a program and its name index.
    pub(crate) fn insert_program(&mut self, p: Program) {
        if let Some(old) = self.programs.get(&p.id) {
            let old_name = old.name.clone();
            self.program_names.remove(&old_name);
        }
        self.program_names.insert(p.name.clone(), p.id);
        self.programs.insert(p.id, p);
    }

    /// Removes a program, its campaigns and lists.
    pub(crate) fn remove_program(&mut self, id: i32) -> Option<Program> {
        let p = self.programs.remove(&id)?;
        self.program_names.remove(&p.name);
        self.campaigns.retain(|_, c| c.program_id != Some(id));
        self.lists.retain(|_, l| l.program_id != Some(id));
        Some(p)
    }

    /// Id of the program with this name.
    pub(crate) fn program_by_name(&self, name: &str) -> Option<&Program> {
        self.program_names
            .get(name)
            .and_then(|id| self.programs.get(id))
    }

    /// Clones a program (with its campaigns) under a new name into `folder`.
    pub(crate) fn clone_program(
        &mut self,
        source: i32,
        name: &str,
        folder: FolderRef,
        description: Option<String>,
    ) -> Option<i32> {
        let now = self.now();
        let mut p = self.programs.get(&source)?.clone();
        let new_id = self.next_program_id;
        self.next_program_id += 1;
        p.id = new_id;
        p.name = name.to_owned();
        p.folder = folder;
        if let Some(d) = description {
            p.description = d;
        }
        p.created_at = now;
        p.updated_at = now;
        if p.program_type == "Email" {
            p.status = "unlocked".into();
        }
        self.insert_program(p);
        let copies: Vec<SmartCampaign> = self
            .campaigns
            .values()
            .filter(|c| c.program_id == Some(source))
            .cloned()
            .collect();
        for mut c in copies {
            c.id = self.next_campaign_id;
            self.next_campaign_id += 1;
            c.program_id = Some(new_id);
            c.folder = FolderRef {
                id: new_id,
                kind: FolderKind::Program,
            };
            c.created_at = now;
            c.updated_at = now;
            self.campaigns.insert(c.id, c);
        }
        Some(new_id)
    }

    /// Full path of a folder, e.g. `/Marketing Activities/Campaigns`.
    pub(crate) fn folder_path(&self, id: i32) -> String {
        let mut parts = Vec::new();
        let mut cur = Some(id);
        let mut guard = 0;
        while let Some(c) = cur {
            guard += 1;
            if guard > 64 {
                break;
            }
            match self.folders.get(&c) {
                Some(f) => {
                    parts.push(f.name.clone());
                    cur = f.parent;
                }
                None => break,
            }
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    }

    /// Finds a lead by email (first match, lowest id).
    pub(crate) fn lead_by_field(&self, field: &str, value: &str) -> Vec<i64> {
        self.leads
            .values()
            .filter(|l| {
                l.field_text(field)
                    .is_some_and(|v| v.eq_ignore_ascii_case(value))
            })
            .map(|l| l.id)
            .collect()
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
