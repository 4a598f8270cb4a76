use std::any::Any;
use std::cell::Cell;
use std::rc::Rc;

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ApiError, Get};
use crate::components::{error_panel, loading};
use crate::decode::Decode;

/// Where a request stands.
#[derive(Debug)]
pub enum Fetch<T: ?Sized> {
    Loading,
    Ready(Rc<T>),
    Failed(ApiError),
}

// By hand: a derive would demand `T: Clone`, but only the `Rc` is cloned.
impl<T: ?Sized> Clone for Fetch<T> {
    fn clone(&self) -> Self {
        match self {
            Self::Loading => Self::Loading,
            Self::Ready(value) => Self::Ready(Rc::clone(value)),
            Self::Failed(error) => Self::Failed(error.clone()),
        }
    }
}

/// Numbers requests so that only the answer to the latest one is shown: an older, slower
/// answer arriving after a newer one is dropped (press "Earlier" twice quickly, and the
/// charts still show the range the label names).
#[derive(Debug, Default)]
pub struct Latest(Cell<u64>);

impl Latest {
    /// Starts a request; its number supersedes every earlier one.
    pub fn issue(&self) -> u64 {
        let number = self.0.get().wrapping_add(1);
        self.0.set(number);
        number
    }

    /// Whether request `number` is still the latest.
    pub fn is_current(&self, number: u64) -> bool {
        self.0.get() == number
    }
}

/// A request's state, and how to run it again.
pub struct FetchHandle<T: ?Sized> {
    pub state: Fetch<T>,
    /// Runs the request again (for "Retry" buttons, and after the data changed).
    pub reload: Callback<()>,
}

impl<T> FetchHandle<T> {
    /// The one way a request shows: a spinner with `while_loading` while it runs, an error
    /// panel titled `failed` with a retry button when it fails, and `ready` once it answered.
    pub fn view(
        &self,
        while_loading: &str,
        failed: &str,
        ready: impl FnOnce(&Rc<T>) -> Html,
    ) -> Html {
        match &self.state {
            Fetch::Loading => loading(while_loading),
            Fetch::Failed(error) => error_panel(failed, error, &self.reload),
            Fetch::Ready(value) => ready(value),
        }
    }
}

/// Runs `get` when the component mounts, whenever its path changes, and whenever `reload` is
/// called. While a new answer is on its way the previous one stays on screen; answers to
/// superseded requests are dropped.
#[hook]
pub fn use_fetch<T: Decode + 'static>(get: Get<T>) -> FetchHandle<T> {
    let any = use_fetch_any(get.path, read_as::<T>);
    FetchHandle {
        state: match any.state {
            Fetch::Loading => Fetch::Loading,
            // Only `read_as::<T>` answers here, and it answers a `T`.
            Fetch::Ready(value) => match value.downcast::<T>() {
                Ok(value) => Fetch::Ready(value),
                Err(_) => Fetch::Failed(answer_of_another_type()),
            },
            Fetch::Failed(error) => Fetch::Failed(error),
        },
        reload: any.reload,
    }
}

/// What cannot happen (see `use_fetch`), said once in the wasm rather than once per type.
#[cold]
fn answer_of_another_type() -> ApiError {
    ApiError::Unexpected("an answer of another type".into())
}

/// An answer read as a `T`, held as `dyn Any`: the one part of a request compiled per type.
fn read_as<T: Decode + 'static>(text: &str) -> Result<Rc<dyn Any>, ApiError> {
    api::decode::<T>(text).map(|value| Rc::new(value) as Rc<dyn Any>)
}

/// [`use_fetch`]'s work, whatever the answer's type: the request and its bookkeeping are
/// compiled once instead of once for every request in the app (a large part of the SPA's
/// size). `read` reads the answer.
#[hook]
fn use_fetch_any(
    path: String,
    read: fn(&str) -> Result<Rc<dyn Any>, ApiError>,
) -> FetchHandle<dyn Any> {
    let state = use_state(|| Fetch::Loading);
    let generation = use_state(|| 0u32);
    let latest = use_memo((), |()| Latest::default());
    {
        let state = state.clone();
        use_effect_with((path, *generation), move |(path, _)| {
            let path = path.clone();
            let number = latest.issue();
            spawn_local(async move {
                let answer = api::get_text(&path).await.and_then(|text| read(&text));
                if latest.is_current(number) {
                    state.set(match answer {
                        Ok(value) => Fetch::Ready(value),
                        Err(error) => Fetch::Failed(error),
                    });
                }
            });
        });
    }
    let reload = {
        let generation = generation.clone();
        Callback::from(move |()| generation.set(generation.wrapping_add(1)))
    };
    FetchHandle {
        state: (*state).clone(),
        reload,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_to_a_superseded_request_is_not_current() {
        let latest = Latest::default();

        let older = latest.issue();
        let newer = latest.issue();

        assert!(!latest.is_current(older), "the older answer is dropped");
        assert!(latest.is_current(newer));
    }

    #[test]
    fn the_only_request_is_current() {
        let latest = Latest::default();

        let only = latest.issue();

        assert!(latest.is_current(only));
    }
}
