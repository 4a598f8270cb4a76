//! Encryption at rest for Oura's tokens: XChaCha20-Poly1305 with a random 192-bit nonce per
//! value, the user id as associated data (a token copied to another user's row fails to open),
//! and a key derived from the configured secret with HKDF-SHA256.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use rand::RngCore as _;
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

const NONCE_BYTES: usize = 24;

/// Encrypts Oura tokens at rest, each bound to its user.
#[derive(Clone)]
pub struct TokenCipher {
    cipher: XChaCha20Poly1305,
}

impl TokenCipher {
    /// Derives the token key from the app's secret (the same secret signs session cookies,
    /// under a different HKDF label, so the two keys are independent).
    pub fn derive(secret: &[u8]) -> Self {
        let mut key = [0u8; 32];
        Hkdf::<Sha256>::new(Some(b"oura-dashboard"), secret)
            .expand(b"oura token encryption v1", &mut key)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        Self {
            cipher: XChaCha20Poly1305::new(&key.into()),
        }
    }

    /// Encrypts `plaintext` for `user_id`, as base64.
    pub fn encrypt(&self, plaintext: &SecretString, user_id: &str) -> anyhow::Result<String> {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext.expose_secret().as_bytes(),
                    aad: user_id.as_bytes(),
                },
            )
            .map_err(|_| anyhow::anyhow!("Failed to encrypt a token"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(STANDARD.encode(out))
    }

    /// `None` when the value was not sealed by this key for this user (a changed secret, or a
    /// tampered row): the caller treats it as "no token", and the person signs in again.
    pub fn decrypt(&self, encoded: &str, user_id: &str) -> Option<SecretString> {
        let bytes = STANDARD.decode(encoded).ok()?;
        if bytes.len() <= NONCE_BYTES {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
        let plain = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: user_id.as_bytes(),
                },
            )
            .ok()?;
        String::from_utf8(plain).ok().map(SecretString::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cipher() -> TokenCipher {
        TokenCipher::derive(&[7u8; 64])
    }

    #[test]
    fn a_token_round_trips_for_its_user() {
        let sealed = cipher()
            .encrypt(&SecretString::from("tok"), "alice")
            .unwrap();

        let opened = cipher().decrypt(&sealed, "alice").unwrap();

        assert_eq!(opened.expose_secret(), "tok");
        assert!(!sealed.contains("tok"));
    }

    #[test]
    fn the_same_token_encrypts_differently_each_time() {
        let a = cipher()
            .encrypt(&SecretString::from("tok"), "alice")
            .unwrap();
        let b = cipher()
            .encrypt(&SecretString::from("tok"), "alice")
            .unwrap();

        assert_ne!(a, b);
    }

    #[test]
    fn another_user_another_key_or_a_tampered_value_cannot_open_it() {
        let sealed = cipher()
            .encrypt(&SecretString::from("tok"), "alice")
            .unwrap();
        let mut tampered = STANDARD.decode(&sealed).unwrap();
        *tampered.last_mut().unwrap() ^= 1;

        assert!(cipher().decrypt(&sealed, "bob").is_none());
        assert!(
            TokenCipher::derive(&[8u8; 64])
                .decrypt(&sealed, "alice")
                .is_none()
        );
        assert!(
            cipher()
                .decrypt(&STANDARD.encode(tampered), "alice")
                .is_none()
        );
        assert!(cipher().decrypt("not base64!", "alice").is_none());
    }
}
