use std::fmt;
use std::str::FromStr;

use time::Date;
use yew::prelude::*;

use crate::pages::{dashboard, night, not_found, profile, settings};

/// A day in a URL (`/night/2026-01-31`): parsed by the router, so a page gets a real date
/// and a malformed one is a 404.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day(pub Date);

impl FromStr for Day {
    type Err = NotADay;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        shared::wire::parse_day(text).map(Self).ok_or(NotADay)
    }
}

/// A URL's day that is not a real `YYYY-MM-DD` date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotADay;

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The app's pages, by address.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// `/`: the dashboard, or the landing page when signed out.
    Home,
    /// `/profile`
    Profile,
    /// `/night/2026-01-31`: the night that ended that morning.
    Night { day: Day },
    /// `/settings`
    Settings,
    /// Any other address.
    NotFound,
}

impl Route {
    /// The page of the night that ended on `day`.
    pub fn night(day: Date) -> Self {
        Self::Night { day: Day(day) }
    }

    /// The route of an address; a night whose day is not a real date is not found.
    pub fn recognize(path: &str) -> Self {
        match path.trim_end_matches('/') {
            "" => Self::Home,
            "/profile" => Self::Profile,
            "/settings" => Self::Settings,
            other => other
                .strip_prefix("/night/")
                .and_then(|day| day.parse().ok())
                .map_or(Self::NotFound, |day| Self::Night { day }),
        }
    }

    /// The address of this route.
    pub fn to_path(&self) -> String {
        match self {
            Self::Home => "/".to_owned(),
            Self::Profile => "/profile".to_owned(),
            Self::Night { day } => format!("/night/{day}"),
            Self::Settings => "/settings".to_owned(),
            Self::NotFound => "/404".to_owned(),
        }
    }
}

/// The page of `route`. Pages are plain functions that put their body in the one `Shell`:
/// from page to page the frame (and the session it checked) stays, and only the body mounts
/// anew, so a click on a link shows the page without a round trip to check the session.
pub fn switch(route: &Route) -> Html {
    match route {
        Route::Home => dashboard(),
        Route::Profile => profile(),
        Route::Night { day } => night(day.0),
        Route::Settings => settings(),
        Route::NotFound => not_found(),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn a_night_route_carries_a_real_date() {
        assert_eq!(
            Route::recognize("/night/2026-01-31"),
            Route::night(date!(2026 - 01 - 31))
        );
        assert_eq!(
            Route::night(date!(2026 - 01 - 31)).to_path(),
            "/night/2026-01-31"
        );
        assert_eq!(Route::recognize("/night/2026-02-30"), Route::NotFound);
        assert_eq!(Route::recognize("/night/2026-01-31/x"), Route::NotFound);
    }

    #[test]
    fn each_page_has_one_address() {
        for route in [Route::Home, Route::Profile, Route::Settings] {
            assert_eq!(Route::recognize(&route.to_path()), route);
        }
        assert_eq!(Route::recognize("/settings/"), Route::Settings);
        assert_eq!(Route::recognize("/nowhere"), Route::NotFound);
    }
}
