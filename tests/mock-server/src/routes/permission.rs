//! `GET /auth/permission/{resource}/action/{action}`: the permission table and the scoping
//! rule of [`crate::permissions`], answered as `{"data": {"allowed": bool}}`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use destiny_gen::types::{Permission, PermissionEnvelope};

use crate::app::App;
use crate::error::ApiError;
use crate::extract::{ApiPath, ApiQuery};
use crate::permissions::{TargetQuery, is_allowed};
use crate::sessions::Caller;
use crate::tokens::TokenError;

pub(crate) async fn check_permission(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
    ApiPath((resource, action)): ApiPath<(String, String)>,
    ApiQuery(target): ApiQuery<TargetQuery>,
) -> Result<Json<PermissionEnvelope>, ApiError> {
    let scope = app
        .accounts()
        .by_id(caller.user_id)
        .map(|account| account.scope)
        .ok_or_else(|| {
            ApiError::warning(StatusCode::UNAUTHORIZED, TokenError::Unknown.to_string())
        })?;
    let allowed = is_allowed(scope, &resource, &action, target).map_err(|err| {
        ApiError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            err.field(),
            err.to_string(),
        )
    })?;
    Ok(Json(PermissionEnvelope {
        data: Permission { allowed },
        notices: None,
        debug: None,
    }))
}
