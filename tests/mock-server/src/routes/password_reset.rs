//! `POST /auth/password/reset/request` and `POST /auth/password/reset`: the reset email (to
//! the outbox) and the one-time token that completes it.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use destiny_gen::types::{NoticeEnvelope, Notices, PasswordReset, PasswordResetRequest};

use crate::app::App;
use crate::error::ApiError;
use crate::extract::ApiJson;

fn notice(text: String) -> Json<NoticeEnvelope> {
    Json(NoticeEnvelope {
        notices: Some(Notices(vec![text])),
        warnings: None,
        debug: None,
    })
}

pub(crate) async fn request_password_reset(
    State(app): State<Arc<App>>,
    ApiJson(request): ApiJson<PasswordResetRequest>,
) -> Result<Json<NoticeEnvelope>, ApiError> {
    let now = app.clock.now();
    let sent_to = app.accounts().request_reset(&request.email, now);
    match sent_to {
        Some(email) => Ok(notice(format!(
            "A password reset link was sent to {email}."
        ))),
        None => Err(ApiError::warning(
            StatusCode::TOO_EARLY,
            "No account matches this email address or username.",
        )),
    }
}

pub(crate) async fn reset_password(
    State(app): State<Arc<App>>,
    ApiJson(reset): ApiJson<PasswordReset>,
) -> Result<Json<NoticeEnvelope>, ApiError> {
    app.accounts()
        .complete_reset(
            reset.token.expose(),
            reset.password.expose(),
            reset.password_confirmation.expose(),
        )
        .map_err(|problems| ApiError::fields(StatusCode::UNPROCESSABLE_ENTITY, problems))?;
    Ok(notice(
        "Your password was changed; log in with the new one.".to_owned(),
    ))
}
