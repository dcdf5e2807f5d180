//! Plain words for a failed API call: a translated sentence, the provider's code when a provider
//! refused, and the backend's precise English message as a detail.

use crate::{
    api::ApiError,
    i18n::{error_code_key, fill, Lang, K},
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorWords {
    pub headline: String,
    pub provider_code: Option<String>,
    pub detail: Option<String>,
}

pub fn describe(error: &ApiError, lang: Lang) -> ErrorWords {
    let text = |key: K| key.text(lang).to_owned();
    match error {
        ApiError::Api { body, .. } => ErrorWords {
            headline: text(error_code_key(body.code)),
            provider_code: body.provider_code.clone(),
            detail: Some(body.message.clone()).filter(|m| !m.is_empty()),
        },
        // A route the backend lacks answers 404/405 without our JSON body.
        ApiError::Status { status: status @ (404 | 405 | 501), .. } => ErrorWords {
            headline: fill(K::ErrEndpointMissing.text(lang), &[("status", &status.to_string())]),
            provider_code: None,
            detail: None,
        },
        ApiError::Status { status, text: body } => ErrorWords {
            headline: text(K::ErrUnknownCode),
            provider_code: None,
            detail: Some(format!("HTTP {status} {}", body.chars().take(200).collect::<String>()).trim().to_owned()),
        },
        ApiError::Network(e) => ErrorWords { headline: text(K::ErrNetwork), provider_code: None, detail: Some(e.clone()) },
        ApiError::Decode(e) => ErrorWords { headline: text(K::ErrDecode), provider_code: None, detail: Some(e.clone()) },
    }
}

/// One line, for field errors and compact places: sentence plus the provider's code.
pub fn one_line(error: &ApiError, lang: Lang) -> String {
    let words = describe(error, lang);
    match (&words.provider_code, error) {
        (Some(code), _) => format!("{} ({}: {code})", words.headline, K::ProviderCodeLabel.text(lang)),
        // A field error's own message says what exactly is wrong with that field.
        (None, ApiError::Api { body, .. }) if body.field.is_some() => format!("{} — {}", words.headline, body.message),
        (None, _) => words.headline,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use callout_shared::error::{ApiErrorBody, ErrorCode};

    fn api(code: ErrorCode, provider_code: Option<&str>, field: Option<&str>) -> ApiError {
        ApiError::Api {
            status: 422,
            body: ApiErrorBody {
                code,
                message: "precise English".into(),
                field: field.map(Into::into),
                provider_code: provider_code.map(Into::into),
                problem: None,
            },
        }
    }

    #[test]
    fn provider_refusals_show_the_providers_code() {
        let words = describe(&api(ErrorCode::ProviderError, Some("Agent.NotFound"), None), Lang::En);
        assert_eq!(words.headline, K::ErrProviderError.text(Lang::En));
        assert_eq!(words.provider_code.as_deref(), Some("Agent.NotFound"));
        assert!(one_line(&api(ErrorCode::ProviderError, Some("X1"), None), Lang::Zh).contains("X1"));
    }

    #[test]
    fn a_missing_endpoint_says_so_in_plain_words() {
        let words = describe(&ApiError::Status { status: 405, text: String::new() }, Lang::En);
        assert!(words.headline.contains("does not offer this action yet (HTTP 405)"), "{words:?}");
        let words = describe(&ApiError::Status { status: 404, text: String::new() }, Lang::Zh);
        assert!(words.headline.contains("404"));
    }

    #[test]
    fn headlines_follow_the_language() {
        let err = api(ErrorCode::Forbidden, None, None);
        assert_ne!(describe(&err, Lang::En).headline, describe(&err, Lang::Zh).headline);
    }

    #[test]
    fn field_errors_keep_the_backends_precise_message() {
        assert!(one_line(&api(ErrorCode::InvalidRequest, None, Some("rout_point")), Lang::En).ends_with("— precise English"));
    }
}
