//! Where to send the browser after login: same-origin paths only, so the login flow cannot
//! be used as an open redirect.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// The longest `return_to` kept, in bytes: enough for any page of the app, and a pending
/// login stays small.
pub const MAX_RETURN_TO: usize = 512;

/// What a `Location` header may not carry raw: controls, anything outside ASCII (browsers
/// would read its UTF-8 bytes as Latin-1), and what a URL never holds unescaped. `%` is left
/// alone, so an already encoded path stays as it is.
const ESCAPED: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');

/// `candidate` if it is a plain same-origin path, percent-encoded for a `Location` header;
/// otherwise `/`.
pub fn sanitize(candidate: Option<&str>) -> String {
    match candidate {
        Some(path) if is_same_origin_path(path) => utf8_percent_encode(path, ESCAPED).to_string(),
        _ => "/".to_owned(),
    }
}

fn is_same_origin_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.first() == Some(&b'/')
        // `//host` and `/\host` are read by browsers as another origin.
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && !path.starts_with("/auth/")
        && path.len() <= MAX_RETURN_TO
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn same_origin_paths_are_kept() {
        for path in ["/", "/profile", "/trends?range=30d#top"] {
            assert_eq!(sanitize(Some(path)), path);
        }
    }

    #[test]
    fn anything_that_could_leave_the_origin_ends_on_the_root() {
        for evil in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "evil.example",
            "/ok\\..\\evil",
            "/\t/evil.example",
            "/auth/login",
            "",
        ] {
            assert_eq!(sanitize(Some(evil)), "/", "{evil:?}");
        }
        assert_eq!(sanitize(None), "/");
    }

    #[test]
    fn a_return_to_is_percent_encoded_for_the_location_header() {
        assert_eq!(
            sanitize(Some("/night/2026-01-01?note=café")),
            "/night/2026-01-01?note=caf%C3%A9"
        );
        assert_eq!(
            sanitize(Some("/a%20b c")),
            "/a%20b%20c",
            "not encoded twice"
        );
    }

    #[test]
    fn a_long_return_to_ends_on_the_root() {
        let long = format!("/{}", "a".repeat(super::MAX_RETURN_TO));

        assert_eq!(sanitize(Some(&long)), "/");
    }
}
