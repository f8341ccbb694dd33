//! `GET /auth/token`: the session's newest token as `{"data": {"token": "bearer <token>"}}`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use destiny_gen::Secret;
use destiny_gen::types::{TokenData, TokenEnvelope};

use crate::app::App;
use crate::error::ApiError;
use crate::sessions::Caller;
use crate::tokens::TokenError;

pub(crate) async fn current_token(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<TokenEnvelope>, ApiError> {
    let token = app
        .sessions()
        .current_token(caller.session)
        .map(|token| Secret::from(format!("bearer {token}")))
        .ok_or_else(|| {
            ApiError::warning(StatusCode::UNAUTHORIZED, TokenError::Revoked.to_string())
        })?;
    Ok(Json(TokenEnvelope {
        data: TokenData { token },
        notices: None,
        debug: None,
    }))
}
