//! `POST /auth/login`: credentials in, user record out, a new token in `Authorization`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::response::{IntoResponse, Response};
use destiny_gen::types::{LoginRequest, UserEnvelope};

use crate::app::App;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::pipeline::authorization_value;

pub(crate) async fn login(
    State(app): State<Arc<App>>,
    ApiJson(credentials): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let record = app
        .accounts()
        .authenticate(&credentials.username, credentials.password.expose())
        .map(|account| account.record.clone())
        .ok_or_else(|| {
            ApiError::warning(StatusCode::UNAUTHORIZED, "Invalid username or password.")
        })?;
    let token = app.sessions().open(&app.signer, record.id, app.clock.now());
    tracing::debug!(user = record.id, "login");
    let mut response = Json(UserEnvelope {
        data: record,
        notices: None,
        warnings: None,
        debug: None,
    })
    .into_response();
    if let Some(value) = authorization_value(&token) {
        response.headers_mut().insert(AUTHORIZATION, value);
    }
    Ok(response)
}
