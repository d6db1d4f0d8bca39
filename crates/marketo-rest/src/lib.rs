//! Typed async client for the Marketo REST API (generated bindings arrive with the REST generator).
