//! Custom object operations: syncCustomObjects, getCustomObjects, deleteCustomObjects.

use roxmltree::Node;

use super::{R, attributes_of, batch_size, required, strings};
use crate::rest::activities::{Position, decode, encode};
use crate::soap::SoapError;
use crate::soap::xml::{W, child, children, text};
use crate::state::{CustomObject, State};

pub(super) fn pairs(n: Option<Node<'_, '_>>) -> Vec<(String, String)> {
    n.map(|a| {
        attributes_of(a)
            .into_iter()
            .map(|(k, v, _)| (k, v))
            .collect()
    })
    .unwrap_or_default()
}

fn write_pairs(w: &mut W, tag: &str, pairs: &[(String, String)]) {
    w.open(tag);
    for (k, v) in pairs {
        w.attribute(k, v);
    }
    w.close(tag);
}

pub(super) fn sync_custom_objects(st: &mut State, p: Node<'_, '_>) -> R {
    let ty = required(p, "objTypeName")?;
    let op = required(p, "operation")?;
    if !matches!(op.as_str(), "INSERT" | "UPDATE" | "UPSERT") {
        return Err(SoapError::with(
            "20110",
            format!("Unknown operation '{op}'"),
        ));
    }
    let list = child(p, "customObjList")
        .ok_or_else(|| SoapError::with("20109", "customObjList is required"))?;
    let objects: Vec<Node<'_, '_>> = children(list, "customObj").collect();
    // "up to a maximum of 100 per call".
    if objects.len() > 100 {
        return Err(SoapError::with(
            "20110",
            "At most 100 custom objects per call",
        ));
    }
    let mut w = W::new();
    w.open("result").open("syncCustomObjStatusList");
    for obj in objects {
        let keys = pairs(child(obj, "customObjKeyList"));
        let attrs = pairs(child(obj, "customObjAttributeList"));
        let store = st.custom_objects.entry(ty.clone()).or_default();
        let existing = store.iter().position(|o| o.keys == keys);
        let (status, error) = match (existing, op.as_str()) {
            (_, _) if keys.is_empty() => ("FAILED", Some("customObjKeyList is required")),
            (Some(_), "INSERT") => ("FAILED", Some("Object already exists")),
            (None, "UPDATE") => ("FAILED", Some("Object not found")),
            (Some(i), _) => {
                if let Some(o) = store.get_mut(i) {
                    for (k, v) in &attrs {
                        match o.attributes.iter_mut().find(|(x, _)| x == k) {
                            Some(e) => e.1 = v.clone(),
                            None => o.attributes.push((k.clone(), v.clone())),
                        }
                    }
                }
                ("UPDATED", None)
            }
            (None, _) => {
                store.push(CustomObject {
                    keys: keys.clone(),
                    attributes: attrs,
                });
                ("CREATED", None)
            }
        };
        w.open("syncCustomObjStatus").leaf("objTypeName", &ty);
        write_pairs(&mut w, "customObjKeyList", &keys);
        w.leaf("status", status).opt("error", error);
        w.close("syncCustomObjStatus");
    }
    w.close("syncCustomObjStatusList").close("result");
    Ok(w.out)
}

pub(super) fn get_custom_objects(st: &mut State, p: Node<'_, '_>) -> R {
    let ty = required(p, "objTypeName")?;
    let keys = pairs(child(p, "customObjKeyList"));
    let include = strings(p, "includeAttributes");
    let offset: usize = match text(p, "streamPosition") {
        None => 0,
        Some(s) => match decode(&s) {
            Some(Position::After(n)) => usize::try_from(n).unwrap_or(0),
            _ => return Err(SoapError::of("20122")),
        },
    };
    // "The number of objects to be returned (max of 100)".
    let batch = batch_size(p, 100, 100)?;
    let empty = Vec::new();
    let all = st.custom_objects.get(&ty).unwrap_or(&empty);
    let matching: Vec<&CustomObject> = all
        .iter()
        .filter(|o| keys.iter().all(|k| o.keys.contains(k)))
        .collect();
    let page: Vec<&CustomObject> = matching.iter().skip(offset).take(batch).copied().collect();
    let remaining = matching
        .len()
        .saturating_sub(offset.saturating_add(page.len()));
    let mut w = W::new();
    w.open("result")
        .leaf("objTypeName", &ty)
        .leaf("returnCount", page.len().to_string())
        .leaf("remainingCount", remaining.to_string())
        .leaf(
            "newStreamPosition",
            encode(Position::After(
                i64::try_from(offset.saturating_add(page.len())).unwrap_or(0),
            )),
        )
        .open("customObjList");
    for o in page {
        w.open("customObj");
        write_pairs(&mut w, "customObjKeyList", &o.keys);
        let attrs: Vec<(String, String)> = o
            .attributes
            .iter()
            .filter(|(k, _)| include.is_empty() || include.contains(k))
            .cloned()
            .collect();
        write_pairs(&mut w, "customObjAttributeList", &attrs);
        w.close("customObj");
    }
    w.close("customObjList").close("result");
    Ok(w.out)
}

pub(super) fn delete_custom_objects(st: &mut State, p: Node<'_, '_>) -> R {
    let ty = required(p, "objTypeName")?;
    let lists = child(p, "customObjKeyLists")
        .ok_or_else(|| SoapError::with("20109", "customObjKeyLists is required"))?;
    let mut w = W::new();
    w.open("result").open("deleteCustomObjStatusList");
    for kl in children(lists, "keyList") {
        let keys = pairs(Some(kl));
        let store = st.custom_objects.entry(ty.clone()).or_default();
        let before = store.len();
        store.retain(|o| o.keys != keys);
        let deleted = store.len() < before;
        w.open("syncCustomObjStatus").leaf("objTypeName", &ty);
        write_pairs(&mut w, "customObjKeyList", &keys);
        if deleted {
            w.leaf("status", "DELETED");
        } else {
            w.leaf("status", "FAILED").leaf("error", "Object not found");
        }
        w.close("syncCustomObjStatus");
    }
    w.close("deleteCustomObjStatusList").close("result");
    Ok(w.out)
}
