//! A labelled form field with help text and an error line, wired for screen readers: the input
//! (the child) should carry `id`, and `aria-describedby` = `{id}-help {id}-error`.

use callout_shared::me::ProviderKind;
use std::future::Future;

use leptos::prelude::*;

use crate::{
    api::ApiError,
    i18n::K,
    logic::errors::one_line,
    state::{
        alert::{use_alerts, Alerts},
        locale::use_locale,
        session::Me,
        tasks::Tasks,
    },
};

#[component]
pub fn Field(
    id: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into, optional)] help: Option<Signal<&'static str>>,
    #[prop(into)] error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id>{move || label.get()}</label>
            {children()}
            {help.map(|help| view! { <p class="help" id=format!("{id}-help")>{move || help.get()}</p> })}
            <p class="field-error" id=format!("{id}-error") data-testid=format!("{id}-error") aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}

/// `aria-describedby` for a field's input.
pub fn described_by(id: &str) -> String {
    format!("{id}-help {id}-error")
}

/// What is wrong with a field: our own presence check, or the backend's verdict.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldProblem {
    Required,
    Invalid(K),
    Server(ApiError),
}

/// Field problems of a form, by the backend's field name (`callee`, `rout_point`, …).
#[derive(Clone, Copy)]
pub struct FieldErrors(pub RwSignal<Vec<(&'static str, FieldProblem)>>);

impl Default for FieldErrors {
    fn default() -> Self {
        Self::new()
    }
}

impl FieldErrors {
    pub fn new() -> Self {
        Self(RwSignal::new(Vec::new()))
    }

    /// The translated problem of `field`, for [`Field`]'s `error`.
    pub fn text(self, field: &'static str) -> Signal<Option<String>> {
        let locale = use_locale();
        Signal::derive(move || {
            self.0.with(|all| {
                all.iter().find(|(f, _)| *f == field).map(|(_, problem)| match problem {
                    FieldProblem::Required => locale.t(K::Required).to_owned(),
                    FieldProblem::Invalid(key) => locale.t(*key).to_owned(),
                    FieldProblem::Server(error) => one_line(error, locale.lang()),
                })
            })
        })
    }

    /// Presence checks: every `(field, value)` that is blank after trimming is marked required.
    /// Returns whether all were present.
    pub fn require(self, values: &[(&'static str, String)]) -> bool {
        let missing: Vec<_> = values.iter().filter(|(_, v)| v.trim().is_empty()).map(|(f, _)| (*f, FieldProblem::Required)).collect();
        let ok = missing.is_empty();
        self.0.set(missing);
        ok
    }

    pub fn set(self, field: &'static str, problem: FieldProblem) {
        self.0.update(|all| {
            all.retain(|(f, _)| *f != field);
            all.push((field, problem));
        });
    }

    pub fn clear(self) {
        self.0.set(Vec::new());
    }

    /// The checks every meeting form makes before sending: an account, and a meeting id of digits.
    /// Returns the trimmed meeting id when both hold.
    pub fn meeting(self, account: &str, meeting_id: &str) -> Option<String> {
        let id = meeting_id.trim().to_owned();
        if !self.require(&[("account_id", account.to_owned()), ("meeting_id", id.clone())]) {
            return None;
        }
        if !id.chars().all(|c| c.is_ascii_digit()) {
            self.set("meeting_id", FieldProblem::Invalid(K::MeetingIdDigits));
            return None;
        }
        Some(id)
    }

    /// Puts a backend error next to its field when the field is one of `known`; says whether it did.
    pub fn place(self, error: &ApiError, known: &[&'static str]) -> bool {
        let Some(field) = error.field().and_then(|f| known.iter().find(|k| **k == f)) else { return false };
        self.set(field, FieldProblem::Server(error.clone()));
        true
    }
}

/// One request of a form at a time: `busy` while it is in flight (buttons bind to it, so nothing is
/// sent twice); the answer goes to `on_ok`, a refusal next to the field it names (when it is one of
/// `fields`) and into the global alert, provider code and all.
#[derive(Clone, Copy)]
pub struct Submission {
    pub busy: RwSignal<bool>,
    errors: FieldErrors,
    fields: &'static [&'static str],
    alerts: Alerts,
    tasks: Tasks,
}

impl Submission {
    /// Call in a component's body: the request is dropped with the component.
    pub fn new(errors: FieldErrors, fields: &'static [&'static str]) -> Self {
        Self { busy: RwSignal::new(false), errors, fields, alerts: use_alerts(), tasks: Tasks::new() }
    }

    /// Sends `request` unless one is already in flight.
    pub fn send<T: 'static>(self, request: impl Future<Output = Result<T, ApiError>> + 'static, on_ok: impl FnOnce(T) + 'static) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.alerts.clear();
        self.tasks.spawn(async move {
            let answer = request.await;
            self.busy.set(false);
            match answer {
                Ok(value) => on_ok(value),
                Err(error) => {
                    self.errors.place(&error, self.fields);
                    self.alerts.error(error);
                }
            }
        });
    }
}

/// Explains to a viewer why the dialling button is off.
#[component]
pub fn ViewerNote() -> impl IntoView {
    let me = expect_context::<Me>();
    let locale = use_locale();
    view! {
        <Show when=move || me.is_viewer()>
            <p class="alert alert-info" role="note" data-testid="viewer-note">{locale.text(K::ViewerReadOnly)}</p>
        </Show>
    }
}

/// The account and meeting id every Tencent Meeting page starts with.
#[component]
pub fn MeetingFields(account: RwSignal<String>, meeting_id: RwSignal<String>, errors: FieldErrors) -> impl IntoView {
    view! {
        <div class="card field-pair">
            <AccountSelect provider=ProviderKind::TencentMeeting value=account errors />
            <MeetingIdField value=meeting_id errors />
        </div>
    }
}

/// The optional name or note a job is given at submit, its title in the job list and view.
#[component]
pub fn JobNameField(value: RwSignal<String>, errors: FieldErrors) -> impl IntoView {
    let locale = use_locale();
    view! {
        <Field id="name" label=Signal::derive(move || locale.t(K::JobNameLabel)) help=Signal::derive(move || locale.t(K::JobNameHelp))
            error=errors.text("name")>
            <input id="name" maxlength="200" autocomplete="off" aria-describedby=described_by("name") bind:value=value data-testid="job-name" />
        </Field>
    }
}

/// The name as the API takes it: blank is no name.
pub fn job_name(value: RwSignal<String>) -> Option<String> {
    Some(value.get_untracked().trim().to_owned()).filter(|n| !n.is_empty())
}

/// The meeting id input every meeting page has.
#[component]
pub fn MeetingIdField(value: RwSignal<String>, errors: FieldErrors) -> impl IntoView {
    let locale = use_locale();
    view! {
        <Field id="meeting_id" label=Signal::derive(move || locale.t(K::MeetingIdLabel)) help=Signal::derive(move || locale.t(K::MeetingIdHelp))
            error=errors.text("meeting_id")>
            <input id="meeting_id" inputmode="numeric" autocomplete="off" maxlength="32"
                aria-describedby=described_by("meeting_id") bind:value=value data-testid="meeting-id" />
        </Field>
    }
}

/// A select of the configured accounts of one provider; picks the first when nothing is chosen.
#[component]
pub fn AccountSelect(provider: ProviderKind, value: RwSignal<String>, errors: FieldErrors) -> impl IntoView {
    let me = expect_context::<Me>();
    let locale = use_locale();
    let accounts = Memo::new(move |_| me.accounts(provider));
    Effect::new(move |_| {
        let accounts = accounts.get();
        if !accounts.iter().any(|a| a.id == value.get_untracked()) {
            value.set(accounts.first().map(|a| a.id.clone()).unwrap_or_default());
        }
    });
    let none_key = match provider {
        ProviderKind::TencentMeeting => K::NoTencentAccounts,
        ProviderKind::AliyunCcc => K::NoCccAccounts,
    };
    view! {
        <div>
        <Field id="account_id" label=Signal::derive(move || locale.t(K::AccountLabel)) error=errors.text("account_id")>
            <select id="account_id" bind:value=value aria-describedby=described_by("account_id") data-testid="account">
                <For each=move || accounts.get() key=|a| a.id.clone() let:account>
                    <option value=account.id.clone()>
                        {account.name.clone()}
                        {account.sandbox.then(|| view! { " (" {locale.text(K::SandboxAccount)} ")" })}
                    </option>
                </For>
            </select>
        </Field>
        <Show when=move || matches!(me.0.get(), Some(Ok(_))) && accounts.with(Vec::is_empty)>
            <p class="alert alert-warn" role="note">{move || locale.t(none_key)}</p>
        </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use callout_shared::error::{ApiErrorBody, ErrorCode};

    fn refusal(field: Option<&str>) -> ApiError {
        ApiError::Api {
            status: 422,
            body: ApiErrorBody {
                code: ErrorCode::InvalidRequest,
                message: "m".into(),
                field: field.map(Into::into),
                provider_code: None,
                problem: None,
            },
        }
    }

    #[test]
    fn presence_checks_mark_only_the_blank_fields_and_forget_older_problems() {
        let errors = FieldErrors::new();
        errors.set("rout_point", FieldProblem::Invalid(K::MeetingIdDigits));
        assert!(!errors.require(&[("caller", " ".into()), ("callee", "138".into())]));
        assert_eq!(errors.0.get_untracked(), vec![("caller", FieldProblem::Required)]);
        assert!(errors.require(&[("caller", "02285196281".into())]));
        assert!(errors.0.get_untracked().is_empty());
    }

    #[test]
    fn a_backend_error_lands_on_its_field_only_when_the_form_has_it() {
        let errors = FieldErrors::new();
        assert!(errors.place(&refusal(Some("callee")), &["caller", "callee"]));
        assert_eq!(errors.0.get_untracked()[0].0, "callee");
        assert!(!errors.place(&refusal(Some("numbers[3].phone")), &["caller", "callee"]));
        assert!(!errors.place(&refusal(None), &["caller"]));
        assert_eq!(errors.0.get_untracked().len(), 1);
    }
}
