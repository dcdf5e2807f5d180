//! Calendar dates and timestamps: the backend speaks epoch milliseconds (UTC); people read local
//! time with the zone named. The arithmetic is pure (tested natively); only the browser knows the
//! local offset and zone name.

const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A typed day: year, month, day in that order, any separator (`2026-12-02`, `2026/12/2`,
/// `2026.12.02`, `2026年12月2日`) or none (`20261202`). Only real days.
pub fn parse_day(date: &str) -> Option<(i64, i64, i64)> {
    let digits: Vec<&str> = date.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).collect();
    let (y, m, d) = match digits.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => (*y, *m, *d),
        [all] if all.len() == 8 => (&all[..4], &all[4..6], &all[6..]),
        _ => return None,
    };
    let (y, m, d) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    // A day past the month's end (2026-02-30) would roll over: refuse it.
    (civil_from_days(days_from_civil(y, m, d)) == (y, m, d) && (1..=12).contains(&m) && d >= 1).then_some((y, m, d))
}

/// A typed day written `YYYY-MM-DD`.
pub fn normal_day(date: &str) -> Option<String> {
    parse_day(date).map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

/// The first millisecond of a typed day (see [`parse_day`]), UTC.
pub fn day_start_ms(date: &str) -> Option<i64> {
    let (y, m, d) = parse_day(date)?;
    Some(days_from_civil(y, m, d) * DAY_MS)
}

/// The last millisecond of that day, so a "to" date includes the whole day.
pub fn day_end_ms(date: &str) -> Option<i64> {
    day_start_ms(date).map(|start| start + DAY_MS - 1)
}

/// `2026-11-21 14:02:19 UTC`.
pub fn format_utc(ms: i64) -> String {
    format_at_offset(ms, 0, "UTC")
}

/// `ms` as wall-clock time `offset_minutes` east of UTC, followed by `zone`.
pub fn format_at_offset(ms: i64, offset_minutes: i64, zone: &str) -> String {
    let ms = ms + offset_minutes * 60_000;
    let (days, rest) = (ms.div_euclid(DAY_MS), ms.rem_euclid(DAY_MS) / 1000);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} {zone}", rest / 3600, rest / 60 % 60, rest % 60)
}

/// `Asia/Shanghai` style names are long; a table shows `GMT+8`-style offsets beside the time.
pub fn offset_label(offset_minutes: i64) -> String {
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let (h, m) = (offset_minutes.abs() / 60, offset_minutes.abs() % 60);
    if m == 0 {
        format!("GMT{sign}{h}")
    } else {
        format!("GMT{sign}{h}:{m:02}")
    }
}

/// `ms` in the browser's time zone, with its offset named: `2026-11-21 22:02:19 GMT+8`.
#[cfg(target_arch = "wasm32")]
pub fn format_local(ms: i64) -> String {
    // The offset of that instant, not of today: daylight saving time changes it.
    let offset = -(js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64)).get_timezone_offset() as i64);
    format_at_offset(ms, offset, &offset_label(offset))
}

#[cfg(not(target_arch = "wasm32"))]
pub fn format_local(ms: i64) -> String {
    format_utc(ms)
}

/// Epoch seconds as the provider sends them (`"1796152169"`), shown like every other time.
pub fn format_local_seconds(seconds: &str) -> Option<String> {
    seconds.trim().parse::<i64>().ok().filter(|s| *s > 0).map(|s| format_local(s * 1000))
}

/// The browser's own time zone (`Asia/Shanghai`), for the heading that explains the times.
#[cfg(target_arch = "wasm32")]
pub fn local_zone_name() -> String {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new()).resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into()).ok().and_then(|z| z.as_string()).unwrap_or_else(|| "UTC".into())
}

#[cfg(not(target_arch = "wasm32"))]
pub fn local_zone_name() -> String {
    "UTC".into()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn local_day_bounds(date: &str) -> Option<(i64, i64)> {
    Some((day_start_ms(date)?, day_end_ms(date)?))
}

/// A typed local calendar day's bounds in epoch milliseconds.
#[cfg(target_arch = "wasm32")]
pub fn local_day_bounds(date: &str) -> Option<(i64, i64)> {
    let (y, m, d) = parse_day(date)?;
    let start = js_sys::Date::new_with_year_month_day(y as u32, (m - 1) as i32, d as i32).get_time() as i64;
    let next = js_sys::Date::new_with_year_month_day(y as u32, m as i32 - 1, d as i32 + 1).get_time() as i64;
    Some((start, next - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_bounds_are_utc_milliseconds() {
        assert_eq!(day_start_ms("1970-01-01"), Some(0));
        assert_eq!(day_start_ms("2026-11-21"), Some(1_795_219_200_000));
        assert_eq!(day_end_ms("1970-01-01"), Some(DAY_MS - 1));
        for same in ["2026-11-21", "2026/11/21", "2026.11.21", "2026年11月21日", "20261121", " 2026-11-21 "] {
            assert_eq!(day_start_ms(same), Some(1_795_219_200_000), "{same}");
        }
        assert_eq!(day_start_ms("2024-2-29"), day_start_ms("2024-02-29"));
        assert_eq!(normal_day("2026年1月2日").as_deref(), Some("2026-01-02"));
        for bad in ["", "2026-13-01", "2026-1", "soon", "2026-02-30", "2026-04-31", "2026-00-10", "2026-01-00", "21-11-2026", "11/21/2026"]
        {
            assert_eq!(day_start_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn timestamps_print_as_utc() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_utc(1_795_219_200_000 + 14 * 3_600_000 + 2 * 60_000 + 19_999), "2026-11-21 14:02:19 UTC");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29 00:00:00 UTC");
    }

    #[test]
    fn local_times_name_their_offset() {
        let at = 1_795_219_200_000 + 14 * 3_600_000 + 2 * 60_000 + 19_999;
        assert_eq!(format_at_offset(at, 480, &offset_label(480)), "2026-11-21 22:02:19 GMT+8");
        assert_eq!(format_at_offset(at, -300, &offset_label(-300)), "2026-11-21 09:02:19 GMT-5");
        assert_eq!(format_at_offset(at, 330, &offset_label(330)), "2026-11-21 19:32:19 GMT+5:30");
        assert_eq!(format_at_offset(1_795_219_200_000 - 1, 480, "x"), "2026-11-21 07:59:59 x", "crosses midnight");
        assert_eq!(format_local_seconds("1796152169"), Some(format_utc(1_796_152_169_000)));
        assert_eq!(format_local_seconds(""), None);
        assert_eq!(format_local_seconds("0"), None, "no time yet");
    }
}
