//! The OAuth 2.0 client for Oura's identity provider: authorization code flow with PKCE S256,
//! client credentials in the form body, the redirect URI taken from configuration only.

use std::time::Duration;

use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError,
    Scope, TokenResponse, TokenUrl,
};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::config::OuraSettings;

/// `BasicClient` with the authorize and token endpoints set: the typestate says what it can do.
type ConfiguredClient =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// 32 random bytes: 256 bits for `state`, and a 43-character PKCE verifier.
const RANDOM_BYTES: u32 = 32;

/// The OAuth client for Oura's identity provider, built once.
pub struct OuraOAuth {
    client: ConfiguredClient,
    http: reqwest::Client,
    scopes: Vec<String>,
    client_id: String,
    client_secret: SecretString,
    revoke_url: Option<Url>,
}

/// What a new login needs: where to send the browser, and what to keep server side.
pub struct AuthorizationStart {
    /// The consent page, with every parameter.
    pub url: Url,
    /// The `state` to compare with the callback's.
    pub state: String,
    /// The PKCE verifier the code is redeemed with.
    pub pkce_verifier: String,
}

/// What a successful code exchange yields. Kept server side only.
pub struct Tokens {
    /// The access token.
    pub access_token: SecretString,
    /// The single-use refresh token, if Oura gave one.
    pub refresh_token: Option<SecretString>,
    /// How long the access token lives.
    pub expires_in: Option<Duration>,
    /// Granted scopes, as Oura reports them (`extapi:`-prefixed).
    pub scopes: Vec<String>,
}

/// Why Oura's token endpoint did not give tokens.
#[derive(Debug, thiserror::Error)]
pub enum TokenExchangeError {
    /// Oura refused the grant (`invalid_grant`: used, expired or foreign code).
    #[error("Oura refused the authorization code")]
    InvalidGrant,
    /// Oura refused for another reason (`invalid_client`, ...): a configuration problem.
    #[error("Oura refused the token request: {0}")]
    Refused(String),
    /// No answer within the timeout.
    #[error("Oura's token endpoint did not answer in time")]
    Timeout,
    /// The connection failed.
    #[error("could not reach Oura's token endpoint")]
    Unreachable,
    /// An answer that is not a token response.
    #[error("Oura's token endpoint answered something unexpected")]
    Malformed,
}

impl OuraOAuth {
    /// A client for the application in `settings`, sending people back to `redirect_uri`.
    pub fn new(
        settings: &OuraSettings,
        redirect_uri: &Url,
        http: reqwest::Client,
    ) -> anyhow::Result<Self> {
        let client = BasicClient::new(ClientId::new(settings.client_id.clone()))
            .set_client_secret(ClientSecret::new(
                settings.client_secret.expose_secret().to_owned(),
            ))
            .set_auth_uri(AuthUrl::from_url(settings.authorize_url.clone()))
            .set_token_uri(TokenUrl::from_url(settings.token_url.clone()))
            .set_redirect_uri(RedirectUrl::from_url(redirect_uri.clone()))
            .set_auth_type(AuthType::RequestBody);
        Ok(Self {
            client,
            http,
            scopes: settings.scopes.clone(),
            client_id: settings.client_id.clone(),
            client_secret: settings.client_secret.clone(),
            revoke_url: settings.revoke_url.clone(),
        })
    }

    /// A fresh `state` and PKCE verifier, and the authorize URL that carries them.
    pub fn start(&self) -> AuthorizationStart {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256_len(RANDOM_BYTES);
        let (url, state) = self
            .client
            .authorize_url(|| CsrfToken::new_random_len(RANDOM_BYTES))
            .add_scopes(self.scopes.iter().cloned().map(Scope::new))
            .set_pkce_challenge(challenge)
            .url();
        AuthorizationStart {
            url,
            state: state.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        }
    }

    /// Redeems `code`, proving possession of the PKCE verifier. Never retried: a code is
    /// single-use, and a retry could only fail or, worse, look like a replay.
    #[tracing::instrument(name = "oura.exchange_code", skip_all)]
    pub async fn exchange_code(
        &self,
        code: String,
        pkce_verifier: String,
    ) -> Result<Tokens, TokenExchangeError> {
        let response = self
            .client
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(&CappedClient(self.http.clone()))
            .await
            .map_err(token_error)?;
        Ok(tokens_from(&response))
    }

    /// Trades a refresh token for a new pair. Oura's refresh tokens are single-use: the caller
    /// must store the new pair before anything else uses it. Never retried.
    #[tracing::instrument(name = "oura.refresh", skip_all)]
    pub async fn refresh(
        &self,
        refresh_token: &SecretString,
    ) -> Result<Tokens, TokenExchangeError> {
        let response = self
            .client
            .exchange_refresh_token(&RefreshToken::new(refresh_token.expose_secret().to_owned()))
            .request_async(&CappedClient(self.http.clone()))
            .await
            .map_err(token_error)?;
        Ok(tokens_from(&response))
    }

    /// Asks Oura to revoke `token` (RFC 7009), where a revocation endpoint is configured.
    /// Best effort: the account is deleted here whatever Oura answers.
    pub async fn revoke(&self, token: &SecretString) {
        let Some(url) = &self.revoke_url else { return };
        let result = self
            .http
            .post(url.clone())
            .form(&[
                ("token", token.expose_secret()),
                ("client_id", self.client_id.as_str()),
                ("client_secret", self.client_secret.expose_secret()),
            ])
            .send()
            .await;
        match result {
            Ok(response) if response.status().is_success() => tracing::info!("Oura token revoked"),
            Ok(response) => tracing::warn!(
                status = response.status().as_u16(),
                "Oura refused to revoke a token"
            ),
            Err(error) => {
                tracing::warn!(error = %error.without_url(), "could not reach Oura to revoke a token")
            }
        }
    }
}

/// The app's HTTP client, as oauth2 calls it: reading at most
/// [`super::MAX_TOKEN_BODY_BYTES`] of the token endpoint's answer.
struct CappedClient(reqwest::Client);

impl<'c> oauth2::AsyncHttpClient<'c> for CappedClient {
    type Error = super::BodyError;
    type Future = std::pin::Pin<
        Box<dyn Future<Output = Result<oauth2::HttpResponse, super::BodyError>> + Send + 'c>,
    >;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(send(self.0.clone(), request))
    }
}

async fn send(
    http: reqwest::Client,
    request: oauth2::HttpRequest,
) -> Result<oauth2::HttpResponse, super::BodyError> {
    let (parts, body) = request.into_parts();
    let response = http
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await?;
    let mut answer = oauth2::http::Response::builder().status(response.status());
    if let Some(headers) = answer.headers_mut() {
        headers.extend(
            response
                .headers()
                .iter()
                .map(|(name, value)| (name.clone(), value.clone())),
        );
    }
    let body = super::read_capped(response, super::MAX_TOKEN_BODY_BYTES).await?;
    // Status and headers were taken from a response, so the builder holds no error.
    answer
        .body(body)
        .map_err(|_| super::BodyError::TooLarge(super::MAX_TOKEN_BODY_BYTES))
}

fn token_error(
    error: RequestTokenError<super::BodyError, oauth2::basic::BasicErrorResponse>,
) -> TokenExchangeError {
    match error {
        RequestTokenError::ServerResponse(body) => match body.error() {
            BasicErrorResponseType::InvalidGrant => TokenExchangeError::InvalidGrant,
            other => TokenExchangeError::Refused(other.to_string()),
        },
        RequestTokenError::Request(super::BodyError::Transport(error)) if error.is_timeout() => {
            TokenExchangeError::Timeout
        }
        RequestTokenError::Request(super::BodyError::Transport(_)) => {
            TokenExchangeError::Unreachable
        }
        RequestTokenError::Request(super::BodyError::TooLarge(_)) => TokenExchangeError::Malformed,
        RequestTokenError::Parse(..) | RequestTokenError::Other(_) => TokenExchangeError::Malformed,
    }
}

fn tokens_from(response: &oauth2::basic::BasicTokenResponse) -> Tokens {
    Tokens {
        access_token: SecretString::from(response.access_token().secret().to_owned()),
        refresh_token: response
            .refresh_token()
            .map(|t| SecretString::from(t.secret().to_owned())),
        expires_in: response.expires_in(),
        scopes: response
            .scopes()
            .map(|scopes| scopes.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default(),
    }
}
