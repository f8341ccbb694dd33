//! Extractors that answer bad input in the error envelope (400 or 422), never with axum's
//! plain-text rejections and never with a 500.
//!
//! - body not JSON, wrong `Content-Type`, unreadable body, bad query string or path → 400
//!   with `warnings`;
//! - JSON that does not fit the schema (missing field, wrong type, too short) → 422 with
//!   `warn_fields` naming the field.

use std::collections::BTreeSet;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON request body, parsed into a generated `destiny_gen::types` type.
#[derive(Debug)]
pub(crate) struct ApiJson<T>(pub(crate) T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned + JsonSchema,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !has_json_content_type(&request) {
            return Err(ApiError::warning(
                StatusCode::BAD_REQUEST,
                "Send the body as JSON with `Content-Type: application/json`.",
            ));
        }
        let body = Bytes::from_request(request, state).await.map_err(|err| {
            ApiError::warning(
                StatusCode::BAD_REQUEST,
                format!("The request body could not be read: {err}"),
            )
        })?;
        parse_json(&body).map(Self)
    }
}

fn has_json_content_type(request: &Request) -> bool {
    let Some(value) = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
        || essence
            .rsplit_once('+')
            .is_some_and(|(_, suffix)| suffix.eq_ignore_ascii_case("json"))
}

/// Parses `body` as `T`: text that is not JSON is 400; JSON that is not an object, an object
/// with a `null` field, or one that does not fit the schema, is 422 naming the field.
pub(crate) fn parse_json<T: DeserializeOwned + JsonSchema>(body: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|err| not_json(&err))?;
    let Some(object) = value.as_object() else {
        // serde would otherwise accept a JSON array as a struct, field by field.
        return Err(ApiError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "body",
            "The body must be a JSON object.",
        ));
    };
    // No request field of the spec is nullable, but serde reads `null` as an absent optional
    // field; refuse it as the schema does. (Unknown extra fields may be anything.)
    let known = schema_properties::<T>();
    if let Some((field, _)) = object
        .iter()
        .find(|(name, value)| value.is_null() && known.contains(name.as_str()))
    {
        return Err(ApiError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            field.as_str(),
            format!("The {field} field must not be null."),
        ));
    }
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        let field = missing_field(&message)
            .map(str::to_owned)
            .or_else(|| (path != ".").then_some(path))
            .unwrap_or_else(|| "body".to_owned());
        let text = if message.starts_with("missing field") {
            format!("The {field} field is required.")
        } else {
            format!("Invalid value: {message}")
        };
        ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, field, text)
    })
}

/// The property names of `T`'s JSON schema (the generated types derive `JsonSchema` from the
/// spec).
fn schema_properties<T: JsonSchema>() -> BTreeSet<String> {
    let root = schemars::r#gen::SchemaGenerator::default().into_root_schema_for::<T>();
    root.schema
        .object
        .map(|object| object.properties.into_keys().collect())
        .unwrap_or_default()
}

fn not_json(err: &serde_json::Error) -> ApiError {
    ApiError::warning(
        StatusCode::BAD_REQUEST,
        format!("The request body is not valid JSON: {err}"),
    )
}

/// `password` from serde's "missing field `password` at line 1 column 20".
fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")?
        .split_once('`')
        .map(|(field, _)| field)
}

/// A query string, parsed with axum's `Query`; a bad one is a 400 in the envelope.
#[derive(Debug)]
pub(crate) struct ApiQuery<T>(pub(crate) T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| Self(value))
            .map_err(|err| ApiError::warning(StatusCode::BAD_REQUEST, err.body_text()))
    }
}

/// Path parameters, parsed with axum's `Path`; a bad one is a 400 in the envelope.
#[derive(Debug)]
pub(crate) struct ApiPath<T>(pub(crate) T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| Self(value))
            .map_err(|err| ApiError::warning(StatusCode::BAD_REQUEST, err.body_text()))
    }
}

#[cfg(test)]
mod tests {
    use destiny_gen::types::{LoginRequest, RegistrationCompletion};

    use super::*;

    #[test]
    fn broken_json_is_a_bad_request() {
        let err = parse_json::<LoginRequest>(br#"{"username": "demo""#).unwrap_err();
        assert_eq!(err.status, StatusCode::BAD_REQUEST);
        let err = parse_json::<LoginRequest>(br#"{"username":"demo","password":"x"} trailing"#)
            .unwrap_err();
        assert_eq!(err.status, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn a_missing_or_mistyped_field_is_unprocessable() {
        let err = parse_json::<LoginRequest>(br#"{"username": "demo"}"#).unwrap_err();
        assert_eq!(err.status, StatusCode::UNPROCESSABLE_ENTITY);
        let err = parse_json::<LoginRequest>(br#"{"username": 5, "password": "x"}"#).unwrap_err();
        assert_eq!(err.status, StatusCode::UNPROCESSABLE_ENTITY);
        let err = parse_json::<LoginRequest>(br#"{"username": "", "password": "x"}"#).unwrap_err();
        assert_eq!(err.status, StatusCode::UNPROCESSABLE_ENTITY);
        let err = parse_json::<RegistrationCompletion>(
            br#"{"token": "t", "password": "p", "password_confirmation": "p", "last_name": null}"#,
        )
        .unwrap_err();
        assert_eq!(
            err.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "optional is not nullable"
        );
        let extra_null = br#"{"username": "demo", "password": "x", "extra": null}"#;
        assert!(
            parse_json::<LoginRequest>(extra_null).is_ok(),
            "unknown fields may be null"
        );
        let err = parse_json::<LoginRequest>(br#"["x", "demo"]"#).unwrap_err();
        assert_eq!(
            err.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "an array is not an object"
        );
    }

    #[test]
    fn the_missing_field_is_named() {
        assert_eq!(
            missing_field("missing field `password` at line 1 column 20"),
            Some("password")
        );
        assert_eq!(missing_field("invalid type: integer"), None);
    }
}
