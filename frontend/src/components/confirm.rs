//! The confirmation step of the forms that dial a list of numbers: what goes where, how many numbers
//! are called and how many skipped, and the start and back buttons. Nothing is sent before it.

use std::{future::Future, pin::Pin};

use callout_shared::jobs::JobCreated;
use leptos::prelude::*;

use crate::{
    api::ApiError,
    components::{alert::Progress, field::Submission},
    i18n::{fill, K},
    state::{
        alert::{Alert, Alerts},
        locale::use_locale,
        number_entry::NumberEntryState,
        session::Me,
    },
};

/// A form's "review" step: opens the confirmation once every number is checked and one at least
/// can be dialled, and otherwise says what to wait for or fix.
pub fn review(numbers: NumberEntryState, open: RwSignal<bool>, alerts: Alerts) {
    if numbers_ready(numbers, alerts) {
        open.set(true);
    }
}

/// Whether every number is checked and one at least can be dialled; says what to wait for or fix if not.
pub fn numbers_ready(numbers: NumberEntryState, alerts: Alerts) -> bool {
    let tally = numbers.tally.get_untracked();
    if tally.pending > 0 || numbers.checking.get_untracked() {
        alerts.show(Alert::Info(K::WaitForChecks));
    } else if tally.valid == 0 {
        alerts.show(Alert::Info(K::NeedValidNumbers));
    } else {
        return true;
    }
    false
}

/// The request that starts a job, boxed so that one compiled start serves every form.
pub type JobRequest = Pin<Box<dyn Future<Output = Result<JobCreated, ApiError>>>>;

/// Shown while `open`; the start button sends `request()` through `dial` and opens the job's live
/// view; `children` are the page's own facts (`<dt>`/`<dd>` pairs), listed before the
/// counts. The card is `{prefix}-confirm` and its start button `{prefix}-start` for the browser tests.
#[component]
pub fn ConfirmCard(
    prefix: &'static str,
    title: K,
    numbers: NumberEntryState,
    /// Whether to say how many provider batches the valid numbers take.
    #[prop(optional)]
    batches: bool,
    open: RwSignal<bool>,
    dial: Submission,
    #[prop(into)] request: Callback<(), JobRequest>,
    children: ChildrenFn,
) -> impl IntoView {
    let locale = use_locale();
    let me = expect_context::<Me>();
    let tally = numbers.tally;
    let busy = dial.busy;
    let navigate = StoredValue::new_local(leptos_router::hooks::use_navigate());
    let start = move |_| {
        dial.send(request.run(()), move |created| {
            open.set(false);
            // The job view follows every call live.
            navigate.with_value(|go| go(&format!("/callout/jobs/{}", created.job_id), Default::default()));
        });
    };
    // After a long list the card opens below the fold: bring it into view.
    let card = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(card) = card.get() {
            card.scroll_into_view();
        }
    });
    view! {
        <Show when=move || open.get()>
            <div class="card card-confirm" node_ref=card data-testid=format!("{prefix}-confirm") role="region" aria-labelledby="confirm-title">
                <h2 id="confirm-title">{locale.text(title)}</h2>
                <dl class="facts">
                    {children()}
                    <dt>{locale.text(K::ConfirmValid)}</dt><dd data-testid="confirm-valid">{move || tally.get().valid}</dd>
                    {batches.then(|| view! {
                        <dt>{locale.text(K::ConfirmBatches)}</dt><dd data-testid="confirm-batches">{move || tally.get().batches()}</dd>
                    })}
                </dl>
                {move || {
                    let t = tally.get();
                    let skipped = t.invalid + t.duplicates + t.blocked;
                    (skipped > 0).then(|| view! {
                        <p class="muted" data-testid="confirm-skipped">{fill(locale.t(K::ConfirmSkipped), &[("count", &skipped.to_string())])}</p>
                    })
                }}
                <div class="form-actions">
                    <button type="button" class="primary" on:click=start disabled=move || busy.get() || !me.may_dial()
                        data-testid=format!("{prefix}-start")>
                        {locale.text(K::StartCalling)}
                    </button>
                    <button type="button" on:click=move |_| open.set(false) disabled=move || busy.get()>{locale.text(K::Back)}</button>
                    <Show when=move || busy.get()>
                        <Progress label=Signal::derive(move || locale.t(K::Starting)) />
                    </Show>
                </div>
            </div>
        </Show>
    }
}
