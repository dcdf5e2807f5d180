//! The do-not-call list: numbers of the configuration file plus the ones admins add. Every dialling
//! path asks it about every number it would dial.

use std::collections::HashSet;

use callout_shared::{
    dnc::{AddDoNotCall, DoNotCallAdded, DoNotCallEntry},
    error::ErrorCode,
    me::Role,
    numbers::{NumberValidation, ValidateNumbersRequest, ValidateNumbersResponse},
};

/// Rows per validation call: a whole pasted list, but bounded.
pub const MAX_NUMBERS_PER_VALIDATION: usize = 5_000;

use super::{audit::Audit, Actor, Calls, ServiceError};
use crate::phone;

/// The numbers never to call, as of one moment (for a whole job).
pub struct DoNotCall {
    listed: HashSet<String>,
}

impl DoNotCall {
    pub fn contains(&self, e164: &str) -> bool {
        self.listed.contains(e164)
    }
}

impl Calls {
    /// The whole list now: the configuration's numbers and the database's.
    pub(super) async fn do_not_call(&self) -> Result<DoNotCall, ServiceError> {
        let mut listed = self.store.do_not_call_numbers().await?;
        listed.extend(self.configured_do_not_call.iter().cloned());
        Ok(DoNotCall { listed })
    }

    /// The forms' check: each row normalised, and a number on the list flagged so the form counts
    /// it as not to be called before the job says so. Viewers, who may not read the list, are not told.
    pub async fn validate_numbers(&self, actor: &Actor, request: &ValidateNumbersRequest) -> Result<ValidateNumbersResponse, ServiceError> {
        if request.numbers.len() > MAX_NUMBERS_PER_VALIDATION {
            return Err(ServiceError::invalid("numbers", format!("at most {MAX_NUMBERS_PER_VALIDATION} numbers per request")));
        }
        let region = match request.default_region.as_deref() {
            None => phone::DEFAULT_REGION,
            Some(code) => phone::region(code)
                .ok_or_else(|| ServiceError::invalid("default_region", format!("`{code}` is not an ISO 3166 country code")))?,
        };
        let listed = if actor.role >= Role::Operator { Some(self.do_not_call().await?) } else { None };
        let results = request
            .numbers
            .iter()
            .map(|input| match phone::normalize(input, region) {
                Ok(number) => {
                    let do_not_call = listed.as_ref().is_some_and(|l| l.contains(&number.e164));
                    NumberValidation::Valid { number, do_not_call }
                }
                Err(problem) => NumberValidation::Invalid { problem, message: problem.message().to_owned() },
            })
            .collect();
        Ok(ValidateNumbersResponse { results })
    }

    pub async fn do_not_call_entries(&self, actor: &Actor) -> Result<Vec<DoNotCallEntry>, ServiceError> {
        actor.require(Role::Operator)?;
        let mut entries = self.store.do_not_call_entries().await?;
        // Numbers from the configuration file are listed too, marked so the UI offers no removal.
        for e164 in &self.configured_do_not_call {
            match entries.iter_mut().find(|e| &e.e164 == e164) {
                Some(entry) => entry.configured = true,
                None => entries.push(DoNotCallEntry { e164: e164.clone(), note: None, added_by: None, added_at: None, configured: true }),
            }
        }
        entries.sort_by(|a, b| a.e164.cmp(&b.e164));
        Ok(entries)
    }

    /// Adds a number (normalised); answers with the stored entry and whether it was listed already
    /// (its note is kept unless a new one is given). A number of the configuration file is not stored
    /// again: a database row would outlive its removal from the file.
    pub async fn add_do_not_call(&self, actor: &Actor, request: &AddDoNotCall) -> Result<DoNotCallAdded, ServiceError> {
        actor.require(Role::Admin)?;
        let number = phone::normalize(&request.number, phone::DEFAULT_REGION)
            .map_err(|problem| ServiceError::InvalidNumber { field: "number".into(), problem })?;
        if self.configured_do_not_call.contains(&number.e164) {
            return Err(configured(&number.e164));
        }
        let note = request.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
        let added = self.store.add_do_not_call(&number.e164, note, &actor.subject).await?;
        let audit = Audit {
            action: "do_not_call_add",
            account_id: None,
            target: Some(&number.e164),
            operator: None,
            outcome: if added.already_listed { "already_listed" } else { "ok" },
            detail: note,
        };
        self.audit(actor, audit).await;
        Ok(added)
    }

    pub async fn remove_do_not_call(&self, actor: &Actor, e164: &str) -> Result<(), ServiceError> {
        actor.require(Role::Admin)?;
        if self.configured_do_not_call.contains(e164) {
            return Err(configured(e164));
        }
        if !self.store.remove_do_not_call(e164).await? {
            return Err(ServiceError::NotFound(format!("{e164} is not on the list")));
        }
        let audit =
            Audit { action: "do_not_call_remove", account_id: None, target: Some(e164), operator: None, outcome: "ok", detail: None };
        self.audit(actor, audit).await;
        Ok(())
    }
}

fn configured(e164: &str) -> ServiceError {
    ServiceError::Conflict {
        code: ErrorCode::DoNotCallConfigured,
        message: format!("{e164} is on the list through the configuration file; change it there"),
    }
}
