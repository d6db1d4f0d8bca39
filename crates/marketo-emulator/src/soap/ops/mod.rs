//! The SOAP operations of the WSDL, answered from the in-memory state.
//!
//! Each function reads its `params<Op>` element and returns the XML inside
//! `success<Op>` (children unqualified, in the WSDL's sequence order).

mod activities;
mod campaigns;
mod channels;
mod custom_objects;
mod leads;
mod lists;
mod mobjects;
mod program_mobject;

use roxmltree::Node;
use serde_json::Value;
use time::OffsetDateTime;

use super::xml::{self, child, children, raw_text, text};
use super::{SoapError, Version};
use crate::state::State;
use crate::util::parse_datetime;

type R = Result<String, SoapError>;

/// Runs one operation (`op` is the element name without `params`, e.g. `GetLead`) of the
/// API `version` whose path was called.
pub(crate) fn dispatch(st: &mut State, version: Version, op: &str, p: Node<'_, '_>) -> R {
    match op {
        "GetLead" => leads::get_lead(st, p),
        "GetMultipleLeads" => leads::get_multiple_leads(st, p),
        "GetLeadActivity" => activities::get_lead_activity(st, version, p),
        "GetLeadChanges" => activities::get_lead_changes(st, version, p),
        "SyncLead" => leads::sync_lead(st, p),
        "SyncMultipleLeads" => leads::sync_multiple_leads(st, p),
        "MergeLeads" => leads::merge_leads(st, p),
        "ListOperation" => lists::list_operation(st, p),
        "GetCampaignsForSource" => campaigns::get_campaigns_for_source(st, p),
        "RequestCampaign" => campaigns::request_campaign(st, p),
        "ScheduleCampaign" => campaigns::schedule_campaign(st, p),
        "ImportToList" => lists::import_to_list(st, p),
        "GetImportToListStatus" => lists::get_import_to_list_status(st, p),
        "GetChannels" => channels::get_channels(st, p),
        "GetTags" => channels::get_tags(st, p),
        "SyncCustomObjects" => custom_objects::sync_custom_objects(st, p),
        "GetCustomObjects" => custom_objects::get_custom_objects(st, p),
        "DeleteCustomObjects" => custom_objects::delete_custom_objects(st, p),
        "DescribeMObject" => mobjects::describe_mobject(p),
        "ListMObjects" => Ok(mobjects::list_mobjects()),
        "GetMObjects" => mobjects::get_mobjects(st, p),
        "SyncMObjects" => mobjects::sync_mobjects(st, p),
        "DeleteMObjects" => mobjects::delete_mobjects(st, p),
        other => Err(SoapError::with(
            "20019",
            format!("Operation params{other} is not defined in the WSDL"),
        )),
    }
}

fn required(n: Node<'_, '_>, name: &str) -> Result<String, SoapError> {
    text(n, name).ok_or_else(|| SoapError::with("20109", format!("{name} is required")))
}

/// A boolean parameter: `true`/`false`/`1`/`0`, any case (the mergeLeads page passes
/// `mergeInSales` "as \"True\" or \"False\"").
fn bool_of(n: Node<'_, '_>, name: &str) -> Result<Option<bool>, SoapError> {
    match text(n, name).map(|v| v.to_ascii_lowercase()).as_deref() {
        None => Ok(None),
        Some("true") | Some("1") => Ok(Some(true)),
        Some("false") | Some("0") => Ok(Some(false)),
        Some(v) => Err(SoapError::with(
            "20110",
            format!("{name}: '{v}' is not a boolean"),
        )),
    }
}

fn int_of(n: Node<'_, '_>, name: &str) -> Result<Option<i64>, SoapError> {
    match text(n, name) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| SoapError::with("20110", format!("{name}: '{v}' is not an integer"))),
    }
}

fn date_of(n: Node<'_, '_>, name: &str) -> Result<Option<OffsetDateTime>, SoapError> {
    match text(n, name) {
        None => Ok(None),
        Some(v) => parse_datetime(&v)
            .map(Some)
            .ok_or_else(|| SoapError::with("20110", format!("{name}: '{v}' is not a dateTime"))),
    }
}

/// `stringItem`s of an ArrayOfString child.
fn strings(n: Node<'_, '_>, name: &str) -> Vec<String> {
    child(n, name)
        .map(|a| {
            children(a, "stringItem")
                .filter_map(xml::text_of)
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// `attrib {name, value}` pairs of an ArrayOfAttrib child.
fn attribs(n: Node<'_, '_>, name: &str) -> Vec<(String, String)> {
    child(n, name)
        .map(|a| {
            children(a, "attrib")
                .filter_map(|at| {
                    Some((text(at, "name")?, raw_text(at, "value").unwrap_or_default()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `attribute {attrName, attrValue}` pairs of an ArrayOfAttribute node.
fn attributes_of(a: Node<'_, '_>) -> Vec<(String, String, Option<String>)> {
    children(a, "attribute")
        .filter_map(|at| {
            Some((
                text(at, "attrName")?,
                raw_text(at, "attrValue").unwrap_or_default(),
                text(at, "attrType"),
            ))
        })
        .collect()
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn value_type(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() => "integer",
        Value::Number(_) => "float",
        _ => "string",
    }
}

fn batch_size(p: Node<'_, '_>, default: usize, max: usize) -> Result<usize, SoapError> {
    match int_of(p, "batchSize")? {
        None => Ok(default),
        Some(n) if n >= 1 => Ok(usize::try_from(n).unwrap_or(max).min(max)),
        Some(n) => Err(SoapError::with(
            "20110",
            format!("batchSize {n} is not positive"),
        )),
    }
}
