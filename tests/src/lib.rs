//! Workspace-level tests of the Marketo crates live in `tests/tests/`; this
//! library holds what they share.
