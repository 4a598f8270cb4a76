//! Signing in with Oura (authorization code + PKCE), the session, and who is calling.

/// `GET /auth/callback`: where Oura sends the browser back.
pub mod callback;
mod caller;
/// The CSRF defence of state-changing requests.
pub mod csrf;
mod failure;
/// `GET /auth/login`: off to Oura's consent page.
pub mod login;
/// `POST /auth/logout`.
pub mod logout;
mod query;
pub mod rate_limit;
mod return_to;
mod session;

pub use caller::Caller;
pub use rate_limit::RateLimits;
pub use session::TypedSession;

/// Whether a presented secret (the metrics token, a webhook verification token) is the
/// expected one. Digests are compared in constant time: neither the secret's bytes nor its
/// length show in how long a wrong guess takes.
pub fn same_secret(presented: &str, expected: &str) -> bool {
    use sha2::{Digest as _, Sha256};
    use subtle::ConstantTimeEq as _;
    let digest = |text: &str| Sha256::digest(text.as_bytes());
    digest(presented).ct_eq(&digest(expected)).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_same_token_passes() {
        assert!(same_secret("0123456789abcdef", "0123456789abcdef"));
        assert!(!same_secret("0123456789abcdeF", "0123456789abcdef"));
        assert!(!same_secret("", "0123456789abcdef"));
        assert!(!same_secret("0123456789abcdef0", "0123456789abcdef"));
    }
}
