//! MObject operations: listMObjects, describeMObject, getMObjects, syncMObjects,
//! deleteMObjects.

use roxmltree::Node;

use super::program_mobject::sync_program;
use super::{R, attribs, int_of, required};
use crate::rest::activities::{Position, decode, encode};
use crate::soap::SoapError;
use crate::soap::xml::{W, child, children, raw_text, text};
use crate::state::{MObject, State};
use crate::util::soap_datetime;

/// The objects listMObjects names and describeMObject describes (the listMObjects page's
/// four, plus Program, which getMObjects and syncMObjects also take).
const MOBJECT_TYPES: &[&str] = &[
    "ActivityRecord",
    "LeadRecord",
    "Opportunity",
    "OpportunityPersonRole",
    "Program",
];

fn mobject_fields(name: &str) -> Option<&'static [(&'static str, &'static str)]> {
    match name {
        "ActivityRecord" => Some(&[
            ("id", "integer"),
            ("activityDateTime", "dateTime"),
            ("activityType", "string"),
            ("mktgAssetName", "string"),
            ("mktPersonId", "integer"),
        ]),
        "LeadRecord" => Some(&[
            ("Id", "integer"),
            ("Email", "email"),
            ("FirstName", "string"),
            ("LastName", "string"),
            ("Company", "string"),
            ("LeadScore", "integer"),
        ]),
        "Opportunity" => Some(&[
            ("Id", "integer"),
            ("Name", "string"),
            ("Amount", "currency"),
            ("Stage", "string"),
            ("CloseDate", "date"),
            ("ExternalKey", "string"),
        ]),
        "OpportunityPersonRole" => Some(&[
            ("Id", "integer"),
            ("OpportunityId", "integer"),
            ("PersonId", "integer"),
            ("Role", "string"),
            ("IsPrimary", "boolean"),
        ]),
        "Program" => Some(&[("Id", "integer"), ("Name", "string"), ("Type", "string")]),
        _ => None,
    }
}

pub(super) fn list_mobjects() -> String {
    let mut w = W::new();
    w.open("result");
    for t in MOBJECT_TYPES {
        w.leaf("objects", *t);
    }
    w.close("result");
    w.out
}

pub(super) fn describe_mobject(p: Node<'_, '_>) -> R {
    let name = required(p, "objectName")?;
    let fields = mobject_fields(&name)
        .ok_or_else(|| SoapError::with("20110", format!("Unknown MObject '{name}'")))?;
    let updated = soap_datetime(crate::state::DEMO_TIME);
    let mut w = W::new();
    w.open("result").open("metadata");
    w.leaf("name", &name)
        .leaf("description", format!("{name} object"))
        .leaf("isCustom", "false")
        .leaf(
            "isVirtual",
            if name == "ActivityRecord" {
                "true"
            } else {
                "false"
            },
        )
        .open("fieldList");
    for (f, ty) in fields {
        // Marketo's schema (MObjFieldMetadata) requires every member, in this
        // order; description, size and dynamicFieldRef are nillable.
        w.open("field")
            .leaf("name", *f)
            .nil("description")
            .leaf("displayName", *f)
            .leaf("sourceObject", &name)
            .leaf("dataType", *ty)
            .nil("size")
            .leaf(
                "isReadonly",
                if f.eq_ignore_ascii_case("id")
                    || matches!(name.as_str(), "Program" | "ActivityRecord")
                {
                    "true"
                } else {
                    "false"
                },
            )
            .leaf("isUpdateBlocked", "false")
            .leaf("isName", if *f == "Name" { "true" } else { "false" })
            .leaf(
                "isPrimaryKey",
                if f.eq_ignore_ascii_case("id") {
                    "true"
                } else {
                    "false"
                },
            )
            .leaf("isCustom", "false")
            .leaf("isDynamic", "false")
            .nil("dynamicFieldRef")
            .leaf("updatedAt", &updated)
            .close("field");
    }
    w.close("fieldList").leaf("updatedAt", &updated);
    w.close("metadata").close("result");
    Ok(w.out)
}

fn compare(actual: &str, op: &str, expected: &str) -> bool {
    let ord = match (actual.parse::<f64>(), expected.parse::<f64>()) {
        (Ok(a), Ok(b)) => a.partial_cmp(&b),
        _ => Some(actual.cmp(expected)),
    };
    let Some(ord) = ord else { return false };
    match op {
        "EQ" => ord.is_eq(),
        "NE" => ord.is_ne(),
        "LT" => ord.is_lt(),
        "LE" => ord.is_le(),
        "GT" => ord.is_gt(),
        "GE" => ord.is_ge(),
        _ => false,
    }
}

/// The `mObjCriteria` trios: `comparison` is one of EQ, NE, LT, LE, GT, GE (20110 for
/// another, 20109 without one) and `Tag Type` may be given once only (20110).
fn criteria_of(p: Node<'_, '_>) -> Result<Vec<(String, String, String)>, SoapError> {
    let mut out = Vec::new();
    let Some(list) = child(p, "mObjCriteriaList") else {
        return Ok(out);
    };
    for c in children(list, "mObjCriteria") {
        let name = required(c, "attrName")?;
        let op = required(c, "comparison")?;
        if !matches!(op.as_str(), "EQ" | "NE" | "LT" | "LE" | "GT" | "GE") {
            return Err(SoapError::with(
                "20110",
                format!("comparison '{op}' is not EQ, NE, LT, LE, GT or GE"),
            ));
        }
        out.push((name, op, raw_text(c, "attrValue").unwrap_or_default()));
    }
    if out.iter().filter(|(n, _, _)| n == "Tag Type").count() > 1 {
        return Err(SoapError::with(
            "20110",
            "Only one 'Tag Type' criterion can be given",
        ));
    }
    Ok(out)
}

pub(super) fn get_mobjects(st: &mut State, p: Node<'_, '_>) -> R {
    let ty = required(p, "type")?;
    if !matches!(
        ty.as_str(),
        "Opportunity" | "OpportunityPersonRole" | "Program"
    ) {
        return Err(SoapError::with(
            "20110",
            format!("getMObjects takes Opportunity, OpportunityPersonRole or Program, not '{ty}'"),
        ));
    }
    let objects: Vec<MObject> = if ty == "Program" {
        st.programs
            .values()
            .map(|p| MObject {
                mobj_type: "Program".into(),
                id: p.id,
                attributes: vec![
                    ("Name".into(), p.name.clone()),
                    ("Type".into(), p.program_type.clone()),
                ],
            })
            .collect()
    } else {
        st.mobjects
            .values()
            .filter(|o| o.mobj_type == ty)
            .cloned()
            .collect()
    };
    let id = int_of(p, "id")?;
    let criteria = criteria_of(p)?;
    let get_attr = |o: &MObject, name: &str| -> Option<String> {
        if name == "Id" {
            return Some(o.id.to_string());
        }
        o.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let matching: Vec<&MObject> = objects
        .iter()
        .filter(|o| id.is_none_or(|i| i64::from(o.id) == i))
        .filter(|o| {
            criteria
                .iter()
                .all(|(n, op, v)| get_attr(o, n).is_some_and(|a| compare(&a, op, v)))
        })
        .collect();
    let offset: usize = match text(p, "streamPosition") {
        None => 0,
        Some(s) => match decode(&s) {
            Some(Position::After(n)) => usize::try_from(n).unwrap_or(0),
            _ => return Err(SoapError::of("20122")),
        },
    };
    let page: Vec<&MObject> = matching.iter().skip(offset).take(100).copied().collect();
    let has_more = offset.saturating_add(page.len()) < matching.len();
    let mut w = W::new();
    w.open("result")
        .leaf("returnCount", page.len().to_string())
        .leaf("hasMore", has_more.to_string())
        .leaf(
            "newStreamPosition",
            encode(Position::After(
                i64::try_from(offset.saturating_add(page.len())).unwrap_or(0),
            )),
        )
        .open("mObjectList");
    for o in page {
        w.open("mObject")
            .leaf("type", &o.mobj_type)
            .leaf("id", o.id.to_string());
        w.open("attribList");
        for (k, v) in &o.attributes {
            w.attrib(k, v);
        }
        w.close("attribList").close("mObject");
    }
    w.close("mObjectList").close("result");
    Ok(w.out)
}

/// The `mObject` items of the required `mObjectList` parameter (20109 without it).
fn mobject_list<'a, 'i>(p: Node<'a, 'i>) -> Result<impl Iterator<Item = Node<'a, 'i>>, SoapError> {
    let list = child(p, "mObjectList")
        .ok_or_else(|| SoapError::with("20109", "mObjectList is required"))?;
    Ok(children(list, "mObject"))
}

/// Most MObjects one syncMObjects or deleteMObjects call may carry.
const MOBJECTS_MAX: usize = 100;

/// Why a new OpportunityPersonRole cannot be created (it needs OpportunityId and PersonId).
fn missing_role_keys(ty: &str, attrs: &[(String, String)]) -> Option<String> {
    if ty != "OpportunityPersonRole" {
        return None;
    }
    ["OpportunityId", "PersonId"]
        .into_iter()
        .find(|k| !attrs.iter().any(|(n, v)| n == k && !v.trim().is_empty()))
        .map(|k| format!("OpportunityPersonRole needs {k}"))
}

/// syncMObjects: at most 100 MObjects (20110 above); Program only in UPDATE mode (costs,
/// tags, channel); Opportunity and OpportunityPersonRole keyed by `id` for UPDATE/UPSERT.
pub(super) fn sync_mobjects(st: &mut State, p: Node<'_, '_>) -> R {
    let op = required(p, "operation")?;
    if !matches!(op.as_str(), "INSERT" | "UPDATE" | "UPSERT") {
        return Err(SoapError::with(
            "20110",
            format!("Unknown operation '{op}'"),
        ));
    }
    let objects: Vec<Node<'_, '_>> = mobject_list(p)?.collect();
    if objects.len() > MOBJECTS_MAX {
        return Err(SoapError::with(
            "20110",
            format!("At most {MOBJECTS_MAX} MObjects per call"),
        ));
    }
    let mut w = W::new();
    w.open("result").open("mObjStatusList");
    for o in objects {
        let ty = text(o, "type").unwrap_or_default();
        let id = int_of(o, "id")?.and_then(|i| i32::try_from(i).ok());
        let attrs = attribs(o, "attribList");
        let writable = ty == "Opportunity" || ty == "OpportunityPersonRole";
        let existing = id.filter(|i| st.mobjects.get(i).is_some_and(|m| m.mobj_type == ty));
        let (out_id, status, error) = if ty == "Program" {
            sync_program(st, &op, id, o)
        } else if !writable {
            (
                id.unwrap_or(0),
                "FAILED",
                Some(format!("MObject type '{ty}' cannot be written")),
            )
        } else {
            match (existing, op.as_str()) {
                (Some(i), "INSERT") => (i, "FAILED", Some("Object already exists".to_owned())),
                (None, "UPDATE") => (
                    id.unwrap_or(0),
                    "FAILED",
                    Some("Object not found".to_owned()),
                ),
                (Some(i), _) => {
                    if let Some(m) = st.mobjects.get_mut(&i) {
                        for (k, v) in attrs {
                            match m.attributes.iter_mut().find(|(x, _)| *x == k) {
                                Some(e) => e.1 = v,
                                None => m.attributes.push((k, v)),
                            }
                        }
                    }
                    (i, "UPDATED", None)
                }
                (None, _) if missing_role_keys(&ty, &attrs).is_some() => {
                    (id.unwrap_or(0), "FAILED", missing_role_keys(&ty, &attrs))
                }
                (None, _) => {
                    let new_id = st.next_mobject_id;
                    st.next_mobject_id += 1;
                    st.mobjects.insert(
                        new_id,
                        MObject {
                            mobj_type: ty.clone(),
                            id: new_id,
                            attributes: attrs,
                        },
                    );
                    (new_id, "CREATED", None)
                }
            }
        };
        w.open("mObjStatus")
            .leaf("id", out_id.to_string())
            .leaf("status", status)
            .opt("error", error)
            .close("mObjStatus");
    }
    w.close("mObjStatusList").close("result");
    Ok(w.out)
}

/// deleteMObjects: only Opportunity and OpportunityPersonRole (another type → FAILED).
pub(super) fn delete_mobjects(st: &mut State, p: Node<'_, '_>) -> R {
    let objects: Vec<Node<'_, '_>> = mobject_list(p)?.collect();
    if objects.len() > MOBJECTS_MAX {
        return Err(SoapError::with(
            "20110",
            format!("At most {MOBJECTS_MAX} MObjects per call"),
        ));
    }
    let mut w = W::new();
    w.open("result").open("mObjStatusList");
    for o in objects {
        let ty = text(o, "type").unwrap_or_default();
        let id = int_of(o, "id")?
            .and_then(|i| i32::try_from(i).ok())
            .unwrap_or(0);
        let deletable = ty == "Opportunity" || ty == "OpportunityPersonRole";
        let ok = deletable && st.mobjects.get(&id).is_some_and(|m| m.mobj_type == ty);
        if ok {
            st.mobjects.remove(&id);
        }
        w.open("mObjStatus").leaf("id", id.to_string());
        if ok {
            w.leaf("status", "DELETED");
        } else if !deletable {
            w.leaf("status", "FAILED").leaf(
                "error",
                format!(
                    "MObject type '{ty}' cannot be deleted (Opportunity or OpportunityPersonRole)"
                ),
            );
        } else {
            w.leaf("status", "FAILED").leaf("error", "Object not found");
        }
        w.close("mObjStatus");
    }
    w.close("mObjStatusList").close("result");
    Ok(w.out)
}
