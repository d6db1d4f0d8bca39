//! Custom object type admin: a type has an approved version, a draft, or both;
//! approving a draft (re)builds the record store's descriptor from it.

use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::{FieldDef, LeadObjects, ObjectStore, ObjectType, Relationship, custom_key};
use crate::rest::ApiError;
use crate::util;

/// The data types a custom object field may have.
pub(crate) const FIELD_DATA_TYPES: &[&str] = &[
    "string", "boolean", "integer", "float", "link", "email", "currency", "date", "datetime",
    "phone", "text",
];

/// At most this many custom object types.
const MAX_TYPES: usize = 10;
/// At most this many fields per type.
const MAX_FIELDS: usize = 50;

/// One field of a custom object type.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CoField {
    pub(crate) def: FieldDef,
    pub(crate) dedupe: bool,
    /// `(object, field)` of a link field.
    pub(crate) related_to: Option<(String, String)>,
}

/// One version (approved or draft) of a type.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CoVersion {
    pub(crate) display_name: String,
    pub(crate) plural_name: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) show_in_lead_detail: bool,
    pub(crate) fields: Vec<CoField>,
}

/// A custom object type.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CoType {
    pub(crate) api_name: String,
    pub(crate) approved: Option<CoVersion>,
    pub(crate) draft: Option<CoVersion>,
    /// Set when first approved.
    pub(crate) created_at: Option<OffsetDateTime>,
    pub(crate) updated_at: Option<OffsetDateTime>,
    /// Assets using the type (demo data).
    pub(crate) dependents: Vec<Value>,
}

fn system_fields() -> Vec<FieldDef> {
    let mut guid = FieldDef::new("marketoGUID", "Marketo GUID", "string", false);
    guid.length = Some(36);
    vec![
        guid,
        FieldDef::new("createdAt", "Created At", "datetime", false),
        FieldDef::new("updatedAt", "Updated At", "datetime", false),
    ]
}

impl CoVersion {
    fn dedupe(&self) -> Vec<String> {
        self.fields
            .iter()
            .filter(|f| f.dedupe)
            .map(|f| f.def.name.clone())
            .collect()
    }

    fn links(&self) -> impl Iterator<Item = &CoField> {
        self.fields.iter().filter(|f| f.related_to.is_some())
    }

    /// The record store descriptor of this version.
    pub(crate) fn object_type(&self, api_name: &str, created_at: OffsetDateTime) -> ObjectType {
        let dedupe = self.dedupe();
        let mut searchable = vec![dedupe.clone(), vec!["marketoGUID".to_owned()]];
        searchable.extend(self.links().map(|f| vec![f.def.name.clone()]));
        let relationships = self
            .links()
            .filter_map(|f| {
                let (name, field) = f.related_to.clone()?;
                Some(Relationship {
                    field: f.def.name.clone(),
                    kind: "child",
                    related_name: name,
                    related_field: field,
                })
            })
            .collect();
        let lead_fields = self
            .links()
            .filter(|f| {
                f.related_to
                    .as_ref()
                    .is_some_and(|(n, _)| n.eq_ignore_ascii_case("lead"))
            })
            .map(|f| f.def.name.clone())
            .collect();
        let mut fields = system_fields();
        fields.extend(self.fields.iter().map(|f| f.def.clone()));
        let mut default_fields = dedupe.clone();
        default_fields.extend(["createdAt".to_owned(), "updatedAt".to_owned()]);
        ObjectType {
            name: api_name.to_owned(),
            display_name: Some(self.display_name.clone()),
            description: self.description.clone(),
            id_field: "marketoGUID",
            dedupe,
            searchable,
            fields,
            relationships,
            default_fields: Some(default_fields),
            required: Vec::new(),
            lead_fields,
            default_action: "createOrUpdate",
            custom: true,
            created_at,
        }
    }
}

impl CoType {
    /// The overall state: `draft`, `approved` or `approvedWithDraft`.
    pub(crate) fn state(&self) -> &'static str {
        match (&self.approved, &self.draft) {
            (Some(_), Some(_)) => "approvedWithDraft",
            (Some(_), None) => "approved",
            _ => "draft",
        }
    }

    /// The type as the type admin calls print it, in the version `state` asks
    /// for (default: approved, else draft); `None` when it has no such version.
    pub(crate) fn json(&self, state: Option<&str>) -> Option<Value> {
        let (version, which) = match state {
            None => match &self.approved {
                Some(a) => (a, "approved"),
                None => (self.draft.as_ref()?, "draft"),
            },
            Some("approved") => (self.approved.as_ref()?, "approved"),
            Some("draft") => (self.draft.as_ref()?, "draft"),
            Some(_) => {
                self.approved.as_ref()?;
                (self.draft.as_ref()?, "draft")
            }
        };
        let t = version.object_type(
            &self.api_name,
            self.created_at.unwrap_or(OffsetDateTime::UNIX_EPOCH),
        );
        let mut fields: Vec<Value> = t.fields.iter().map(FieldDef::describe).collect();
        for f in &mut fields {
            f["crmManaged"] = false.into();
        }
        let never_approved = self.created_at.is_none();
        Some(json!({
            "state": self.state(),
            "version": which,
            "displayName": version.display_name,
            "pluralName": version.plural_name,
            "description": version.description,
            "showInLeadDetail": version.show_in_lead_detail,
            "apiName": self.api_name,
            "idField": if never_approved { Value::Null } else { "marketoGUID".into() },
            "createdAt": self.created_at.map(util::rfc3339),
            "updatedAt": self.updated_at.map(util::rfc3339),
            "dedupeFields": t.dedupe,
            "searchableFields": if never_approved && t.dedupe.is_empty() { json!([[]]) } else { json!(t.searchable) },
            "relationships": t.relationships.iter().map(Relationship::json).collect::<Vec<_>>(),
            "fields": fields,
        }))
    }

    /// The draft, made from the approved version when there is none.
    fn draft_mut(&mut self) -> &mut CoVersion {
        if self.draft.is_none() {
            self.draft = self.approved.clone();
        }
        self.draft.get_or_insert_with(|| CoVersion {
            display_name: String::new(),
            plural_name: None,
            description: None,
            show_in_lead_detail: false,
            fields: Vec::new(),
        })
    }

    fn outcome(&self, status: &str) -> Value {
        json!([{"apiName": self.api_name, "status": status, "state": self.state()}])
    }
}

fn valid_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn str_member<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    v.get(name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn unknown_type(api: &str) -> ApiError {
    ApiError::new("1013", format!("Custom object type '{api}' not found"))
}

impl LeadObjects {
    fn co_type_mut(&mut self, api: &str) -> Result<&mut CoType, ApiError> {
        self.co_types.get_mut(api).ok_or_else(|| unknown_type(api))
    }

    /// Sync Custom Object Type.
    pub(crate) fn sync_co_type(
        &mut self,
        body: &Value,
        now: OffsetDateTime,
    ) -> Result<Value, ApiError> {
        let action = str_member(body, "action").unwrap_or("createOrUpdate");
        let api = str_member(body, "apiName")
            .ok_or_else(|| ApiError::new("701", "apiName cannot be blank"))?;
        if !valid_name(api) {
            return Err(ApiError::new("1003", format!("Invalid apiName '{api}'")));
        }
        let exists = self.co_types.contains_key(api);
        let display = str_member(body, "displayName");
        match (action, exists) {
            ("createOnly", true) => {
                return Err(ApiError::new(
                    "1017",
                    format!("Custom object type '{api}' already exists"),
                ));
            }
            ("updateOnly", false) => return Err(unknown_type(api)),
            ("createOnly" | "createOrUpdate", false) => {
                let display =
                    display.ok_or_else(|| ApiError::new("701", "displayName cannot be blank"))?;
                if self.co_types.len() >= MAX_TYPES {
                    return Err(ApiError::new(
                        "1003",
                        format!("At most {MAX_TYPES} custom object types are allowed"),
                    ));
                }
                if self.co_types.values().any(|t| {
                    [&t.approved, &t.draft].iter().any(|v| {
                        v.as_ref()
                            .is_some_and(|v| v.display_name.eq_ignore_ascii_case(display))
                    })
                }) {
                    return Err(ApiError::new(
                        "1006",
                        format!("Display name '{display}' is already used"),
                    ));
                }
                self.co_types.insert(
                    api.to_owned(),
                    CoType {
                        api_name: api.to_owned(),
                        approved: None,
                        draft: None,
                        created_at: None,
                        updated_at: None,
                        dependents: Vec::new(),
                    },
                );
            }
            ("createOrUpdate" | "updateOnly", true) => {}
            _ => return Err(ApiError::new("1003", format!("Invalid action '{action}'"))),
        }
        let t = self.co_type_mut(api)?;
        let was_approved = t.approved.is_some();
        let status = if exists { "updated" } else { "created" };
        let d = t.draft_mut();
        if let Some(name) = display {
            if was_approved && name != d.display_name {
                return Err(ApiError::new(
                    "1003",
                    "The display name of an approved type cannot change",
                ));
            }
            d.display_name = name.to_owned();
        }
        if let Some(p) = str_member(body, "pluralName") {
            d.plural_name = Some(p.to_owned());
        }
        if let Some(p) = str_member(body, "description") {
            d.description = Some(p.to_owned());
        }
        if let Some(b) = body.get("showInLeadDetail").and_then(Value::as_bool) {
            d.show_in_lead_detail = b;
        }
        if was_approved {
            t.updated_at = Some(now);
        }
        Ok(t.outcome(status))
    }

    /// Approve Custom Object Type.
    pub(crate) fn approve_co_type(
        &mut self,
        api: &str,
        now: OffsetDateTime,
    ) -> Result<Value, ApiError> {
        let t = self.co_type_mut(api)?;
        let draft = t.draft.clone().ok_or_else(|| {
            ApiError::new("1003", format!("Custom object type '{api}' has no draft"))
        })?;
        if draft.dedupe().is_empty() {
            return Err(ApiError::new(
                "1003",
                "A custom object type needs at least one dedupe field",
            ));
        }
        let created = *t.created_at.get_or_insert(now);
        t.updated_at = Some(now);
        t.approved = Some(draft.clone());
        t.draft = None;
        let out = t.outcome("approved");
        let ty = draft.object_type(api, created);
        let key = custom_key(api);
        match self.stores.get_mut(&key) {
            Some(s) => s.ty = ty,
            None => {
                let prefix = 0xc0_0000 + u32::try_from(self.co_types.len()).unwrap_or(0);
                self.stores.insert(key, ObjectStore::new(ty, prefix));
            }
        }
        Ok(out)
    }

    /// Discard Custom Object Type Draft.
    pub(crate) fn discard_co_type(&mut self, api: &str) -> Result<Value, ApiError> {
        let t = self.co_type_mut(api)?;
        if t.draft.take().is_none() {
            return Err(ApiError::new(
                "1003",
                format!("Custom object type '{api}' has no draft"),
            ));
        }
        let out = t.outcome("discarded");
        if t.approved.is_none() {
            self.co_types.remove(api);
        }
        Ok(out)
    }

    /// Delete Custom Object Type (records included).
    pub(crate) fn delete_co_type(&mut self, api: &str) -> Result<Value, ApiError> {
        let t = self.co_type_mut(api)?;
        if !t.dependents.is_empty() {
            return Err(ApiError::new(
                "1003",
                format!("Custom object type '{api}' is used by assets"),
            ));
        }
        let out = json!([{"apiName": api, "status": "deleted"}]);
        self.co_types.remove(api);
        self.stores.remove(&custom_key(api));
        Ok(out)
    }

    /// Add Custom Object Type Fields (all or nothing).
    pub(crate) fn add_co_fields(&mut self, api: &str, input: &[Value]) -> Result<Value, ApiError> {
        let linkable: Vec<(String, Vec<String>)> = self
            .linkable_objects()
            .iter()
            .filter_map(|o| {
                let name = o.get("name")?.as_str()?.to_owned();
                let fields = o
                    .get("fields")?
                    .as_array()?
                    .iter()
                    .filter_map(|f| f.get("name")?.as_str().map(str::to_owned))
                    .collect();
                Some((name, fields))
            })
            .collect();
        let t = self.co_type_mut(api)?;
        let approved = t.approved.is_some();
        let mut d = t.draft_mut().clone();
        for f in input {
            let name = str_member(f, "name")
                .ok_or_else(|| ApiError::new("701", "name cannot be blank"))?;
            let display = str_member(f, "displayName")
                .ok_or_else(|| ApiError::new("701", "displayName cannot be blank"))?;
            let data_type = str_member(f, "dataType")
                .ok_or_else(|| ApiError::new("701", "dataType cannot be blank"))?;
            if !valid_name(name) {
                return Err(ApiError::new(
                    "1003",
                    format!("Invalid field name '{name}'"),
                ));
            }
            if !FIELD_DATA_TYPES.contains(&data_type) {
                return Err(ApiError::new(
                    "1003",
                    format!("Invalid dataType '{data_type}'"),
                ));
            }
            if d.fields.iter().any(|x| {
                x.def.name.eq_ignore_ascii_case(name)
                    || x.def.display_name.eq_ignore_ascii_case(display)
            }) || system_fields()
                .iter()
                .any(|x| x.name.eq_ignore_ascii_case(name))
            {
                return Err(ApiError::new(
                    "1006",
                    format!("Field '{name}' already exists"),
                ));
            }
            let dedupe = f
                .get("isDedupeField")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let related_to = if data_type == "link" {
                let obj = f
                    .get("relatedTo")
                    .and_then(|r| str_member(r, "name"))
                    .unwrap_or_default();
                let field = f
                    .get("relatedTo")
                    .and_then(|r| str_member(r, "field"))
                    .unwrap_or_default();
                let ok = linkable.iter().any(|(n, fs)| {
                    n.eq_ignore_ascii_case(obj) && fs.iter().any(|x| x.eq_ignore_ascii_case(field))
                });
                if !ok {
                    return Err(ApiError::new(
                        "1003",
                        format!("Cannot link to '{obj}.{field}'"),
                    ));
                }
                Some((obj.to_owned(), field.to_owned()))
            } else {
                None
            };
            if approved && (dedupe || related_to.is_some()) {
                return Err(ApiError::new(
                    "1003",
                    "Dedupe and link fields cannot be added to an approved type",
                ));
            }
            if dedupe && d.dedupe().len() >= 3 {
                return Err(ApiError::new("1003", "At most 3 dedupe fields are allowed"));
            }
            if d.fields.len() >= MAX_FIELDS {
                return Err(ApiError::new(
                    "1003",
                    format!("At most {MAX_FIELDS} fields are allowed"),
                ));
            }
            let mut def = FieldDef::new(
                name,
                display,
                if data_type == "link" {
                    "integer"
                } else {
                    data_type
                },
                !dedupe,
            );
            def.custom = true;
            def.description = str_member(f, "description").map(str::to_owned);
            d.fields.push(CoField {
                def,
                dedupe,
                related_to,
            });
        }
        t.draft = Some(d);
        Ok(t.outcome("updated"))
    }

    /// Update Custom Object Type Field.
    pub(crate) fn update_co_field(
        &mut self,
        api: &str,
        field: &str,
        body: &Map<String, Value>,
    ) -> Result<Value, ApiError> {
        let t = self.co_type_mut(api)?;
        let never_approved = t.approved.is_none();
        let d = t.draft_mut();
        let f = d
            .fields
            .iter_mut()
            .find(|f| f.def.name.eq_ignore_ascii_case(field))
            .ok_or_else(|| ApiError::new("1013", format!("Field '{field}' not found")))?;
        if let Some(v) = body.get("displayName").and_then(Value::as_str) {
            f.def.display_name = v.to_owned();
        }
        if let Some(v) = body.get("description").and_then(Value::as_str) {
            f.def.description = Some(v.to_owned());
        }
        if let Some(v) = body.get("dataType").and_then(Value::as_str) {
            if !FIELD_DATA_TYPES.contains(&v) || v == "link" {
                return Err(ApiError::new("1003", format!("Invalid dataType '{v}'")));
            }
            if !never_approved && v != f.def.data_type {
                return Err(ApiError::new(
                    "1003",
                    "The data type of an approved field cannot change",
                ));
            }
            f.def.data_type = v.to_owned();
        }
        Ok(t.outcome("updated"))
    }

    /// Delete Custom Object Type Fields.
    pub(crate) fn delete_co_fields(
        &mut self,
        api: &str,
        input: &[Value],
    ) -> Result<Value, ApiError> {
        let t = self.co_type_mut(api)?;
        let approved = t.approved.is_some();
        let mut d = t.draft_mut().clone();
        for item in input {
            let name = str_member(item, "name")
                .ok_or_else(|| ApiError::new("701", "name cannot be blank"))?;
            let pos = d
                .fields
                .iter()
                .position(|f| f.def.name.eq_ignore_ascii_case(name))
                .ok_or_else(|| ApiError::new("1013", format!("Field '{name}' not found")))?;
            let f = &d.fields[pos];
            if approved && (f.dedupe || f.related_to.is_some()) {
                return Err(ApiError::new(
                    "1003",
                    "Dedupe and link fields of an approved type cannot be removed",
                ));
            }
            d.fields.remove(pos);
        }
        t.draft = Some(d);
        Ok(t.outcome("updated"))
    }

    /// The objects a link field may point to.
    pub(crate) fn linkable_objects(&self) -> Vec<Value> {
        let field = |n: &str, t: &str| json!({"name": n, "displayName": n, "dataType": t});
        let mut out = vec![
            json!({"name": "lead", "displayName": "Lead", "fields": [field("id", "integer"), field("email", "email")]}),
            json!({"name": "company", "displayName": "Company", "fields": [field("id", "integer")]}),
        ];
        for t in self.co_types.values() {
            let Some(a) = &t.approved else { continue };
            if a.links().next().is_some() {
                continue;
            }
            let mut fields = vec![
                json!({"name": "marketoGUID", "displayName": "Marketo GUID", "dataType": "string"}),
            ];
            fields.extend(a.fields.iter().filter(|f| f.dedupe).map(|f| json!({"name": f.def.name, "displayName": f.def.display_name, "dataType": f.def.data_type})));
            out.push(json!({"name": t.api_name, "displayName": a.display_name, "fields": fields}));
        }
        out
    }

    /// Dependent assets of a type.
    pub(crate) fn co_dependents(&self, api: &str) -> Result<Vec<Value>, ApiError> {
        self.co_types
            .get(api)
            .map(|t| t.dependents.clone())
            .ok_or_else(|| unknown_type(api))
    }
}
