//! Smart campaigns and the schedules and triggers recorded for them.

use time::OffsetDateTime;

use super::{Api, DEMO_TIME, FolderKind, FolderRef, State};

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

impl State {
    /// The demo smart campaigns.
    pub(super) fn seed_demo_campaigns(&mut self) {
        let t = DEMO_TIME;
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
    }
}
