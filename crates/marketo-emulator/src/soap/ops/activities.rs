//! Activity operations: getLeadActivity and getLeadChanges (stream positions, filters).

use std::sync::OnceLock;

use roxmltree::Node;
use time::OffsetDateTime;

use super::leads::{find_leads, resolve_lead_key};
use super::{R, batch_size, date_of, int_of, strings, value_text};
use crate::rest::activities::{Position, after, decode, encode};
use crate::soap::xml::{self, W, child, children, text};
use crate::soap::{SoapError, Version};
use crate::state::{Activity, State};
use crate::util::soap_datetime;

/// How an activity record is written: which version's shape, and whether with `personName`.
#[derive(Clone, Copy)]
struct Shape {
    version: Version,
    person: bool,
}

fn write_activity(w: &mut W, tag: &str, st: &State, a: &Activity, shape: Shape) {
    let type_name = st
        .activity_types
        .iter()
        .find(|t| t.id == a.type_id)
        .map(|t| t.name.clone())
        .unwrap_or_else(|| format!("Activity {}", a.type_id));
    w.open(tag);
    w.leaf("id", a.id.to_string());
    // Versions up to 2_3 know only the integer `id`; newer ones add `marketoGUID`.
    if !shape.version.activity_id_only() {
        w.leaf("marketoGUID", &a.marketo_guid);
    }
    w.leaf("activityDateTime", soap_datetime(a.date));
    w.leaf("activityType", &type_name);
    w.opt("mktgAssetName", a.primary_value.as_deref());
    w.open("activityAttributes");
    for (n, v) in &a.attributes {
        if let Some(v) = value_text(v) {
            w.attribute(n, &v);
        }
    }
    w.close("activityAttributes");
    if let Some(c) = a.campaign_id.and_then(|c| st.campaigns.get(&c)) {
        w.leaf("campaign", &c.name);
    }
    if shape.person
        && let Some(l) = st.leads.get(&a.lead_id)
    {
        let name = [l.field_text("firstName"), l.field_text("lastName")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !name.is_empty() {
            w.leaf("personName", &name);
        }
    }
    w.leaf("mktPersonId", a.lead_id.to_string());
    w.close(tag);
}

/// The values of the WSDL's `ActivityType` enumeration (empty when it has none).
fn wsdl_activity_types() -> &'static [String] {
    static TYPES: OnceLock<Vec<String>> = OnceLock::new();
    TYPES.get_or_init(|| {
        let Ok(doc) = roxmltree::Document::parse(crate::soap::WSDL) else {
            return Vec::new();
        };
        doc.descendants()
            .find(|n| {
                n.is_element()
                    && n.tag_name().name() == "simpleType"
                    && n.attribute("name") == Some("ActivityType")
            })
            .map(|t| {
                t.descendants()
                    .filter(|n| n.is_element() && n.tag_name().name() == "enumeration")
                    .filter_map(|n| n.attribute("value"))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// Activity type ids selected by an `activityFilter` (None: all).
///
/// Both `includeTypes` and `excludeTypes` in one call → 20110 (the getLeadActivity and
/// getLeadChanges pages: "You cannot specify both"); a value that is not an `ActivityType` of
/// the WSDL → 20107 "Activity Key Bad".
fn activity_filter(st: &State, p: Node<'_, '_>) -> Result<Option<Vec<i32>>, SoapError> {
    let Some(f) = child(p, "activityFilter") else {
        return Ok(None);
    };
    let names = |tag: &str| -> Vec<String> {
        child(f, tag)
            .map(|a| {
                children(a, "activityType")
                    .filter_map(xml::text_of)
                    .map(|s| s.trim().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let include = names("includeTypes");
    let exclude = names("excludeTypes");
    if !include.is_empty() && !exclude.is_empty() {
        return Err(SoapError::with(
            "20110",
            "activityFilter: includeTypes and excludeTypes cannot both be given",
        ));
    }
    let known = wsdl_activity_types();
    for n in include.iter().chain(&exclude) {
        let seeded = st.activity_types.iter().any(|t| t.soap_name == *n);
        if !seeded && !known.is_empty() && !known.contains(n) {
            return Err(SoapError::with(
                "20107",
                format!("'{n}' is not an activity type"),
            ));
        }
    }
    let ids = |list: &[String]| -> Vec<i32> {
        st.activity_types
            .iter()
            .filter(|t| list.contains(&t.soap_name))
            .map(|t| t.id)
            .collect()
    };
    let mut selected: Vec<i32> = if include.is_empty() {
        st.activity_types.iter().map(|t| t.id).collect()
    } else {
        ids(&include)
    };
    let ex = ids(&exclude);
    selected.retain(|i| !ex.contains(i));
    Ok(Some(selected))
}

fn write_position(w: &mut W, tag: &str, pos: Position) {
    w.open(tag).leaf("offset", encode(pos)).close(tag);
}

/// A start position: `offset` (a token) or `oldestCreatedAt`.
fn read_position(
    p: Node<'_, '_>,
    tag: &str,
) -> Result<(Position, Option<OffsetDateTime>), SoapError> {
    let Some(sp) = child(p, tag) else {
        return Ok((Position::After(0), None));
    };
    let latest = date_of(sp, "latestCreatedAt")?;
    if let Some(off) = text(sp, "offset") {
        let pos = decode(&off).ok_or_else(|| SoapError::of("20122"))?;
        return Ok((pos, latest));
    }
    if let Some(t) = date_of(sp, "oldestCreatedAt")? {
        return Ok((Position::Since(t), latest));
    }
    if let Some(t) = date_of(sp, "activityCreatedAt")? {
        return Ok((Position::Since(t), latest));
    }
    Ok((Position::After(0), latest))
}

pub(super) fn get_lead_activity(st: &mut State, version: Version, p: Node<'_, '_>) -> R {
    let lead = resolve_lead_key(st, child(p, "leadKey"))?;
    let types = activity_filter(st, p)?;
    let (pos, latest) = read_position(p, "startPosition")?;
    // "System will limit to 100 or batchSize, whichever is less."
    let batch = batch_size(p, 100, 100)?;
    let matching: Vec<&Activity> = st
        .activities
        .iter()
        .filter(|a| a.lead_id == lead && after(a, pos))
        .filter(|a| latest.is_none_or(|l| a.date <= l))
        .filter(|a| types.as_ref().is_none_or(|t| t.contains(&a.type_id)))
        .collect();
    let page: Vec<&Activity> = matching.iter().take(batch).copied().collect();
    let remaining = matching.len() - page.len();
    let next = page.last().map(|a| Position::After(a.id)).unwrap_or(pos);
    let mut w = W::new();
    w.leaf("returnCount", page.len().to_string())
        .leaf("remainingCount", remaining.to_string());
    write_position(&mut w, "newStartPosition", next);
    w.open("activityRecordList");
    for a in page {
        let shape = Shape {
            version,
            person: true,
        };
        write_activity(&mut w, "activityRecord", st, a, shape);
    }
    w.close("activityRecordList");
    Ok(format!("<leadActivityList>{}</leadActivityList>", w.out))
}

pub(super) fn get_lead_changes(st: &mut State, version: Version, p: Node<'_, '_>) -> R {
    if child(p, "startPosition").is_none() {
        return Err(SoapError::with("20109", "startPosition is required"));
    }
    let (pos, latest) = read_position(p, "startPosition")?;
    let mut types = activity_filter(st, p)?;
    let names = strings(p, "activityNameFilter");
    if !names.is_empty() {
        let by_name: Vec<i32> = st
            .activity_types
            .iter()
            .filter(|t| names.contains(&t.name))
            .map(|t| t.id)
            .collect();
        types = Some(match types {
            Some(t) => t.into_iter().filter(|i| by_name.contains(i)).collect(),
            None => by_name,
        });
    }
    // A LastUpdateAtSelector bounds the activities' dates like startPosition's
    // oldestCreatedAt/latestCreatedAt; more than 30 days apart → 20022.
    let updated = match child(p, "leadSelector") {
        Some(sel) if child(sel, "oldestUpdatedAt").is_some() => {
            let oldest = date_of(sel, "oldestUpdatedAt")?;
            let newest = date_of(sel, "latestUpdatedAt")?;
            if let (Some(o), Some(n)) = (oldest, newest)
                && n - o > time::Duration::days(30)
            {
                return Err(SoapError::of("20022"));
            }
            (oldest, newest)
        }
        _ => (None, None),
    };
    let lead_filter: Option<Vec<i64>> = match child(p, "leadSelector") {
        None => None,
        Some(sel) => {
            let kt = text(sel, "keyType");
            match kt {
                Some(kt) => {
                    let values = strings(sel, "keyValues");
                    if values.len() > 100 {
                        return Err(SoapError::with(
                            "20110",
                            "A LeadKeySelector holds at most 100 keys",
                        ));
                    }
                    let mut ids = Vec::new();
                    for v in values {
                        ids.extend(find_leads(st, &kt, &v)?);
                    }
                    Some(ids)
                }
                None => match (int_of(sel, "staticListId")?, text(sel, "staticListName")) {
                    (Some(id), _) => Some(
                        i32::try_from(id)
                            .ok()
                            .and_then(|id| st.lists.get(&id))
                            .ok_or_else(|| SoapError::of("20111"))?
                            .members
                            .iter()
                            .copied()
                            .collect(),
                    ),
                    (None, Some(name)) => Some(
                        st.lists
                            .values()
                            .find(|l| l.name == name)
                            .ok_or_else(|| SoapError::of("20111"))?
                            .members
                            .iter()
                            .copied()
                            .collect(),
                    ),
                    (None, None) => None,
                },
            }
        }
    };
    let batch = batch_size(p, 100, 1000)?;
    let matching: Vec<&Activity> = st
        .activities
        .iter()
        .filter(|a| after(a, pos))
        .filter(|a| latest.is_none_or(|l| a.date <= l))
        .filter(|a| updated.0.is_none_or(|o| a.date >= o))
        .filter(|a| updated.1.is_none_or(|n| a.date <= n))
        .filter(|a| types.as_ref().is_none_or(|t| t.contains(&a.type_id)))
        .filter(|a| {
            lead_filter
                .as_ref()
                .is_none_or(|ids| ids.contains(&a.lead_id))
        })
        .collect();
    let page: Vec<&Activity> = matching.iter().take(batch).copied().collect();
    let remaining = matching.len() - page.len();
    let next = page.last().map(|a| Position::After(a.id)).unwrap_or(pos);
    let mut w = W::new();
    w.open("result")
        .leaf("returnCount", page.len().to_string())
        .leaf("remainingCount", remaining.to_string());
    write_position(&mut w, "newStartPosition", next);
    w.open("leadChangeRecordList");
    for a in page {
        let shape = Shape {
            version,
            person: false,
        };
        write_activity(&mut w, "leadChangeRecord", st, a, shape);
    }
    w.close("leadChangeRecordList").close("result");
    Ok(w.out)
}
