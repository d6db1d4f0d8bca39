//! Folders of Marketing Activities and Design Studio: the two root areas and the demo tree.

use time::OffsetDateTime;

use super::{DEMO_TIME, State};

/// Whether a folder reference points at a folder or at a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

impl State {
    /// The two root areas every instance has.
    pub(super) fn seed_root_folders(&mut self) {
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
    }

    /// The demo folder tree.
    pub(super) fn seed_demo_folders(&mut self) {
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
            (22, "Snippets", 2, "Snippet", false, false),
            (23, "Images and Files", 2, "Image", false, false),
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
}
