//! Program membership seen from leads and programs. The program member records
//! of the generic store (kind `programMember`, keyed by `leadId` and
//! `programId`) are the only copy: the program member API, the Leads API's
//! program calls (Get Leads by Program Id, Get Programs by Lead Id, Change Lead
//! Program Status), Push Lead and Submit Form all read and write them here, so
//! a status set through one is what the others see.

use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::{LeadObjects, ObjectStore, PROGRAM_MEMBER, Record, text};
use crate::state::{ProgressionStatus, State};
use crate::util;

/// What a status change did to one lead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StatusChange {
    /// The lead was not a member; it is now, with the status.
    Created,
    /// The member's status moved forward.
    Updated,
    /// The member already has this status or one of a later step.
    AlreadyPast,
}

/// The store key of one membership.
pub(crate) fn member_key(program: i32, lead: i64) -> Map<String, Value> {
    let mut k = Map::new();
    k.insert("leadId".into(), lead.into());
    k.insert("programId".into(), program.into());
    k
}

fn int_field(r: &Record, name: &str) -> Option<i64> {
    r.fields
        .get(name)
        .and_then(text)
        .and_then(|t| t.parse().ok())
}

impl LeadObjects {
    /// The program member store (every instance has it).
    pub(crate) fn members(&self) -> &ObjectStore {
        self.store(PROGRAM_MEMBER).expect("program member store")
    }

    /// The member records of a program with their lead ids, in lead id order.
    pub(crate) fn program_members(&self, program: i32) -> Vec<(i64, &Record)> {
        let mut v: Vec<(i64, &Record)> = self
            .members()
            .records
            .values()
            .filter(|r| int_field(r, "programId") == Some(i64::from(program)))
            .filter_map(|r| int_field(r, "leadId").map(|l| (l, r)))
            .collect();
        v.sort_by_key(|(l, r)| (*l, r.num));
        v
    }

    /// The memberships of a lead with their program ids, in program id order.
    pub(crate) fn lead_programs(&self, lead: i64) -> Vec<(i32, &Record)> {
        let mut v: Vec<(i32, &Record)> = self
            .members()
            .records
            .values()
            .filter(|r| int_field(r, "leadId") == Some(lead))
            .filter_map(|r| {
                let p = int_field(r, "programId")?;
                i32::try_from(p).ok().map(|p| (p, r))
            })
            .collect();
        v.sort_by_key(|(p, r)| (*p, r.num));
        v
    }
}

impl State {
    /// The member statuses of a program's channel, in step order (empty for an
    /// unknown program or channel).
    pub(crate) fn program_statuses(&self, program: i32) -> Vec<ProgressionStatus> {
        let Some(p) = self.programs.get(&program) else {
            return Vec::new();
        };
        self.channels
            .iter()
            .find(|c| c.name == p.channel)
            .map(|c| c.statuses.clone())
            .unwrap_or_default()
    }

    /// Adds a lead to a program (Push Lead, Submit Form) unless it is a member
    /// already. The status is the channel's `Member` when it has one, else its
    /// first status after "Not in Program". Returns whether it joined.
    pub(crate) fn join_program(&mut self, program: i32, lead: i64, now: OffsetDateTime) -> bool {
        let statuses = self.program_statuses(program);
        let status = statuses
            .iter()
            .find(|s| s.name == "Member")
            .or_else(|| statuses.iter().find(|s| s.step > 0))
            .cloned();
        let Some(status) = status else {
            return false;
        };
        let store = self.lead_objects.members();
        if !store.find_key(&member_key(program, lead)).is_empty() {
            return false;
        }
        self.set_program_status(program, lead, &status, now) == StatusChange::Created
    }

    /// Sets a lead's status in a program (Sync Program Member Status, Change
    /// Lead Program Status): a lead that is not a member joins with it (acquired
    /// by the program); a member moves forward only, so a status of the same or
    /// an earlier step leaves it as it is. A success status marks success. A
    /// change is logged as a "Change Status in Progression" activity (104).
    pub(crate) fn set_program_status(
        &mut self,
        program: i32,
        lead: i64,
        target: &ProgressionStatus,
        now: OffsetDateTime,
    ) -> StatusChange {
        let statuses = self.program_statuses(program);
        let current = self
            .lead_objects
            .members()
            .find_key(&member_key(program, lead))
            .first()
            .and_then(|n| self.lead_objects.members().records.get(n))
            .map(|r| {
                r.fields
                    .get("statusName")
                    .and_then(Value::as_str)
                    .and_then(|n| statuses.iter().find(|x| x.name.eq_ignore_ascii_case(n)))
            });
        if let Some(current) = current
            && current.map_or(-1, |x| x.step) >= target.step
        {
            return StatusChange::AlreadyPast;
        }
        let old = current
            .flatten()
            .map_or_else(|| "Not in Program".to_owned(), |c| c.name.clone());
        let created = self.write_membership(program, lead, target, Map::new(), now);
        self.push_activity(
            lead,
            now,
            104,
            None,
            Some(i64::from(program)),
            self.programs.get(&program).map(|p| p.name.clone()),
            vec![
                ("Old Status".into(), old.into()),
                ("New Status".into(), target.name.clone().into()),
                ("Success".into(), target.success.into()),
                ("Reason".into(), "Changed by the API".into()),
            ],
        );
        if created {
            StatusChange::Created
        } else {
            StatusChange::Updated
        }
    }

    /// The status `name` of a program's channel (compared without case), if
    /// the program has it.
    pub(crate) fn program_status(&self, program: i32, name: &str) -> Option<ProgressionStatus> {
        self.program_statuses(program)
            .into_iter()
            .find(|s| s.name.eq_ignore_ascii_case(name))
    }

    /// Writes a lead's membership of a program with `status` and the member
    /// fields `extra`, whatever its current status (callers apply their own
    /// rule first): a new membership is acquired by the program and dated
    /// now; a success status marks success once. Returns whether it was
    /// created.
    pub(crate) fn write_membership(
        &mut self,
        program: i32,
        lead: i64,
        status: &ProgressionStatus,
        extra: Map<String, Value>,
        now: OffsetDateTime,
    ) -> bool {
        let program_name = self
            .programs
            .get(&program)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let lo = &mut self.lead_objects;
        let mut next = lo.next;
        let store = lo.store_mut(PROGRAM_MEMBER).expect("program member store");
        let found = store.find_key(&member_key(program, lead)).first().copied();
        let mut fields = match found.and_then(|n| store.records.get(&n)) {
            Some(r) => r.fields.clone(),
            None => {
                let mut f = member_key(program, lead);
                f.insert("program".into(), program_name.into());
                f.insert("acquiredBy".into(), true.into());
                f.insert("reachedSuccess".into(), false.into());
                f.insert("membershipDate".into(), util::rfc3339(now).into());
                f
            }
        };
        fields.insert("statusName".into(), status.name.clone().into());
        if status.success && fields.get("reachedSuccess") != Some(&Value::Bool(true)) {
            fields.insert("reachedSuccess".into(), true.into());
            fields.insert("reachedSuccessDate".into(), util::rfc3339(now).into());
        }
        fields.extend(extra);
        let created = match found.and_then(|n| store.records.get_mut(&n)) {
            Some(r) => {
                r.fields = fields;
                r.updated_at = now;
                false
            }
            None => {
                store.insert(fields, &mut next, now);
                true
            }
        };
        lo.next = next;
        created
    }
}

/// A membership as the Leads API prints it (`membership` of Get Leads by
/// Program Id, an item of Get Programs by Lead Id): the program id as `id`, the
/// status, acquisition, success, exhaustion and dates, and the nurture cadence
/// when set (engagement programs).
pub(crate) fn membership_json(program: i32, r: &Record) -> Value {
    let flag = |name: &str| r.fields.get(name).and_then(Value::as_bool).unwrap_or(false);
    let mut v = json!({
        "id": program,
        "progressionStatus": r.fields.get("statusName").cloned().unwrap_or(Value::Null),
        "acquiredBy": flag("acquiredBy"),
        "reachedSuccess": flag("reachedSuccess"),
        "membershipDate": r
            .fields
            .get("membershipDate")
            .cloned()
            .unwrap_or_else(|| util::rfc3339(r.created_at).into()),
        "updatedAt": util::rfc3339(r.updated_at),
        "isExhausted": flag("isExhausted"),
    });
    if let Some(c) = r.fields.get("nurtureCadence").filter(|c| !c.is_null()) {
        v["nurtureCadence"] = c.clone();
    }
    v
}
