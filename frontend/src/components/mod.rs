//! Building blocks that take props and hold no routes.

mod day_heart_rate;
mod demo_banner;
mod error_panel;
mod header;
mod heart_cards;
mod hypnogram;
mod landing;
mod loading;
mod missing;
mod profile_card;
mod score_cards;
mod series_chart;
mod shell;
mod sleep_period_card;
mod sync_bar;
mod sync_health;
mod trend_chart;
mod wellbeing_cards;

pub use day_heart_rate::DayHeartRate;
pub use demo_banner::demo_banner;
pub use error_panel::error_panel;
pub use header::header;
pub use heart_cards::heart_cards;
use hypnogram::hypnogram;
pub use landing::landing;
pub use loading::loading;
pub use missing::{Gaps, why_no_night};
pub use profile_card::profile_card;
pub use score_cards::score_cards;
use series_chart::series_chart;
pub use shell::{Shell, use_session_ended_on};
pub use sleep_period_card::sleep_period_card;
pub use sync_bar::SyncBar;
pub use sync_health::SyncHealthPanel;
pub use trend_chart::{Marker, MarkerKind, Scale, TrendChart};
pub use wellbeing_cards::wellbeing_cards;
