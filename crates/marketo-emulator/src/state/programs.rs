//! Programs: tags, costs, the name index, cloning and the demo programs.

use std::collections::BTreeMap;

use time::OffsetDateTime;
use time::macros::datetime;

use super::{DEMO_TIME, FolderKind, FolderRef, SmartCampaign, State};

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
    /// The demo programs, one of each type.
    pub(super) fn seed_demo_programs(&mut self) {
        let t = DEMO_TIME;
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
        self.assets.remove_in_program(id);
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
        let workspace = p.workspace.clone();
        self.insert_program(p);
        let copies_of = self
            .assets
            .clone_program_assets(source, new_id, &workspace, now);
        // The copies of the program's and its campaigns' smart lists belong to the copies.
        let relink = |st: &mut State, old_user: String, new_user: String| {
            for key in st.assets.used_by_external(&old_user) {
                if let Some(copy) = copies_of.get(&key) {
                    st.assets.mark_used(*copy, new_user.clone());
                }
            }
        };
        relink(
            self,
            super::program_user(source),
            super::program_user(new_id),
        );
        let as_folder = |id| FolderRef {
            id,
            kind: FolderKind::Program,
        };
        self.assets
            .copy_tokens(as_folder(source), as_folder(new_id));
        let copies: Vec<SmartCampaign> = self
            .campaigns
            .values()
            .filter(|c| c.program_id == Some(source))
            .cloned()
            .collect();
        for mut c in copies {
            let old_id = c.id;
            c.id = self.next_campaign_id;
            self.next_campaign_id += 1;
            c.program_id = Some(new_id);
            c.folder = FolderRef {
                id: new_id,
                kind: FolderKind::Program,
            };
            c.created_at = now;
            c.updated_at = now;
            // Marketo clones trigger campaigns inactive: the copy's triggers
            // only listen once someone activates it.
            if c.is_active {
                c.is_active = false;
                c.status = "Inactive".into();
            }
            relink(
                self,
                super::campaign_user(old_id),
                super::campaign_user(c.id),
            );
            self.campaigns.insert(c.id, c);
        }
        Some(new_id)
    }
}
