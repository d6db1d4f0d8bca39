//! The OpenAPI 3.0 → REST client generator.
//!
//! spec file → [`parse`] (`openapiv3`, located syntax and shape errors) →
//! [`lower`] (the [`model`](mod@model): `$ref`s resolved, envelope and paging
//! recognised) → [`emit_types`] / [`emit_client`] (tokens) →
//! [`crate::codegen::render`] (prettyplease, `@generated` header).
//!
//! Output, relative to the job's output directory: `mod.rs` (the `Client`,
//! the module list, `params`), `types.rs` (every named type), and one file
//! per tag (`programs.rs`, …) with that tag's params structs and an
//! `impl Client` block; `examples.rs`, not a module of the client, tells
//! tests which type decodes each operation's documented examples. See `docs/rest-codegen.md`.

pub mod areas;
pub mod emit_client;
pub mod emit_examples;
pub mod emit_request;
pub mod emit_types;
pub mod lower;
pub mod model;
pub mod parse;
pub mod surface;

use crate::codegen::render::render;
use crate::codegen::{CodegenError, GeneratedFile, SpecInput, Surface};
use model::Api;
pub use surface::surface_of;

/// Reads and lowers the spec named by `input`.
pub fn model(input: &SpecInput<'_>) -> Result<Api, CodegenError> {
    let doc = parse::load(input)?;
    lower::lower(&doc, input.display)
}

/// Generates the REST client modules from the OpenAPI document named by `input`.
pub fn generate(input: &SpecInput<'_>) -> Result<Vec<GeneratedFile>, CodegenError> {
    let api = model(input)?;
    generate_from(&api, input)
}

/// Generates the files of an already lowered model.
pub fn generate_from(api: &Api, input: &SpecInput<'_>) -> Result<Vec<GeneratedFile>, CodegenError> {
    let mut files = Vec::new();
    let mut add = |path: String, tokens| -> Result<(), CodegenError> {
        let contents = render(&path, input.command, input.display, tokens)?;
        files.push(GeneratedFile { path, contents });
        Ok(())
    };
    add("mod.rs".to_owned(), emit_client::mod_file(api))?;
    add("types.rs".to_owned(), emit_types::types_file(api))?;
    add("examples.rs".to_owned(), emit_examples::examples_file(api))?;
    for module in &api.modules {
        add(
            format!("{}.rs", module.ident),
            emit_client::module_file(api, module),
        )?;
    }
    Ok(files)
}

/// The public API [`generate`] would produce from the spec named by `input`.
pub fn surface(input: &SpecInput<'_>) -> Result<Surface, CodegenError> {
    Ok(surface_of(&model(input)?))
}
