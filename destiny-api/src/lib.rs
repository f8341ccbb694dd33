//! Rust SDK for the Destiny API (work in progress).
