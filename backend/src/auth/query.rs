//! Query strings as OAuth reads them: every parameter at most once (RFC 6749 3.1).

use std::collections::HashMap;

/// Parses `query`, refusing a repeated parameter (named in the error).
pub fn single_valued(query: &str) -> Result<HashMap<String, String>, String> {
    let mut params = HashMap::new();
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if params
            .insert(name.to_string(), value.into_owned())
            .is_some()
        {
            return Err(name.into_owned());
        }
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::single_valued;

    #[test]
    fn a_repeated_parameter_is_refused_by_name() {
        assert_eq!(
            single_valued("code=a&state=b&code=c"),
            Err("code".to_owned())
        );
    }

    #[test]
    fn values_are_decoded() {
        let params = single_valued("state=a%2Fb&code=c+d").unwrap();
        assert_eq!(params["state"], "a/b");
        assert_eq!(params["code"], "c d");
    }
}
