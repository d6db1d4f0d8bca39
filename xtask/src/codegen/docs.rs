//! Doc comments for generated items, one helper for both generators.
//!
//! Spec text becomes `#[doc]` lines: indentation is kept up to three spaces
//! (list continuations survive; an indented code block cannot appear), and
//! a fence without a language becomes a `text` fence, so that text from a
//! spec never turns into a doctest.

use proc_macro2::TokenStream;
use quote::quote;

/// The lines of a doc comment for `text`, each with its leading space.
pub fn doc_lines(text: &str) -> Vec<String> {
    let mut in_fence = false;
    text.trim()
        .lines()
        .map(|line| {
            let body = line.trim_start();
            let indent = (line.len() - body.len()).min(3);
            let mut body = body.trim_end().to_owned();
            if body.starts_with("```") {
                if !in_fence && body.trim_start_matches('`').trim().is_empty() {
                    body = "```text".to_owned();
                }
                in_fence = !in_fence;
            }
            if body.is_empty() {
                String::new()
            } else {
                format!(" {}{body}", " ".repeat(indent))
            }
        })
        .collect()
}

/// Outer `#[doc = "…"]` attributes for `text`.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// Inner `#![doc = "…"]` attributes for `text` (a module's own doc).
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #![doc = #lines] )* }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_fences_become_text_and_indentation_is_capped() {
        let lines = doc_lines("Intro\n\n```\ncode\n```\n        deep\n  - item");
        assert_eq!(
            lines,
            [
                " Intro",
                "",
                " ```text",
                " code",
                " ```",
                "    deep",
                "   - item"
            ]
        );
    }

    #[test]
    fn a_fence_with_a_language_is_kept() {
        assert_eq!(doc_lines("```json\n{}\n```"), [" ```json", " {}", " ```"]);
    }
}
