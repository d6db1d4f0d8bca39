//! Unit tests of the shared asset model's lifecycle rules.

use super::*;
use crate::rest::ApiError;
use crate::state::FolderKind;
use serde_json::json;

fn t() -> OffsetDateTime {
    crate::state::DEMO_TIME
}

fn folder(id: i32) -> FolderRef {
    FolderRef {
        id,
        kind: FolderKind::Folder,
    }
}

fn new(name: &str, f: i32, refs: Vec<AssetKey>) -> NewAsset {
    NewAsset {
        name: name.into(),
        folder: Some(folder(f)),
        workspace: "Default".into(),
        content: json!({"html": name}),
        refs,
        ..NewAsset::default()
    }
}

fn code<T: std::fmt::Debug>(r: Result<T, ApiError>) -> &'static str {
    r.expect_err("an error").code
}

#[test]
fn names_are_unique_in_their_scope() {
    let mut s = AssetStore::default();
    let e = s
        .create(AssetKind::Email, new("a", 20, vec![]), t())
        .unwrap()
        .id;
    assert_eq!(e, AssetKind::Email.first_id());
    // Emails: per folder.
    assert_eq!(
        code(s.create(AssetKind::Email, new("a", 20, vec![]), t())),
        "709"
    );
    s.create(AssetKind::Email, new("a", 21, vec![]), t())
        .unwrap();
    // Templates: instance-wide.
    s.create(AssetKind::EmailTemplate, new("t", 20, vec![]), t())
        .unwrap();
    assert_eq!(
        code(s.create(AssetKind::EmailTemplate, new("t", 21, vec![]), t())),
        "709"
    );
    assert_eq!(
        code(s.create(AssetKind::Email, new(" ", 20, vec![]), t())),
        "701"
    );
    // Renaming onto a taken name.
    let upd = MetaUpdate {
        name: Some("a".into()),
        ..MetaUpdate::default()
    };
    let other = s
        .create(AssetKind::Email, new("b", 20, vec![]), t())
        .unwrap()
        .id;
    assert_eq!(
        code(s.update_meta(AssetKind::Email, other, upd, t())),
        "709"
    );
    assert_eq!(
        s.by_name(AssetKind::Email, "a", Some(folder(21)))
            .unwrap()
            .folder,
        folder(21)
    );
}

#[test]
fn approval_lifecycle_and_dependencies() {
    let mut s = AssetStore::default();
    let tpl = s
        .create(AssetKind::EmailTemplate, new("t", 20, vec![]), t())
        .unwrap()
        .key();
    let em = s
        .create(AssetKind::Email, new("e", 20, vec![tpl]), t())
        .unwrap()
        .id;
    assert_eq!(
        s.get(AssetKind::Email, em).unwrap().status(),
        AssetStatus::Draft
    );
    // The template must be approved first.
    assert_eq!(code(s.approve(AssetKind::Email, em, t())), "709");
    s.approve(tpl.kind, tpl.id, t()).unwrap();
    let a = s.approve(AssetKind::Email, em, t()).unwrap();
    assert_eq!(a.status(), AssetStatus::Approved);
    assert_eq!(a.version, 2);
    // No draft: approving again is 709, so is discarding.
    assert_eq!(code(s.approve(AssetKind::Email, em, t())), "709");
    assert_eq!(code(s.discard_draft(AssetKind::Email, em, t())), "709");
    // An edit makes a draft; discarding it restores the live content.
    s.update_content(AssetKind::Email, em, json!({"html": "new"}), None, t())
        .unwrap();
    let a = s.get(AssetKind::Email, em).unwrap();
    assert_eq!(a.status(), AssetStatus::ApprovedWithDraft);
    assert!(a.has_version(VersionFilter::Draft) && a.has_version(VersionFilter::Approved));
    let a = s.discard_draft(AssetKind::Email, em, t()).unwrap();
    assert_eq!(a.content, json!({"html": "e"}));
    // The template is used: no unapprove, no delete.
    assert_eq!(s.used_by(tpl), vec![format!("email {em}")]);
    assert_eq!(
        s.dependencies(AssetKey::new(AssetKind::Email, em)),
        vec![tpl]
    );
    assert_eq!(code(s.unapprove(tpl.kind, tpl.id, t())), "709");
    assert_eq!(code(s.delete(tpl.kind, tpl.id)), "709");
    // The email: unapprove, then delete; then the template is free.
    assert_eq!(code(s.delete(AssetKind::Email, em)), "709");
    s.unapprove(AssetKind::Email, em, t()).unwrap();
    assert_eq!(code(s.unapprove(AssetKind::Email, em, t())), "709");
    s.delete(AssetKind::Email, em).unwrap();
    assert_eq!(code(s.get(AssetKind::Email, em)), "702");
    s.unapprove(tpl.kind, tpl.id, t()).unwrap();
    s.delete(tpl.kind, tpl.id).unwrap();
}

#[test]
fn external_uses_hooks_and_non_approvable_kinds() {
    let mut s = AssetStore::default();
    let sl = s
        .create(AssetKind::SmartList, new("sl", 20, vec![]), t())
        .unwrap()
        .key();
    assert_eq!(s.get(sl.kind, sl.id).unwrap().status(), AssetStatus::None);
    assert_eq!(code(s.approve(sl.kind, sl.id, t())), "709");
    s.mark_used(sl, "smart campaign 2001");
    assert_eq!(code(s.delete(sl.kind, sl.id)), "709");
    s.unmark_used(sl, "smart campaign 2001");
    s.delete(sl.kind, sl.id).unwrap();
    // Forms may be deleted while approved.
    let f = s
        .create(AssetKind::Form, new("f", 20, vec![]), t())
        .unwrap()
        .id;
    s.approve(AssetKind::Form, f, t()).unwrap();
    s.delete(AssetKind::Form, f).unwrap();
    // A hook vetoes approval.
    fn needs_subject(_: &AssetStore, a: &Asset) -> Result<(), ApiError> {
        match a.meta_str("subject") {
            Some(_) => Ok(()),
            None => Err(ApiError::new("709", "subject missing")),
        }
    }
    s.set_approve_hook(AssetKind::Snippet, needs_subject);
    let sn = s
        .create(AssetKind::Snippet, new("sn", 20, vec![]), t())
        .unwrap()
        .id;
    assert_eq!(code(s.approve(AssetKind::Snippet, sn, t())), "709");
    let mut upd = MetaUpdate::default();
    upd.meta.insert("subject".into(), json!("x"));
    s.update_meta(AssetKind::Snippet, sn, upd, t()).unwrap();
    s.approve(AssetKind::Snippet, sn, t()).unwrap();
}

#[test]
fn browse_clone_and_program_ownership() {
    let mut s = AssetStore::default();
    for n in ["a", "b", "c"] {
        s.create(AssetKind::Snippet, new(n, 20, vec![]), t())
            .unwrap();
    }
    let first = AssetKind::Snippet.first_id();
    s.approve(AssetKind::Snippet, first, t()).unwrap();
    let q = BrowseQuery {
        offset: 1,
        max: 1,
        ..BrowseQuery::default()
    };
    assert_eq!(s.browse(AssetKind::Snippet, &q)[0].name, "b");
    let q = BrowseQuery {
        status: Some(VersionFilter::Approved),
        ..BrowseQuery::default()
    };
    assert_eq!(s.browse(AssetKind::Snippet, &q).len(), 1);
    let c = s
        .clone_asset(AssetKind::Snippet, first, new("a copy", 21, vec![]), t())
        .unwrap();
    assert_eq!(c.status(), AssetStatus::Draft);
    assert_eq!(c.content, json!({"html": "a"}));
    // Program assets: cloned with remapped references, removed with the program.
    let p = FolderRef {
        id: 1001,
        kind: FolderKind::Program,
    };
    let in_prog = |s: &mut AssetStore, kind, name: &str, refs| {
        let mut n = new(name, 0, refs);
        n.folder = Some(p);
        s.create(kind, n, t()).unwrap().key()
    };
    let tpl = in_prog(&mut s, AssetKind::EmailTemplate, "pt", vec![]);
    let em = in_prog(&mut s, AssetKind::Email, "pe", vec![tpl]);
    let _ = em;
    s.clone_program_assets(1001, 1006, "Default", t());
    let copies = s.in_program(1006);
    assert_eq!(copies.len(), 2);
    let copy_email = copies.iter().find(|a| a.kind == AssetKind::Email).unwrap();
    let copy_tpl = copies
        .iter()
        .find(|a| a.kind == AssetKind::EmailTemplate)
        .unwrap();
    assert_eq!(copy_email.refs, vec![copy_tpl.key()]);
    s.remove_in_program(1006);
    assert!(s.in_program(1006).is_empty());
    assert_eq!(s.in_program(1001).len(), 2);
}

#[test]
fn browse_filters_by_update_time_before_paging() {
    let mut s = AssetStore::default();
    let hour = time::Duration::hours(1);
    for (i, n) in ["early", "middle", "late"].into_iter().enumerate() {
        let at = t() + hour * i32::try_from(i).unwrap();
        s.create(AssetKind::Email, new(n, 20, vec![]), at).unwrap();
    }
    let names = |q: &BrowseQuery| -> Vec<String> {
        s.browse(AssetKind::Email, q)
            .into_iter()
            .map(|a| a.name.clone())
            .collect()
    };
    let window = BrowseQuery {
        earliest_updated_at: Some(t() + hour),
        latest_updated_at: Some(t() + hour * 2),
        ..BrowseQuery::default()
    };
    assert_eq!(names(&window), ["middle", "late"]);
    let paged = BrowseQuery {
        offset: 1,
        ..window.clone()
    };
    assert_eq!(names(&paged), ["late"]);
    let until = BrowseQuery {
        latest_updated_at: Some(t()),
        ..BrowseQuery::default()
    };
    assert_eq!(names(&until), ["early"]);
    // A kind's own filter applies before paging too.
    let kept = s.browse_where(AssetKind::Email, &window, |a| a.name != "middle");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].name, "late");
}
