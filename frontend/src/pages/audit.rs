//! `/audit` (admins): who did what, filtered by user, action, account and day, a page at a time,
//! with a CSV export of the same filters.

use callout_shared::audit::{AuditAction, AuditEntry, AuditOutcome, AuditQuery};
use leptos::prelude::*;

use crate::{
    api,
    components::{
        alert::{load_failed, loading},
        date_input::date_input,
        pager::Pager,
    },
    i18n::K,
    logic::dates::{format_local, local_day_bounds},
    state::{load::load, locale::use_locale},
};

const AUDIT_PAGE: u32 = 50;

/// The filters as typed; turned into a query when applied.
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    user: String,
    action: String,
    account: String,
    from: String,
    to: String,
}

impl Filters {
    fn query(&self, page: u32) -> AuditQuery {
        let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        AuditQuery {
            user: text(&self.user),
            action: text(&self.action),
            account_id: text(&self.account),
            from: local_day_bounds(&self.from).map(|(start, _)| start),
            to: local_day_bounds(&self.to).map(|(_, end)| end),
            limit: Some(AUDIT_PAGE + 1),
            offset: Some(page * AUDIT_PAGE),
            utc_offset_minutes: None,
        }
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let locale = use_locale();
    let typed = RwSignal::new(Filters::default());
    let applied = RwSignal::new(Filters::default());
    let page = RwSignal::new(0u32);
    // One row more than a page tells whether a next page exists.
    let entries = load(move || {
        let query = applied.get().query(page.get());
        async move { api::audit(&query).await }
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        page.set(0);
        applied.set(typed.get());
    };
    let export = move || {
        let query = AuditQuery { limit: None, offset: None, utc_offset_minutes: Some(api::utc_offset_minutes()), ..applied.get().query(0) };
        api::audit_url("/export.csv", &query)
    };
    let input = move |id: &'static str, key: K, kind: &'static str, field: fn(&mut Filters) -> &mut String| {
        view! {
            <div class="field">
                <label for=id>{move || locale.t(key)}</label>
                <input id=id type=kind data-testid=id on:input=move |ev| typed.update(|f| *field(f) = event_target_value(&ev)) />
            </div>
        }
    };
    let day = move |id: &'static str, key: K, field: fn(&mut Filters) -> &mut String| {
        let value = Signal::derive(move || typed.with(|f| field(&mut f.clone()).clone()));
        view! {
            <div class="field">
                <label for=id>{move || locale.t(key)}</label>
                {date_input(id.into(), id.into(), value, Box::new(move |v| typed.update(|f| *field(f) = v)))}
            </div>
        }
    };
    let has_next = move || matches!(entries.get(), Some(Ok(rows)) if rows.len() > AUDIT_PAGE as usize);
    view! {
        <section>
            <h1>{locale.text(K::NavAudit)}</h1>
            <form class="card form filters" on:submit=apply>
                {input("audit-user", K::AuditUser, "text", |f| &mut f.user)}
                <div class="field">
                    <label for="audit-action">{locale.text(K::AuditAction)}</label>
                    <select id="audit-action" data-testid="audit-action" on:change=move |ev| typed.update(|f| f.action = event_target_value(&ev))>
                        <option value="">{locale.text(K::FilterAll)}</option>
                        {AuditAction::ALL.iter().map(|a| view! { <option value=a.as_str()>{locale.text(action_key(*a))}</option> }).collect_view()}
                    </select>
                </div>
                {input("audit-account", K::AccountLabel, "text", |f| &mut f.account)}
                {day("audit-from", K::AuditFrom, |f| &mut f.from)}
                {day("audit-to", K::AuditTo, |f| &mut f.to)}
                <div class="form-actions">
                    <button type="submit" class="primary" data-testid="audit-apply">{locale.text(K::ApplyFilters)}</button>
                    <a class="button" href=export download data-testid="audit-export">{locale.text(K::ExportCsv)}</a>
                </div>
            </form>
            <div class="card">
                {move || match entries.get() {
                    None => loading(),
                    Some(Err(e)) => load_failed(&e),
                    Some(Ok(rows)) if rows.is_empty() => view! { <p class="muted">{locale.t(K::NothingFound)}</p> }.into_any(),
                    Some(Ok(rows)) => view! { <AuditTable rows=rows.into_iter().take(AUDIT_PAGE as usize).collect() /> }.into_any(),
                }}
                <Pager
                    page=Signal::derive(move || { let at = page.get() as usize; (at, at + 1 + usize::from(has_next())) })
                    on_page=move |n| page.set(n as u32) />
            </div>
        </section>
    }
}

#[component]
fn AuditTable(rows: Vec<AuditEntry>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="table-wrap">
            <table class="list" data-testid="audit-table">
                <thead><tr>
                    <th scope="col">{locale.text(K::AuditWhen)}</th>
                    <th scope="col">{locale.text(K::AuditUser)}</th>
                    <th scope="col">{locale.text(K::AuditAction)}</th>
                    <th scope="col">{locale.text(K::AccountLabel)}</th>
                    <th scope="col">{locale.text(K::AuditTarget)}</th>
                    <th scope="col">{locale.text(K::AuditOutcome)}</th>
                </tr></thead>
                <tbody>
                    <For each=move || rows.clone() key=|e| e.id let:e>
                        <tr data-testid="audit-row">
                            <td>{format_local(e.at)}</td>
                            <td>{e.email.clone().unwrap_or_else(|| e.subject.clone())}</td>
                            <td data-testid="audit-row-action" data-action=e.action.clone() title=e.action.clone()>
                                {let action = e.action.clone(); move || words(&action, action_key, locale)}
                            </td>
                            <td>{e.account_id.clone()}</td>
                            <td><code data-testid="audit-row-target">{e.target.clone()}</code></td>
                            <td title=e.detail.clone().unwrap_or_default() data-testid="audit-row-outcome" data-outcome=e.outcome.clone()>
                                {let outcome = e.outcome.clone(); move || words(&outcome, outcome_key, locale)}
                            </td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// A stored word in the reader's language; a word this build does not know is shown as it is.
fn words<T: std::str::FromStr>(word: &str, key: fn(T) -> K, locale: crate::state::locale::Locale) -> String {
    word.parse::<T>().map(|w| locale.t(key(w)).to_owned()).unwrap_or_else(|_| word.to_owned())
}

fn action_key(action: AuditAction) -> K {
    match action {
        AuditAction::CalloutJob => K::ActionCalloutJob,
        AuditAction::DialexJob => K::ActionDialexJob,
        AuditAction::MeetingCallout => K::ActionMeetingCallout,
        AuditAction::CalloutRetryUnknown => K::ActionRetryUnknown,
        AuditAction::CalloutCancel => K::ActionCalloutCancel,
        AuditAction::JobPause => K::ActionJobPause,
        AuditAction::JobResume => K::ActionJobResume,
        AuditAction::JobStop => K::ActionJobStop,
        AuditAction::JobRetryPolicy => K::ActionJobRetryPolicy,
        AuditAction::RoomCall => K::ActionRoomCall,
        AuditAction::RoomCallCancel => K::ActionRoomCallCancel,
        AuditAction::Dialex => K::ActionDialex,
        AuditAction::DoNotCallAdd => K::ActionDncAdd,
        AuditAction::DoNotCallRemove => K::ActionDncRemove,
    }
}

fn outcome_key(outcome: AuditOutcome) -> K {
    match outcome {
        AuditOutcome::Ok => K::OutcomeOk,
        AuditOutcome::Refused => K::OutcomeRefused,
        AuditOutcome::Rejected => K::OutcomeRejected,
        AuditOutcome::Unknown => K::StatusUnknown,
        AuditOutcome::NotSent => K::OutcomeNotSent,
        AuditOutcome::AlreadyListed => K::OutcomeAlreadyListed,
    }
}
