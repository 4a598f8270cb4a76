//! Per-client-address rate limits on what an attacker would hammer: starting logins (each
//! keeps a pending login), guessing API keys, and using the app as a proxy for Oura tokens;
//! and per person, the profile refreshes that spend their token's share of Oura's limit.
//! In memory, per instance: a limit per instance is still a limit.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::domain::UserId;
use crate::error::ApiError;

/// Logins one address may start: a burst of 20, then one every 3 seconds.
const LOGINS_PER_MINUTE: u32 = 20;
/// Wrong API keys one address may present: a burst of 10, then one every 6 seconds; past
/// that every key it presents is refused until the budget refills.
const FAILED_KEYS_PER_MINUTE: u32 = 10;
/// Profile requests with a raw Oura token: a burst of 60, then one a second.
const OURA_TOKEN_CALLS_PER_MINUTE: u32 = 60;
/// Profile refreshes one person may ask for: a burst of 20, then one every 3 seconds (a
/// small part of the 5,000 requests per 5 minutes their token may make, which the sync needs).
const PROFILE_REFRESHES_PER_MINUTE: u32 = 20;
/// Addresses (or people) remembered before the limiters forget the idle ones.
const MAX_ADDRESSES: usize = 10_000;

fn per_minute<K: Clone + Eq + std::hash::Hash>(count: u32) -> DefaultKeyedRateLimiter<K> {
    let count = NonZeroU32::new(count).unwrap_or(NonZeroU32::MIN);
    RateLimiter::keyed(Quota::per_minute(count))
}

/// The app's rate limits, one set per instance.
pub struct RateLimits {
    logins: DefaultKeyedRateLimiter<IpAddr>,
    failed_keys: DefaultKeyedRateLimiter<IpAddr>,
    oura_tokens: DefaultKeyedRateLimiter<IpAddr>,
    profile_refreshes: DefaultKeyedRateLimiter<UserId>,
    /// Addresses that guessed too many keys, and until when they may not try again.
    key_guessers: Mutex<HashMap<IpAddr, Instant>>,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            logins: per_minute(LOGINS_PER_MINUTE),
            failed_keys: per_minute(FAILED_KEYS_PER_MINUTE),
            oura_tokens: per_minute(OURA_TOKEN_CALLS_PER_MINUTE),
            profile_refreshes: per_minute(PROFILE_REFRESHES_PER_MINUTE),
            key_guessers: Mutex::new(HashMap::new()),
        }
    }
}

fn check<K: Clone + Eq + std::hash::Hash>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: K,
) -> Result<(), Duration> {
    if limiter.len() > MAX_ADDRESSES {
        limiter.retain_recent();
    }
    limiter
        .check_key(&key)
        .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
}

fn too_many(wait: Duration) -> ApiError {
    ApiError::TooManyRequests {
        retry_after: wait.max(Duration::from_secs(1)),
    }
}

impl RateLimits {
    /// One more login started from `address`.
    pub fn login(&self, address: IpAddr) -> Result<(), ApiError> {
        check(&self.logins, address).map_err(too_many)
    }

    /// One more profile request with a raw Oura token from `address`.
    pub fn oura_token(&self, address: IpAddr) -> Result<(), ApiError> {
        check(&self.oura_tokens, address).map_err(too_many)
    }

    /// One more profile fetched anew from Oura for `user_id`.
    pub fn profile_refresh(&self, user_id: &UserId) -> Result<(), ApiError> {
        check(&self.profile_refreshes, user_id.clone()).map_err(too_many)
    }

    /// Whether `address` may present an API key now.
    pub fn may_try_api_key(&self, address: IpAddr) -> Result<(), ApiError> {
        let mut guessers = self.key_guessers.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        guessers.retain(|_, until| *until > now);
        match guessers.get(&address) {
            Some(until) => Err(too_many(*until - now)),
            None => Ok(()),
        }
    }

    /// `address` presented a wrong API key; past the budget it is shut out for a while.
    pub fn failed_api_key(&self, address: IpAddr) {
        if let Err(wait) = check(&self.failed_keys, address) {
            let mut guessers = self.key_guessers.lock().unwrap_or_else(|e| e.into_inner());
            if guessers.len() < MAX_ADDRESSES {
                guessers.insert(address, Instant::now() + wait.max(Duration::from_secs(1)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    const HOME: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    const ELSEWHERE: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2));

    #[test]
    fn a_burst_of_logins_is_allowed_and_then_refused_with_a_wait() {
        let limits = RateLimits::default();

        for _ in 0..LOGINS_PER_MINUTE {
            assert!(limits.login(HOME).is_ok());
        }
        let refused = limits.login(HOME);

        assert!(
            matches!(refused, Err(ApiError::TooManyRequests { retry_after }) if retry_after >= Duration::from_secs(1))
        );
        assert!(limits.login(ELSEWHERE).is_ok(), "per address");
    }

    #[test]
    fn too_many_wrong_keys_shut_the_address_out() {
        let limits = RateLimits::default();

        for _ in 0..FAILED_KEYS_PER_MINUTE {
            assert!(limits.may_try_api_key(HOME).is_ok());
            limits.failed_api_key(HOME);
        }
        assert!(limits.may_try_api_key(HOME).is_ok(), "within the budget");
        limits.failed_api_key(HOME);

        assert!(limits.may_try_api_key(HOME).is_err());
        assert!(limits.may_try_api_key(ELSEWHERE).is_ok());
    }
}
