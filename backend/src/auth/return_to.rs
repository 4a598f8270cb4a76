//! Where to send the browser after login: same-origin paths only, so the login flow cannot
//! be used as an open redirect.

/// `candidate` if it is a plain same-origin path, otherwise `/`.
pub fn sanitize(candidate: Option<&str>) -> String {
    match candidate {
        Some(path) if is_same_origin_path(path) => path.to_owned(),
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
        && path.len() <= 2048
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
}
