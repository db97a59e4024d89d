//! Dates and times as Cairn stores and shows them: UTC, millisecond
//! precision, Strapi's text forms (`YYYY-MM-DD`, `HH:mm:ss.SSS`,
//! `YYYY-MM-DDTHH:mm:ss.SSSZ`).

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Timelike, Utc};

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| parse_datetime(s).map(|dt| dt.date_naive()))
}

pub fn parse_time(s: &str) -> Option<NaiveTime> {
    ["%H:%M:%S%.f", "%H:%M"]
        .iter()
        .find_map(|format| NaiveTime::parse_from_str(s, format).ok())
}

/// RFC 3339, or a date-time without offset (taken as UTC), or a bare date
/// (midnight UTC).
pub fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(datetime) = DateTime::parse_from_rfc3339(s) {
        return Some(truncate_millis(datetime.with_timezone(&Utc)));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(s, format) {
            return Some(truncate_millis(naive.and_utc()));
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|naive| naive.and_utc())
}

/// Datetimes keep millisecond precision, as JavaScript clients do.
pub fn truncate_millis(datetime: DateTime<Utc>) -> DateTime<Utc> {
    let millis = datetime.nanosecond() / 1_000_000 * 1_000_000;
    datetime.with_nanosecond(millis).unwrap_or(datetime)
}

pub fn format_datetime(datetime: DateTime<Utc>) -> String {
    datetime.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn format_time(time: NaiveTime) -> String {
    time.format("%H:%M:%S%.3f").to_string()
}

/// The timestamps Cairn stores.
pub type Timestamp = DateTime<Utc>;

/// The current time at the precision Cairn stores.
pub fn now() -> Timestamp {
    truncate_millis(Utc::now())
}
