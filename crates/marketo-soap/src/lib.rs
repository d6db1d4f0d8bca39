//! Typed async client for the Marketo SOAP API (generated bindings arrive with the SOAP generator).
