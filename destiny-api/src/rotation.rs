//! The [`RequestHooks`] implementation: token in, token out, for every attempt of every
//! operation.
//!
//! For each attempt, [`Rotation::exec`] sets `Authorization` from the token cell (a clone of
//! the cached, sensitive header value; no lock), sends the request, and offers the
//! response's `Authorization` header to the cell whatever the status, before anything else
//! looks at the response. Around that it runs the retry loop ([`crate::retry`]) and the
//! single replay after a re-login ([`crate::reauth`]). [`Rotation::post`] records the
//! rate-limit headers.

use std::sync::{Arc, Weak};
use std::time::Instant;

use destiny_gen::hooks::{BoxFuture, HookError, Inner, Operation, RequestHooks};
use destiny_gen::types::LoginRequest;
use reqwest::header::{AUTHORIZATION, Entry, HeaderMap, HeaderValue};
use reqwest::{Request, Response, StatusCode};
use tracing::Instrument;
use tracing::field::Empty;

use crate::base_url::BaseUrl;
use crate::error::Error;
use crate::error_body::with_readable_error_body;
use crate::persist::Persister;
use crate::rate_limit::RateLimitTracker;
use crate::reauth::{Credentials, Reauthenticator};
use crate::retry::RetryPolicy;
use crate::token::{self, Adoption, BearerToken, TokenCell};

/// The operation that exchanges credentials for a token: sent without a token, never
/// answered by a re-login, and its token replaces the current one outright.
const LOGIN: &str = "login";
/// Operations for which a 401 does not trigger a re-login.
const NO_RELOGIN: [&str; 2] = [LOGIN, "logout"];

/// The hooks installed in the generated client, and the state they share with
/// [`crate::Client`].
pub(crate) struct Rotation {
    pub(crate) cell: TokenCell,
    pub(crate) base_url: BaseUrl,
    pub(crate) retry: RetryPolicy,
    pub(crate) reauth: Option<Reauthenticator>,
    pub(crate) rate_limit: RateLimitTracker,
    pub(crate) persister: Persister,
    /// This value itself, to build the generated client that logs in again.
    pub(crate) me: Weak<Rotation>,
}

impl Rotation {
    /// The `Debug` output of this value and of [`crate::Client`], under the name `name`: the
    /// token appears as its fingerprint only.
    pub(crate) fn debug_as(&self, name: &str, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct(name)
            .field("base_url", &self.base_url.as_str())
            .field(
                "token",
                &self.cell.current().map(|token| token.fingerprint()),
            )
            .field("retry", &self.retry)
            .field("reauth", &self.reauth)
            .field("persister", &self.persister)
            .finish()
    }
}

impl std::fmt::Debug for Rotation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.debug_as("Rotation", f)
    }
}

impl RequestHooks for Rotation {
    fn exec<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        operation: Operation,
    ) -> BoxFuture<'a, reqwest::Result<Response>> {
        self.persister.ensure_running();
        let span = tracing::info_span!(
            "destiny.request",
            operation = operation.id,
            method = request.method().as_str(),
            path = request.url().path(),
            status = Empty,
            duration_ms = Empty,
            attempts = Empty,
            rotated = Empty,
        );
        Box::pin(self.exchange(client, request, operation).instrument(span))
    }

    fn post(
        &self,
        result: &reqwest::Result<Response>,
        _operation: Operation,
    ) -> Result<(), HookError> {
        if let Ok(response) = result {
            self.rate_limit.observe(response.headers());
        }
        Ok(())
    }
}

impl Rotation {
    /// Sends `request` until it has a final answer: retries of transient failures, one
    /// replay after a re-login, and token capture after every attempt.
    async fn exchange(
        &self,
        client: &reqwest::Client,
        mut request: Request,
        operation: Operation,
    ) -> reqwest::Result<Response> {
        let started = Instant::now();
        let sends_token = operation.id != LOGIN;
        let retries = self.retry.covers(request.method());
        let may_relogin = self.reauth.is_some() && !NO_RELOGIN.contains(&operation.id);
        let mut retries_done = 0;
        let mut relogged = false;
        let mut attempts = 0u32;
        let mut rotated = false;

        let outcome = loop {
            attempts += 1;
            let sent = if sends_token {
                self.cell.current()
            } else {
                None
            };
            set_authorization(request.headers_mut(), sent.as_deref());
            let logins_before = match &self.reauth {
                Some(reauth) if may_relogin && !relogged => reauth.logins_started(),
                _ => 0,
            };
            let may_repeat =
                (retries && retries_done < self.retry.max_retries) || (may_relogin && !relogged);
            let spare = if may_repeat {
                request.try_clone()
            } else {
                None
            };

            let mut response = match client.execute(request).await {
                Ok(response) => response,
                Err(error) => {
                    let wait = retries
                        .then(|| self.retry.after_transport_error(retries_done, &error))
                        .flatten();
                    match (spare, wait) {
                        (Some(next), Some(wait)) => {
                            tracing::debug!(%error, ?wait, "transport error; retrying");
                            tokio::time::sleep(wait).await;
                            retries_done += 1;
                            request = next;
                            continue;
                        }
                        _ => break Err(error),
                    }
                }
            };
            rotated |= self.capture(&mut response, sent.as_ref(), operation);
            let status = response.status();

            let Some(next) = spare else {
                break Ok(response);
            };
            if status == StatusCode::UNAUTHORIZED && may_relogin && !relogged {
                if self.relogin(client, sent.as_ref(), logins_before).await {
                    relogged = true;
                    request = next;
                    continue;
                }
                break Ok(response);
            }
            if retries
                && let Some(wait) =
                    self.retry
                        .after_status(retries_done, status, response.headers())
            {
                tracing::debug!(
                    status = status.as_u16(),
                    ?wait,
                    "transient failure; retrying"
                );
                drop(response);
                tokio::time::sleep(wait).await;
                retries_done += 1;
                request = next;
                continue;
            }
            break Ok(response);
        };
        let outcome = match outcome {
            Ok(response) => with_readable_error_body(response).await,
            Err(error) => Err(error),
        };

        let span = tracing::Span::current();
        if !span.is_disabled() {
            if let Ok(response) = &outcome {
                span.record("status", response.status().as_u16());
            }
            span.record(
                "duration_ms",
                u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            );
            span.record("attempts", attempts);
            span.record("rotated", rotated);
        }
        outcome
    }

    /// Offers the response's token to the cell; returns whether it was adopted.
    ///
    /// Cheap when nothing changes: no header, or the same bytes as the token just sent or
    /// the current one, costs a comparison and no decoding.
    fn capture(
        &self,
        response: &mut Response,
        sent: Option<&Arc<BearerToken>>,
        operation: Operation,
    ) -> bool {
        let headers = response.headers();
        let Some(first) = headers.get(AUTHORIZATION) else {
            return false;
        };
        let adopted = if !self.base_url.origin().matches(response.url()) {
            tracing::warn!(
                host = response.url().host_str(),
                "ignored an Authorization header on a response from another origin than the base URL"
            );
            false
        } else if is_known(first, headers, sent, &self.cell) {
            false
        } else {
            match token::from_response_headers(headers) {
                None => false,
                Some(Err(rejected)) => {
                    tracing::warn!(reason = %rejected, "ignored a malformed Authorization response header");
                    false
                }
                Some(Ok(candidate)) => {
                    if operation.id == LOGIN && response.status().is_success() {
                        // A fresh login starts a new session: its token wins outright.
                        self.cell.replace(candidate);
                        true
                    } else {
                        matches!(self.cell.offer(sent, candidate), Adoption::Adopted)
                    }
                }
            }
        };
        mark_sensitive(response.headers_mut());
        if adopted {
            self.persister.token_changed();
        }
        adopted
    }

    /// Logs in again (single-flight) after a 401; returns whether to replay.
    async fn relogin(
        &self,
        client: &reqwest::Client,
        sent: Option<&Arc<BearerToken>>,
        logins_before: u64,
    ) -> bool {
        let Some(reauth) = &self.reauth else {
            return false;
        };
        reauth
            .refresh(&self.cell, sent, logins_before, |credentials| {
                self.login(client, credentials)
            })
            .await
    }

    /// Sends `login` through the same hooks, so its token is captured like any other.
    async fn login(&self, client: &reqwest::Client, credentials: Credentials) -> bool {
        let Some(me) = self.me.upgrade() else {
            return false;
        };
        let Ok(username) = credentials.username.as_str().try_into() else {
            tracing::warn!("cannot log in again: the configured username is empty");
            return false;
        };
        let generated = destiny_gen::Client::new_with_client(
            self.base_url.as_str(),
            client.clone(),
            Inner::from_arc(me),
        );
        let body = LoginRequest {
            username,
            password: credentials.password,
        };
        match generated.login().body(body).send().await {
            Ok(_) => true,
            Err(error) => {
                let error = Error::from_generated(error).await;
                tracing::warn!(%error, "logging in again failed; the 401 goes to the caller");
                false
            }
        }
    }
}

/// Whether the response's `Authorization` is exactly the token just sent or the current one
/// (and the only such header): then there is nothing to decode or adopt.
fn is_known(
    first: &HeaderValue,
    headers: &HeaderMap,
    sent: Option<&Arc<BearerToken>>,
    cell: &TokenCell,
) -> bool {
    let single = headers.get_all(AUTHORIZATION).iter().nth(1).is_none();
    single
        && (sent.is_some_and(|t| t.header_value() == first)
            || cell.current().is_some_and(|t| t.header_value() == first))
}

/// Sets the request's `Authorization` to `token` (or removes it).
fn set_authorization(headers: &mut HeaderMap, token: Option<&BearerToken>) {
    match token {
        Some(token) => {
            headers.insert(AUTHORIZATION, token.header_value().clone());
        }
        None => {
            headers.remove(AUTHORIZATION);
        }
    }
}

/// Marks every `Authorization` value of a response sensitive, so the response (and the
/// `ResponseValue` or error built from it) never prints the token in `Debug`.
fn mark_sensitive(headers: &mut HeaderMap) {
    if let Entry::Occupied(mut entry) = headers.entry(AUTHORIZATION) {
        for value in entry.iter_mut() {
            value.set_sensitive(true);
        }
    }
}
