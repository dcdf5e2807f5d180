//! A job as a small campaign: when it may start, the hours it may dial in, and how often a number
//! that did not answer is called again. Given at submit; every part is optional.

use serde::{Deserialize, Serialize};

/// Most attempts a retry policy may ask for, the first one included.
pub const MAX_ATTEMPTS: u32 = 10;
/// Longest spacing between two attempts of a number: a week.
pub const MAX_SPACING_MINUTES: u32 = 7 * 24 * 60;

/// The campaign part of a job request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CampaignPlan {
    /// When the job may start dialling (Unix milliseconds); absent: at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_at: Option<i64>,
    /// When dialling is allowed; absent: the account's window from the configuration (if it has one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<CallingWindow>,
    /// Calling numbers again that did not answer; absent: each number is dialled once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<RetryPolicy>,
}

impl CampaignPlan {
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// Days and hours of the week, in a time zone, when a job may send new calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CallingWindow {
    /// The days a window opens on (a window past midnight belongs to the day it opens).
    pub days: Vec<Weekday>,
    /// Opening time, `HH:MM` (24-hour clock).
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")))]
    pub from: String,
    /// Closing time, `HH:MM`; `24:00` is midnight at the end of the day; earlier than `from` runs past midnight.
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")))]
    pub to: String,
    /// The IANA time zone the hours are meant in, e.g. `Asia/Shanghai`.
    pub time_zone: String,
}

impl CallingWindow {
    /// Minutes after midnight of `from` and `to` (`to` may be 1440), or what is wrong with the window.
    /// The time zone is checked by the backend, which has the zone database.
    pub fn minutes(&self) -> Result<(u32, u32), CampaignProblem> {
        if self.days.is_empty() {
            return Err(CampaignProblem::NoDays);
        }
        let from = clock_minutes(&self.from, false).ok_or(CampaignProblem::BadTime)?;
        let to = clock_minutes(&self.to, true).ok_or(CampaignProblem::BadTime)?;
        if from == to {
            return Err(CampaignProblem::EmptyWindow);
        }
        Ok((from, to))
    }

    /// Whether the window is open on `day`.
    pub fn opens_on(&self, day: Weekday) -> bool {
        self.days.contains(&day)
    }
}

/// `HH:MM` as minutes after midnight; `24:00` only where allowed.
fn clock_minutes(text: &str, allow_midnight_end: bool) -> Option<u32> {
    let (h, m) = text.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (24, 0) if allow_midnight_end => Some(1440),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

crate::wire_words!(Weekday, "weekday", {
    Weekday::Mon => "mon",
    Weekday::Tue => "tue",
    Weekday::Wed => "wed",
    Weekday::Thu => "thu",
    Weekday::Fri => "fri",
    Weekday::Sat => "sat",
    Weekday::Sun => "sun",
});

impl Weekday {
    /// Monday is 0.
    pub fn from_monday(n: u32) -> Self {
        Self::ALL[(n % 7) as usize]
    }
}

/// Dial a number again after an outcome that is known and final and says nobody took the call (not
/// answered, busy or rejected where the provider tells them apart, refused before sending as rate
/// limited or unreachable). An `unknown` outcome is never retried by a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RetryPolicy {
    /// Attempts in all, the first one included (1 to 10).
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 10)))]
    pub max_attempts: u32,
    /// At least this many minutes between the end of one attempt and the next (1 to 10080).
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 10080)))]
    pub spacing_minutes: u32,
}

impl RetryPolicy {
    pub fn check(&self) -> Result<(), CampaignProblem> {
        if !(1..=MAX_ATTEMPTS).contains(&self.max_attempts) {
            return Err(CampaignProblem::Attempts);
        }
        if !(1..=MAX_SPACING_MINUTES).contains(&self.spacing_minutes) {
            return Err(CampaignProblem::Spacing);
        }
        Ok(())
    }
}

/// What is wrong with a campaign plan, as a code each language words itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CampaignProblem {
    NoDays,
    BadTime,
    EmptyWindow,
    UnknownTimeZone,
    Attempts,
    Spacing,
    StartInThePast,
}

impl CampaignProblem {
    pub fn english(self) -> String {
        match self {
            CampaignProblem::NoDays => "a calling window needs at least one day".into(),
            CampaignProblem::BadTime => "window times are HH:MM on a 24-hour clock (the end may be 24:00)".into(),
            CampaignProblem::EmptyWindow => "a calling window cannot open and close at the same time".into(),
            CampaignProblem::UnknownTimeZone => "the time zone is not an IANA zone such as Asia/Shanghai".into(),
            CampaignProblem::Attempts => format!("attempts are 1 to {MAX_ATTEMPTS}"),
            CampaignProblem::Spacing => format!("the spacing between attempts is 1 to {MAX_SPACING_MINUTES} minutes"),
            CampaignProblem::StartInThePast => "the start time has passed".into(),
        }
    }
}

/// A job's campaign as it stands, in its summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CampaignStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_at: Option<i64>,
    /// The window in force: the job's own, or the account's default; absent: any time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<CallingWindow>,
    /// Whether `window` is the account's default rather than the job's own.
    #[serde(default)]
    pub window_is_default: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<RetryPolicy>,
    /// While numbers wait to be sent: why they wait, and when dialling goes on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<Waiting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_dial_at: Option<i64>,
}

/// Why a job with numbers to send sends nothing now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Waiting {
    /// Its start time has not come.
    Scheduled,
    /// Outside its calling window.
    OutsideWindow,
    /// Its next numbers are attempts waiting for their spacing.
    RetrySpacing,
}

/// `POST /api/v1/campaigns/preview`: when a plan would dial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CampaignPreviewRequest {
    /// The account whose default window applies when the plan has none.
    pub account_id: String,
    #[serde(flatten)]
    pub plan: CampaignPlan,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CampaignPreview {
    /// The window in force (absent: any time) and whether it is the account's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<CallingWindow>,
    pub window_is_default: bool,
    /// The next openings of the window from the start, as [from, to) in Unix milliseconds (at most 5);
    /// one open-ended span from the start when there is no window.
    pub spans: Vec<DialSpan>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DialSpan {
    pub from: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<i64>,
}

/// `POST /api/v1/sandbox/clock` (sandbox mode only): move the backend's clock forward, to try a
/// campaign's schedule, windows and retries without waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AdvanceClock {
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 31_536_000)))]
    pub seconds: u64,
}

/// The backend's clock (sandbox mode): now, and how far it was moved ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClockReading {
    pub now: i64,
    pub shift_ms: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(from: &str, to: &str) -> CallingWindow {
        CallingWindow { days: vec![Weekday::Mon], from: from.into(), to: to.into(), time_zone: "Asia/Shanghai".into() }
    }

    #[test]
    fn window_times_are_checked() {
        assert_eq!(window("09:00", "18:30").minutes(), Ok((540, 1110)));
        assert_eq!(window("22:00", "06:00").minutes(), Ok((1320, 360)), "past midnight");
        assert_eq!(window("00:00", "24:00").minutes(), Ok((0, 1440)));
        assert_eq!(window("24:00", "06:00").minutes(), Err(CampaignProblem::BadTime), "24:00 only ends a window");
        assert_eq!(window("9:00", "18:00").minutes(), Err(CampaignProblem::BadTime));
        assert_eq!(window("09:60", "18:00").minutes(), Err(CampaignProblem::BadTime));
        assert_eq!(window("09:00", "09:00").minutes(), Err(CampaignProblem::EmptyWindow));
        let no_days = CallingWindow { days: vec![], ..window("09:00", "18:00") };
        assert_eq!(no_days.minutes(), Err(CampaignProblem::NoDays));
    }

    #[test]
    fn retry_policies_are_bounded() {
        assert!(RetryPolicy { max_attempts: 3, spacing_minutes: 30 }.check().is_ok());
        assert_eq!(RetryPolicy { max_attempts: 0, spacing_minutes: 30 }.check(), Err(CampaignProblem::Attempts));
        assert_eq!(RetryPolicy { max_attempts: 11, spacing_minutes: 30 }.check(), Err(CampaignProblem::Attempts));
        assert_eq!(RetryPolicy { max_attempts: 2, spacing_minutes: 0 }.check(), Err(CampaignProblem::Spacing));
    }

    #[test]
    fn weekdays_read_as_serde_writes_them() {
        for day in Weekday::ALL {
            assert_eq!(serde_json::to_value(day).unwrap(), day.as_str());
        }
        assert_eq!(Weekday::from_monday(6), Weekday::Sun);
    }
}
