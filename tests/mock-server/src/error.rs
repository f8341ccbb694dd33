//! [`ApiError`]: an error answer in the documented envelope (`warnings` / `warn_fields`).

use std::collections::HashMap;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use destiny_gen::types::{ErrorEnvelope, WarnFields, Warnings};

use crate::accounts::FieldProblem;

/// An error response: a status and an [`ErrorEnvelope`] body.
#[derive(Clone, Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    envelope: ErrorEnvelope,
}

impl ApiError {
    /// A problem that concerns no single field: `{"warnings": [message]}`.
    pub(crate) fn warning(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            envelope: ErrorEnvelope {
                warnings: Some(Warnings(vec![message.into()])),
                ..ErrorEnvelope::default()
            },
        }
    }

    /// Field-level problems: `{"warn_fields": [{field: message}, ...]}`.
    pub(crate) fn fields(status: StatusCode, problems: Vec<FieldProblem>) -> Self {
        let warn_fields = problems
            .into_iter()
            .map(|p| HashMap::from([(p.field, p.message)]))
            .collect();
        Self {
            status,
            envelope: ErrorEnvelope {
                warn_fields: Some(WarnFields(warn_fields)),
                ..ErrorEnvelope::default()
            },
        }
    }

    /// One field-level problem.
    pub(crate) fn field(
        status: StatusCode,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::fields(status, vec![FieldProblem::new(field, message)])
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.envelope)).into_response()
    }
}
