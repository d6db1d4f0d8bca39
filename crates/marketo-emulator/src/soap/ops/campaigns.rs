//! Campaign operations: getCampaignsForSource, requestCampaign and scheduleCampaign.

use roxmltree::Node;

use super::leads::resolve_lead_key;
use super::{R, attribs, bool_of, date_of, int_of, required};
use crate::rest::campaigns::{CampaignError, schedule_core, trigger_core};
use crate::soap::SoapError;
use crate::soap::xml::{W, child, children, text};
use crate::state::{Api, State};

pub(super) fn get_campaigns_for_source(st: &mut State, p: Node<'_, '_>) -> R {
    let source = required(p, "source")?;
    if source != "MKTOWS" && source != "SALES" {
        return Err(SoapError::with(
            "20110",
            format!("Unknown source '{source}'"),
        ));
    }
    let name = text(p, "name");
    let exact = bool_of(p, "exactName")?.unwrap_or(false);
    let found: Vec<_> = st
        .campaigns
        .values()
        .filter(|c| c.is_requestable && c.is_active)
        .filter(|c| match &name {
            None => true,
            Some(n) if exact => c.name == *n,
            Some(n) => c.name.to_lowercase().contains(&n.to_lowercase()),
        })
        .collect();
    let mut w = W::new();
    w.open("result")
        .leaf("returnCount", found.len().to_string());
    w.open("campaignRecordList");
    for c in found {
        w.open("campaignRecord")
            .leaf("id", c.id.to_string())
            .leaf("name", &c.name)
            .leaf("description", &c.description)
            .close("campaignRecord");
    }
    w.close("campaignRecordList").close("result");
    Ok(w.out)
}

fn campaign_error(e: CampaignError) -> SoapError {
    match e {
        CampaignError::NotFound(m) => SoapError::with("20113", m),
        CampaignError::NotBatch => {
            SoapError::with("20110", "Only batch campaigns can be scheduled")
        }
        CampaignError::NotRequestable => SoapError::with(
            "20110",
            "Campaign is not requestable: it needs an active 'Campaign is Requested' (Web Service API) trigger",
        ),
        CampaignError::RunAtTooFar => {
            SoapError::with("20110", "campaignRunAt cannot be more than 2 years ahead")
        }
        CampaignError::CloneLimit(n) => SoapError::with(
            "20110",
            format!("cloneToProgramName may be used {n} times a day; the limit is reached"),
        ),
        CampaignError::CloneName(m) => SoapError::with("20110", m),
        CampaignError::NoProgramToClone => SoapError::with(
            "20110",
            "The campaign is not in a program: nothing to clone",
        ),
    }
}

/// Campaign id of `campaignName` inside `programName` (20113 when either is unknown).
pub(super) fn campaign_in_program(
    st: &State,
    program: &str,
    campaign: &str,
) -> Result<i32, SoapError> {
    let pid = st
        .program_by_name(program)
        .map(|p| p.id)
        .ok_or_else(|| SoapError::with("20113", format!("Program '{program}' not found")))?;
    st.campaigns
        .values()
        .find(|c| c.program_id == Some(pid) && c.name == campaign)
        .map(|c| c.id)
        .ok_or_else(|| {
            SoapError::with(
                "20113",
                format!("Campaign '{campaign}' not found in program '{program}'"),
            )
        })
}

pub(super) fn request_campaign(st: &mut State, p: Node<'_, '_>) -> R {
    let source = required(p, "source")?;
    if source != "MKTOWS" && source != "SALES" {
        return Err(SoapError::with(
            "20110",
            format!("Unknown source '{source}'"),
        ));
    }
    // Two parameter sets: campaignId (programName and tokens optional), or programName +
    // campaignName (+ tokens). campaignId with campaignName, or any other combination, is a
    // bad parameter.
    let id = match (
        int_of(p, "campaignId")?,
        text(p, "programName"),
        text(p, "campaignName"),
    ) {
        (Some(_), _, Some(_)) => {
            return Err(SoapError::with(
                "20110",
                "campaignId and campaignName cannot both be given",
            ));
        }
        (Some(id), _, None) => i32::try_from(id).map_err(|_| SoapError::of("20113"))?,
        (None, Some(pn), Some(cn)) => campaign_in_program(st, &pn, &cn)?,
        (None, _, _) => {
            return Err(SoapError::with(
                "20110",
                "Give campaignId alone, or programName and campaignName",
            ));
        }
    };
    let list =
        child(p, "leadList").ok_or_else(|| SoapError::with("20109", "leadList is required"))?;
    let mut leads = Vec::new();
    // Marketo reads at most 100 lead keys and ignores the rest.
    for lk in children(list, "leadKey").take(100) {
        leads.push(resolve_lead_key(st, Some(lk))?);
    }
    if leads.is_empty() {
        return Err(SoapError::with(
            "20109",
            "leadList must name at least one lead",
        ));
    }
    let tokens = attribs(p, "programTokenList");
    trigger_core(st, Api::Soap, id, leads, tokens).map_err(campaign_error)?;
    Ok("<result><success>true</success></result>".into())
}

pub(super) fn schedule_campaign(st: &mut State, p: Node<'_, '_>) -> R {
    let program = required(p, "programName")?;
    let campaign = required(p, "campaignName")?;
    let clone_to = text(p, "cloneToProgramName");
    let run_at = date_of(p, "campaignRunAt")?;
    let tokens = attribs(p, "programTokenList");
    let id = campaign_in_program(st, &program, &campaign)?;
    schedule_core(st, Api::Soap, id, run_at, clone_to, tokens).map_err(campaign_error)?;
    Ok("<result><success>true</success></result>".into())
}
