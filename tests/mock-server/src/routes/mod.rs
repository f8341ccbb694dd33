//! The routes: every operation of `spec/destiny.yaml`, under `/api/v1`, one handler module
//! per area. [`access`] says which routes need a token.

mod login;
mod logout;
mod password_reset;
mod permission;
mod ping;
mod registration;
mod token;
mod websentinel;

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::app::App;
use crate::error::ApiError;
use crate::pipeline::pipeline;

/// The prefix of every route, as in the documented base URL.
pub(crate) const API_PREFIX: &str = "/api/v1";

/// The path of each operation, relative to [`API_PREFIX`], as written in the spec.
pub(crate) mod paths {
    pub(crate) const LOGIN: &str = "/auth/login";
    pub(crate) const TOKEN: &str = "/auth/token";
    pub(crate) const PERMISSION: &str = "/auth/permission/{resource}/action/{action}";
    pub(crate) const LOGOUT: &str = "/auth/logout";
    pub(crate) const RESET_REQUEST: &str = "/auth/password/reset/request";
    pub(crate) const RESET: &str = "/auth/password/reset";
    pub(crate) const REGISTER_COMPLETE: &str = "/auth/register/complete";
    pub(crate) const WEBSENTINEL: &str = "/auth/websentinel/user";
    pub(crate) const PING: &str = "/tests/ping";
}

/// Whether a route needs a bearer token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    /// No token needed; one that is sent is ignored (login, reset, registration).
    Public,
    /// A valid token is used (and may rotate); a missing or invalid one is ignored (ping).
    Optional,
    /// A valid token is required; otherwise 401.
    Required,
    /// A valid token is required, and the request ends the session, so it never rotates
    /// (logout).
    Ending,
}

/// The access rule of the route matched as `matched_path` (with the `/api/v1` prefix).
pub(crate) fn access(matched_path: &str) -> Access {
    let Some(path) = matched_path.strip_prefix(API_PREFIX) else {
        return Access::Public;
    };
    match path {
        paths::TOKEN | paths::PERMISSION | paths::WEBSENTINEL => Access::Required,
        paths::LOGOUT => Access::Ending,
        paths::PING => Access::Optional,
        _ => Access::Public,
    }
}

/// The whole application: the API routes, JSON answers for unknown paths and methods, and
/// the [`pipeline`] around all of them.
pub(crate) fn router(app: Arc<App>) -> Router {
    let api = Router::new()
        .route(paths::LOGIN, post(login::login))
        .route(paths::TOKEN, get(token::current_token))
        .route(paths::PERMISSION, get(permission::check_permission))
        .route(paths::LOGOUT, post(logout::logout))
        .route(
            paths::RESET_REQUEST,
            post(password_reset::request_password_reset),
        )
        .route(paths::RESET, post(password_reset::reset_password))
        .route(
            paths::REGISTER_COMPLETE,
            post(registration::complete_registration),
        )
        .route(paths::WEBSENTINEL, post(websentinel::websentinel_user))
        .route(paths::PING, get(ping::ping));
    Router::new()
        .nest(API_PREFIX, api)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(app.clone(), pipeline))
        .with_state(app)
}

async fn not_found() -> Response {
    ApiError::warning(
        StatusCode::NOT_FOUND,
        "No such endpoint; the API lives under /api/v1 (see spec/destiny.yaml).",
    )
    .into_response()
}

async fn method_not_allowed() -> Response {
    ApiError::warning(
        StatusCode::METHOD_NOT_ALLOWED,
        "This endpoint does not support this method (see spec/destiny.yaml).",
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_session_endpoints_require_a_token() {
        let with_prefix = |p: &str| format!("{API_PREFIX}{p}");
        assert_eq!(access(&with_prefix(paths::PERMISSION)), Access::Required);
        assert_eq!(access(&with_prefix(paths::TOKEN)), Access::Required);
        assert_eq!(access(&with_prefix(paths::LOGOUT)), Access::Ending);
        assert_eq!(access(&with_prefix(paths::PING)), Access::Optional);
        assert_eq!(access(&with_prefix(paths::LOGIN)), Access::Public);
        assert_eq!(access(&with_prefix(paths::RESET)), Access::Public);
    }
}
