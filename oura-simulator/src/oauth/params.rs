//! Form and query parameters as OAuth reads them: each at most once (RFC 6749 3.1, 3.2).

use std::collections::HashMap;

/// Parameters by name. Repeated names other than those in `repeatable` are an error.
pub(crate) struct Params(HashMap<String, Vec<String>>);

impl Params {
    /// Parses `application/x-www-form-urlencoded` text. `Err(name)` names a duplicated parameter.
    pub(crate) fn parse(encoded: &str, repeatable: &[&str]) -> Result<Self, String> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(encoded).map_err(|_| "the encoding".to_owned())?;
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (name, value) in pairs {
            let values = map.entry(name.clone()).or_default();
            if !values.is_empty() && !repeatable.contains(&name.as_str()) {
                return Err(name);
            }
            values.push(value);
        }
        Ok(Self(map))
    }

    /// The value of `name`, if present and not empty.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .and_then(|values| values.first())
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    }

    pub(crate) fn all(&self, name: &str) -> &[String] {
        self.0.get(name).map(Vec::as_slice).unwrap_or_default()
    }
}
