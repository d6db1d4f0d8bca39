//! Channels and tags: getChannels and getTags.

use roxmltree::Node;

use super::{R, strings};
use crate::soap::xml::{W, child, children, text};
use crate::state::State;

pub(super) fn get_channels(st: &mut State, p: Node<'_, '_>) -> R {
    let wanted = child(p, "tag")
        .map(|t| strings(t, "values"))
        .unwrap_or_default();
    let mut w = W::new();
    w.open("result").open("tags");
    for c in st
        .channels
        .iter()
        .filter(|c| wanted.is_empty() || wanted.contains(&c.name))
    {
        w.open("tagStatus")
            .leaf("tagValue", &c.name)
            .open("statusList");
        for s in &c.statuses {
            w.open("progressionStatusItem").open("progressionStatus");
            for (n, v) in [
                ("name", s.name.clone()),
                ("step", s.step.to_string()),
                ("success", s.success.to_string()),
            ] {
                w.attrib(n, v);
            }
            w.close("progressionStatus").close("progressionStatusItem");
        }
        w.close("statusList").close("tagStatus");
    }
    w.close("tags").close("result");
    Ok(w.out)
}

pub(super) fn get_tags(st: &mut State, p: Node<'_, '_>) -> R {
    let wanted: Vec<String> = child(p, "tagList")
        .map(|l| children(l, "tag").filter_map(|t| text(t, "type")).collect())
        .unwrap_or_default();
    let mut all: Vec<(String, Vec<String>)> = vec![(
        "Channel".into(),
        st.channels.iter().map(|c| c.name.clone()).collect(),
    )];
    all.extend(
        st.tag_types
            .iter()
            .map(|t| (t.name.clone(), t.values.clone())),
    );
    let mut w = W::new();
    w.open("result").open("tagList");
    for (ty, values) in all
        .iter()
        .filter(|(t, _)| wanted.is_empty() || wanted.contains(t))
    {
        w.open("tag").leaf("type", ty).open("values");
        for v in values {
            w.leaf("stringItem", v);
        }
        w.close("values").close("tag");
    }
    w.close("tagList").close("result");
    Ok(w.out)
}
