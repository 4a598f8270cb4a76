//! The browser's clock, read in one place.

use time::Date;

/// Today's date in UTC, from the browser's clock (the API's days are UTC days too).
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    let month =
        time::Month::try_from(now.get_utc_month() as u8 + 1).unwrap_or(time::Month::January);
    Date::from_calendar_date(
        now.get_utc_full_year() as i32,
        month,
        now.get_utc_date() as u8,
    )
    .unwrap_or(Date::MIN)
}
