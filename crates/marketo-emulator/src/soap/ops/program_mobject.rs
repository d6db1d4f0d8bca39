//! syncMObjects on the Program MObject: only `UPDATE`, adding period costs and setting
//! existing tags or the channel (the syncMObjects page: "One cannot create new tags/channels
//! through the API").

use roxmltree::Node;

use super::attribs;
use crate::soap::xml::{child, children, text};
use crate::state::{Cost, State, Tag};

/// One change a `typeAttrib` asks for, checked before anything is applied.
enum Change {
    Cost(Cost),
    Tag(Tag),
    Channel(String),
}

/// The status of one Program `mObject`: (id, status, error).
pub(super) fn sync_program(
    st: &mut State,
    op: &str,
    id: Option<i32>,
    o: Node<'_, '_>,
) -> (i32, &'static str, Option<String>) {
    let out_id = id.unwrap_or(0);
    if op != "UPDATE" {
        let msg = format!("Program MObjects can only be updated (operation UPDATE), not {op}");
        return (out_id, "FAILED", Some(msg));
    }
    let Some(pid) = id.filter(|i| st.programs.contains_key(i)) else {
        return (out_id, "FAILED", Some("Program not found".to_owned()));
    };
    let mut changes = Vec::new();
    let items = child(o, "typeAttribList")
        .map(|l| children(l, "typeAttrib").collect::<Vec<_>>())
        .unwrap_or_default();
    for ta in items {
        match change(st, ta) {
            Ok(c) => changes.push(c),
            Err(e) => return (pid, "FAILED", Some(e)),
        }
    }
    if changes.is_empty() {
        return (pid, "UNCHANGED", None);
    }
    if let Some(p) = st.programs.get_mut(&pid) {
        for c in changes {
            match c {
                Change::Cost(cost) => p.costs.push(cost),
                Change::Tag(tag) => {
                    p.tags.retain(|t| t.tag_type != tag.tag_type);
                    p.tags.push(tag);
                }
                Change::Channel(name) => p.channel = name,
            }
        }
    }
    (pid, "UPDATED", None)
}

/// Reads one `typeAttrib`: `Cost` needs `Month` (yyyy-MM) and an integer `Amount` (`Id` and
/// `Note` optional); `Tag` needs `Type` and `Value`, both already defined.
fn change(st: &State, ta: Node<'_, '_>) -> Result<Change, String> {
    let ty = text(ta, "attrType").unwrap_or_default();
    let attrs = attribs(ta, "attrList");
    let get = |name: &str| {
        attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    match ty.as_str() {
        "Cost" => {
            let month = get("Month").ok_or("Cost needs Month")?;
            let valid_month = month.len() == 7
                && month.as_bytes()[4] == b'-'
                && month[..4].parse::<u16>().is_ok()
                && month[5..]
                    .parse::<u8>()
                    .is_ok_and(|m| (1..=12).contains(&m));
            if !valid_month {
                return Err(format!("Month '{month}' is not yyyy-MM"));
            }
            let amount = get("Amount").ok_or("Cost needs Amount")?;
            let cost = amount
                .parse::<i64>()
                .map_err(|_| format!("Amount '{amount}' is not an integer"))?;
            Ok(Change::Cost(Cost {
                start_date: format!("{month}-01"),
                cost,
                note: get("Note"),
            }))
        }
        "Tag" => {
            let tag_type = get("Type").ok_or("Tag needs Type")?;
            let value = get("Value").ok_or("Tag needs Value")?;
            if tag_type == "Channel" {
                return if st.channels.iter().any(|c| c.name == value) {
                    Ok(Change::Channel(value))
                } else {
                    Err(format!("Channel '{value}' does not exist"))
                };
            }
            let defined = st
                .tag_types
                .iter()
                .any(|t| t.name == tag_type && t.values.contains(&value));
            if !defined {
                return Err(format!(
                    "Tag '{tag_type}' = '{value}' is not defined (tags cannot be created through the API)"
                ));
            }
            Ok(Change::Tag(Tag {
                tag_type,
                tag_value: value,
            }))
        }
        other => Err(format!("attrType '{other}' is not Cost or Tag")),
    }
}
