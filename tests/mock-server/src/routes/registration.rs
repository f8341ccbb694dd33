//! `POST /auth/register/complete`: activates an invited account with its one-time token.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use destiny_gen::types::{RegistrationCompletion, UserEnvelope};

use crate::app::App;
use crate::error::ApiError;
use crate::extract::ApiJson;

pub(crate) async fn complete_registration(
    State(app): State<Arc<App>>,
    ApiJson(completion): ApiJson<RegistrationCompletion>,
) -> Result<Json<UserEnvelope>, ApiError> {
    let record = app
        .accounts()
        .complete_registration(
            completion.token.expose(),
            completion.password.expose(),
            completion.password_confirmation.expose(),
            completion.first_name,
            completion.last_name,
        )
        .map_err(|problems| ApiError::fields(StatusCode::UNPROCESSABLE_ENTITY, problems))?;
    Ok(Json(UserEnvelope {
        data: record,
        notices: None,
        warnings: None,
        debug: None,
    }))
}
