//! Demo assets, parent checks and the emulator's read accessors.

use serde_json::{Map, Value};

use super::{Asset, AssetKey, AssetKind, MyToken};
use crate::rest::ApiError;
use crate::state::{DEMO_TIME, FolderKind, FolderRef, State};

/// The external-user name of a smart campaign (its smart list is marked used by it).
pub fn campaign_user(id: i32) -> String {
    format!("smart campaign {id}")
}

/// The external-user name of a program (its smart list is marked used by it).
pub fn program_user(id: i32) -> String {
    format!("program {id}")
}

/// Demo content: a smart list's rules.
fn demo_rules(filter: &str) -> Value {
    serde_json::json!({
        "filterMatchType": "all",
        "triggers": [],
        "filters": [{
            "id": 1,
            "name": filter,
            "ruleTypeId": 1,
            "ruleType": "Activity",
            "operator": "occurs",
            "conditions": [],
        }],
    })
}

impl State {
    /// The demo assets of the shared model (snippets, smart lists, static-list metadata).
    pub(crate) fn seed_demo_assets(&mut self) {
        let t = DEMO_TIME;
        let base = |kind, id, name: &str, folder: FolderRef, content: Value| Asset {
            id,
            kind,
            name: name.to_owned(),
            description: Some(format!("Demo {}", kind.label().to_lowercase())),
            folder,
            workspace: "Default".to_owned(),
            created_at: t,
            updated_at: t,
            meta: Map::new(),
            content,
            approved: None,
            has_draft: false,
            refs: Vec::new(),
            approved_refs: Vec::new(),
            version: 1,
        };
        let snippets_folder = FolderRef {
            id: 22,
            kind: FolderKind::Folder,
        };
        let html = |s: &str| serde_json::json!({"HTML": s});
        let mut approved = base(
            AssetKind::Snippet,
            8001,
            "Demo Footer Snippet",
            snippets_folder,
            html("<p>Demo footer</p>"),
        );
        approved.approved = Some(approved.content.clone());
        approved.version = 2;
        self.assets.insert(approved);
        self.assets.insert(base(
            AssetKind::Snippet,
            8002,
            "Demo Draft Snippet",
            snippets_folder,
            html("<p>Work in progress</p>"),
        ));
        // An approved segmentation with three segments (ids 11001-11003).
        let mut seg = base(
            AssetKind::Segmentation,
            11001,
            "Demo Region Segmentation",
            FolderRef {
                id: 2,
                kind: FolderKind::Folder,
            },
            serde_json::json!({"segments": [
                {"id": 11001, "name": "North America"},
                {"id": 11002, "name": "EMEA"},
                {"id": 11003, "name": "Default"},
            ]}),
        );
        seg.approved = Some(seg.content.clone());
        seg.version = 2;
        self.assets.insert(seg);
        // Files of Design Studio.
        let files_folder = FolderRef {
            id: 23,
            kind: FolderKind::Folder,
        };
        for (id, name, mime, size) in [
            (9501, "demo-logo.png", "image/png", 2048),
            (9502, "demo-brochure.pdf", "application/pdf", 52_000),
        ] {
            let mut f = base(AssetKind::File, id, name, files_folder, Value::Null);
            f.meta.insert("mimeType".into(), Value::from(mime));
            f.meta.insert("size".into(), Value::from(size));
            self.assets.insert(f);
        }
        // A smart list of its own, then one per smart campaign (id: campaign id + 10000)
        // and the audience of the email program (10002).
        self.assets.insert(base(
            AssetKind::SmartList,
            10001,
            "Demo Smart List",
            FolderRef {
                id: 1001,
                kind: FolderKind::Program,
            },
            demo_rules("Visited Web Page"),
        ));
        let prog = FolderRef {
            id: 1005,
            kind: FolderKind::Program,
        };
        self.assets.insert(base(
            AssetKind::SmartList,
            10002,
            "Demo Email Program Audience",
            prog,
            demo_rules("Member of List"),
        ));
        self.assets.mark_used(
            AssetKey::new(AssetKind::SmartList, 10002),
            program_user(1005),
        );
        let campaigns: Vec<(i32, String, FolderRef)> = self
            .campaigns
            .values()
            .map(|c| (c.id, c.name.clone(), c.folder))
            .collect();
        for (id, name, folder) in campaigns {
            let sl = id + 10_000;
            self.assets.insert(base(
                AssetKind::SmartList,
                sl,
                &name,
                folder,
                demo_rules("Filled Out Form"),
            ));
            self.assets
                .mark_used(AssetKey::new(AssetKind::SmartList, sl), campaign_user(id));
        }
        // My Tokens with their types: the programs' tokens are text tokens.
        let program_tokens: Vec<(i32, Vec<(String, String)>)> = self
            .programs
            .values()
            .map(|p| {
                let toks = p
                    .tokens
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                (p.id, toks)
            })
            .collect();
        for (pid, toks) in program_tokens {
            for (name, value) in toks {
                let bare = name
                    .trim_start_matches("{{my.")
                    .trim_end_matches("}}")
                    .to_owned();
                self.assets.set_token(
                    FolderRef {
                        id: pid,
                        kind: FolderKind::Program,
                    },
                    MyToken {
                        name: bare,
                        token_type: "text".into(),
                        value,
                    },
                );
            }
        }
        self.assets.set_token(
            FolderRef {
                id: 10,
                kind: FolderKind::Folder,
            },
            MyToken {
                name: "Event Date".into(),
                token_type: "date".into(),
                value: "2030-04-01".into(),
            },
        );
    }

    /// Checks an asset's parent: 710 when the folder or program does not exist.
    /// Returns the workspace of the parent.
    pub(crate) fn asset_parent(&self, f: FolderRef) -> Result<String, ApiError> {
        let ws = match f.kind {
            FolderKind::Folder => self.folders.get(&f.id).map(|x| x.workspace.clone()),
            FolderKind::Program => self.programs.get(&f.id).map(|x| x.workspace.clone()),
        };
        ws.ok_or_else(|| {
            ApiError::new(
                "710",
                format!(
                    "Parent {} {} not found",
                    f.kind.as_str().to_lowercase(),
                    f.id
                ),
            )
        })
    }

    /// Name of a folder or program (empty when unknown).
    pub(crate) fn parent_name(&self, f: FolderRef) -> String {
        match f.kind {
            FolderKind::Folder => self.folders.get(&f.id).map(|x| x.name.clone()),
            FolderKind::Program => self.programs.get(&f.id).map(|x| x.name.clone()),
        }
        .unwrap_or_default()
    }
}

impl crate::Emulator {
    /// Every asset of a kind in the shared asset model, by id.
    pub fn assets(&self, kind: AssetKind) -> Vec<Asset> {
        self.shared.lock().assets.all(kind).cloned().collect()
    }

    /// One asset of the shared asset model.
    pub fn asset(&self, kind: AssetKind, id: i32) -> Option<Asset> {
        self.shared.lock().assets.get(kind, id).ok().cloned()
    }

    /// Who uses an asset (`email 12`, `smart campaign 2001`, ...).
    pub fn asset_used_by(&self, kind: AssetKind, id: i32) -> Vec<String> {
        self.shared.lock().assets.used_by(AssetKey::new(kind, id))
    }
}
