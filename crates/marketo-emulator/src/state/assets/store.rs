//! The store of the shared asset model and its lifecycle operations.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use time::OffsetDateTime;

use super::{
    Asset, AssetKey, AssetKind, AssetStatus, BrowseQuery, MAX_ASSET_NAME, MetaUpdate, MyToken,
    NameScope, NewAsset,
};
use crate::rest::ApiError;
use crate::state::{FolderKind, FolderRef};

/// A kind's extra condition for approval.
pub type ApproveHook = fn(&AssetStore, &Asset) -> Result<(), ApiError>;

/// Every asset of the instance.
#[derive(Debug, Default)]
pub struct AssetStore {
    assets: BTreeMap<AssetKey, Asset>,
    next_ids: BTreeMap<AssetKind, i32>,
    external_uses: BTreeMap<AssetKey, BTreeSet<String>>,
    approve_hooks: BTreeMap<AssetKind, ApproveHook>,
    tokens: BTreeMap<FolderRef, Vec<MyToken>>,
}

fn not_found(key: AssetKey) -> ApiError {
    ApiError::new("702", format!("{} {} not found", key.kind.label(), key.id))
}

fn rule(message: impl Into<String>) -> ApiError {
    ApiError::new("709", message)
}

#[allow(
    dead_code,
    reason = "kernel API: some methods serve only other areas' kind modules"
)]
impl AssetStore {
    /// Installs the approval condition of a kind.
    pub fn set_approve_hook(&mut self, kind: AssetKind, hook: ApproveHook) {
        self.approve_hooks.insert(kind, hook);
    }

    /// Next id of a kind (consumed).
    fn next_id(&mut self, kind: AssetKind) -> i32 {
        let n = self.next_ids.entry(kind).or_insert_with(|| kind.first_id());
        let id = *n;
        *n += 1;
        id
    }

    /// Inserts (or replaces) an asset as is: demo data and kind modules.
    pub fn insert(&mut self, a: Asset) {
        let n = self
            .next_ids
            .entry(a.kind)
            .or_insert_with(|| a.kind.first_id());
        if *n <= a.id {
            *n = a.id + 1;
        }
        self.assets.insert(a.key(), a);
    }

    /// Inserts an asset under the next id of its kind (no name check); its key.
    pub fn insert_new(&mut self, mut a: Asset) -> AssetKey {
        a.id = self.next_id(a.kind);
        let key = a.key();
        self.assets.insert(key, a);
        key
    }

    /// One asset (702 when absent).
    pub fn get(&self, kind: AssetKind, id: i32) -> Result<&Asset, ApiError> {
        let key = AssetKey::new(kind, id);
        self.assets.get(&key).ok_or_else(|| not_found(key))
    }

    /// One asset, mutable (702 when absent). Callers set `updated_at` themselves.
    pub fn get_mut(&mut self, kind: AssetKind, id: i32) -> Result<&mut Asset, ApiError> {
        let key = AssetKey::new(kind, id);
        self.assets.get_mut(&key).ok_or_else(|| not_found(key))
    }

    /// Every asset of a kind, by id.
    pub fn all(&self, kind: AssetKind) -> impl Iterator<Item = &Asset> {
        self.assets
            .range(AssetKey::new(kind, i32::MIN)..=AssetKey::new(kind, i32::MAX))
            .map(|(_, a)| a)
    }

    /// The asset of a kind with this exact name (optionally under this parent).
    pub fn by_name(
        &self,
        kind: AssetKind,
        name: &str,
        folder: Option<FolderRef>,
    ) -> Option<&Asset> {
        self.all(kind)
            .find(|a| a.name == name && folder.is_none_or(|f| a.folder == f))
    }

    /// A page of a kind's assets, in id order.
    pub fn browse(&self, kind: AssetKind, q: &BrowseQuery) -> Vec<&Asset> {
        self.browse_where(kind, q, |_| true)
    }

    /// [`Self::browse`] with a kind's own filter too, applied before paging.
    pub fn browse_where(
        &self,
        kind: AssetKind,
        q: &BrowseQuery,
        keep: impl Fn(&Asset) -> bool,
    ) -> Vec<&Asset> {
        let max = if q.max == 0 { usize::MAX } else { q.max };
        self.all(kind)
            .filter(|a| q.status.is_none_or(|s| a.has_version(s)))
            .filter(|a| q.folder.is_none_or(|f| a.folder == f))
            .filter(|a| q.earliest_updated_at.is_none_or(|t| a.updated_at >= t))
            .filter(|a| q.latest_updated_at.is_none_or(|t| a.updated_at <= t))
            .filter(|a| keep(a))
            .skip(q.offset)
            .take(max)
            .collect()
    }

    /// 709 when `name` is taken in the kind's scope (by another asset than `except`).
    pub fn check_name(
        &self,
        kind: AssetKind,
        name: &str,
        folder: FolderRef,
        except: Option<i32>,
    ) -> Result<(), ApiError> {
        if name.trim().is_empty() {
            return Err(ApiError::new("701", "name cannot be blank"));
        }
        if name.chars().count() > MAX_ASSET_NAME {
            return Err(ApiError::new(
                "1003",
                format!("Name is too long: at most {MAX_ASSET_NAME} characters"),
            ));
        }
        let scope = kind.name_scope();
        let taken = self.all(kind).any(|a| {
            Some(a.id) != except
                && a.name == name
                && match scope {
                    NameScope::Global => true,
                    NameScope::Folder => a.folder == folder,
                    NameScope::None => false,
                }
        });
        if taken {
            return Err(rule(format!(
                "{} name '{name}' is already in use",
                kind.label()
            )));
        }
        Ok(())
    }

    fn check_refs(&self, refs: &[AssetKey]) -> Result<(), ApiError> {
        match refs.iter().find(|k| !self.assets.contains_key(k)) {
            Some(k) => Err(not_found(*k)),
            None => Ok(()),
        }
    }

    /// Creates an asset (draft when approvable).
    pub fn create(
        &mut self,
        kind: AssetKind,
        new: NewAsset,
        now: OffsetDateTime,
    ) -> Result<&Asset, ApiError> {
        let folder = new
            .folder
            .ok_or_else(|| ApiError::new("701", "folder cannot be blank"))?;
        self.check_name(kind, &new.name, folder, None)?;
        self.check_refs(&new.refs)?;
        let id = self.next_id(kind);
        let a = Asset {
            id,
            kind,
            name: new.name,
            description: new.description,
            folder,
            workspace: new.workspace,
            created_at: now,
            updated_at: now,
            meta: new.meta,
            content: new.content,
            approved: None,
            has_draft: false,
            refs: new.refs,
            approved_refs: Vec::new(),
            version: 1,
        };
        let key = a.key();
        self.assets.insert(key, a);
        self.get(kind, id)
    }

    /// Marks an approved asset as having a draft when the kind works that way.
    fn start_draft(a: &mut Asset) {
        if a.kind.edits_make_draft() && a.approved.is_some() {
            a.has_draft = true;
        }
    }

    /// Updates name, description and metadata.
    pub fn update_meta(
        &mut self,
        kind: AssetKind,
        id: i32,
        upd: MetaUpdate,
        now: OffsetDateTime,
    ) -> Result<&Asset, ApiError> {
        let folder = self.get(kind, id)?.folder;
        if let Some(n) = &upd.name {
            self.check_name(kind, n, folder, Some(id))?;
        }
        let a = self.get_mut(kind, id)?;
        if let Some(n) = upd.name {
            a.name = n;
        }
        if let Some(d) = upd.description {
            a.description = Some(d);
        }
        a.meta.extend(upd.meta);
        Self::start_draft(a);
        a.updated_at = now;
        Ok(a)
    }

    /// Replaces the working content (and its references when given).
    pub fn update_content(
        &mut self,
        kind: AssetKind,
        id: i32,
        content: Value,
        refs: Option<Vec<AssetKey>>,
        now: OffsetDateTime,
    ) -> Result<&Asset, ApiError> {
        self.get(kind, id)?;
        if let Some(r) = &refs {
            self.check_refs(r)?;
        }
        let a = self.get_mut(kind, id)?;
        a.content = content;
        if let Some(r) = refs {
            a.refs = r;
        }
        Self::start_draft(a);
        a.updated_at = now;
        Ok(a)
    }

    /// Approves the draft.
    pub fn approve(
        &mut self,
        kind: AssetKind,
        id: i32,
        now: OffsetDateTime,
    ) -> Result<&Asset, ApiError> {
        let a = self.get(kind, id)?;
        if !kind.approvable() {
            return Err(rule(format!("{} assets cannot be approved", kind.label())));
        }
        if a.status() == AssetStatus::Approved {
            return Err(rule(format!(
                "{} {id} has no draft to approve",
                kind.label()
            )));
        }
        for r in &a.refs {
            let dep = self.get(r.kind, r.id)?;
            if dep.kind.approvable() && dep.approved.is_none() {
                return Err(rule(format!(
                    "Cannot approve: {} {} is not approved",
                    dep.kind.label(),
                    dep.id
                )));
            }
        }
        if let Some(hook) = self.approve_hooks.get(&kind) {
            hook(self, a)?;
        }
        let a = self.get_mut(kind, id)?;
        a.approved = Some(a.content.clone());
        a.approved_refs = a.refs.clone();
        a.has_draft = false;
        a.version += 1;
        a.updated_at = now;
        Ok(a)
    }

    /// 709 when something uses the asset.
    pub fn check_unused(&self, key: AssetKey, action: &str) -> Result<(), ApiError> {
        let users = self.used_by(key);
        if let Some(u) = users.first() {
            return Err(rule(format!(
                "Cannot {action} {} {}: it is used by {u}",
                key.kind.label().to_lowercase(),
                key.id
            )));
        }
        Ok(())
    }

    /// Unapproves: back to a draft holding the last approved content.
    pub fn unapprove(
        &mut self,
        kind: AssetKind,
        id: i32,
        now: OffsetDateTime,
    ) -> Result<&Asset, ApiError> {
        let a = self.get(kind, id)?;
        if !kind.approvable() || a.approved.is_none() {
            return Err(rule(format!("{} {id} is not approved", kind.label())));
        }
        self.check_unused(a.key(), "unapprove")?;
        let a = self.get_mut(kind, id)?;
        if let Some(live) = a.approved.take() {
            a.content = live;
        }
        a.refs = std::mem::take(&mut a.approved_refs);
        a.has_draft = false;
        a.updated_at = now;
        Ok(a)
    }

    /// Discards the pending draft of an approved asset.
    pub fn discard_draft(
        &mut self,
        kind: AssetKind,
        id: i32,
        now: OffsetDateTime,
    ) -> Result<&Asset, ApiError> {
        let a = self.get_mut(kind, id)?;
        if a.status() != AssetStatus::ApprovedWithDraft {
            return Err(rule(format!(
                "{} {id} has no draft to discard",
                kind.label()
            )));
        }
        if let Some(live) = &a.approved {
            a.content = live.clone();
        }
        a.refs = a.approved_refs.clone();
        a.has_draft = false;
        a.updated_at = now;
        Ok(a)
    }

    /// Clones an asset (its working content) into `folder` under a new name; the clone is a draft.
    pub fn clone_asset(
        &mut self,
        kind: AssetKind,
        id: i32,
        new: NewAsset,
        now: OffsetDateTime,
    ) -> Result<&Asset, ApiError> {
        let src = self.get(kind, id)?.clone();
        let folder = new
            .folder
            .ok_or_else(|| ApiError::new("701", "folder cannot be blank"))?;
        self.check_name(kind, &new.name, folder, None)?;
        let mut meta = src.meta;
        meta.extend(new.meta);
        let new_id = self.next_id(kind);
        let a = Asset {
            id: new_id,
            name: new.name,
            description: new.description.or(src.description),
            folder,
            workspace: new.workspace,
            created_at: now,
            updated_at: now,
            meta,
            approved: None,
            has_draft: false,
            approved_refs: Vec::new(),
            version: 1,
            ..src
        };
        self.assets.insert(a.key(), a);
        self.get(kind, new_id)
    }

    /// Deletes an asset (refused while used, and while approved unless the kind allows it).
    pub fn delete(&mut self, kind: AssetKind, id: i32) -> Result<Asset, ApiError> {
        let a = self.get(kind, id)?;
        if kind.delete_requires_unapproved() && a.approved.is_some() {
            return Err(rule(format!(
                "{} {id} must be unapproved before it is deleted",
                kind.label()
            )));
        }
        self.check_unused(a.key(), "delete")?;
        let key = AssetKey::new(kind, id);
        self.external_uses.remove(&key);
        self.assets.remove(&key).ok_or_else(|| not_found(key))
    }

    /// The My Tokens set on a folder or program itself, by name.
    pub fn tokens(&self, owner: FolderRef) -> &[MyToken] {
        self.tokens.get(&owner).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Creates or replaces (same name) a token of a folder or program.
    pub fn set_token(&mut self, owner: FolderRef, token: MyToken) {
        let list = self.tokens.entry(owner).or_default();
        match list.iter_mut().find(|t| t.name == token.name) {
            Some(t) => *t = token,
            None => list.push(token),
        }
        list.sort_by(|a, b| a.name.cmp(&b.name));
    }

    /// Copies the tokens of one folder or program onto another (a program clone).
    pub fn copy_tokens(&mut self, from: FolderRef, to: FolderRef) {
        if let Some(list) = self.tokens.get(&from).cloned() {
            self.tokens.insert(to, list);
        }
    }

    /// Removes a token by name and type; whether it existed.
    pub fn remove_token(&mut self, owner: FolderRef, name: &str, token_type: &str) -> bool {
        let Some(list) = self.tokens.get_mut(&owner) else {
            return false;
        };
        let before = list.len();
        list.retain(|t| !(t.name == name && t.token_type == token_type));
        before != list.len()
    }

    /// Records that something outside the asset store uses an asset (`by` names it).
    pub fn mark_used(&mut self, key: AssetKey, by: impl Into<String>) {
        self.external_uses.entry(key).or_default().insert(by.into());
    }

    /// Drops such a record.
    pub fn unmark_used(&mut self, key: AssetKey, by: &str) {
        if let Some(s) = self.external_uses.get_mut(&key) {
            s.remove(by);
            if s.is_empty() {
                self.external_uses.remove(&key);
            }
        }
    }

    /// The assets an external user (`by`, as given to [`Self::mark_used`]) uses.
    pub fn used_by_external(&self, by: &str) -> Vec<AssetKey> {
        self.external_uses
            .iter()
            .filter(|(_, users)| users.contains(by))
            .map(|(k, _)| *k)
            .collect()
    }

    /// Who uses an asset: `Kind id` of referencing assets, then external users.
    pub fn used_by(&self, key: AssetKey) -> Vec<String> {
        let mut out: Vec<String> = self
            .assets
            .values()
            .filter(|a| a.key() != key && (a.refs.contains(&key) || a.approved_refs.contains(&key)))
            .map(|a| format!("{} {}", a.kind.label().to_lowercase(), a.id))
            .collect();
        if let Some(ext) = self.external_uses.get(&key) {
            out.extend(ext.iter().cloned());
        }
        out
    }

    /// The assets referencing an asset.
    pub fn referencing(&self, key: AssetKey) -> Vec<&Asset> {
        self.assets
            .values()
            .filter(|a| a.key() != key && (a.refs.contains(&key) || a.approved_refs.contains(&key)))
            .collect()
    }

    /// What an asset references (working and approved versions, deduplicated).
    pub fn dependencies(&self, key: AssetKey) -> Vec<AssetKey> {
        let Some(a) = self.assets.get(&key) else {
            return Vec::new();
        };
        let set: BTreeSet<AssetKey> = a.refs.iter().chain(&a.approved_refs).copied().collect();
        set.into_iter().collect()
    }

    /// Removes every asset whose parent is program `pid` (its deletion).
    pub fn remove_in_program(&mut self, pid: i32) {
        let prog = FolderRef {
            id: pid,
            kind: FolderKind::Program,
        };
        let gone: Vec<AssetKey> = self
            .assets
            .values()
            .filter(|a| a.folder == prog)
            .map(Asset::key)
            .collect();
        for k in gone {
            self.assets.remove(&k);
            self.external_uses.remove(&k);
        }
        self.tokens.remove(&prog);
    }

    /// The assets under program `pid`.
    pub fn in_program(&self, pid: i32) -> Vec<&Asset> {
        let prog = FolderRef {
            id: pid,
            kind: FolderKind::Program,
        };
        self.assets.values().filter(|a| a.folder == prog).collect()
    }

    /// Clones the assets of program `from` into program `to` (a program clone):
    /// same names, drafts, references between them pointing at the copies.
    /// Returns the key of each copy by the key of its source.
    pub fn clone_program_assets(
        &mut self,
        from: i32,
        to: i32,
        workspace: &str,
        now: OffsetDateTime,
    ) -> BTreeMap<AssetKey, AssetKey> {
        let sources: Vec<Asset> = self.in_program(from).into_iter().cloned().collect();
        let mut map: BTreeMap<AssetKey, AssetKey> = BTreeMap::new();
        for s in &sources {
            let id = self.next_id(s.kind);
            map.insert(s.key(), AssetKey::new(s.kind, id));
        }
        for s in sources {
            let key = map[&s.key()];
            let remap = |v: &[AssetKey]| -> Vec<AssetKey> {
                v.iter().map(|k| *map.get(k).unwrap_or(k)).collect()
            };
            let a = Asset {
                id: key.id,
                folder: FolderRef {
                    id: to,
                    kind: FolderKind::Program,
                },
                workspace: workspace.to_owned(),
                created_at: now,
                updated_at: now,
                approved: None,
                has_draft: false,
                refs: remap(&s.refs),
                approved_refs: Vec::new(),
                version: 1,
                ..s
            };
            self.assets.insert(key, a);
        }
        map
    }
}
