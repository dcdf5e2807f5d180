//! What was typed into the callout form, kept for the whole visit: going back from the job it
//! started (or to another page and back) shows the form as it was left, rows and their checks included.

use leptos::prelude::*;

use crate::{components::campaign_fields::CampaignDraft, state::number_entry::NumberEntryState};

#[derive(Clone, Copy)]
pub struct CalloutDraft {
    pub account: RwSignal<String>,
    pub meeting_id: RwSignal<String>,
    pub operator: RwSignal<String>,
    pub name: RwSignal<String>,
    pub numbers: NumberEntryState,
    pub campaign: CampaignDraft,
}

/// Called once in `App`: the draft lives as long as the app.
pub fn provide_drafts() {
    provide_context(CalloutDraft {
        account: RwSignal::new(String::new()),
        meeting_id: RwSignal::new(String::new()),
        operator: RwSignal::new(String::new()),
        name: RwSignal::new(String::new()),
        numbers: NumberEntryState::new(),
        campaign: CampaignDraft::new(),
    });
}
