//! The hook seam: how a wrapper crate changes what every generated operation does.
//!
//! progenitor resolves the client's inner type and its `ClientHooks` implementation inside
//! the crate that defines `Client` (the orphan rule forbids implementing them elsewhere). This
//! module is that implementation, and nothing more: it forwards `pre`, `exec` and `post` to a
//! [`RequestHooks`] trait object that the wrapper (`destiny-api`) provides. Token logic lives
//! in the wrapper, not here.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use progenitor_client::{ClientHooks, Error, OperationInfo};

use crate::Client;

/// A boxed, sendable future, as returned by [`RequestHooks::exec`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a hook knows of the operation being run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The `operationId` from the spec, e.g. `"login"`.
    pub id: &'static str,
}

/// An error raised by a hook; it reaches the caller as `progenitor_client::Error::Custom`
/// with this message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HookError(pub String);

impl fmt::Display for HookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HookError {}

/// The extension point: implement it to change how every operation is sent.
///
/// All methods have defaults that do nothing beyond sending the request, so an implementor
/// overrides only what it needs. The order for one operation is `pre`, `exec`, `post`.
///
/// ```
/// use destiny_gen::hooks::{Inner, Operation, RequestHooks, HookError};
///
/// #[derive(Debug)]
/// struct UserAgent;
///
/// impl RequestHooks for UserAgent {
///     fn pre(&self, request: &mut reqwest::Request, _: Operation) -> Result<(), HookError> {
///         request
///             .headers_mut()
///             .insert("user-agent", reqwest::header::HeaderValue::from_static("demo/1"));
///         Ok(())
///     }
/// }
///
/// let client = destiny_gen::Client::new_with_client(
///     "http://127.0.0.1:1/api/v1",
///     reqwest::Client::new(),
///     Inner::new(UserAgent),
/// );
/// # let _ = client;
/// ```
pub trait RequestHooks: fmt::Debug + Send + Sync + 'static {
    /// Runs before the request is sent; may change it (headers, URL).
    fn pre(&self, request: &mut reqwest::Request, operation: Operation) -> Result<(), HookError> {
        let _ = (request, operation);
        Ok(())
    }

    /// Sends the request. Override it to retry, replay or observe every attempt.
    fn exec<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        operation: Operation,
    ) -> BoxFuture<'a, reqwest::Result<reqwest::Response>> {
        let _ = operation;
        Box::pin(client.execute(request))
    }

    /// Runs after the exchange, before the response body is read.
    fn post(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        operation: Operation,
    ) -> Result<(), HookError> {
        let _ = (result, operation);
        Ok(())
    }
}

/// The generated client's inner value: the installed hooks, if any.
#[derive(Clone, Default)]
pub struct Inner {
    hooks: Option<Arc<dyn RequestHooks>>,
}

impl Inner {
    /// Installs `hooks` for every operation of the client built with this value.
    pub fn new(hooks: impl RequestHooks) -> Self {
        Self {
            hooks: Some(Arc::new(hooks)),
        }
    }

    /// Installs already shared hooks.
    pub fn from_arc(hooks: Arc<dyn RequestHooks>) -> Self {
        Self { hooks: Some(hooks) }
    }

    /// No hooks: requests are sent as generated.
    pub fn none() -> Self {
        Self::default()
    }

    /// The installed hooks.
    pub fn hooks(&self) -> Option<&Arc<dyn RequestHooks>> {
        self.hooks.as_ref()
    }
}

impl fmt::Debug for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.hooks {
            Some(hooks) => f.debug_tuple("Inner").field(hooks).finish(),
            None => f.write_str("Inner(no hooks)"),
        }
    }
}

fn operation(info: &OperationInfo) -> Operation {
    Operation {
        id: info.operation_id,
    }
}

impl ClientHooks<Inner> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        match &self.inner.hooks {
            Some(hooks) => hooks
                .pre(request, operation(info))
                .map_err(|e| Error::Custom(e.0)),
            None => Ok(()),
        }
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        match &self.inner.hooks {
            Some(hooks) => hooks.exec(&self.client, request, operation(info)).await,
            None => self.client.execute(request).await,
        }
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        match &self.inner.hooks {
            Some(hooks) => hooks
                .post(result, operation(info))
                .map_err(|e| Error::Custom(e.0)),
            None => Ok(()),
        }
    }
}
