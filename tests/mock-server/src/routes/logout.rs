//! `POST /auth/logout`: revokes every token of the caller's session.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Extension, State};
use destiny_gen::types::{NoticeEnvelope, Notices};

use crate::app::App;
use crate::sessions::Caller;

pub(crate) async fn logout(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
) -> Json<NoticeEnvelope> {
    app.sessions().revoke(caller.session);
    tracing::debug!(user = caller.user_id, "logout");
    Json(NoticeEnvelope {
        notices: Some(Notices(vec!["Logged out.".to_owned()])),
        warnings: None,
        debug: None,
    })
}
