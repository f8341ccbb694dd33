//! The benchmark server: a minimal hyper HTTP/1.1 server that answers the ping operation.
//!
//! `GET /api/v1/tests/ping` with an `Authorization: bearer …` header gets
//! `{"data":{"message":"pong"}}`; depending on the [`Rotation`], the response also carries a
//! freshly minted token (`Authorization: bearer <jwt>`, `iat` growing with every one).
//! Anything else gets a 404, a request without a bearer token a 401. It does as little as
//! possible so that the client, not the server, is what the benchmark measures.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::rotation::Rotation;
use crate::token::{INITIAL_IAT, jwt_shaped};

/// The path of the ping operation, as the SDK's base URL `…/api/v1` makes it.
pub const PING_PATH: &str = "/api/v1/tests/ping";

/// The ping answer.
pub const PONG: &[u8] = br#"{"data":{"message":"pong"}}"#;

/// Counts the answered pings and decides which of them carry a new token.
#[derive(Debug)]
struct PingState {
    rotation: Rotation,
    served: AtomicU64,
}

/// Accepts connections on `listener` forever, answering each as described in the module docs.
///
/// Returns only when accepting fails.
pub async fn serve(listener: TcpListener, rotation: Rotation) -> std::io::Result<()> {
    let state = Arc::new(PingState {
        rotation,
        served: AtomicU64::new(0),
    });
    loop {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let response = respond(&state, &request);
                async move { Ok::<_, Infallible>(response) }
            });
            // A client closing its connection mid-request is not the server's concern.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn respond(state: &PingState, request: &Request<Incoming>) -> Response<Full<Bytes>> {
    if request.method() != Method::GET || request.uri().path() != PING_PATH {
        return json(StatusCode::NOT_FOUND, br#"{"warnings":["not found"]}"#);
    }
    let has_bearer = request
        .headers()
        .get(AUTHORIZATION)
        .is_some_and(|value| value.as_bytes().starts_with(b"bearer "));
    if !has_bearer {
        return json(
            StatusCode::UNAUTHORIZED,
            br#"{"warnings":["token missing"]}"#,
        );
    }
    let served = state.served.fetch_add(1, Ordering::Relaxed);
    let mut response = json(StatusCode::OK, PONG);
    if state.rotation.rotates(served) {
        let token = format!("bearer {}", jwt_shaped(INITIAL_IAT + 1 + served));
        if let Ok(value) = HeaderValue::try_from(token) {
            response.headers_mut().insert(AUTHORIZATION, value);
        }
    }
    response
}

fn json(status: StatusCode, body: &'static [u8]) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(body)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
