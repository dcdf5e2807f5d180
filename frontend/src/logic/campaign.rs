//! Words for a job's campaign: weekdays, why a job waits, and a row's attempt ("attempt 2 of 3, next at 14:20").

use callout_shared::{
    campaign::{CampaignStatus, Waiting, Weekday},
    jobs::JobItem,
};

use crate::i18n::{fill, Lang, K};

pub fn weekday_key(day: Weekday) -> K {
    match day {
        Weekday::Mon => K::Mon,
        Weekday::Tue => K::Tue,
        Weekday::Wed => K::Wed,
        Weekday::Thu => K::Thu,
        Weekday::Fri => K::Fri,
        Weekday::Sat => K::Sat,
        Weekday::Sun => K::Sun,
    }
}

pub fn waiting_key(waiting: Waiting) -> K {
    match waiting {
        Waiting::Scheduled => K::WaitingScheduled,
        Waiting::OutsideWindow => K::WaitingOutsideWindow,
        Waiting::RetrySpacing => K::WaitingRetrySpacing,
    }
}

/// A row's attempt under a retry policy, with the time its next attempt may go (`time` formats it);
/// `None` for a job without one.
pub fn attempt_line(item: &JobItem, campaign: Option<&CampaignStatus>, lang: Lang, time: impl Fn(i64) -> String) -> Option<String> {
    let max = campaign?.retry?.max_attempts;
    let n = item.attempt.to_string();
    let of = fill(K::AttemptOf.text(lang), &[("n", &n), ("max", &max.to_string())]);
    Some(match item.next_attempt_at {
        Some(at) => fill(K::AttemptNextAt.text(lang), &[("attempt", &of), ("time", &time(at))]),
        None => of,
    })
}

/// The window as one line: `Mon Tue Wed 09:00–18:00 (Asia/Shanghai)`.
pub fn window_line(campaign: &CampaignStatus, lang: Lang) -> Option<String> {
    let w = campaign.window.as_ref()?;
    let days: Vec<&str> = w.days.iter().map(|d| weekday_key(*d).text(lang)).collect();
    Some(format!("{} {}–{} ({})", days.join(" "), w.from, w.to, w.time_zone))
}

#[cfg(test)]
mod tests {
    use super::*;
    use callout_shared::{call_status::CallStatus, campaign::RetryPolicy};

    fn campaign(retry: Option<RetryPolicy>) -> CampaignStatus {
        CampaignStatus { start_at: None, window: None, window_is_default: false, retry, waiting: None, next_dial_at: None }
    }

    #[test]
    fn a_row_says_which_attempt_it_is_and_when_the_next_goes() {
        let mut item = crate::logic::fixtures::call(1, CallStatus::Queued);
        item.attempt = 2;
        item.next_attempt_at = Some(0);
        let policy = campaign(Some(RetryPolicy { max_attempts: 3, spacing_minutes: 30 }));
        let line = attempt_line(&item, Some(&policy), Lang::En, |_| "14:20".into());
        assert_eq!(line.as_deref(), Some("attempt 2 of 3, next at 14:20"));
        let zh = attempt_line(&item, Some(&policy), Lang::Zh, |_| "14:20".into()).unwrap();
        assert!(zh.contains('2') && zh.contains('3') && zh.contains("14:20"), "{zh}");
        item.next_attempt_at = None;
        assert_eq!(attempt_line(&item, Some(&policy), Lang::En, |_| String::new()).as_deref(), Some("attempt 2 of 3"));
        assert_eq!(attempt_line(&item, Some(&campaign(None)), Lang::En, |_| String::new()), None, "no policy, no attempt line");
        assert_eq!(attempt_line(&item, None, Lang::En, |_| String::new()), None);
    }

    #[test]
    fn every_weekday_and_wait_has_its_own_words() {
        let days: std::collections::HashSet<_> = Weekday::ALL.iter().map(|d| weekday_key(*d).text(Lang::En)).collect();
        assert_eq!(days.len(), 7);
        let waits = [Waiting::Scheduled, Waiting::OutsideWindow, Waiting::RetrySpacing];
        let words: std::collections::HashSet<_> = waits.iter().map(|w| waiting_key(*w).text(Lang::Zh)).collect();
        assert_eq!(words.len(), 3);
    }
}
