//! `GET /auth/permission/{resource}/action/{action}`.

use super::body_of;
use crate::{Client, Error, Scope};

impl Client {
    /// Whether the logged-in user may do `action` (e.g. `view`, `create`) on `resource`
    /// (e.g. `clients`, `units`) within `scope`.
    ///
    /// Retried on transient failures.
    ///
    /// ```no_run
    /// use destiny_api::Scope;
    /// # async fn run(client: destiny_api::Client) -> Result<(), destiny_api::Error> {
    /// if client.can("clients", "view", Scope::partner(1).with_client(42)).await? {
    ///     // show the client
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn can(&self, resource: &str, action: &str, scope: Scope) -> Result<bool, Error> {
        let mut call = self
            .generated()
            .check_permission()
            .resource(resource)
            .action(action);
        if let Some(id) = scope.partner_id() {
            call = call.partner_id(id);
        }
        if let Some(id) = scope.agency_id() {
            call = call.agency_id(id);
        }
        if let Some(id) = scope.client_id() {
            call = call.client_id(id);
        }
        Ok(body_of(call.send()).await?.data.allowed)
    }
}
