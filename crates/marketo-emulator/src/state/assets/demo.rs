//! Demo assets, parent checks and the emulator's read accessors.

use serde_json::{Map, Value};

use super::{Asset, AssetKey, AssetKind};
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
        let html = |s: &str| serde_json::json!([{"type": "HTML", "value": s}]);
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
        // A smart list of its own, then one per smart campaign and one for the email program.
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
        let mut next = 10002;
        let campaigns: Vec<(i32, String, FolderRef)> = self
            .campaigns
            .values()
            .map(|c| (c.id, c.name.clone(), c.folder))
            .collect();
        for (id, name, folder) in campaigns {
            self.assets.insert(base(
                AssetKind::SmartList,
                next,
                &name,
                folder,
                demo_rules("Filled Out Form"),
            ));
            self.assets
                .mark_used(AssetKey::new(AssetKind::SmartList, next), campaign_user(id));
            next += 1;
        }
        let prog = FolderRef {
            id: 1005,
            kind: FolderKind::Program,
        };
        self.assets.insert(base(
            AssetKind::SmartList,
            next,
            "Demo Email Program",
            prog,
            demo_rules("Member of List"),
        ));
        self.assets.mark_used(
            AssetKey::new(AssetKind::SmartList, next),
            program_user(1005),
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
