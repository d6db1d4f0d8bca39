//! The generic record store: one [`ObjectType`] descriptor and its records serve
//! describe, fields, sync, delete and query for every Lead Database object
//! (companies, opportunities, roles, named accounts and lists, sales persons,
//! program members, custom objects).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use crate::rest::{ApiError, reason};
use crate::util;

/// Metadata of one field.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FieldDef {
    pub(crate) name: String,
    pub(crate) display_name: String,
    pub(crate) data_type: String,
    pub(crate) length: Option<i32>,
    pub(crate) updateable: bool,
    pub(crate) custom: bool,
    pub(crate) hidden: bool,
    pub(crate) description: Option<String>,
}

impl FieldDef {
    /// A standard field.
    pub(crate) fn new(name: &str, display: &str, data_type: &str, updateable: bool) -> Self {
        let length = match data_type {
            "string" | "email" | "url" | "phone" => Some(255),
            _ => None,
        };
        FieldDef {
            name: name.to_owned(),
            display_name: display.to_owned(),
            data_type: data_type.to_owned(),
            length,
            updateable,
            custom: false,
            hidden: false,
            description: None,
        }
    }

    /// The describe form.
    pub(crate) fn describe(&self) -> Value {
        let mut v = json!({
            "name": self.name,
            "displayName": self.display_name,
            "dataType": self.data_type,
            "updateable": self.updateable,
        });
        if let Some(l) = self.length {
            v["length"] = l.into();
        }
        if let Some(d) = &self.description {
            v["description"] = d.clone().into();
        }
        v
    }

    /// The form of the schema field calls.
    pub(crate) fn schema(&self, api_created: bool) -> Value {
        let mut v = json!({
            "displayName": self.display_name,
            "name": self.name,
            "description": self.description,
            "dataType": self.data_type,
            "isHidden": self.hidden,
            "isHtmlEncodingInEmail": matches!(self.data_type.as_str(), "string" | "text" | "url"),
            "isSensitive": false,
            "isCustom": self.custom,
            "isApiCreated": api_created && self.custom,
        });
        if let Some(l) = self.length {
            v["length"] = l.into();
        }
        v
    }
}

/// A link from one object to another.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Relationship {
    pub(crate) field: String,
    pub(crate) kind: &'static str,
    pub(crate) related_name: String,
    pub(crate) related_field: String,
}

/// Describes one object type: its keys, fields and links.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ObjectType {
    pub(crate) name: String,
    pub(crate) display_name: Option<String>,
    pub(crate) description: Option<String>,
    /// `id` (numeric ids) or `marketoGUID`.
    pub(crate) id_field: &'static str,
    pub(crate) dedupe: Vec<String>,
    pub(crate) searchable: Vec<Vec<String>>,
    pub(crate) fields: Vec<FieldDef>,
    pub(crate) relationships: Vec<Relationship>,
    /// Fields returned when a query names none (`None`: every populated field).
    pub(crate) default_fields: Option<Vec<String>>,
    /// Fields that must be set when a record is created.
    pub(crate) required: Vec<String>,
    /// Fields holding a lead id (followed on lead delete and merge).
    pub(crate) lead_fields: Vec<String>,
    /// The sync action when none is given.
    pub(crate) default_action: &'static str,
    /// A custom object type (describe lists `relationships` even when empty).
    pub(crate) custom: bool,
    pub(crate) created_at: OffsetDateTime,
}

impl ObjectType {
    /// The field of that name, compared without case.
    pub(crate) fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// The describe answer (`with_fields: false` for the custom object list call).
    pub(crate) fn describe(&self, with_fields: bool) -> Value {
        let mut v = json!({
            "name": self.name,
            "createdAt": util::rfc3339(self.created_at),
            "updatedAt": util::rfc3339(self.created_at),
            "idField": self.id_field,
            "dedupeFields": self.dedupe,
            "searchableFields": self.searchable,
        });
        if let Some(d) = &self.display_name {
            v["displayName"] = d.clone().into();
        }
        if let Some(d) = &self.description {
            v["description"] = d.clone().into();
        }
        if !self.relationships.is_empty() || self.custom {
            v["relationships"] = self.relationships.iter().map(Relationship::json).collect();
        }
        if with_fields {
            v["fields"] = self.fields.iter().map(FieldDef::describe).collect();
        }
        v
    }
}

impl Relationship {
    pub(crate) fn json(&self) -> Value {
        json!({
            "field": self.field,
            "type": self.kind,
            "relatedTo": {"name": self.related_name, "field": self.related_field},
        })
    }
}

/// One record.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Record {
    pub(crate) num: i64,
    pub(crate) guid: String,
    pub(crate) fields: Map<String, Value>,
    pub(crate) created_at: OffsetDateTime,
    pub(crate) updated_at: OffsetDateTime,
}

/// Text of a value for key comparison (numbers and booleans printed).
pub(crate) fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// What a query selects.
pub(crate) enum Filter {
    /// Records whose `field` is one of the values.
    Values(String, Vec<String>),
    /// Records matching every member of one of the key objects.
    Keys(Vec<Map<String, Value>>),
}

/// A type and its records.
#[derive(Clone, Debug)]
pub(crate) struct ObjectStore {
    pub(crate) ty: ObjectType,
    pub(crate) records: BTreeMap<i64, Record>,
    /// Prefix of generated GUIDs (keeps them distinct across types).
    pub(crate) guid_prefix: u32,
}

/// A GUID in UUID form, deterministic for a type prefix and a number.
pub(crate) fn guid(prefix: u32, n: i64) -> String {
    format!("{prefix:08x}-0000-4000-8000-{:012x}", n.unsigned_abs())
}

impl ObjectStore {
    pub(crate) fn new(ty: ObjectType, guid_prefix: u32) -> Self {
        ObjectStore {
            ty,
            records: BTreeMap::new(),
            guid_prefix,
        }
    }

    /// A field of a record, system fields included.
    pub(crate) fn value(&self, r: &Record, name: &str) -> Option<Value> {
        match name {
            "id" if self.ty.id_field == "id" => Some(r.num.into()),
            "marketoGUID" if self.ty.id_field == "marketoGUID" => Some(r.guid.clone().into()),
            "createdAt" => Some(util::rfc3339(r.created_at).into()),
            "updatedAt" => Some(util::rfc3339(r.updated_at).into()),
            _ => r
                .fields
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_null()),
        }
    }

    /// The record's identifier as result items carry it.
    pub(crate) fn ident(&self, r: &Record) -> (&'static str, Value) {
        if self.ty.id_field == "id" {
            ("id", r.num.into())
        } else {
            ("marketoGUID", r.guid.clone().into())
        }
    }

    /// Numbers of the records whose fields equal every member of `key`.
    pub(crate) fn find_key(&self, key: &Map<String, Value>) -> Vec<i64> {
        self.records
            .values()
            .filter(|r| {
                key.iter().all(|(k, v)| {
                    let want = text(v);
                    want.is_some() && self.value(r, k).as_ref().and_then(text) == want
                })
            })
            .map(|r| r.num)
            .collect()
    }

    /// The key members `mode` asks for, taken from an input record (`Err` names a missing one).
    pub(crate) fn key_of(
        &self,
        mode: &str,
        rec: &Map<String, Value>,
    ) -> Result<Map<String, Value>, String> {
        let names: Vec<String> = if mode == "idField" {
            vec![self.ty.id_field.to_owned()]
        } else {
            self.ty.dedupe.clone()
        };
        let mut key = Map::new();
        for n in names {
            match rec.iter().find(|(k, _)| k.eq_ignore_ascii_case(&n)) {
                Some((_, v)) if text(v).is_some_and(|t| !t.is_empty()) => {
                    key.insert(n, v.clone());
                }
                _ => return Err(n),
            }
        }
        Ok(key)
    }

    fn result(&self, seq: usize, status: &str, r: &Record) -> Value {
        let (k, v) = self.ident(r);
        json!({"seq": seq, "status": status, k: v})
    }

    /// Creates and updates records. `pre` holds a skip reason per input found by
    /// the caller (links to leads and other objects).
    pub(crate) fn sync(
        &mut self,
        action: &str,
        dedupe_by: &str,
        input: &[Value],
        pre: &[Option<Value>],
        next: &mut i64,
        now: OffsetDateTime,
    ) -> Result<Vec<Value>, ApiError> {
        check_mode(dedupe_by)?;
        if !matches!(action, "createOnly" | "updateOnly" | "createOrUpdate") {
            return Err(ApiError::new("1003", format!("Invalid action '{action}'")));
        }
        if dedupe_by == "idField" && action != "updateOnly" {
            return Err(ApiError::new(
                "1003",
                "dedupeBy idField is only allowed with action updateOnly",
            ));
        }
        let mut out = Vec::with_capacity(input.len());
        for (seq, item) in input.iter().enumerate() {
            let skip = |code: &str, msg: &str| json!({"seq": seq, "status": "skipped", "reasons": [reason(code, msg)]});
            let Some(rec) = item.as_object() else {
                out.push(skip("1003", "Invalid record"));
                continue;
            };
            if let Some(Some(r)) = pre.get(seq) {
                out.push(json!({"seq": seq, "status": "skipped", "reasons": [r]}));
                continue;
            }
            if let Some(bad) = rec
                .keys()
                .find(|k| self.ty.field(k).is_none() && *k != "seq")
            {
                out.push(skip("1006", &format!("Field '{bad}' not found")));
                continue;
            }
            let key = match self.key_of(dedupe_by, rec) {
                Ok(k) => k,
                Err(f) => {
                    out.push(skip(
                        "1003",
                        &format!("Value for required field '{f}' not specified"),
                    ));
                    continue;
                }
            };
            let found = self.find_key(&key);
            let values: Map<String, Value> = rec
                .iter()
                .filter(|(k, _)| {
                    !matches!(k.as_str(), "seq" | "createdAt" | "updatedAt")
                        && !k.eq_ignore_ascii_case(self.ty.id_field)
                })
                .map(|(k, v)| {
                    let name = self.ty.field(k).map_or(k.clone(), |f| f.name.clone());
                    (name, v.clone())
                })
                .collect();
            match (found.as_slice(), action) {
                ([_, _, ..], _) => out.push(skip("1007", "Multiple records match the key")),
                ([n], "createOnly") => {
                    let _ = n;
                    out.push(skip("1005", "Record already exists"));
                }
                ([n], _) => {
                    let r = self.records.get_mut(n).expect("found record");
                    for (k, v) in values {
                        r.fields.insert(k, v);
                    }
                    r.updated_at = now;
                    let r = r.clone();
                    out.push(self.result(seq, "updated", &r));
                }
                ([], "updateOnly") => out.push(skip("1013", "Record not found")),
                ([], _) => {
                    if let Some(f) = self
                        .ty
                        .required
                        .iter()
                        .find(|f| values.get(*f).is_none_or(Value::is_null))
                    {
                        out.push(skip(
                            "1003",
                            &format!("Value for required field '{f}' not specified"),
                        ));
                        continue;
                    }
                    let r = self.insert(values, next, now);
                    out.push(self.result(seq, "created", &r));
                }
            }
        }
        Ok(out)
    }

    /// Adds a record with the next number.
    pub(crate) fn insert(
        &mut self,
        fields: Map<String, Value>,
        next: &mut i64,
        now: OffsetDateTime,
    ) -> Record {
        let num = *next;
        *next += 1;
        let r = Record {
            num,
            guid: guid(self.guid_prefix, num),
            fields,
            created_at: now,
            updated_at: now,
        };
        self.records.insert(num, r.clone());
        r
    }

    /// Deletes records by key; 1013 for a key that matches nothing.
    pub(crate) fn delete(
        &mut self,
        delete_by: &str,
        input: &[Value],
    ) -> Result<(Vec<Value>, Vec<Record>), ApiError> {
        check_mode(delete_by)?;
        let mut out = Vec::new();
        let mut gone = Vec::new();
        for (seq, item) in input.iter().enumerate() {
            let key = item
                .as_object()
                .ok_or_else(|| "input".to_owned())
                .and_then(|rec| self.key_of(delete_by, rec));
            let found = match key {
                Ok(k) => self.find_key(&k),
                Err(f) => {
                    out.push(json!({"seq": seq, "status": "skipped", "reasons": [reason("1003", &format!("Value for required field '{f}' not specified"))]}));
                    continue;
                }
            };
            if found.is_empty() {
                out.push(json!({"seq": seq, "status": "skipped", "reasons": [reason("1013", "Record not found")]}));
                continue;
            }
            for n in found {
                if let Some(r) = self.records.remove(&n) {
                    out.push(self.result(seq, "deleted", &r));
                    gone.push(r);
                }
            }
        }
        Ok((out, gone))
    }

    /// The records a filter selects, in store order (`scope` keeps only those
    /// whose field equals a value first).
    pub(crate) fn select(
        &self,
        filter: &Filter,
        scope: Option<(&str, &str)>,
    ) -> Result<Vec<&Record>, ApiError> {
        let in_scope = |r: &Record| {
            scope
                .is_none_or(|(f, v)| self.value(r, f).as_ref().and_then(text).as_deref() == Some(v))
        };
        let matches: Vec<&Record> = match filter {
            Filter::Values(field, values) => {
                let field = self.resolve_filter(field)?;
                if values.len() > 300 {
                    return Err(ApiError::new(
                        "1003",
                        "filterValues may hold at most 300 values",
                    ));
                }
                self.records
                    .values()
                    .filter(|r| in_scope(r))
                    .filter(|r| {
                        self.value(r, &field)
                            .as_ref()
                            .and_then(text)
                            .is_some_and(|t| values.iter().any(|v| v.trim() == t))
                    })
                    .collect()
            }
            Filter::Keys(keys) => {
                let mut nums: Vec<i64> = keys.iter().flat_map(|k| self.find_key(k)).collect();
                nums.sort_unstable();
                nums.dedup();
                nums.iter()
                    .filter_map(|n| self.records.get(n))
                    .filter(|r| in_scope(r))
                    .collect()
            }
        };
        Ok(matches)
    }

    /// A filterType resolved to one field (1003 when not searchable).
    fn resolve_filter(&self, filter_type: &str) -> Result<String, ApiError> {
        let bad = || ApiError::new("1003", format!("Invalid filterType '{filter_type}'"));
        match filter_type {
            "idField" => Ok(self.ty.id_field.to_owned()),
            "dedupeFields" => match self.ty.dedupe.as_slice() {
                [one] => Ok(one.clone()),
                _ => Err(bad()),
            },
            f => self
                .ty
                .searchable
                .iter()
                .filter(|s| s.len() == 1)
                .chain(std::iter::once(&self.ty.dedupe).filter(|d| d.len() == 1))
                .flatten()
                .find(|s| s.eq_ignore_ascii_case(f))
                .cloned()
                .ok_or_else(bad),
        }
    }

    /// A record as a query returns it: `fields` (checked against the type) or the defaults.
    pub(crate) fn render(&self, r: &Record, fields: Option<&[String]>, seq: usize) -> Value {
        let mut out = Map::new();
        out.insert("seq".into(), seq.into());
        let (k, v) = self.ident(r);
        out.insert(k.into(), v);
        let names: Vec<String> = match (fields, &self.ty.default_fields) {
            (Some(f), _) => f.to_vec(),
            (None, Some(d)) => d.clone(),
            (None, None) => {
                let mut all: Vec<String> = r.fields.keys().cloned().collect();
                all.extend(["createdAt".to_owned(), "updatedAt".to_owned()]);
                all
            }
        };
        for n in names {
            let name = self.ty.field(&n).map_or(n.clone(), |f| f.name.clone());
            if let Some(v) = self.value(r, &name) {
                out.insert(name, v);
            }
        }
        Value::Object(out)
    }

    /// 1006 for a requested field the type does not have.
    pub(crate) fn check_fields(&self, fields: &[String]) -> Result<(), ApiError> {
        match fields.iter().find(|f| self.ty.field(f).is_none()) {
            Some(f) => Err(ApiError::new("1006", format!("Field '{f}' not found"))),
            None => Ok(()),
        }
    }
}

/// 1003 unless the key mode is `dedupeFields` or `idField`.
fn check_mode(mode: &str) -> Result<(), ApiError> {
    if matches!(mode, "dedupeFields" | "idField") {
        Ok(())
    } else {
        Err(ApiError::new("1003", format!("Invalid key mode '{mode}'")))
    }
}

/// One page of items: `(items, nextPageToken)`; the token is the next offset,
/// opaque to clients.
pub(crate) fn page<T: Clone>(
    items: &[T],
    batch: usize,
    token: Option<&str>,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    let start = match token {
        None => 0,
        Some(t) => t
            .strip_prefix("LOBJ")
            .and_then(|n| usize::from_str_radix(n, 16).ok())
            .ok_or_else(|| ApiError::new("1003", "Invalid nextPageToken"))?,
    };
    let end = start.saturating_add(batch).min(items.len());
    let slice = items
        .get(start.min(items.len())..end)
        .unwrap_or_default()
        .to_vec();
    let next = (end < items.len()).then(|| format!("LOBJ{end:08X}"));
    Ok((slice, next))
}
