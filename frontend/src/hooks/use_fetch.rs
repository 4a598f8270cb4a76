use std::any::Any;
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::ApiError;
use crate::components::{error_panel, loading};

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

/// Runs `fetch` when the component mounts and whenever `reload` is called.
#[hook]
pub fn use_fetch<T, F, Fut>(fetch: F) -> FetchHandle<T>
where
    T: 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    use_fetch_with((), move |()| fetch())
}

/// Runs `fetch(deps)` on mount, whenever `deps` change, and whenever `reload` is called.
/// While a new answer is on its way the previous one stays on screen; answers to superseded
/// requests are dropped.
#[hook]
pub fn use_fetch_with<T, D, F, Fut>(deps: D, fetch: F) -> FetchHandle<T>
where
    T: 'static,
    D: PartialEq + Clone + 'static,
    F: Fn(&D) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    // The last `deps`, and a number that changes whenever they do: the request machinery
    // below then sees only the number, and is compiled once rather than once per type of
    // `deps`.
    let seen = use_mut_ref(|| (deps.clone(), 0u32));
    let version = {
        let mut seen = seen.borrow_mut();
        if seen.0 != deps {
            let version = seen.1.wrapping_add(1);
            *seen = (deps.clone(), version);
        }
        seen.1
    };
    let any = use_fetch_any(
        version,
        Box::new(move || {
            let request = fetch(&deps);
            Box::pin(async move { request.await.map(|value| Rc::new(value) as Rc<dyn Any>) })
                as AnyRequest
        }),
    );
    FetchHandle {
        state: match any.state {
            Fetch::Loading => Fetch::Loading,
            // Only `fetch` answers here, and it answers a `T`.
            Fetch::Ready(value) => match value.downcast::<T>() {
                Ok(value) => Fetch::Ready(value),
                Err(_) => Fetch::Failed(ApiError::Unexpected("an answer of another type".into())),
            },
            Fetch::Failed(error) => Fetch::Failed(error),
        },
        reload: any.reload,
    }
}

/// A request whose answer's type is known only to its caller.
type AnyRequest = Pin<Box<dyn Future<Output = Result<Rc<dyn Any>, ApiError>>>>;

/// [`use_fetch_with`]'s work, whatever the answer's and the deps' types: compiled once instead
/// of once for every request in the app (a large part of the SPA's size). `fetch` starts the
/// request; it runs on mount, when `version` changes, and on `reload`.
#[hook]
fn use_fetch_any(version: u32, fetch: Box<dyn FnOnce() -> AnyRequest>) -> FetchHandle<dyn Any> {
    let state = use_state(|| Fetch::Loading);
    let generation = use_state(|| 0u32);
    let latest = use_memo((), |()| Latest::default());
    {
        let state = state.clone();
        use_effect_with((version, *generation), move |_| {
            let request = fetch();
            let number = latest.issue();
            spawn_local(async move {
                let answer = request.await;
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
