//! "When to dial" on the job forms: a start time, the hours to call in (the account's by default)
//! and calling again numbers that did not answer, with a preview of when dialling will happen
//! (computed by the backend, which has the time-zone database).

use callout_shared::campaign::{CallingWindow, CampaignPlan, CampaignPreview, CampaignPreviewRequest, RetryPolicy, Weekday};
use leptos::prelude::*;

use crate::{
    api,
    components::field::{described_by, Field, FieldErrors},
    i18n::K,
    logic::{campaign::weekday_key, dates::format_local},
    state::locale::use_locale,
};

/// What the form holds (kept as typed; [`CampaignDraft::plan`] reads it).
#[derive(Clone, Copy)]
pub struct CampaignDraft {
    /// `datetime-local` text, in the browser's zone; empty: at once.
    pub start: RwSignal<String>,
    pub own_window: RwSignal<bool>,
    pub days: RwSignal<Vec<Weekday>>,
    pub from: RwSignal<String>,
    pub to: RwSignal<String>,
    pub time_zone: RwSignal<String>,
    pub retry: RwSignal<bool>,
    pub attempts: RwSignal<String>,
    pub spacing: RwSignal<String>,
}

impl Default for CampaignDraft {
    fn default() -> Self {
        Self::new()
    }
}

impl CampaignDraft {
    /// Weekdays 09:00–18:00 in the browser's zone, three attempts 30 minutes apart, once switched on.
    pub fn new() -> Self {
        Self {
            start: RwSignal::new(String::new()),
            own_window: RwSignal::new(false),
            days: RwSignal::new(vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri]),
            from: RwSignal::new("09:00".into()),
            to: RwSignal::new("18:00".into()),
            time_zone: RwSignal::new(browser_time_zone()),
            retry: RwSignal::new(false),
            attempts: RwSignal::new("3".into()),
            spacing: RwSignal::new("30".into()),
        }
    }

    /// The plan to send; the backend checks it and names the field of any problem.
    pub fn plan(&self) -> CampaignPlan {
        let start = self.start.get_untracked();
        CampaignPlan {
            start_at: local_time_ms(&start),
            window: self.own_window.get_untracked().then(|| CallingWindow {
                days: self.days.get_untracked(),
                from: self.from.get_untracked(),
                to: self.to.get_untracked(),
                time_zone: self.time_zone.get_untracked().trim().to_owned(),
            }),
            retry: self.retry.get_untracked().then(|| RetryPolicy {
                max_attempts: self.attempts.get_untracked().trim().parse().unwrap_or(0),
                spacing_minutes: self.spacing.get_untracked().trim().parse().unwrap_or(0),
            }),
        }
    }
}

/// `2026-12-02T14:30` read in the browser's zone.
fn local_time_ms(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(text)).get_time();
    ms.is_finite().then_some(ms as i64)
}

/// The browser's IANA zone (`Asia/Shanghai`), the window's default.
fn browser_time_zone() -> String {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new()).resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into()).ok().and_then(|v| v.as_string()).unwrap_or_else(|| "UTC".into())
}

#[component]
pub fn CampaignFields(draft: CampaignDraft, #[prop(into)] account: Signal<String>, errors: FieldErrors) -> impl IntoView {
    let locale = use_locale();
    let preview = RwSignal::new(None::<Result<CampaignPreview, String>>);
    let show_preview = move |_| {
        let request = CampaignPreviewRequest { account_id: account.get_untracked(), plan: draft.plan() };
        leptos::task::spawn_local(async move {
            let answer = api::preview_campaign(&request).await.map_err(|e| crate::logic::errors::one_line(&e, locale.lang()));
            preview.set(Some(answer));
        });
    };
    let day_box = move |day: Weekday| {
        let checked = move || draft.days.with(|d| d.contains(&day));
        let toggle = move |_| {
            draft.days.update(|d| {
                if let Some(at) = d.iter().position(|x| *x == day) {
                    d.remove(at);
                } else {
                    d.push(day);
                    d.sort();
                }
            })
        };
        view! {
            <label class="day">
                <input type="checkbox" prop:checked=checked on:change=toggle data-testid=format!("window-day-{}", day.as_str()) />
                {move || locale.t(weekday_key(day))}
            </label>
        }
    };
    view! {
        <fieldset class="card" data-testid="campaign-fields">
            <legend>{locale.text(K::CampaignTitle)}</legend>
            <Field id="campaign-start" label=Signal::derive(move || locale.t(K::StartAtLabel))
                help=Signal::derive(move || locale.t(K::StartAtHelp)) error=errors.text("campaign.start_at")>
                <input id="campaign-start" type="datetime-local" bind:value=draft.start aria-describedby=described_by("campaign-start")
                    data-testid="campaign-start" />
            </Field>
            <label class="check">
                <input type="checkbox" bind:checked=draft.own_window data-testid="campaign-own-window" />
                {locale.text(K::OwnWindowLabel)}
            </label>
            <Show when=move || draft.own_window.get()>
                <div class="window" role="group" aria-label=move || locale.t(K::CampaignWindow)>
                    <div class="days">{Weekday::ALL.iter().copied().map(day_box).collect_view()}</div>
                    <Field id="window-from" label=Signal::derive(move || locale.t(K::WindowFromLabel)) error=errors.text("campaign.window")>
                        <input id="window-from" type="time" bind:value=draft.from data-testid="window-from" />
                    </Field>
                    <Field id="window-to" label=Signal::derive(move || locale.t(K::WindowToLabel)) error=Signal::derive(|| None::<String>)>
                        <input id="window-to" type="time" bind:value=draft.to data-testid="window-to" />
                    </Field>
                    <Field id="window-zone" label=Signal::derive(move || locale.t(K::TimeZoneLabel)) error=Signal::derive(|| None::<String>)>
                        <input id="window-zone" bind:value=draft.time_zone autocomplete="off" data-testid="window-zone" />
                    </Field>
                </div>
            </Show>
            <label class="check">
                <input type="checkbox" bind:checked=draft.retry data-testid="campaign-retry" />
                {locale.text(K::RetryLabel)}
            </label>
            <Show when=move || draft.retry.get()>
                <div class="retry">
                    <Field id="retry-attempts" label=Signal::derive(move || locale.t(K::AttemptsLabel))
                        help=Signal::derive(move || locale.t(K::AttemptsHelp)) error=errors.text("campaign.retry")>
                        <input id="retry-attempts" type="number" min="1" max="10" bind:value=draft.attempts
                            aria-describedby=described_by("retry-attempts") data-testid="retry-attempts" />
                    </Field>
                    <Field id="retry-spacing" label=Signal::derive(move || locale.t(K::SpacingLabel)) error=Signal::derive(|| None::<String>)>
                        <input id="retry-spacing" type="number" min="1" max="10080" bind:value=draft.spacing data-testid="retry-spacing" />
                    </Field>
                </div>
            </Show>
            <button type="button" on:click=show_preview data-testid="campaign-preview">{locale.text(K::PreviewDialling)}</button>
            <div data-testid="campaign-preview-result" aria-live="polite">
                {move || preview.get().map(|answer| match answer {
                    Err(message) => view! { <p class="field-error">{message}</p> }.into_any(),
                    Ok(p) => view! {
                        <p class="muted">{move || locale.t(if p.window.is_none() { K::PreviewAnyTime } else if p.window_is_default { K::PreviewDefaultWindow } else { K::PreviewOwnWindow })}</p>
                        <ul class="spans">
                            {p.spans.iter().map(|s| {
                                let to = s.to.map(format_local).unwrap_or_default();
                                view! { <li data-testid="campaign-span">{format_local(s.from)}{(!to.is_empty()).then_some(" – ")}{to}</li> }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </div>
        </fieldset>
    }
}
