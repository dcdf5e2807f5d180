//! Simplified Chinese and English. Every visible string is a [`K`] key; the `strings!` table below
//! forces both languages for each key at compile time, and the tests check none is left empty.

mod strings;

use callout_shared::{error::ErrorCode, jobs::ReasonCode};
pub use strings::K;

/// The languages the console speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The BCP 47 tag, for `<html lang>` and `localStorage`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "简体中文",
        }
    }

    /// A stored tag or the browser's `navigator.language`: any Chinese variant means Chinese.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag.starts_with("zh") {
            Some(Lang::Zh)
        } else if tag.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    pub fn text(self, key: K) -> &'static str {
        key.text(self)
    }
}

/// The words for a backend error code. No `_` arm: a new code without words does not compile.
pub fn error_code_key(code: ErrorCode) -> K {
    match code {
        ErrorCode::Unauthenticated => K::ErrUnauthenticated,
        ErrorCode::Forbidden => K::ErrForbidden,
        ErrorCode::CsrfHeaderMissing => K::ErrCsrfHeaderMissing,
        ErrorCode::CrossSiteRequest => K::ErrCrossSiteRequest,
        ErrorCode::InvalidRequest => K::ErrInvalidRequest,
        ErrorCode::InvalidNumber => K::ErrInvalidNumber,
        ErrorCode::NotFound => K::ErrNotFound,
        ErrorCode::DoNotCall => K::ErrDoNotCall,
        ErrorCode::IdempotencyKeyReused => K::ErrConflict,
        ErrorCode::IdempotencyKeyInProgress => K::ErrInProgress,
        ErrorCode::DoNotCallConfigured => K::ErrDoNotCallConfigured,
        ErrorCode::RateLimited => K::ErrRateLimited,
        ErrorCode::ProviderUnreachable => K::ErrProviderUnreachable,
        ErrorCode::ProviderOutcomeUnknown => K::ErrProviderOutcomeUnknown,
        ErrorCode::ProviderError => K::ErrProviderError,
        ErrorCode::ProviderPermissionDenied => K::ErrProviderPermissionDenied,
        ErrorCode::ProviderCredentialsRejected => K::ErrProviderCredentialsRejected,
        ErrorCode::MeetingNotFound => K::ErrMeetingNotFound,
        ErrorCode::MeetingEnded => K::ErrMeetingEnded,
        ErrorCode::MeetingNotCallable => K::ErrMeetingNotCallable,
        ErrorCode::StorageUnavailable => K::ErrStorageUnavailable,
        ErrorCode::Internal => K::ErrInternal,
        // A newer backend's code: the generic sentence, with the backend's own message as detail.
        ErrorCode::Unrecognised => K::ErrUnknownCode,
    }
}

/// The words for a number the backend's normaliser refused.
pub fn number_problem_key(problem: callout_shared::numbers::NumberProblem) -> K {
    use callout_shared::numbers::NumberProblem::*;
    match problem {
        Empty => K::ProblemEmpty,
        NotANumber => K::ProblemNotANumber,
        InvalidCountryCode => K::ProblemInvalidCountryCode,
        TooShort => K::ProblemTooShort,
        TooLong => K::ProblemTooLong,
        NotAValidNumber => K::ProblemNotAValidNumber,
        InvalidExtension => K::ProblemInvalidExtension,
    }
}

/// A row's reason in `lang`: from its code and variable part; rows recorded before reason codes
/// keep the backend's English sentence.
pub fn item_reason(lang: Lang, code: Option<ReasonCode>, detail: Option<&str>, english: Option<&str>) -> Option<String> {
    let Some(code) = code else {
        return english.map(str::to_owned);
    };
    let key = match code {
        ReasonCode::InvalidNumber => match detail.and_then(|d| d.parse().ok()) {
            Some(problem) => number_problem_key(problem),
            None => K::ErrInvalidNumber,
        },
        ReasonCode::NoExtensions => K::ReasonNoExtensions,
        ReasonCode::SameAsRow => K::ReasonSameAsRow,
        ReasonCode::InAnotherJob => K::ReasonInAnotherJob,
        ReasonCode::DoNotCall => K::ReasonDoNotCall,
        ReasonCode::ProviderRefusedNumber => K::ReasonProviderRefusedNumber,
        ReasonCode::ProviderRefused => K::ReasonProviderRefused,
        ReasonCode::NotSent => K::ReasonNotSent,
        ReasonCode::NotInAnswer => K::ReasonNotInAnswer,
        ReasonCode::OutcomeUnknown => K::ReasonOutcomeUnknown,
        ReasonCode::Interrupted => K::ReasonInterrupted,
        ReasonCode::Stopped => K::ReasonStopped,
        ReasonCode::NotRecorded => K::ReasonNotRecorded,
        ReasonCode::NoOutcomeReported => K::ReasonNoOutcomeReported,
        ReasonCode::OutcomeNotRecognised => K::ReasonOutcomeNotRecognised,
    };
    Some(fill(key.text(lang), &[("detail", detail.unwrap_or_default())]))
}

/// Fills `{name}` placeholders, for the few strings that carry numbers.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_owned(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_key_has_text_in_both_languages() {
        for key in K::ALL {
            for lang in Lang::ALL {
                assert!(!key.text(lang).trim().is_empty(), "{key:?} has no {lang:?} text");
            }
        }
    }

    #[test]
    fn chinese_is_not_a_copy_of_english() {
        // Product names may stay as they are; prose must be translated.
        let same: Vec<_> = K::ALL.iter().filter(|k| k.text(Lang::En) == k.text(Lang::Zh)).collect();
        assert!(same.len() <= 6, "untranslated keys: {same:?}");
    }

    #[test]
    fn placeholders_match_between_languages() {
        let names =
            |s: &str| -> HashSet<String> { s.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned())).collect() };
        for key in K::ALL {
            assert_eq!(names(key.text(Lang::En)), names(key.text(Lang::Zh)), "{key:?}");
        }
    }

    #[test]
    fn every_backend_error_code_has_its_own_words() {
        let known: Vec<ErrorCode> = ErrorCode::ALL.into_iter().filter(|c| *c != ErrorCode::Unrecognised).collect();
        let keys: HashSet<K> = known.iter().map(|c| error_code_key(*c)).collect();
        assert_eq!(keys.len(), known.len(), "two codes share a sentence");
        assert!(!keys.contains(&K::ErrUnknownCode), "a known code fell back to the generic sentence");
        assert_eq!(error_code_key(ErrorCode::Unrecognised), K::ErrUnknownCode);
        assert_eq!(known.len() + 1, ErrorCode::ALL.len(), "ALL lists the fallback once");
    }

    #[test]
    fn every_number_problem_has_its_own_words() {
        use callout_shared::numbers::NumberProblem::*;
        let problems = [Empty, NotANumber, InvalidCountryCode, TooShort, TooLong, NotAValidNumber, InvalidExtension];
        let keys: HashSet<K> = problems.into_iter().map(number_problem_key).collect();
        assert_eq!(keys.len(), problems.len());
    }

    #[test]
    fn browser_language_picks_chinese_for_any_chinese_variant() {
        assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("zh-TW"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("en-US"), Some(Lang::En));
        assert_eq!(Lang::from_tag("de"), None);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
    }

    #[test]
    fn every_reason_code_has_its_own_words_in_both_languages() {
        let worded: HashSet<String> = ReasonCode::ALL.iter().map(|c| item_reason(Lang::Zh, Some(*c), Some("7"), None).unwrap()).collect();
        assert_eq!(worded.len(), ReasonCode::ALL.len(), "two codes share a sentence");
        assert_eq!(
            item_reason(Lang::Zh, Some(ReasonCode::SameAsRow), Some("7"), Some("same number as row 7")).unwrap(),
            "与第 7 行号码相同。"
        );
        assert_eq!(
            item_reason(Lang::En, Some(ReasonCode::InvalidNumber), Some("too_short"), None).unwrap(),
            K::ProblemTooShort.text(Lang::En)
        );
        // A row recorded before codes keeps the backend's sentence; a row without a reason has none.
        assert_eq!(item_reason(Lang::Zh, None, None, Some("old words")).as_deref(), Some("old words"));
        assert_eq!(item_reason(Lang::Zh, None, None, None), None);
    }

    #[test]
    fn fill_replaces_named_placeholders() {
        assert_eq!(fill("{n} of {m}", &[("n", "3"), ("m", "5")]), "3 of 5");
    }
}
