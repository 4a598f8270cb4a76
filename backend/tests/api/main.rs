//! Backend integration tests: the real server on port 0 against the Oura simulator on port 0.

mod callback;
mod helpers;
mod logging;
mod login;
mod logout;
mod openapi;
mod profile;
mod site;
