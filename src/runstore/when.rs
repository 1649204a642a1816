//! Dates of kept runs, in UTC, without a date library: seconds since the Unix epoch to a
//! civil date (Howard Hinnant's days-from-civil inverse).

/// Seconds since the epoch now (0 if the clock is before 1970).
pub fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn civil(secs: u64) -> (i64, u32, u32, u32, u32, u32) {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    let (h, mi, s) = (rem / 3600, rem / 60 % 60, rem % 60);
    (y, m, d, h as u32, mi as u32, s as u32)
}

/// "2026-12-01 00:52 UTC": how the Runs screen dates a run.
pub fn fmt_utc(secs: u64) -> String {
    let (y, m, d, h, mi, _) = civil(secs);
    format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02} UTC")
}

/// "00:52:33 UTC": a wall clock (the lecture notes' clock).
pub fn fmt_clock_utc(secs: u64) -> String {
    let (_, _, _, h, mi, s) = civil(secs);
    format!("{h:02}:{mi:02}:{s:02} UTC")
}

/// "20261201-005233": the sortable stamp in a kept run's file name.
pub fn compact(secs: u64) -> String {
    let (y, m, d, h, mi, s) = civil(secs);
    format!("{y:04}{m:02}{d:02}-{h:02}{mi:02}{s:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_dates() {
        assert_eq!(fmt_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(compact(1_796_000_000), "20261130-005320");
        assert_eq!(fmt_utc(951_782_400 + 3661), "2000-02-29 01:01 UTC");
    }
}
