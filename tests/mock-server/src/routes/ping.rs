//! `GET /tests/ping`: `{"data": {"message": "pong"}}`, with or without a token.

use axum::Json;
use destiny_gen::types::{Ping, PingEnvelope};

pub(crate) async fn ping() -> Json<PingEnvelope> {
    Json(PingEnvelope {
        data: Ping {
            message: "pong".to_owned(),
        },
    })
}
