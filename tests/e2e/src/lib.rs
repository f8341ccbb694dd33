//! Support for the end-to-end tests of `destiny-api` against the `destiny-mock` server.
//!
//! The tests themselves live in `tests/`; this library holds what they share:
//!
//! - [`spec_coverage`]: reads `spec/destiny.yaml` and tells which of its operations a list of
//!   exchanges (as recorded by the mock server) never exercised, so that a test fails when an
//!   operation of the spec is left out;
//! - [`support`]: clients pointed at a mock server, and small helpers to read the mock's
//!   request log.

pub mod spec_coverage;
pub mod support;
