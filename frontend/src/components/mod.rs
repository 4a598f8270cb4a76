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
pub use demo_banner::DemoBanner;
pub use error_panel::ErrorPanel;
pub use header::Header;
pub use heart_cards::HeartCards;
pub use hypnogram::Hypnogram;
pub use landing::Landing;
pub use loading::Loading;
pub use missing::Gaps;
pub use profile_card::ProfileCard;
pub use score_cards::ScoreCards;
pub use series_chart::SeriesChart;
pub use shell::{Shell, use_session_ended_on};
pub use sleep_period_card::SleepPeriodCard;
pub use sync_bar::SyncBar;
pub use sync_health::SyncHealthPanel;
pub use trend_chart::{Marker, MarkerKind, Scale, TrendChart};
pub use wellbeing_cards::WellbeingCards;
