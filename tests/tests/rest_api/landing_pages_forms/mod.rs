//! Area F end to end: landing pages (content sections, dynamic content,
//! variables, preview), landing page templates, redirect rules and domains
//! (`pages`), and forms with their fields (`forms`), every operation through
//! the generated client, results checked against the emulator's asset store.

mod forms;
mod pages;
mod templates;

use marketo_emulator::{Asset, AssetKind, Emulator};
use marketo_rest::types::{FolderReference, FolderType};

/// The asset `kind` `id` as the emulator holds it.
#[track_caller]
pub(crate) fn asset(emu: &Emulator, kind: AssetKind, id: i32) -> Asset {
    emu.assets(kind)
        .into_iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("{kind:?} {id} is in the store"))
}

/// Whether the emulator holds asset `kind` `id`.
pub(crate) fn exists(emu: &Emulator, kind: AssetKind, id: i32) -> bool {
    emu.assets(kind).iter().any(|a| a.id == id)
}

/// A folder reference.
pub(crate) fn folder(id: i32) -> FolderReference {
    FolderReference::new(id, FolderType::Folder)
}

/// The demo "Landing Pages" folder of Design Studio.
pub(crate) const LP_FOLDER: i32 = 21;
/// Demo guided template (approved), free-form template (approved), draft template.
pub(crate) const GUIDED_TPL: i32 = 8801;
pub(crate) const FREE_TPL: i32 = 8802;
pub(crate) const DRAFT_TPL: i32 = 8803;
/// Demo guided page (approved, uses form 9001) and free-form page (draft).
pub(crate) const GUIDED_LP: i32 = 8501;
pub(crate) const FREE_LP: i32 = 8502;
/// Demo contact form (approved) and event form (draft, in program 1001).
pub(crate) const CONTACT_FORM: i32 = 9001;
pub(crate) const EVENT_FORM: i32 = 9002;
