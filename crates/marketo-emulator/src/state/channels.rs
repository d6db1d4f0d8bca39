//! Channels (with their member statuses) and tag types.

use time::OffsetDateTime;

use super::{DEMO_TIME, State};

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

impl State {
    /// The channels every instance has.
    pub(super) fn seed_channels(&mut self) {
        let t = DEMO_TIME;
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
    }

    /// The tag types every instance has.
    pub(super) fn seed_tag_types(&mut self) {
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
    }
}
