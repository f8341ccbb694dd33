//! Error responses whose body is not the documented error envelope.
//!
//! The generated client parses every documented error status's body as an
//! `ErrorEnvelope`; an empty `503` or a proxy's HTML `502` page would then surface as a
//! parse failure and the status would be lost. Such bodies are replaced by an empty
//! envelope (`{}`) before the generated client sees them, so the caller gets
//! [`crate::Error::Server`] (or the variant of the status) without the server's text.
//! Successful responses are never touched.

use destiny_gen::types::ErrorEnvelope;
use reqwest::{Body, Response, ResponseBuilderExt};

/// The body given to error responses that do not carry an error envelope.
const EMPTY_ENVELOPE: &str = "{}";

/// Returns `response` unchanged unless it is an error whose body is not an envelope.
pub(crate) async fn with_readable_error_body(response: Response) -> reqwest::Result<Response> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(response);
    }
    let head = http::Response::builder()
        .status(status)
        .version(response.version())
        .url(response.url().clone())
        .body(());
    let Ok(mut head) = head else {
        return Ok(response);
    };
    *head.headers_mut() = response.headers().clone();

    let body = response.bytes().await?;
    let body = if serde_json::from_slice::<ErrorEnvelope>(&body).is_ok() {
        Body::from(body)
    } else {
        tracing::debug!(
            status = status.as_u16(),
            length = body.len(),
            "the error response's body is not an error envelope; reporting the status alone"
        );
        Body::from(EMPTY_ENVELOPE)
    };
    let (parts, ()) = head.into_parts();
    Ok(Response::from(http::Response::from_parts(parts, body)))
}
