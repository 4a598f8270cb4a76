//! Which date windows a run fetches, and how far each collection is done without gaps.

use time::Date;

use crate::oura::Collection;

/// One window of days of one collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Window {
    pub collection: Collection,
    pub first: Date,
    pub last: Date,
}

/// Splits `first..=today` into windows of at most `window_days`, oldest first.
pub(super) fn windows(
    collection: Collection,
    mut first: Date,
    today: Date,
    window_days: i64,
) -> Vec<Window> {
    let mut windows = Vec::new();
    while first <= today {
        let last = (first + time::Duration::days(window_days - 1)).min(today);
        windows.push(Window {
            collection,
            first,
            last,
        });
        first = last + time::Duration::days(1);
    }
    windows
}

/// A window of a run, and whether it is done.
struct Planned {
    collection: Collection,
    last: Date,
    done: bool,
}

/// Which windows are done, per collection, and how far each collection is done without gaps.
pub(super) struct Progress {
    windows: Vec<Planned>,
}

impl Progress {
    pub(super) fn new(windows: &[Window]) -> Self {
        Self {
            windows: windows
                .iter()
                .map(|w| Planned {
                    collection: w.collection,
                    last: w.last,
                    done: false,
                })
                .collect(),
        }
    }

    /// Marks window `index` done; returns the last day its collection is now complete through,
    /// if that moved.
    pub(super) fn done(&mut self, index: usize) -> Option<Date> {
        let collection = self.windows.get(index)?.collection;
        self.windows[index].done = true;
        let mut through = None;
        for window in self.windows.iter().filter(|w| w.collection == collection) {
            if !window.done {
                break;
            }
            through = Some(window.last);
        }
        through
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn window(collection: Collection, last: Date) -> Window {
        Window {
            collection,
            first: last,
            last,
        }
    }

    #[test]
    fn progress_moves_only_over_windows_with_no_gap_before_them() {
        let windows = [
            window(Collection::Sleep, date!(2026 - 01 - 10)),
            window(Collection::Sleep, date!(2026 - 01 - 20)),
            window(Collection::HeartRate, date!(2026 - 01 - 10)),
            window(Collection::Sleep, date!(2026 - 01 - 30)),
        ];
        let mut progress = Progress::new(&windows);

        assert_eq!(
            progress.done(1),
            None,
            "the first sleep window is not done yet"
        );
        assert_eq!(progress.done(2), Some(date!(2026 - 01 - 10)));
        assert_eq!(
            progress.done(0),
            Some(date!(2026 - 01 - 20)),
            "both sleep windows now"
        );
        assert_eq!(progress.done(3), Some(date!(2026 - 01 - 30)));
    }

    #[test]
    fn windows_cover_every_day_once_and_end_today() {
        let windows = windows(
            Collection::HeartRate,
            date!(2026 - 01 - 01),
            date!(2026 - 03 - 01),
            30,
        );

        assert_eq!(windows.len(), 2);
        assert_eq!(windows[0].last, date!(2026 - 01 - 30));
        assert_eq!(windows[1].first, date!(2026 - 01 - 31));
        assert_eq!(windows[1].last, date!(2026 - 03 - 01));
    }
}
