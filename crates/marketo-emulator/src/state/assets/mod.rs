//! The shared asset model of the Asset API: one record type and one store for
//! every Design Studio and Marketing Activities asset that is not a program,
//! a folder or a smart campaign (those keep their own records).
//!
//! # Records
//!
//! An [`Asset`] is identified by its [`AssetKind`] and an id ([`AssetKey`]);
//! ids are numbered per kind, as in Marketo (email 1 and landing page 1 are
//! two assets). Every asset has a name, a description, a parent
//! ([`FolderRef`]: folder or program), a workspace, creation and update
//! times, kind-specific metadata (`meta`, a JSON map rendered next to the
//! common members) and content (JSON, shaped by the kind's module).
//!
//! # Lifecycle
//!
//! Kinds with Marketo's draft/approval system ([`AssetKind::approvable`])
//! keep two versions: `approved` (the live content, if any) and `content`
//! (the working copy). The [`AssetStatus`] follows:
//!
//! - draft only: `approved` is `None`;
//! - approved: `approved` is set and there is no pending draft;
//! - approved with a draft: both, `has_draft` set.
//!
//! Rules (codes from Marketo's error-code page):
//!
//! - create and clone: the name must not be blank (701) and must be unique in
//!   its scope ([`NameScope`]: instance-wide or per parent folder), otherwise
//!   709; the parent must exist (710, checked by [`State::asset_parent`]);
//!   referenced assets must exist (702). Clones start as drafts.
//! - updating metadata or content of an approved asset creates a draft
//!   (for kinds whose [`AssetKind::edits_make_draft`] holds).
//! - approve: only approvable kinds (709), only when there is a draft (709:
//!   "approving an asset that has no draft"), only when every approvable
//!   asset the draft references is approved (709, e.g. an email's template),
//!   and only when the kind's hook ([`AssetStore::set_approve_hook`]) agrees.
//! - unapprove: only an approved asset (709) that nothing uses (709); the
//!   live version and any pending draft are dropped, leaving the last
//!   approved content as a draft.
//! - discard draft: only an approved asset with a draft (709).
//! - delete: refused while the asset is used (709) and, except for forms,
//!   while it is approved (709).
//!
//! "Used" means referenced by another asset (its `refs`, e.g. an email
//! referencing its template, a landing page its form) or marked used by
//! another part of the instance ([`AssetStore::mark_used`], e.g. a smart
//! campaign's flow). [`AssetStore::used_by`] and
//! [`AssetStore::dependencies`] answer both directions.
//!
//! Programs own the assets whose parent is the program: deleting a program
//! deletes them ([`AssetStore::remove_in_program`]) and cloning a program
//! clones them, references between them remapped
//! ([`AssetStore::clone_program_assets`]).
//!
//! Static lists: the Asset API's static lists are the lead database's lists
//! (`State::lists`, members there); this store keeps only their asset
//! metadata, under the same id ([`AssetKind::StaticList`]).

use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::FolderRef;

mod demo;
mod store;

#[allow(unused_imports, reason = "kernel API for the kind modules")]
pub(crate) use demo::{campaign_user, program_user};
#[allow(unused_imports, reason = "kernel API for the kind modules")]
pub(crate) use store::{ApproveHook, AssetStore};

/// Longest asset name accepted.
pub const MAX_ASSET_NAME: usize = 255;

/// The asset types of the shared model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AssetKind {
    /// An email.
    Email,
    /// An email template.
    EmailTemplate,
    /// A fragment (email module / reusable content of the v2 email endpoints).
    Fragment,
    /// A snippet.
    Snippet,
    /// A landing page.
    LandingPage,
    /// A landing page template.
    LandingPageTemplate,
    /// A landing page redirect rule.
    RedirectRule,
    /// A form.
    Form,
    /// A file of Design Studio.
    File,
    /// A smart list (including the smart list of a smart campaign).
    SmartList,
    /// A segmentation (its segments live in its content).
    Segmentation,
    /// Asset metadata of a static list (members stay in `State::lists`, same id).
    StaticList,
}

/// Where an asset name must be unique.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameScope {
    /// Across the instance.
    Global,
    /// Within the parent folder or program.
    Folder,
    /// Not checked.
    None,
}

impl AssetKind {
    /// Every kind.
    pub const ALL: [AssetKind; 12] = [
        AssetKind::Email,
        AssetKind::EmailTemplate,
        AssetKind::Fragment,
        AssetKind::Snippet,
        AssetKind::LandingPage,
        AssetKind::LandingPageTemplate,
        AssetKind::RedirectRule,
        AssetKind::Form,
        AssetKind::File,
        AssetKind::SmartList,
        AssetKind::Segmentation,
        AssetKind::StaticList,
    ];

    /// Human name used in messages (`Email template`, ...).
    pub fn label(self) -> &'static str {
        match self {
            AssetKind::Email => "Email",
            AssetKind::EmailTemplate => "Email template",
            AssetKind::Fragment => "Fragment",
            AssetKind::Snippet => "Snippet",
            AssetKind::LandingPage => "Landing page",
            AssetKind::LandingPageTemplate => "Landing page template",
            AssetKind::RedirectRule => "Redirect rule",
            AssetKind::Form => "Form",
            AssetKind::File => "File",
            AssetKind::SmartList => "Smart list",
            AssetKind::Segmentation => "Segmentation",
            AssetKind::StaticList => "Static list",
        }
    }

    /// Whether the kind has Marketo's draft/approved versions.
    pub fn approvable(self) -> bool {
        matches!(
            self,
            AssetKind::Email
                | AssetKind::EmailTemplate
                | AssetKind::Fragment
                | AssetKind::Snippet
                | AssetKind::LandingPage
                | AssetKind::LandingPageTemplate
                | AssetKind::Form
                | AssetKind::Segmentation
        )
    }

    /// Whether editing an approved asset creates a draft (otherwise edits go live).
    pub fn edits_make_draft(self) -> bool {
        self.approvable()
    }

    /// Whether an approved asset must be unapproved before deletion (not forms).
    pub fn delete_requires_unapproved(self) -> bool {
        self.approvable() && self != AssetKind::Form
    }

    /// Where names must be unique.
    pub fn name_scope(self) -> NameScope {
        match self {
            AssetKind::EmailTemplate
            | AssetKind::LandingPageTemplate
            | AssetKind::SmartList
            | AssetKind::Segmentation
            | AssetKind::StaticList
            | AssetKind::Snippet => NameScope::Global,
            AssetKind::RedirectRule => NameScope::None,
            _ => NameScope::Folder,
        }
    }

    /// First id handed out for the kind.
    pub fn first_id(self) -> i32 {
        match self {
            AssetKind::Email => 7001,
            AssetKind::EmailTemplate => 7501,
            AssetKind::Fragment => 7801,
            AssetKind::Snippet => 8001,
            AssetKind::LandingPage => 8501,
            AssetKind::LandingPageTemplate => 8801,
            AssetKind::RedirectRule => 8901,
            AssetKind::Form => 9001,
            AssetKind::File => 9501,
            AssetKind::SmartList => 10001,
            AssetKind::Segmentation => 11001,
            AssetKind::StaticList => 4001,
        }
    }
}

/// An asset's identity: its kind and its id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AssetKey {
    /// Kind.
    pub kind: AssetKind,
    /// Id (numbered per kind).
    pub id: i32,
}

impl AssetKey {
    /// The key of `kind` `id`.
    pub fn new(kind: AssetKind, id: i32) -> Self {
        Self { kind, id }
    }
}

/// The approval state of an asset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssetStatus {
    /// Never approved (or unapproved).
    Draft,
    /// Approved, no pending draft.
    Approved,
    /// Approved, with a pending draft.
    ApprovedWithDraft,
    /// The kind has no approval (files, lists, ...).
    None,
}

/// Which version a read asks for (the `status` parameter of get/browse calls).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionFilter {
    /// Assets that have a draft (draft-only or approved with a draft).
    Draft,
    /// Assets that have an approved version.
    Approved,
}

/// One asset.
#[derive(Clone, Debug, PartialEq)]
pub struct Asset {
    /// Id (per kind).
    pub id: i32,
    /// Kind.
    pub kind: AssetKind,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Parent folder or program.
    pub folder: FolderRef,
    /// Workspace name.
    pub workspace: String,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last update.
    pub updated_at: OffsetDateTime,
    /// Kind-specific metadata, rendered next to the common members.
    pub meta: Map<String, Value>,
    /// Working content (the draft for approvable kinds, the content otherwise).
    pub content: Value,
    /// Live content of an approved asset.
    pub approved: Option<Value>,
    /// Approved with a pending draft.
    pub has_draft: bool,
    /// Assets the working content references.
    pub refs: Vec<AssetKey>,
    /// Assets the approved content references.
    pub approved_refs: Vec<AssetKey>,
    /// Version number, bumped by every approval.
    pub version: u32,
}

impl Asset {
    /// The key of this asset.
    pub fn key(&self) -> AssetKey {
        AssetKey::new(self.kind, self.id)
    }

    /// Its approval state.
    pub fn status(&self) -> AssetStatus {
        if !self.kind.approvable() {
            AssetStatus::None
        } else {
            match (&self.approved, self.has_draft) {
                (None, _) => AssetStatus::Draft,
                (Some(_), false) => AssetStatus::Approved,
                (Some(_), true) => AssetStatus::ApprovedWithDraft,
            }
        }
    }

    /// Whether it matches a version filter.
    pub fn has_version(&self, v: VersionFilter) -> bool {
        matches!(
            (self.status(), v),
            (AssetStatus::None, _)
                | (
                    AssetStatus::Draft | AssetStatus::ApprovedWithDraft,
                    VersionFilter::Draft
                )
                | (
                    AssetStatus::Approved | AssetStatus::ApprovedWithDraft,
                    VersionFilter::Approved
                )
        )
    }

    /// The content of a version (the working copy when `None` or for the draft).
    pub fn content_of(&self, v: Option<VersionFilter>) -> &Value {
        match (v, &self.approved) {
            (Some(VersionFilter::Approved), Some(a)) => a,
            _ => &self.content,
        }
    }

    /// A metadata string.
    pub fn meta_str(&self, key: &str) -> Option<&str> {
        self.meta.get(key).and_then(Value::as_str)
    }
}

/// A My Token of a folder or program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MyToken {
    /// Name, without `{{my.` and `}}`.
    pub name: String,
    /// `date`, `number`, `rich text`, `score`, `sfdc campaign` or `text`.
    pub token_type: String,
    /// Value.
    pub value: String,
}

/// What a create call gives.
#[derive(Clone, Debug, Default)]
pub struct NewAsset {
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Parent (checked with [`State::asset_parent`] first).
    pub folder: Option<FolderRef>,
    /// Workspace (from the parent).
    pub workspace: String,
    /// Kind metadata.
    pub meta: Map<String, Value>,
    /// Initial content.
    pub content: Value,
    /// Assets referenced by the content.
    pub refs: Vec<AssetKey>,
}

/// A metadata update: only the `Some` parts change.
#[derive(Clone, Debug, Default)]
pub struct MetaUpdate {
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// Metadata members to set.
    pub meta: Map<String, Value>,
}

/// Filters and paging of a browse call.
#[derive(Clone, Debug, Default)]
pub struct BrowseQuery {
    /// Version filter.
    pub status: Option<VersionFilter>,
    /// Parent filter.
    pub folder: Option<FolderRef>,
    /// Only assets updated at or after this time (`earliestUpdatedAt`).
    pub earliest_updated_at: Option<OffsetDateTime>,
    /// Only assets updated at or before this time (`latestUpdatedAt`).
    pub latest_updated_at: Option<OffsetDateTime>,
    /// Records to skip.
    pub offset: usize,
    /// Records to return (0 = no limit).
    pub max: usize,
}

#[cfg(test)]
mod tests;
