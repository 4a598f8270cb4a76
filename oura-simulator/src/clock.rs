use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// Wall-clock time that tests can move forward, so expiry can be tested without sleeping. It
/// may start behind the real time, so that moving it on brings new days up to today.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    /// How far behind the wall clock it started, and how far it has been moved on since.
    offsets: Mutex<(Duration, Duration)>,
}

impl Clock {
    pub(crate) fn starting_behind(behind: Duration) -> Self {
        Self {
            offsets: Mutex::new((behind, Duration::ZERO)),
        }
    }

    pub(crate) fn now(&self) -> SystemTime {
        let (behind, ahead) = *self.offsets.lock().unwrap_or_else(|e| e.into_inner());
        SystemTime::now() - behind + ahead
    }

    pub(crate) fn advance(&self, by: Duration) {
        self.offsets.lock().unwrap_or_else(|e| e.into_inner()).1 += by;
    }
}
