//! `/status`: the provider's list of every callout of a meeting, a page at a time. The account,
//! meeting, page and page size live in the URL, so a view can be bookmarked and reloaded; the
//! calls this console's jobs placed are marked (by the backend) with their job and submitter.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::{
    api,
    components::{
        alert::{load_failed, loading},
        field::{FieldErrors, MeetingFields},
        pager::Pager,
    },
    i18n::K,
    pages::{job::status_key, ms_open_id::show_number},
    state::{alert::use_alerts, load::load, locale::use_locale},
};

const PAGE_SIZES: [u32; 4] = [10, 20, 50, 100];
/// Seconds between refreshes when auto-refresh is on.
const REFRESH_SECONDS: u64 = 5;

#[component]
pub fn StatusPage() -> impl IntoView {
    let locale = use_locale();
    let alerts = use_alerts();
    let navigate = use_navigate();
    let query = use_query_map();
    let param = move |name: &str| query.with(|q| q.get(name).unwrap_or_default());
    let number =
        move |name: &str, default: u32, max: u32| param(name).parse::<u32>().ok().filter(|n| (1..=max).contains(n)).unwrap_or(default);
    let page = Memo::new(move |_| number("page", 1, u32::MAX));
    let page_size = Memo::new(move |_| number("page_size", 20, 100));
    let shown_meeting = Memo::new(move |_| param("meeting_id"));
    let shown_account = Memo::new(move |_| param("account_id"));

    let errors = FieldErrors::new();
    // The form starts from the URL once; reading the query memo here, outside any reactive
    // context, is what Leptos warns about ("ArcMemo accessed outside a reactive tracking context").
    let initial = |name: &str| query.with_untracked(|q| q.get(name).unwrap_or_default());
    let account = RwSignal::new(initial("account_id"));
    let meeting_id = RwSignal::new(initial("meeting_id"));
    let auto = RwSignal::new(false);
    let tick = RwSignal::new(0u32);

    let go = move |account: String, meeting: String, page: u32, size: u32| {
        navigate(&format!("/status?account_id={account}&meeting_id={meeting}&page={page}&page_size={size}"), Default::default());
    };
    let go = StoredValue::new_local(go);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        alerts.clear();
        if let Some(id) = errors.meeting(&account.get_untracked(), &meeting_id.get_untracked()) {
            go.with_value(|go| go(account.get_untracked(), id, 1, page_size.get_untracked()));
        }
    };

    let list = load(move || {
        tick.track();
        let (meeting, account, page, size) = (shown_meeting.get(), shown_account.get(), page.get(), page_size.get());
        async move {
            if meeting.is_empty() {
                return None;
            }
            Some(api::callout_status(&meeting, &account, page, size).await)
        }
    });
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if auto.get_untracked() {
                tick.update(|t| *t += 1);
            }
        },
        std::time::Duration::from_secs(REFRESH_SECONDS),
    ) {
        on_cleanup(move || handle.clear());
    }

    let to_page =
        move |n: u32| go.with_value(|go| go(shown_account.get_untracked(), shown_meeting.get_untracked(), n, page_size.get_untracked()));
    let choose_size = move |ev: leptos::ev::Event| {
        let size = event_target_value(&ev).parse().unwrap_or(20);
        go.with_value(|go| go(shown_account.get_untracked(), shown_meeting.get_untracked(), 1, size));
    };
    view! {
        <section>
            <h1>{locale.text(K::NavStatus)}</h1>
            <p class="muted">{locale.text(K::StatusIntro)}</p>
            <form class="form" on:submit=submit novalidate>
                <MeetingFields account meeting_id errors />
                <div class="form-actions">
                    <button type="submit" class="primary" data-testid="status-show">{locale.text(K::ShowList)}</button>
                    <label class="checkbox">
                        <input type="checkbox" prop:checked=move || auto.get() on:change=move |ev| auto.set(event_target_checked(&ev)) data-testid="auto-refresh" />
                        {locale.text(K::AutoRefresh)}
                    </label>
                    <label>{locale.text(K::PageSize)}" "
                        <select on:change=choose_size data-testid="page-size">
                            {PAGE_SIZES.map(|n| view! { <option value=n.to_string() prop:selected=move || page_size.get() == n>{n}</option> }).collect_view()}
                        </select>
                    </label>
                </div>
            </form>
            {move || match list.get() {
                None => loading(),
                Some(None) => ().into_any(),
                Some(Some(Err(e))) => load_failed(&e),
                Some(Some(Ok(p))) => {
                    let (at, pages) = (p.current_page.max(1), p.total_page.max(1));
                    view! {
                        <div class="card">
                            <div class="table-wrap">
                                <table class="list" data-testid="status-table">
                                    <thead><tr>
                                        <th scope="col">{locale.text(K::ColNumber)}</th>
                                        <th scope="col">{locale.text(K::ColNickname)}</th>
                                        <th scope="col">{locale.text(K::ColStatus)}</th>
                                        <th scope="col">{locale.text(K::ProviderStatusLabel)}</th>
                                        <th scope="col">"ms_open_id"</th>
                                        <th scope="col">{locale.text(K::OursLabel)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {p.items.into_iter().map(|item| {
                                            let ours = item.console.is_some();
                                            view! {
                                                <tr data-testid="status-row" class:our-call=ours>
                                                    <td>{show_number(&item.callee.number())}</td>
                                                    <td>{item.callee.nick_name.clone()}</td>
                                                    <td><span class=format!("badge status status-{}", item.status.as_str())>{move || locale.t(status_key(item.status))}</span></td>
                                                    <td>{item.raw_status.clone()}</td>
                                                    <td><code>{item.ms_open_id.clone()}</code></td>
                                                    <td data-testid="ours">{item.console.map(|c| view! { <a href=format!("/callout/jobs/{}", c.job_id)>{c.placed_by}</a> })}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pager page=Signal::derive(move || ((at - 1) as usize, pages as usize)) on_page=move |n| to_page(n as u32 + 1) />
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
