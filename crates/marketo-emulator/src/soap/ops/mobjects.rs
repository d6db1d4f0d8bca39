//! MObject operations: listMObjects, describeMObject, getMObjects, syncMObjects,
//! deleteMObjects.

use roxmltree::Node;

use super::{R, attribs, int_of, required};
use crate::rest::activities::{Position, decode, encode};
use crate::soap::SoapError;
use crate::soap::xml::{W, child, children, raw_text, text};
use crate::state::{MObject, State};
use crate::util::soap_datetime;

const MOBJECT_TYPES: &[&str] = &["Opportunity", "OpportunityPersonRole", "Program"];

fn mobject_fields(name: &str) -> Option<&'static [(&'static str, &'static str)]> {
    match name {
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
        .leaf("isVirtual", "false")
        .open("fieldList");
    for (f, ty) in fields {
        w.open("field")
            .leaf("name", *f)
            .leaf("displayName", *f)
            .leaf("sourceObject", &name)
            .leaf("dataType", *ty)
            .leaf(
                "isReadonly",
                if *f == "Id" || name == "Program" {
                    "true"
                } else {
                    "false"
                },
            )
            .leaf("isUpdateBlocked", "false")
            .leaf("isName", if *f == "Name" { "true" } else { "false" })
            .leaf("isPrimaryKey", if *f == "Id" { "true" } else { "false" })
            .leaf("isCustom", "false")
            .leaf("isDynamic", "false")
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

pub(super) fn get_mobjects(st: &mut State, p: Node<'_, '_>) -> R {
    let ty = required(p, "type")?;
    if mobject_fields(&ty).is_none() {
        return Err(SoapError::with("20110", format!("Unknown MObject '{ty}'")));
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
    let criteria: Vec<(String, String, String)> = child(p, "mObjCriteriaList")
        .map(|l| {
            children(l, "mObjCriteria")
                .filter_map(|c| {
                    Some((
                        text(c, "attrName")?,
                        text(c, "comparison")?,
                        raw_text(c, "attrValue").unwrap_or_default(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
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

pub(super) fn sync_mobjects(st: &mut State, p: Node<'_, '_>) -> R {
    let op = required(p, "operation")?;
    if !matches!(op.as_str(), "INSERT" | "UPDATE" | "UPSERT") {
        return Err(SoapError::with(
            "20110",
            format!("Unknown operation '{op}'"),
        ));
    }
    let mut w = W::new();
    w.open("result").open("mObjStatusList");
    for o in mobject_list(p)? {
        let ty = text(o, "type").unwrap_or_default();
        let id = int_of(o, "id")?.and_then(|i| i32::try_from(i).ok());
        let attrs = attribs(o, "attribList");
        let writable = ty == "Opportunity" || ty == "OpportunityPersonRole";
        let existing = id.filter(|i| st.mobjects.get(i).is_some_and(|m| m.mobj_type == ty));
        let (out_id, status, error) = if !writable {
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

pub(super) fn delete_mobjects(st: &mut State, p: Node<'_, '_>) -> R {
    let mut w = W::new();
    w.open("result").open("mObjStatusList");
    for o in mobject_list(p)? {
        let ty = text(o, "type").unwrap_or_default();
        let id = int_of(o, "id")?
            .and_then(|i| i32::try_from(i).ok())
            .unwrap_or(0);
        let ok = st.mobjects.get(&id).is_some_and(|m| m.mobj_type == ty);
        if ok {
            st.mobjects.remove(&id);
        }
        w.open("mObjStatus").leaf("id", id.to_string());
        if ok {
            w.leaf("status", "DELETED");
        } else {
            w.leaf("status", "FAILED").leaf("error", "Object not found");
        }
        w.close("mObjStatus");
    }
    w.close("mObjStatusList").close("result");
    Ok(w.out)
}
