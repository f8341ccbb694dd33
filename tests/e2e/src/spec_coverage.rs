//! Which operations of the OpenAPI spec a list of HTTP exchanges exercised.
//!
//! [`SpecOperations`] reads the spec (every `operationId` with its method and path template,
//! under the path of the spec's first server URL, e.g. `/api/v1`). [`SpecOperations::coverage`]
//! matches exchanges against those templates and reports the operations never answered with
//! success, and the exchanges that match no operation at all.
//!
//! ```
//! use destiny_e2e::spec_coverage::{Exchange, SpecOperations};
//!
//! let spec = SpecOperations::from_yaml(
//!     r#"
//! openapi: 3.0.3
//! info: {title: t, version: "1"}
//! servers: [{url: "https://example.test/api/v1"}]
//! paths:
//!   /things/{id}:
//!     get: {operationId: get_thing, responses: {"200": {description: ok}}}
//!     delete: {operationId: delete_thing, responses: {"200": {description: ok}}}
//! "#,
//! )?;
//! let coverage = spec.coverage(&[Exchange::new("GET", "/api/v1/things/7", Some(200))]);
//! assert_eq!(coverage.missing, ["delete_thing"]);
//! assert!(!coverage.is_complete());
//! # Ok::<(), destiny_e2e::spec_coverage::SpecError>(())
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use openapiv3::{OpenAPI, ReferenceOr};

/// The spec of the Destiny API, `spec/destiny.yaml` at the workspace root.
pub fn destiny_spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/destiny.yaml")
}

/// Why the spec could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The file could not be read.
    #[error("could not read the spec {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The text is not an OpenAPI 3 document.
    #[error("the spec is not a valid OpenAPI 3 document: {0}")]
    Parse(#[from] serde_yaml::Error),
    /// A path item is a `$ref`, which this checker does not follow.
    #[error("the path {0} is a $ref; inline it so its operations can be checked")]
    ReferencedPath(String),
    /// An operation has no `operationId`.
    #[error("the {method} operation of {path} has no operationId")]
    MissingOperationId {
        /// Its method.
        method: String,
        /// Its path template.
        path: String,
    },
}

/// One operation of the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecOperation {
    /// Its `operationId`.
    pub id: String,
    /// Its method, upper case (`GET`).
    pub method: String,
    /// Its full path template, with the server's base path (`/api/v1/things/{id}`).
    pub template: String,
}

impl SpecOperation {
    /// Whether a request with `method` to `path` is this operation.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.method.eq_ignore_ascii_case(method) && template_matches(&self.template, path)
    }
}

/// Whether `path` fits `template`, where a `{name}` segment stands for any non-empty segment.
fn template_matches(template: &str, path: &str) -> bool {
    let mut wanted = template.split('/');
    let mut given = path.split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) => {
                let is_parameter = w.len() > 2 && w.starts_with('{') && w.ends_with('}');
                if !(w == g || is_parameter && !g.is_empty()) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// The path of a server URL (`https://host/api/v1` → `/api/v1`; a relative URL is kept).
fn base_path(server_url: &str) -> String {
    let path = match server_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |at| &rest[at..]),
        None => server_url,
    };
    path.trim_end_matches('/').to_owned()
}

/// One HTTP exchange: what was asked and how it was answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exchange {
    /// The method (`GET`).
    pub method: String,
    /// The path, without the query (`/api/v1/tests/ping`).
    pub path: String,
    /// The status answered, or `None` when there was no answer.
    pub status: Option<u16>,
}

impl Exchange {
    /// An exchange from its parts.
    pub fn new(method: &str, path: &str, status: Option<u16>) -> Self {
        Self {
            method: method.to_owned(),
            path: path.to_owned(),
            status,
        }
    }

    fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// What [`SpecOperations::coverage`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// The `operationId`s never answered with success, in spec order.
    pub missing: Vec<String>,
    /// Exchanges that match no operation of the spec, as `METHOD path`.
    pub unmatched: Vec<String>,
}

impl Coverage {
    /// Every operation was exercised and every exchange belongs to one.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty() && self.unmatched.is_empty()
    }
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_complete() {
            return f.write_str("every operation of the spec was exercised");
        }
        if !self.missing.is_empty() {
            write!(
                f,
                "operations of the spec never answered with success: {}",
                self.missing.join(", ")
            )?;
        }
        if !self.unmatched.is_empty() {
            if !self.missing.is_empty() {
                f.write_str("; ")?;
            }
            write!(
                f,
                "requests matching no operation of the spec: {}",
                self.unmatched.join(", ")
            )?;
        }
        Ok(())
    }
}

/// Every operation of a spec.
#[derive(Clone, Debug)]
pub struct SpecOperations {
    operations: Vec<SpecOperation>,
}

impl SpecOperations {
    /// Reads the spec file at `path`.
    pub fn from_file(path: &Path) -> Result<Self, SpecError> {
        let text = std::fs::read_to_string(path).map_err(|source| SpecError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_yaml(&text)
    }

    /// Reads a spec from its YAML (or JSON) text.
    pub fn from_yaml(text: &str) -> Result<Self, SpecError> {
        let spec: OpenAPI = serde_yaml::from_str(text)?;
        let base = spec
            .servers
            .first()
            .map(|server| base_path(&server.url))
            .unwrap_or_default();
        let mut operations = Vec::new();
        for (path, item) in &spec.paths.paths {
            let ReferenceOr::Item(item) = item else {
                return Err(SpecError::ReferencedPath(path.clone()));
            };
            for (method, operation) in item.iter() {
                let method = method.to_ascii_uppercase();
                let id = operation.operation_id.clone().ok_or_else(|| {
                    SpecError::MissingOperationId {
                        method: method.clone(),
                        path: path.clone(),
                    }
                })?;
                operations.push(SpecOperation {
                    id,
                    method,
                    template: format!("{base}{path}"),
                });
            }
        }
        Ok(Self { operations })
    }

    /// The operations, in spec order.
    pub fn operations(&self) -> &[SpecOperation] {
        &self.operations
    }

    /// The operation a request with `method` to `path` is, if any.
    pub fn operation_of(&self, method: &str, path: &str) -> Option<&SpecOperation> {
        self.operations.iter().find(|op| op.matches(method, path))
    }

    /// Which operations the `exchanges` exercised. An operation counts as exercised when at
    /// least one exchange of it was answered with a 2xx status: a request that only ever
    /// failed proves nothing about the operation.
    pub fn coverage(&self, exchanges: &[Exchange]) -> Coverage {
        let mut exercised = vec![false; self.operations.len()];
        let mut unmatched = Vec::new();
        for exchange in exchanges {
            let found = self
                .operations
                .iter()
                .position(|op| op.matches(&exchange.method, &exchange.path));
            match found {
                Some(index) => exercised[index] |= exchange.succeeded(),
                None => unmatched.push(format!("{} {}", exchange.method, exchange.path)),
            }
        }
        let missing = self
            .operations
            .iter()
            .zip(exercised)
            .filter(|(_, done)| !done)
            .map(|(op, _)| op.id.clone())
            .collect();
        Coverage { missing, unmatched }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn destiny() -> SpecOperations {
        SpecOperations::from_file(&destiny_spec_path()).unwrap()
    }

    /// One successful exchange per operation of the Destiny spec, as a client would send them.
    fn one_of_each() -> Vec<Exchange> {
        [
            ("POST", "/api/v1/auth/login"),
            ("GET", "/api/v1/auth/token"),
            ("GET", "/api/v1/auth/permission/clients/action/view"),
            ("POST", "/api/v1/auth/logout"),
            ("POST", "/api/v1/auth/password/reset/request"),
            ("POST", "/api/v1/auth/password/reset"),
            ("POST", "/api/v1/auth/register/complete"),
            ("POST", "/api/v1/auth/websentinel/user"),
            ("GET", "/api/v1/tests/ping"),
        ]
        .into_iter()
        .map(|(method, path)| Exchange::new(method, path, Some(200)))
        .collect()
    }

    #[test]
    fn the_destiny_spec_lists_its_nine_operations_under_api_v1() {
        let spec = destiny();
        let ids: Vec<&str> = spec.operations().iter().map(|o| o.id.as_str()).collect();
        for id in [
            "login",
            "current_token",
            "check_permission",
            "logout",
            "request_password_reset",
            "reset_password",
            "complete_registration",
            "websentinel_user",
            "ping",
        ] {
            assert!(ids.contains(&id), "{id} missing from {ids:?}");
        }
        assert_eq!(ids.len(), 9, "{ids:?}");
        assert!(
            spec.operations()
                .iter()
                .all(|o| o.template.starts_with("/api/v1/"))
        );
    }

    #[test]
    fn one_successful_exchange_per_operation_is_complete() {
        let coverage = destiny().coverage(&one_of_each());
        assert!(coverage.is_complete(), "{coverage}");
    }

    #[test]
    fn a_missing_operation_is_reported_by_its_operation_id() {
        let mut exchanges = one_of_each();
        exchanges.retain(|e| !e.path.ends_with("/websentinel/user"));
        let coverage = destiny().coverage(&exchanges);
        assert!(!coverage.is_complete());
        assert_eq!(coverage.missing, ["websentinel_user"]);
        assert!(
            coverage.to_string().contains("websentinel_user"),
            "{coverage}"
        );
    }

    #[test]
    fn an_empty_request_log_misses_every_operation() {
        let coverage = destiny().coverage(&[]);
        assert_eq!(coverage.missing.len(), 9);
    }

    #[test]
    fn an_operation_that_only_failed_is_not_exercised() {
        let mut exchanges = one_of_each();
        for e in &mut exchanges {
            if e.path.ends_with("/auth/token") {
                e.status = Some(401);
            }
        }
        exchanges.push(Exchange::new("GET", "/api/v1/auth/token", None));
        assert_eq!(destiny().coverage(&exchanges).missing, ["current_token"]);
    }

    #[test]
    fn the_same_path_with_another_method_is_another_operation() {
        let mut exchanges = one_of_each();
        exchanges.retain(|e| !e.path.ends_with("/auth/logout"));
        exchanges.push(Exchange::new("GET", "/api/v1/auth/logout", Some(200)));
        let coverage = destiny().coverage(&exchanges);
        assert_eq!(coverage.missing, ["logout"]);
        assert_eq!(coverage.unmatched, ["GET /api/v1/auth/logout"]);
    }

    #[test]
    fn path_parameters_match_one_non_empty_segment_only() {
        let spec = destiny();
        let permission = |path: &str| {
            spec.operation_of("GET", path)
                .map(|o| o.id.as_str())
                .unwrap_or("none")
        };
        assert_eq!(
            permission("/api/v1/auth/permission/units/action/create"),
            "check_permission"
        );
        assert_eq!(permission("/api/v1/auth/permission//action/view"), "none");
        assert_eq!(
            permission("/api/v1/auth/permission/a/b/action/view"),
            "none"
        );
        assert_eq!(permission("/auth/permission/units/action/create"), "none");
    }

    #[test]
    fn the_base_path_comes_from_the_first_server_url() {
        assert_eq!(base_path("https://www.acmdestiny.net/api/v1"), "/api/v1");
        assert_eq!(base_path("https://host/"), "");
        assert_eq!(base_path("https://host"), "");
        assert_eq!(base_path("/api/v2/"), "/api/v2");
    }

    #[test]
    fn an_operation_without_an_id_is_an_error_naming_it() {
        let err = SpecOperations::from_yaml(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    get: {responses: {"200": {description: ok}}}
"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("GET operation of /x"), "{err}");
    }
}
