//! `/room-call`: invite a meeting room (by its id) or a SIP/H.323 device (by address) into a
//! meeting, then follow the invitation until it is final, with a way to cancel it.

use callout_shared::meeting::{
    validate_dial_string, DialStringProblem, MeetingAccount, MraProtocol, RoomCallApiRequest, RoomCallInfo, RoomTarget,
};
use leptos::prelude::*;

use crate::{
    api,
    components::{
        alert::Progress,
        field::{described_by, Field, FieldErrors, FieldProblem, MeetingFields, Submission, ViewerNote},
    },
    i18n::K,
    logic::dates::format_local_seconds,
    pages::job::status_key,
    state::{
        alert::{use_alerts, Alert, Alerts},
        locale::use_locale,
        session::Me,
        tasks::Tasks,
    },
};

/// Seconds between two status checks of a pending invitation.
const POLL_SECONDS: u64 = 3;

pub fn dial_problem_key(problem: DialStringProblem) -> K {
    match problem {
        DialStringProblem::Empty => K::Required,
        DialStringProblem::TooLong => K::DialTooLong,
        DialStringProblem::ContainsWhitespace => K::DialWhitespace,
        DialStringProblem::NotASipAddress => K::DialNotSip,
        DialStringProblem::NotAnH323Address => K::DialNotH323,
    }
}

#[component]
pub fn RoomCallPage() -> impl IntoView {
    let locale = use_locale();
    let alerts = use_alerts();
    let me = expect_context::<Me>();
    let errors = FieldErrors::new();
    let tasks = Tasks::new();
    let account = RwSignal::new(String::new());
    let meeting_id = RwSignal::new(String::new());
    let by_address = RwSignal::new(false);
    let room_id = RwSignal::new(String::new());
    let protocol = RwSignal::new(MraProtocol::Sip);
    let dial_string = RwSignal::new(String::new());
    // The invitation being followed: what was sent, its id, and its latest status.
    let sent = RwSignal::new(None::<RoomCallApiRequest>);
    let info = RwSignal::new(None::<RoomCallInfo>);

    // As you type, with the same rule the backend applies; quiet while the field is empty.
    let dial_problem = Signal::derive(move || {
        let text = dial_string.get();
        if text.trim().is_empty() {
            return None;
        }
        validate_dial_string(protocol.get(), &text).err().map(|p| locale.t(dial_problem_key(p)).to_owned())
    });
    let dial_error = Signal::derive(move || dial_problem.get().or_else(|| errors.text("dial_string").get()));

    let invite = Submission::new(errors, &["account_id", "meeting_id", "meeting_room_id", "dial_string"]);
    let cancel = Submission::new(errors, &[]);

    // Poll while an invitation is pending.
    if let Ok(handle) = set_interval_with_handle(
        move || {
            let pending = sent.with_untracked(Option::is_some) && !info.with_untracked(|i| i.as_ref().is_some_and(|i| i.status.is_final()));
            if pending {
                refresh(sent, info, alerts, tasks);
            }
        },
        std::time::Duration::from_secs(POLL_SECONDS),
    ) {
        on_cleanup(move || handle.clear());
    }

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        alerts.clear();
        let Some(id) = errors.meeting(&account.get(), &meeting_id.get()) else { return };
        let target = if by_address.get() {
            let text = dial_string.get().trim().to_owned();
            if let Err(problem) = validate_dial_string(protocol.get(), &text) {
                errors.set("dial_string", FieldProblem::Invalid(dial_problem_key(problem)));
                return;
            }
            RoomTarget::MraAddress { protocol: protocol.get(), dial_string: text }
        } else {
            let room = room_id.get().trim().to_owned();
            if room.is_empty() {
                errors.set("meeting_room_id", FieldProblem::Required);
                return;
            }
            RoomTarget::MeetingRoom { meeting_room_id: room }
        };
        let request = RoomCallApiRequest {
            account: MeetingAccount { account_id: account.get(), operator_id: None },
            meeting_id: id,
            target,
            invite_id: None,
        };
        let key = api::new_idempotency_key();
        invite.send(async move { api::room_call(&request, &key).await.map(|r| (request, r.invite_id)) }, move |(request, id)| {
            info.set(None);
            sent.set(Some(RoomCallApiRequest { invite_id: Some(id), ..request }));
            refresh(sent, info, alerts, tasks);
        });
    };

    let busy = move || invite.busy.get() || cancel.busy.get();
    let text = move |key: K| Signal::derive(move || locale.t(key));
    let choose_protocol =
        move |ev: leptos::ev::Event| protocol.set(if event_target_value(&ev) == "h323" { MraProtocol::H323 } else { MraProtocol::Sip });
    view! {
        <section>
            <h1>{locale.text(K::NavRoomCall)}</h1>
            <p class="muted">{locale.text(K::RoomCallIntro)}</p>
            <ViewerNote />
            <form class="form" on:submit=submit novalidate>
                <MeetingFields account meeting_id errors />
                <div class="card">
                    <fieldset class="radios">
                        <legend>{locale.text(K::RoomTargetLabel)}</legend>
                        <label class="radio">
                            <input type="radio" name="target" prop:checked=move || !by_address.get() on:change=move |_| by_address.set(false) data-testid="target-room" />
                            {locale.text(K::TargetRoom)}
                        </label>
                        <label class="radio">
                            <input type="radio" name="target" prop:checked=move || by_address.get() on:change=move |_| by_address.set(true) data-testid="target-address" />
                            {locale.text(K::TargetAddress)}
                        </label>
                    </fieldset>
                    <Show when=move || !by_address.get()>
                        <Field id="meeting_room_id" label=text(K::RoomIdLabel) help=text(K::RoomIdHelp) error=errors.text("meeting_room_id")>
                            <input id="meeting_room_id" autocomplete="off" aria-describedby=described_by("meeting_room_id") bind:value=room_id data-testid="room-id" />
                        </Field>
                    </Show>
                    <Show when=move || by_address.get()>
                        <div class="field-pair">
                            <div class="field">
                                <label for="protocol">{locale.text(K::ProtocolLabel)}</label>
                                <select id="protocol" on:change=choose_protocol data-testid="protocol">
                                    <option value="sip">"SIP"</option>
                                    <option value="h323">"H.323"</option>
                                </select>
                            </div>
                            <Field id="dial_string" label=text(K::DialStringLabel) help=text(K::DialStringHelp) error=dial_error>
                                <input id="dial_string" autocomplete="off" spellcheck="false" aria-describedby=described_by("dial_string")
                                    bind:value=dial_string data-testid="dial-string" />
                            </Field>
                        </div>
                    </Show>
                </div>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || busy() || !me.may_dial() data-testid="room-call-submit">
                        {locale.text(K::InviteRoom)}
                    </button>
                    <Show when=move || invite.busy.get()>
                        <Progress label=text(K::PlacingCall) />
                    </Show>
                </div>
            </form>
            {move || sent.get().map(|request| {
                let invite_id = request.invite_id.clone().unwrap_or_default();
                view! {
                    <div class="card" aria-live="polite" data-testid="room-call-result">
                        <h2>{locale.text(K::InvitationTitle)}</h2>
                        <dl class="facts">
                            <dt>{locale.text(K::InviteIdLabel)}</dt><dd><code data-testid="invite-id">{invite_id}</code></dd>
                            <dt>{locale.text(K::ColStatus)}</dt>
                            <dd data-testid="room-call-status" data-status=move || info.get().map(|i| i.status.as_str())>
                                {move || match info.get() {
                                    Some(i) => locale.t(status_key(i.status)).to_owned(),
                                    None => "…".to_owned(),
                                }}
                            </dd>
                            <dt>{locale.text(K::ProviderStatusLabel)}</dt>
                            <dd data-testid="room-call-raw-status">{move || info.get().map(|i| room_state_words(i.raw_status, locale))}</dd>
                            <dt>{locale.text(K::ResponseTime)}</dt>
                            <dd data-testid="room-call-response-time">{move || info.get().and_then(|i| i.response_time).and_then(|t| format_local_seconds(&t))}</dd>
                        </dl>
                        <div class="form-actions">
                            <button type="button" on:click=move |_| {
                                let request = request.clone();
                                cancel.send(async move { api::cancel_room_call(&request).await }, move |()| {
                                    alerts.show(Alert::Success(K::RoomCallCanceled, vec![]));
                                    refresh(sent, info, alerts, tasks);
                                });
                            }
                                disabled=move || busy() || !me.may_dial() || info.get().is_some_and(|i| i.status.is_final()) data-testid="room-call-cancel">
                                {locale.text(K::CancelInvitation)}
                            </button>
                        </div>
                    </div>
                }
            })}
        </section>
    }
}

/// Asks the backend for the invitation's status; a failed check is shown but polling goes on.
fn refresh(sent: RwSignal<Option<RoomCallApiRequest>>, info: RwSignal<Option<RoomCallInfo>>, alerts: Alerts, tasks: Tasks) {
    let Some(request) = sent.get_untracked() else { return };
    tasks.spawn(async move {
        match api::room_call_status(&request).await {
            Ok(answer) => info.set(Some(answer)),
            Err(error) => alerts.error(error),
        }
    });
}

/// The provider's room answer state in words, its number kept for support (`joining (2)`).
fn room_state_words(raw: i64, locale: crate::state::locale::Locale) -> String {
    let key = match raw {
        0 => K::RoomStateNoAnswer,
        1 => K::RoomStateNotCalled,
        2 => K::RoomStateJoining,
        3 => K::RoomStateRejected,
        4 => K::RoomStateCalling,
        5 => K::RoomStateCancelled,
        6 => K::RoomStateLeft,
        _ => return raw.to_string(),
    };
    format!("{} ({raw})", locale.t(key))
}
