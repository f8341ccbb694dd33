//! [`Error`]: everything a call can fail with, as variants a caller can branch on.

use std::fmt;
use std::time::{Duration, SystemTime};

use destiny_gen::types::ErrorEnvelope;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::retry::server_wait;
use crate::store::StoreError;

/// What went wrong with a call, and what to do about it.
///
/// The server's explanations are kept: `warnings` (problems that concern no single field)
/// and `warn_fields` (one message per field). Nothing in an `Error` holds a password or a
/// token, so errors are safe to log and to show.
///
/// ```
/// use destiny_api::Error;
///
/// fn advice(err: &Error) -> &'static str {
///     match err {
///         Error::Unauthorized { .. } => "log in again",
///         Error::Validation { .. } | Error::BadRequest { .. } => "fix the input",
///         Error::RateLimited { .. } | Error::Server { .. } | Error::Transport(_) => "try later",
///         _ => "see the message",
///     }
/// }
/// let err = Error::Unauthorized { warnings: vec!["Wrong password".into()] };
/// assert_eq!(advice(&err), "log in again");
/// assert!(err.to_string().contains("Wrong password"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 401: the credentials were wrong, or the token is missing, expired or revoked.
    #[error(
        "not authenticated (401){}: log in again, or configure credentials on the builder so the client can",
        Listed(.warnings)
    )]
    Unauthorized {
        /// The server's messages.
        warnings: Vec<String>,
    },
    /// 403: authenticated, but not allowed to do this.
    #[error("forbidden (403){}: the user lacks the permission for this action", Listed(.warnings))]
    Forbidden {
        /// The server's messages.
        warnings: Vec<String>,
    },
    /// 400: the server could not understand the request.
    #[error("bad request (400){}{}: check the input", Listed(.warnings), Fields(.warn_fields))]
    BadRequest {
        /// The server's messages.
        warnings: Vec<String>,
        /// Field-level messages.
        warn_fields: Vec<FieldWarning>,
    },
    /// 422: well-formed, but a business rule rejected it.
    #[error("rejected by validation (422){}{}: fix the listed fields and try again", Listed(.warnings), Fields(.warn_fields))]
    Validation {
        /// The server's messages.
        warnings: Vec<String>,
        /// Field-level messages.
        warn_fields: Vec<FieldWarning>,
    },
    /// 425: a precondition is not met yet (for example an unknown account during a password reset).
    #[error("too early (425){}{}: a precondition is not met yet; check the account and retry later", Listed(.warnings), Fields(.warn_fields))]
    TooEarly {
        /// The server's messages.
        warnings: Vec<String>,
        /// Field-level messages.
        warn_fields: Vec<FieldWarning>,
    },
    /// 429: too many requests; retries (if any) were spent or the wait was too long.
    #[error("rate limited (429){}: wait {} and try again", Listed(.warnings), Wait(.retry_after))]
    RateLimited {
        /// How long the server asked to wait (`Retry-After`, else `X-RateLimit-Reset`).
        retry_after: Option<Duration>,
        /// The server's messages.
        warnings: Vec<String>,
    },
    /// 5xx: the server failed.
    #[error("the server failed ({status}){}: try again later", Listed(.warnings))]
    Server {
        /// The HTTP status.
        status: StatusCode,
        /// The server's messages.
        warnings: Vec<String>,
    },
    /// A status the API does not document for this operation (for example 404).
    #[error("unexpected status {status}{}: check the base URL and the SDK version", Listed(.warnings))]
    UnexpectedStatus {
        /// The HTTP status.
        status: StatusCode,
        /// The server's messages, if the body had any.
        warnings: Vec<String>,
    },
    /// The request could not be sent or the response not received (DNS, connection,
    /// TLS, timeout).
    #[error("could not reach the Destiny API: {0}; check the network and the base URL")]
    Transport(#[source] reqwest::Error),
    /// The response did not have the documented shape.
    #[error("the response was not understood: {0}; the server may have changed, please report it")]
    InvalidResponse(String),
    /// An argument was refused before anything was sent (for example an empty username).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The client was configured wrongly (base URL, token, environment).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The token store could not be read, written or cleared.
    #[error("token store: {0}")]
    TokenStore(#[from] StoreError),
}

/// One field-level message from the server's `warn_fields`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldWarning {
    /// The field, for example `password`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl Error {
    /// The HTTP status the error came from, if it came from a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Unauthorized { .. } => Some(StatusCode::UNAUTHORIZED),
            Self::Forbidden { .. } => Some(StatusCode::FORBIDDEN),
            Self::BadRequest { .. } => Some(StatusCode::BAD_REQUEST),
            Self::Validation { .. } => Some(StatusCode::UNPROCESSABLE_ENTITY),
            Self::TooEarly { .. } => StatusCode::from_u16(425).ok(),
            Self::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            Self::Server { status, .. } | Self::UnexpectedStatus { status, .. } => Some(*status),
            Self::Transport(e) => e.status(),
            _ => None,
        }
    }

    /// Builds the error for a response with an error status and (maybe) an error body.
    pub(crate) fn from_status(
        status: StatusCode,
        headers: &HeaderMap,
        body: Option<ErrorEnvelope>,
    ) -> Self {
        let body = body.unwrap_or_default();
        let warnings = body.warnings.map(|w| w.0).unwrap_or_default();
        let warn_fields = body.warn_fields.map(flatten_fields).unwrap_or_default();
        match status.as_u16() {
            400 => Self::BadRequest {
                warnings,
                warn_fields,
            },
            401 => Self::Unauthorized { warnings },
            403 => Self::Forbidden { warnings },
            422 => Self::Validation {
                warnings,
                warn_fields,
            },
            425 => Self::TooEarly {
                warnings,
                warn_fields,
            },
            429 => Self::RateLimited {
                retry_after: server_wait(headers, SystemTime::now()),
                warnings,
            },
            500..=599 => Self::Server { status, warnings },
            _ => Self::UnexpectedStatus { status, warnings },
        }
    }

    /// Maps an error of the generated client (from a call through [`crate::Client::generated`])
    /// to this type. Async because an undocumented response still has a body worth reading
    /// for its `warnings`.
    ///
    /// ```no_run
    /// # async fn run(client: destiny_api::Client) -> Result<(), destiny_api::Error> {
    /// let pong = match client.generated().ping().send().await {
    ///     Ok(pong) => pong.into_inner(),
    ///     Err(error) => return Err(destiny_api::Error::from_generated(error).await),
    /// };
    /// # let _ = pong; Ok(()) }
    /// ```
    pub async fn from_generated(error: destiny_gen::Error<ErrorEnvelope>) -> Self {
        use destiny_gen::Error as Gen;
        match error {
            Gen::ErrorResponse(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                Self::from_status(status, &headers, Some(response.into_inner()))
            }
            Gen::UnexpectedResponse(response) => {
                let status = response.status();
                if status.is_success() {
                    return Self::InvalidResponse(format!(
                        "status {status} is not documented for this operation"
                    ));
                }
                let headers = response.headers().clone();
                let body = response
                    .bytes()
                    .await
                    .ok()
                    .and_then(|bytes| serde_json::from_slice::<ErrorEnvelope>(&bytes).ok());
                Self::from_status(status, &headers, body)
            }
            Gen::CommunicationError(e) | Gen::ResponseBodyError(e) => Self::Transport(e),
            Gen::InvalidUpgrade(e) => {
                Self::InvalidResponse(format!("connection upgrade failed: {e}"))
            }
            Gen::InvalidResponsePayload(_, e) => Self::InvalidResponse(describe_json_error(&e)),
            Gen::InvalidRequest(message) => Self::InvalidInput(message),
            Gen::Custom(message) => Self::Config(message),
        }
    }
}

/// Describes a JSON error by its kind and position only: serde's own message can quote the
/// offending value, which might be a token.
fn describe_json_error(error: &serde_json::Error) -> String {
    let kind = match error.classify() {
        serde_json::error::Category::Io => "read error",
        serde_json::error::Category::Syntax => "malformed JSON",
        serde_json::error::Category::Data => "JSON of an unexpected shape",
        serde_json::error::Category::Eof => "truncated JSON",
    };
    format!("{kind} at line {} column {}", error.line(), error.column())
}

fn flatten_fields(fields: destiny_gen::types::WarnFields) -> Vec<FieldWarning> {
    let mut flat: Vec<FieldWarning> = fields
        .0
        .into_iter()
        .flat_map(|map| {
            let mut entries: Vec<_> = map.into_iter().collect();
            entries.sort();
            entries
        })
        .map(|(field, message)| FieldWarning { field, message })
        .collect();
    flat.dedup();
    flat
}

/// Formats `[": a; b"]` after a status, or nothing when there is no message.
struct Listed<'a>(&'a [String]);

impl fmt::Display for Listed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, warning) in self.0.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            f.write_str(warning)?;
        }
        Ok(())
    }
}

/// Formats `[" (field: message, ...)"]`, or nothing when there is no field message.
struct Fields<'a>(&'a [FieldWarning]);

impl fmt::Display for Fields<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, warning) in self.0.iter().enumerate() {
            f.write_str(if i == 0 { " (" } else { ", " })?;
            write!(f, "{}: {}", warning.field, warning.message)?;
        }
        if !self.0.is_empty() {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// Formats the wait the server asked for.
struct Wait<'a>(&'a Option<Duration>);

impl fmt::Display for Wait<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(wait) => write!(f, "{} s", wait.as_secs_f64().ceil()),
            None => f.write_str("a little"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn envelope(warnings: &[&str], fields: &[(&str, &str)]) -> ErrorEnvelope {
        let field_maps = fields
            .iter()
            .map(|(k, v)| HashMap::from([((*k).to_owned(), (*v).to_owned())]))
            .collect::<Vec<_>>();
        ErrorEnvelope {
            warnings: Some(
                warnings
                    .iter()
                    .map(|w| (*w).to_owned())
                    .collect::<Vec<_>>()
                    .into(),
            ),
            warn_fields: Some(field_maps.into()),
            ..ErrorEnvelope::default()
        }
    }

    #[test]
    fn statuses_map_to_variants_that_keep_the_servers_messages() {
        let headers = HeaderMap::new();
        let status = |code| StatusCode::from_u16(code).unwrap();
        let body = || Some(envelope(&["Nope"], &[("password", "too short")]));
        assert!(matches!(
            Error::from_status(status(401), &headers, body()),
            Error::Unauthorized { warnings } if warnings == ["Nope"]
        ));
        match Error::from_status(status(422), &headers, body()) {
            Error::Validation { warn_fields, .. } => assert_eq!(
                warn_fields,
                [FieldWarning {
                    field: "password".into(),
                    message: "too short".into()
                }]
            ),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Error::from_status(status(425), &headers, body()),
            Error::TooEarly { .. }
        ));
        assert!(matches!(
            Error::from_status(status(400), &headers, None),
            Error::BadRequest { .. }
        ));
        assert!(matches!(
            Error::from_status(status(503), &headers, None),
            Error::Server { .. }
        ));
        assert!(matches!(
            Error::from_status(status(404), &headers, None),
            Error::UnexpectedStatus { .. }
        ));
    }

    #[test]
    fn rate_limited_carries_the_servers_wait() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "3".parse().unwrap());
        let err = Error::from_status(StatusCode::TOO_MANY_REQUESTS, &headers, None);
        assert!(
            matches!(err, Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(3))
        );
        assert!(err.to_string().contains("wait 3 s"), "{err}");
    }

    #[test]
    fn display_says_what_happened_and_what_to_do() {
        let err = Error::from_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &HeaderMap::new(),
            Some(envelope(
                &["Token already used"],
                &[("token", "is invalid")],
            )),
        );
        assert_eq!(
            err.to_string(),
            "rejected by validation (422): Token already used (token: is invalid): fix the listed fields and try again"
        );
    }

    #[test]
    fn json_errors_are_described_without_quoting_the_body() {
        let err = serde_json::from_str::<u32>("\"eyJsecret\"").unwrap_err();
        let described = describe_json_error(&err);
        assert!(!described.contains("eyJsecret"), "{described}");
        assert!(described.contains("unexpected shape"));
    }
}
