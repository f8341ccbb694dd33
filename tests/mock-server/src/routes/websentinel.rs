//! `POST /auth/websentinel/user`: the WebSentinel identity of the logged-in user.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use destiny_gen::types::{WebSentinelEnvelope, WebSentinelUser};

use crate::app::App;
use crate::error::ApiError;
use crate::sessions::Caller;
use crate::tokens::TokenError;

pub(crate) async fn websentinel_user(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<WebSentinelEnvelope>, ApiError> {
    let username = app
        .accounts()
        .by_id(caller.user_id)
        .map(|account| account.record.username.clone())
        .ok_or_else(|| {
            ApiError::warning(StatusCode::UNAUTHORIZED, TokenError::Unknown.to_string())
        })?;
    Ok(Json(WebSentinelEnvelope {
        data: WebSentinelUser {
            authenticated: true,
            user_id: caller.user_id,
            username: Some(username),
        },
        notices: None,
        debug: None,
    }))
}
