use std::fmt;
use std::str::FromStr;

use time::Date;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::pages::{Dashboard, Night, NotFound, Profile, Settings};

/// A day in a URL (`/night/2026-01-31`): parsed by the router, so a page gets a real date
/// and a malformed one is a 404.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day(pub Date);

impl FromStr for Day {
    type Err = time::error::Parse;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Date::parse(text, crate::format::DAY).map(Self)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Routable, PartialEq)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/profile")]
    Profile,
    #[at("/night/:day")]
    Night { day: Day },
    #[at("/settings")]
    Settings,
    #[not_found]
    #[at("/404")]
    NotFound,
}

impl Route {
    /// The page of the night that ended on `day`.
    pub fn night(day: Date) -> Self {
        Self::Night { day: Day(day) }
    }
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Dashboard /> },
        Route::Profile => html! { <Profile /> },
        Route::Night { day } => html! { <Night day={day.0} /> },
        Route::Settings => html! { <Settings /> },
        Route::NotFound => html! { <NotFound /> },
    }
}

#[function_component(App)]
pub fn app() -> Html {
    html! {
        <BrowserRouter>
            <Switch<Route> render={switch} />
        </BrowserRouter>
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
            Some(Route::night(date!(2026 - 01 - 31)))
        );
        assert_eq!(
            Route::night(date!(2026 - 01 - 31)).to_path(),
            "/night/2026-01-31"
        );
        assert_eq!(Route::recognize("/night/2026-02-30"), Some(Route::NotFound));
    }
}
