//! The middleware every request goes through, in this order:
//!
//! 1. a dropped-connection fault closes the connection without an answer;
//! 2. added latency;
//! 3. the rate limit (429 with `Retry-After` when exhausted);
//! 4. authentication, as the route requires (401 in the envelope), and token rotation for an
//!    authenticated caller (except on logout, which ends the session);
//! 5. a chosen-status fault, else the handler;
//! 6. on the way out: the rotated token in `Authorization` (unless the handler logged the
//!    session out), a malformed `Authorization` fault, the `X-RateLimit-*` headers, and the
//!    request journal.

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{AUTHORIZATION, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use destiny_gen::Secret;

use crate::app::App;
use crate::error::ApiError;
use crate::inspection::RecordedRequest;
use crate::listener::ConnectionKill;
use crate::rate_limit::RateDecision;
use crate::routes::{self, Access};
use crate::sessions::Caller;
use crate::tokens::TokenError;

/// What the malformed-`Authorization` fault sends: the scheme followed by a value with
/// whitespace inside, which no bearer token may contain (a well-formed but opaque token
/// such as `bearer abc` would be a valid rotation, not a fault).
pub const MALFORMED_AUTHORIZATION: &str = "bearer eyJ0eXAi OiJKV1Qi";

const X_RATELIMIT_LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const X_RATELIMIT_REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const X_RATELIMIT_RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

/// The token of `Authorization: bearer <token>`, with the scheme matched case-insensitively.
pub(crate) fn bearer_token(authorization: &str) -> Option<&str> {
    let (scheme, token) = authorization.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// `bearer <token>` as a header value marked sensitive.
pub(crate) fn authorization_value(token: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::try_from(format!("bearer {token}")).ok()?;
    value.set_sensitive(true);
    Some(value)
}

pub(crate) async fn pipeline(
    State(app): State<Arc<App>>,
    request: Request,
    next: Next,
) -> Response {
    let now = app.clock.now();
    let access = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(Access::Public, |matched| routes::access(matched.as_str()));
    let authorization = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bearer = authorization
        .as_deref()
        .and_then(bearer_token)
        .map(str::to_owned);
    let mut record = RecordedRequest {
        method: request.method().clone(),
        path: request.uri().path().to_owned(),
        query: request.uri().query().map(str::to_owned),
        authorization: authorization.as_deref().map(Secret::from),
        bearer: bearer.as_deref().map(Secret::from),
        status: None,
        received_at: now,
    };

    let (drop_connection, latency) = {
        let mut faults = app.faults();
        (faults.take_drop(), faults.latency)
    };
    if drop_connection && let Some(kill) = request.extensions().get::<ConnectionKill>().cloned() {
        tracing::debug!(path = %record.path, "fault: dropping the connection unanswered");
        app.record(record);
        kill.fire();
        // The connection task drops this future together with the connection.
        return std::future::pending().await;
    }
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }

    let rate = app.rate().hit(now);
    let mut rotated = None;
    let mut response = if rate.allowed {
        match authenticate(&app, access, bearer.as_deref(), now) {
            Err(err) => {
                ApiError::warning(StatusCode::UNAUTHORIZED, err.to_string()).into_response()
            }
            Ok(caller) => {
                let mut request = request;
                if let Some(caller) = caller {
                    if access != Access::Ending {
                        rotated = app
                            .sessions()
                            .rotate_if_due(&app.signer, caller, app.rotation(), now)
                            .map(|token| (token, caller.session));
                    }
                    request.extensions_mut().insert(caller);
                }
                let injected = app.faults().take_status();
                match injected {
                    Some(status) => injected_failure(status),
                    None => next.run(request).await,
                }
            }
        }
    } else {
        too_many_requests(rate)
    };

    if let Some((token, session)) = rotated
        && !app.sessions().is_revoked(session)
        && let Some(value) = authorization_value(&token)
    {
        response.headers_mut().insert(AUTHORIZATION, value);
    }
    if app.faults().take_malformed_authorization() {
        let mut value = HeaderValue::from_static(MALFORMED_AUTHORIZATION);
        value.set_sensitive(true);
        response.headers_mut().insert(AUTHORIZATION, value);
    }
    insert_rate_headers(response.headers_mut(), rate);
    record.status = Some(response.status());
    app.record(record);
    response
}

fn authenticate(
    app: &App,
    access: Access,
    bearer: Option<&str>,
    now: std::time::SystemTime,
) -> Result<Option<Caller>, TokenError> {
    let verify = |token: &str| app.sessions().authenticate(&app.signer, token, now);
    match access {
        Access::Public => Ok(None),
        Access::Optional => Ok(bearer.and_then(|token| verify(token).ok())),
        Access::Required | Access::Ending => {
            bearer.ok_or(TokenError::Missing).and_then(verify).map(Some)
        }
    }
}

fn injected_failure(status: StatusCode) -> Response {
    ApiError::warning(
        status,
        format!("Injected fault: the mock server answers {status} on purpose."),
    )
    .into_response()
}

fn too_many_requests(rate: RateDecision) -> Response {
    let mut response = ApiError::warning(
        StatusCode::TOO_MANY_REQUESTS,
        format!(
            "Too many requests: the limit is {} per window; retry in {} s.",
            rate.limit, rate.reset_secs
        ),
    )
    .into_response();
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from(rate.reset_secs));
    response
}

fn insert_rate_headers(headers: &mut HeaderMap, rate: RateDecision) {
    headers.insert(X_RATELIMIT_LIMIT, HeaderValue::from(rate.limit));
    headers.insert(X_RATELIMIT_REMAINING, HeaderValue::from(rate.remaining));
    headers.insert(X_RATELIMIT_RESET, HeaderValue::from(rate.reset_secs));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bearer_scheme_is_matched_in_any_case() {
        assert_eq!(bearer_token("bearer abc"), Some("abc"));
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("BEARER  abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("bearer "), None);
        assert_eq!(bearer_token("abc"), None);
    }

    #[test]
    fn the_authorization_value_is_marked_sensitive() {
        assert!(authorization_value("a.b.c").unwrap().is_sensitive());
    }
}
