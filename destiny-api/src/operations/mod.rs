//! The wrapper's operations, one file per group of the spec. Each method calls the
//! generated operation (so the hooks of [`crate::rotation`] apply) and maps its result to
//! the SDK's types and [`crate::Error`].

mod password;
mod permission;
mod ping;
mod registration;
mod session;
mod websentinel;

pub use session::LogoutOutcome;

use destiny_gen::ResponseValue;
use destiny_gen::types::ErrorEnvelope;

use crate::error::Error;

/// Awaits a generated operation and keeps the body, or maps the error.
pub(crate) async fn body_of<T>(
    call: impl Future<Output = Result<ResponseValue<T>, destiny_gen::Error<ErrorEnvelope>>>,
) -> Result<T, Error> {
    match call.await {
        Ok(value) => Ok(value.into_inner()),
        Err(error) => Err(Error::from_generated(error).await),
    }
}
