use std::future::Future;
use std::rc::Rc;

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::ApiError;

/// Where a request stands.
#[derive(Debug)]
pub enum Fetch<T> {
    Loading,
    Ready(Rc<T>),
    Failed(ApiError),
}

// By hand: a derive would demand `T: Clone`, but only the `Rc` is cloned.
impl<T> Clone for Fetch<T> {
    fn clone(&self) -> Self {
        match self {
            Self::Loading => Self::Loading,
            Self::Ready(value) => Self::Ready(Rc::clone(value)),
            Self::Failed(error) => Self::Failed(error.clone()),
        }
    }
}

pub struct FetchHandle<T> {
    pub state: Fetch<T>,
    /// Runs the request again (for "Retry" buttons, and after the data changed).
    pub reload: Callback<()>,
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
/// While a new answer is on its way the previous one stays on screen.
#[hook]
pub fn use_fetch_with<T, D, F, Fut>(deps: D, fetch: F) -> FetchHandle<T>
where
    T: 'static,
    D: PartialEq + Clone + 'static,
    F: Fn(&D) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let state = use_state(|| Fetch::Loading);
    let generation = use_state(|| 0u32);
    {
        let state = state.clone();
        use_effect_with((deps, *generation), move |(deps, _)| {
            let request = fetch(deps);
            spawn_local(async move {
                state.set(match request.await {
                    Ok(value) => Fetch::Ready(Rc::new(value)),
                    Err(error) => Fetch::Failed(error),
                });
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
