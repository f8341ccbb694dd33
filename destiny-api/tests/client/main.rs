//! The client against HTTP servers on loopback (wiremock): rotation, re-login, retries,
//! persistence and configuration, one module per concern. Secrecy (formatted output and
//! logs) has its own binary, `tests/secrets.rs`.

mod common;
mod config;
mod operations;
mod persistence;
mod reauth;
mod retry;
mod rotation;
