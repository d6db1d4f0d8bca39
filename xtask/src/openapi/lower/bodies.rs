//! Request bodies (JSON, form) and success responses.

use super::*;

impl<'a> Lowerer<'a> {
    pub(super) fn body(
        &mut self,
        body: &'a ReferenceOr<RequestBody>,
        pascal: &str,
        at: &Pointer,
    ) -> Result<Body> {
        let body = match body {
            ReferenceOr::Item(body) => body,
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/requestBodies/")
                    .and_then(|name| {
                        self.doc
                            .components
                            .as_ref()?
                            .request_bodies
                            .get(&unescape(name))
                    });
                match found {
                    Some(ReferenceOr::Item(body)) => body,
                    _ => {
                        return Err(self.diag(
                            at,
                            format!("dangling `$ref`: `{reference}`; expected a request body defined inline under #/components/requestBodies"),
                        ));
                    }
                }
            }
        };
        let content_pointer = at.push("content");
        let mut chosen = None;
        for (media, content) in &body.content {
            match media_kind(media) {
                Some(kind) => {
                    chosen = Some((kind, media, content));
                    break;
                }
                None => {
                    if chosen.is_none() && body.content.len() == 1 {
                        return Err(self.diag(
                            &content_pointer.push(media),
                            format!("unsupported media type `{media}`; expected `application/json`, `application/x-www-form-urlencoded` or `multipart/form-data`"),
                        ));
                    }
                }
            }
        }
        let Some((kind, media, content)) = chosen else {
            let listed: Vec<&str> = body.content.keys().map(String::as_str).collect();
            return Err(self.diag(
                &content_pointer,
                format!("no supported media type among {listed:?}; expected `application/json`, `application/x-www-form-urlencoded` or `multipart/form-data`"),
            ));
        };
        let media_pointer = content_pointer.push(media);
        let Some(schema) = &content.schema else {
            return Err(self.diag(
                &media_pointer,
                "the request body has no `schema`; expected one",
            ));
        };
        let ty = self.plain_type(
            schema,
            &format!("{pascal}Request"),
            &media_pointer.push("schema"),
        )?;
        let encoding = match kind {
            MediaKind::Json => BodyEncoding::Json,
            MediaKind::Form | MediaKind::Multipart => {
                let multipart = kind == MediaKind::Multipart;
                let fields = match &ty {
                    TypeRef::Named(name) => match self.kind_of(name) {
                        Some(TypeKind::Struct(def)) => def.fields.clone(),
                        _ => Vec::new(),
                    },
                    _ => Vec::new(),
                };
                if fields.is_empty()
                    && !matches!(&ty, TypeRef::Named(name) if matches!(self.kind_of(name), Some(TypeKind::Struct(_))))
                {
                    return Err(self.diag(
                        &media_pointer.push("schema"),
                        "a form or multipart body must be an object schema; expected `type: object` with `properties`",
                    ));
                }
                for name in content.encoding.keys() {
                    if !fields.iter().any(|f| &f.name.wire == name) {
                        return Err(self.diag(
                            &media_pointer.push("encoding").push(name),
                            format!("`encoding` names `{name}`, which is not a property of the body; expected a property name"),
                        ));
                    }
                }
                let mut form = Vec::new();
                for field in &fields {
                    let json = content
                        .encoding
                        .get(&field.name.wire)
                        .and_then(|e| e.content_type.as_deref())
                        .is_some_and(|ct| media_kind(ct) == Some(MediaKind::Json));
                    let value = if multipart && field.ty == TypeRef::File {
                        FormValue::File
                    } else if json {
                        FormValue::Json
                    } else if self.is_scalar(&field.ty) {
                        FormValue::Scalar
                    } else if matches!(&field.ty, TypeRef::Vec(inner) if self.is_scalar(inner)) {
                        FormValue::Each
                    } else {
                        return Err(self.diag(
                            &media_pointer.push("encoding"),
                            format!(
                                "form field `{}` has type `{}`; expected a scalar, an array of scalars, a file (`type: string, format: binary`, multipart only), or `encoding: {{{}: {{contentType: application/json}}}}`",
                                field.name.wire,
                                field.ty.rust(),
                                field.name.wire
                            ),
                        ));
                    };
                    form.push(FormField {
                        name: field.name.clone(),
                        optional: field.optional(),
                        value,
                    });
                }
                if multipart {
                    BodyEncoding::Multipart(form)
                } else {
                    BodyEncoding::Form(form)
                }
            }
        };
        let wrapper = match encoding {
            // An optional array member stays wrapped (no `Option<&[T]>` API).
            BodyEncoding::Json => self
                .wrapper(&ty)
                .filter(|w| body.required || !matches!(w.ty, TypeRef::Vec(_))),
            BodyEncoding::Form(_) | BodyEncoding::Multipart(_) => None,
        };
        Ok(Body {
            ty,
            required: body.required,
            doc: doc_or(body.description.as_deref(), || {
                "The request body.".to_owned()
            }),
            encoding,
            wrapper,
        })
    }

    /// `Some` when `ty` is a struct with exactly one member, required, not
    /// nullable and not a date, and no `additionalProperties`
    /// (`{"input": X}`).
    fn wrapper(&self, ty: &TypeRef) -> Option<Wrapper> {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        let Some(TypeKind::Struct(def)) = self.kind_of(name) else {
            return None;
        };
        match def.fields.as_slice() {
            // A date member needs its serde adapter: it stays wrapped.
            [field]
                if field.required
                    && !field.nullable
                    && def.additional.is_none()
                    && !matches!(field.ty, TypeRef::DateTime | TypeRef::Date) =>
            {
                Some(Wrapper {
                    member: field.name.wire.clone(),
                    ty: field.ty.clone(),
                    doc: field.doc.clone(),
                })
            }
            _ => None,
        }
    }

    pub(super) fn response(
        &mut self,
        op: &'a OaOperation,
        pascal: &str,
        op_pointer: &Pointer,
    ) -> Result<ResponseKind> {
        let responses_pointer = op_pointer.push("responses");
        let success = op.responses.responses.iter().find(|(code, _)| match code {
            StatusCode::Code(code) => (200..300).contains(code),
            StatusCode::Range(range) => *range == 2,
        });
        let Some((code, response)) = success else {
            return Err(self.diag(
                &responses_pointer,
                "no success response; expected a `200` (or other 2xx) response",
            ));
        };
        let code = match code {
            StatusCode::Code(code) => code.to_string(),
            StatusCode::Range(_) => "2XX".to_owned(),
        };
        let at = responses_pointer.push(&code);
        let response: &'a Response = match response {
            ReferenceOr::Item(response) => response,
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|name| self.doc.components.as_ref()?.responses.get(&unescape(name)));
                match found {
                    Some(ReferenceOr::Item(response)) => response,
                    _ => {
                        return Err(self.diag(
                            &at,
                            format!("dangling `$ref`: `{reference}`; expected a response defined inline under #/components/responses"),
                        ));
                    }
                }
            }
        };
        let Some((media, content)) = response.content.first() else {
            return Ok(ResponseKind::Empty);
        };
        let media_pointer = at.push("content").push(media);
        if media_kind(media).is_none() && is_file_media(media, content) {
            return Ok(ResponseKind::File);
        }
        if media_kind(media) != Some(MediaKind::Json) {
            return Err(self.diag(
                &media_pointer,
                format!(
                    "unsupported media type `{media}`; expected `application/json`, or a file (`text/*` or `application/octet-stream`, schema `type: string`) for responses"
                ),
            ));
        }
        let Some(schema) = &content.schema else {
            return Ok(ResponseKind::Plain(TypeRef::Json));
        };
        let schema_pointer = media_pointer.push("schema");
        match schema {
            ReferenceOr::Reference { reference } => {
                if self.envelope_target(reference) {
                    return Ok(ResponseKind::Envelope(None));
                }
                let ty = self.ref_type(reference, &schema_pointer)?;
                if let TypeRef::Named(name) = &ty
                    && let Some(TypeKind::Envelope(item)) = self.kind_of(name)
                {
                    return Ok(ResponseKind::Envelope(item.clone()));
                }
                Ok(ResponseKind::Plain(ty))
            }
            ReferenceOr::Item(schema) => {
                let hint = format!("{pascal}Response");
                if let Some(item) = self.envelope_item(schema, &schema_pointer, &hint)? {
                    return Ok(ResponseKind::Envelope(item));
                }
                Ok(ResponseKind::Plain(self.schema_type(
                    schema,
                    &hint,
                    &schema_pointer,
                )?))
            }
        }
    }
}

/// Whether a response media type is a file handed over as bytes: `text/*`
/// (but not HTML) or `application/octet-stream`, with no schema or a
/// `type: string` one.
fn is_file_media(media: &str, content: &openapiv3::MediaType) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let file = (essence.starts_with("text/") && essence != "text/html")
        || essence == "application/octet-stream";
    let string = match &content.schema {
        None => true,
        Some(ReferenceOr::Item(schema)) => {
            matches!(&schema.schema_kind, SchemaKind::Type(Type::String(_)))
        }
        Some(ReferenceOr::Reference { .. }) => false,
    };
    file && string
}
