use shared::routes;
use yew::prelude::*;

/// The start page for someone signed out; `notice` says why they are here again, if they
/// were signed out without asking.
pub fn landing(notice: Option<&str>) -> Html {
    html! {
        <section class="panel landing" aria-labelledby="landing-title">
            if let Some(notice) = notice {
                <p class="alert" role="alert">{ notice.to_owned() }</p>
            }
            <h1 id="landing-title">{ "Your Oura data, on your own server" }</h1>
            <p class="lead">
                { "Sign in with your Oura account: your sleep, readiness and activity scores against your own baseline, the day's stress, the night's blood oxygen and your resilience, each night's stages and heart rate, trends over up to a year, honest insights, and your data to export, all kept on this server." }
            </p>
            <a class="button primary" href={routes::LOGIN}>{ "Sign in with Oura" }</a>
            <p class="fine-print">
                { "You will approve access on Oura's own page. This app never sees your Oura password, and your Oura tokens stay on this server." }
            </p>
        </section>
    }
}
