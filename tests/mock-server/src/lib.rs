//! Placeholder until the mock server lands.
