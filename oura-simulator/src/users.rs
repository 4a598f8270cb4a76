//! Deterministic simulated people: the same username always gives the same profile.

use sha2::{Digest, Sha256};

/// A person who can sign in on the simulator's consent page.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulatedUser {
    pub username: String,
    pub id: String,
    pub email: String,
    pub age: u32,
    pub weight_kg: f64,
    pub height_m: f64,
    pub biological_sex: &'static str,
}

/// The username the consent page suggests, and the one demo mode documents.
pub const DEMO_USERNAME: &str = "demo";

impl SimulatedUser {
    /// Usernames are 1 to 32 characters of `a-z`, `0-9`, `.`, `_` and `-`.
    pub fn from_username(username: &str) -> Option<Self> {
        let valid = (1..=32).contains(&username.len())
            && username
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if !valid {
            return None;
        }
        let seed = Sha256::digest(format!("oura-simulator/user/{username}").as_bytes());
        let id = format!(
            "{}-{}-4{}-a{}-{}",
            hex(&seed[0..4]),
            hex(&seed[4..6]),
            &hex(&seed[6..8])[1..],
            &hex(&seed[8..10])[1..],
            hex(&seed[10..16])
        );
        let age = 22 + u32::from(seed[16]) % 48;
        let height_cm = 155 + u32::from(seed[17]) % 41;
        let height_m = f64::from(height_cm) / 100.0;
        let bmi = 19.0 + f64::from(seed[18] % 100) / 10.0;
        let weight_kg = (bmi * height_m * height_m * 10.0).round() / 10.0;
        let biological_sex = if seed[19] % 2 == 0 { "female" } else { "male" };
        Some(Self {
            username: username.to_owned(),
            id,
            email: format!("{username}@example.com"),
            age,
            weight_kg,
            height_m,
            biological_sex,
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_username_always_gives_the_same_person() {
        assert_eq!(
            SimulatedUser::from_username("demo"),
            SimulatedUser::from_username("demo")
        );
    }

    #[test]
    fn different_usernames_give_different_ids() {
        let a = SimulatedUser::from_username("demo").unwrap();
        let b = SimulatedUser::from_username("alex").unwrap();
        assert_ne!(a.id, b.id);
    }

    #[test]
    fn profiles_are_plausible() {
        for name in ["demo", "alex", "sam", "a", "x.y_z-1"] {
            let user = SimulatedUser::from_username(name).unwrap();
            assert!((22..70).contains(&user.age), "{user:?}");
            assert!((1.55..=1.95).contains(&user.height_m), "{user:?}");
            let bmi = user.weight_kg / (user.height_m * user.height_m);
            assert!((18.5..29.5).contains(&bmi), "{user:?}");
            assert_eq!(user.id.len(), 36, "{user:?}");
        }
    }

    #[test]
    fn malformed_usernames_are_refused() {
        for name in ["", "Demo", "a b", "<script>", &"x".repeat(33)] {
            assert!(SimulatedUser::from_username(name).is_none(), "{name:?}");
        }
    }
}
