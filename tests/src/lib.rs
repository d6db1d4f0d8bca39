//! Workspace-level tests of the Marketo crates live in `tests/tests/`.
//!
//! The README's Rust examples are this crate's doc tests (below), so that
//! they keep compiling against the crates as they change.
#![doc = include_str!("../../README.md")]
