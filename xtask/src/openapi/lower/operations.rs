//! Paths → operations: methods, parameters, modules by tag.

use super::*;
use crate::codegen::naming::STRUCT_METHODS;

impl<'a> Lowerer<'a> {
    pub(super) fn operations(&mut self) -> Result<Vec<OpModule>> {
        let mut modules: Vec<OpModule> = Vec::new();
        let mut module_names = UniqueNames::new();
        for reserved in ["types", "params", "mod"] {
            module_names.reserve(reserved);
        }
        let mut module_of_tag: BTreeMap<String, usize> = BTreeMap::new();
        let mut seen_ids: BTreeMap<String, Pointer> = BTreeMap::new();
        let mut method_names = UniqueNames::new();
        for reserved in CLIENT_METHODS {
            method_names.reserve(reserved);
        }
        let doc = self.doc;
        for (path, item) in &doc.paths.paths {
            let path_pointer = Pointer::root().push("paths").push(path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    return Err(self.diag(
                        &path_pointer,
                        "`$ref` path items are not supported; expected the path item inline",
                    ));
                }
            };
            for (name, op) in [
                ("options", &item.options),
                ("head", &item.head),
                ("trace", &item.trace),
            ] {
                if op.is_some() {
                    return Err(self.diag(
                        &path_pointer.push(name),
                        format!("the `{name}` method is not supported; expected get, put, post, patch or delete"),
                    ));
                }
            }
            let methods = [
                (Method::Get, &item.get),
                (Method::Put, &item.put),
                (Method::Post, &item.post),
                (Method::Delete, &item.delete),
                (Method::Patch, &item.patch),
            ];
            for (method, op) in methods {
                let Some(op) = op else { continue };
                let op_pointer = path_pointer.push(&method.as_str().to_lowercase());
                if extensions::skipped(op) {
                    continue;
                }
                let Some(id) = op
                    .operation_id
                    .as_deref()
                    .filter(|id| !id.trim().is_empty())
                else {
                    let e = self.diag(
                        &op_pointer,
                        "missing `operationId`; expected every operation to have one (it names the Rust method)",
                    );
                    self.keep(e)?;
                    continue;
                };
                if let Some(first) = seen_ids.get(id) {
                    let e = self.diag(
                        &op_pointer,
                        format!("duplicate `operationId` `{id}` (first at {}); expected each operationId once", first.as_str()),
                    );
                    self.keep(e)?;
                    continue;
                }
                seen_ids.insert(id.to_owned(), op_pointer.clone());
                let ident = method_names.ident(id, Case::Snake).to_string();
                let operation = self.operation(
                    id,
                    ident,
                    method,
                    path,
                    &item.parameters,
                    op,
                    &op_pointer,
                    &path_pointer,
                );
                let mut operation = match operation {
                    Ok(operation) => operation,
                    Err(e) => {
                        self.keep(e)?;
                        continue;
                    }
                };
                if operation.paging.is_some() {
                    operation.stream_ident = Some(
                        method_names
                            .ident(&format!("{}_stream", operation.ident), Case::Snake)
                            .to_string(),
                    );
                }
                let tag = op
                    .tags
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "default".to_owned());
                let index = match module_of_tag.get(&tag) {
                    Some(index) => *index,
                    None => {
                        let tag_doc = doc
                            .tags
                            .iter()
                            .find(|t| t.name == tag)
                            .and_then(|t| t.description.as_deref());
                        modules.push(OpModule {
                            ident: module_names.ident(&tag, Case::Snake).to_string(),
                            doc: doc_or(tag_doc, || format!("Operations tagged `{tag}`.")),
                            operations: Vec::new(),
                        });
                        module_of_tag.insert(tag.clone(), modules.len() - 1);
                        modules.len() - 1
                    }
                };
                modules[index].operations.push(operation);
            }
        }
        Ok(modules)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn operation(
        &mut self,
        id: &str,
        ident: String,
        method: Method,
        path: &str,
        path_level: &'a [ReferenceOr<Parameter>],
        op: &'a OaOperation,
        op_pointer: &Pointer,
        path_pointer: &Pointer,
    ) -> Result<Operation> {
        let pascal = sanitize(id, Case::Pascal);
        let mut arg_names = UniqueNames::new();
        // Argument names must not shadow the locals of generated methods.
        for reserved in LOCALS.into_iter().chain(STRUCT_METHODS) {
            arg_names.reserve(reserved);
        }
        // Path-level parameters, overridden by operation-level ones.
        let mut all: Vec<(&'a Parameter, Pointer)> = Vec::new();
        for (i, p) in path_level.iter().enumerate() {
            let at = path_pointer.push("parameters").push(&i.to_string());
            all.push((self.parameter(p, &at)?, at));
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let at = op_pointer.push("parameters").push(&i.to_string());
            let param = self.parameter(p, &at)?;
            let key = param_key(param);
            all.retain(|(existing, _)| param_key(existing) != key);
            all.push((param, at));
        }
        let mut path_params = Vec::new();
        let mut query_params = Vec::new();
        for (param, at) in all {
            let (param, in_path) = self.lower_param(param, &at, &pascal, &mut arg_names)?;
            if in_path {
                path_params.push(param);
            } else {
                query_params.push(param);
            }
        }
        let path_params = self.order_path_params(path, path_params, op_pointer)?;
        let params_struct = query_params.iter().any(|p| !p.required).then(|| {
            self.type_names
                .ident(&format!("{pascal}Params"), Case::Pascal)
                .to_string()
        });
        let body = match &op.request_body {
            None => None,
            Some(body) => Some(self.body(body, &pascal, &op_pointer.push("requestBody"))?),
        };
        let response = self.response(op, &pascal, op_pointer)?;
        let paging = match &response {
            ResponseKind::Envelope(Some(_)) => paging::paging_of(&query_params),
            _ => None,
        };
        let doc = operation_doc(op, method, path, id);
        let idempotent = extensions::idempotent(op, method, op_pointer, self.file)?;
        let single = extensions::single_result(op, &response, op_pointer, self.file)?;
        let paging = if single { None } else { paging };
        Ok(Operation {
            id: id.to_owned(),
            ident,
            doc,
            method,
            path: path.to_owned(),
            path_params,
            query_params,
            params_struct,
            body,
            response,
            auth: true,
            paging,
            stream_ident: None,
            idempotent,
            single,
        })
    }

    pub(super) fn parameter(
        &self,
        p: &'a ReferenceOr<Parameter>,
        at: &Pointer,
    ) -> Result<&'a Parameter> {
        match p {
            ReferenceOr::Item(p) => Ok(p),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/parameters/")
                    .and_then(|name| {
                        self.doc
                            .components
                            .as_ref()?
                            .parameters
                            .get(&unescape(name))
                    });
                match found {
                    Some(ReferenceOr::Item(p)) => Ok(p),
                    _ => Err(self.diag(
                        at,
                        format!("dangling `$ref`: `{reference}`; expected a parameter defined inline under #/components/parameters"),
                    )),
                }
            }
        }
    }

    /// Path parameters in the order of the template; each `{name}` must
    /// be declared and each declared one used.
    pub(super) fn order_path_params(
        &self,
        path: &str,
        mut params: Vec<Param>,
        at: &Pointer,
    ) -> Result<Vec<Param>> {
        let mut ordered = Vec::new();
        for name in template_names(path) {
            match params.iter().position(|p| p.name.wire == name) {
                Some(i) => ordered.push(params.remove(i)),
                None => {
                    return Err(self.diag(
                        at,
                        format!("the path has `{{{name}}}` but no `in: path` parameter `{name}`; expected one"),
                    ));
                }
            }
        }
        if let Some(extra) = params.first() {
            return Err(self.diag(
                at,
                format!("path parameter `{}` does not appear in the path `{path}`; expected `{{{}}}` in it", extra.name.wire, extra.name.wire),
            ));
        }
        Ok(ordered)
    }

    /// One path or query parameter; `true` with it when it is in the path.
    fn lower_param(
        &mut self,
        param: &'a Parameter,
        at: &Pointer,
        pascal: &str,
        arg_names: &mut UniqueNames,
    ) -> Result<(Param, bool)> {
        let (data, location) = match param {
            Parameter::Query { parameter_data, .. } => (parameter_data, "query"),
            Parameter::Path { parameter_data, .. } => (parameter_data, "path"),
            Parameter::Header { parameter_data, .. } => (parameter_data, "header"),
            Parameter::Cookie { .. } => {
                return Err(self.diag(
                    at,
                    "cookie parameters are not supported; expected `in: query`, `in: path` or `in: header`",
                ));
            }
        };
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => schema,
            ParameterSchemaOrContent::Content(_) => {
                return Err(self.diag(
                    at,
                    format!(
                        "parameter `{}` uses `content`; expected a `schema`",
                        data.name
                    ),
                ));
            }
        };
        let hint = format!("{pascal}{}", sanitize(&data.name, Case::Pascal));
        let ty = self.plain_type(schema, &hint, &at.push("schema"))?;
        let style = match param {
            Parameter::Query { style, .. } => {
                let explode = data.explode.unwrap_or(matches!(style, OaQueryStyle::Form));
                // `explode` defaults to true for `form` only.
                let separator = match style {
                    OaQueryStyle::Form => ",",
                    OaQueryStyle::SpaceDelimited => " ",
                    OaQueryStyle::PipeDelimited => "|",
                    OaQueryStyle::DeepObject => {
                        return Err(self.diag(
                            at,
                            format!("unsupported parameter style `deepObject` for `{}`; expected `form` (with `explode: true` or `false`), `spaceDelimited` or `pipeDelimited`", data.name),
                        ));
                    }
                };
                if explode {
                    QueryStyle::Exploded
                } else {
                    QueryStyle::Joined(separator)
                }
            }
            Parameter::Path { style, .. } => {
                let name = match style {
                    PathStyle::Simple => None,
                    PathStyle::Label => Some("label"),
                    PathStyle::Matrix => Some("matrix"),
                };
                if let Some(name) = name {
                    return Err(self.diag(
                        at,
                        format!("unsupported parameter style `{name}` for path parameter `{}`; expected `simple`", data.name),
                    ));
                }
                QueryStyle::Exploded
            }
            Parameter::Header { .. } | Parameter::Cookie { .. } => QueryStyle::Exploded,
        };
        let ok = match (&ty, location) {
            (_, "path" | "header") => self.is_scalar(&ty),
            (TypeRef::Vec(inner), _) => self.is_scalar(inner),
            _ => self.is_scalar(&ty),
        };
        if !ok {
            let expected = match location {
                "path" | "header" => "a scalar or a string enum",
                _ => "a scalar, a string enum, or an array of them",
            };
            return Err(self.diag(
                &at.push("schema"),
                format!(
                    "{location} parameter `{}` has type `{}`; expected {expected}",
                    data.name,
                    ty.rust()
                ),
            ));
        }
        let param = Param {
            name: arg_names.name(&data.name, Case::Snake),
            doc: doc_or(data.description.as_deref(), || format!("`{}`.", data.name)),
            ty,
            required: data.required || location == "path",
            style,
            bounds: int_bounds(schema),
            header: location == "header",
        };
        Ok((param, location == "path"))
    }
}

/// The `default` and `maximum` of an inline integer schema.
fn int_bounds(schema: &ReferenceOr<Schema>) -> IntBounds {
    match of(schema) {
        SchemaOrRef::Item(item) => match &item.schema_kind {
            SchemaKind::Type(Type::Integer(integer)) => IntBounds {
                default: item.schema_data.default.as_ref().and_then(|v| v.as_i64()),
                maximum: integer.maximum,
            },
            _ => IntBounds::default(),
        },
        SchemaOrRef::Ref(_) => IntBounds::default(),
    }
}

/// The doc comment of an operation: summary, description, method and path.
fn operation_doc(op: &OaOperation, method: Method, path: &str, id: &str) -> String {
    let mut doc = String::new();
    if let Some(summary) = op
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        doc.push_str(summary);
        if !summary.ends_with('.') {
            doc.push('.');
        }
        doc.push_str("\n\n");
    }
    if let Some(description) = op
        .description
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        doc.push_str(description);
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("`{} {path}` (`{id}`).", method.as_str()));
    doc
}
