//! The SOAP 1.1 envelope: writing a request, reading a response or a fault.

use std::io::Cursor;

use marketo_auth::SignedAuthenticationHeader;
use xml::reader::XmlEvent as ReadEvent;
use xml::writer::XmlEvent as WriteEvent;
use yaserde::{YaDeserialize, YaSerialize};

use crate::decode::FromXml;
use crate::error::{ServiceException, SoapError};
use crate::xml::{TARGET_PREFIX, excerpt, strip_nil};

/// The SOAP 1.1 envelope namespace.
pub const SOAP_ENV_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// The name of the header element that carries the signature.
pub const AUTHENTICATION_HEADER: &str = "AuthenticationHeader";

/// The name of the header element that names the target workspace.
pub const CONTEXT_HEADER: &str = "MktowsContextHeader";

/// How long excerpts of bodies in errors are, in characters.
const EXCERPT: usize = 200;

/// What the generated client knows about one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The operation's name in the WSDL, e.g. `scheduleCampaign`.
    pub name: &'static str,
    /// The `soapAction` of its binding.
    pub soap_action: &'static str,
    /// The target namespace of its elements.
    pub namespace: &'static str,
    /// The local name of the response body element, e.g.
    /// `successScheduleCampaign`.
    pub response_element: &'static str,
    /// The header elements bound to its input (`AuthenticationHeader`,
    /// `MktowsContextHeader`); the runtime fills the ones it knows.
    pub headers: &'static [&'static str],
    /// Whether sending the request twice has the same effect as sending it
    /// once (from the spec's annotations, never from the name). Decides
    /// whether it is sent again after a transport failure that may have
    /// reached Marketo (see [`marketo_resilience::outcome`]).
    pub idempotent: bool,
}

/// The headers of one request, filled by the client.
#[derive(Debug, Clone, Default)]
pub struct RequestHeaders<'a> {
    /// The signed authentication header.
    pub authentication: Option<&'a SignedAuthenticationHeader>,
    /// The workspace to act in.
    pub target_workspace: Option<&'a str>,
}

fn encode_err(e: impl std::fmt::Display) -> SoapError {
    SoapError::Encode(e.to_string())
}

fn text_element<W: std::io::Write>(
    ser: &mut yaserde::ser::Serializer<W>,
    name: &str,
    text: &str,
) -> Result<(), SoapError> {
    ser.write(WriteEvent::start_element(name))
        .map_err(encode_err)?;
    ser.write(WriteEvent::characters(text))
        .map_err(encode_err)?;
    ser.write(WriteEvent::end_element()).map_err(encode_err)?;
    Ok(())
}

/// Writes the SOAP envelope of `op` with `params` as its body and the
/// headers `op` binds, from `headers`.
pub fn encode_request<T: YaSerialize>(
    op: &Operation,
    headers: &RequestHeaders<'_>,
    params: &T,
) -> Result<String, SoapError> {
    let config = xml::EmitterConfig::new()
        .perform_indent(false)
        .write_document_declaration(true);
    // Room for a typical envelope (headers and a small body, ~1.5 KB), so
    // the buffer is not regrown while writing.
    let writer = xml::EventWriter::new_with_config(Cursor::new(Vec::with_capacity(2048)), config);
    let mut ser = yaserde::ser::Serializer::new(writer);
    ser.write(
        WriteEvent::start_element("SOAP-ENV:Envelope")
            .ns("SOAP-ENV", SOAP_ENV_NS)
            .ns(TARGET_PREFIX, op.namespace),
    )
    .map_err(encode_err)?;
    ser.write(WriteEvent::start_element("SOAP-ENV:Header"))
        .map_err(encode_err)?;
    for header in op.headers {
        match *header {
            AUTHENTICATION_HEADER => {
                if let Some(auth) = headers.authentication {
                    let name = format!("{TARGET_PREFIX}:{AUTHENTICATION_HEADER}");
                    ser.write(WriteEvent::start_element(name.as_str()))
                        .map_err(encode_err)?;
                    text_element(&mut ser, "mktowsUserId", &auth.mktows_user_id)?;
                    text_element(&mut ser, "requestSignature", &auth.request_signature)?;
                    text_element(&mut ser, "requestTimestamp", &auth.request_timestamp)?;
                    ser.write(WriteEvent::end_element()).map_err(encode_err)?;
                }
            }
            CONTEXT_HEADER => {
                if let Some(workspace) = headers.target_workspace {
                    let name = format!("{TARGET_PREFIX}:{CONTEXT_HEADER}");
                    ser.write(WriteEvent::start_element(name.as_str()))
                        .map_err(encode_err)?;
                    text_element(&mut ser, "targetWorkspace", workspace)?;
                    ser.write(WriteEvent::end_element()).map_err(encode_err)?;
                }
            }
            other => {
                tracing::debug!(header = other, "no value for this header; not sent");
            }
        }
    }
    ser.write(WriteEvent::end_element()).map_err(encode_err)?;
    ser.write(WriteEvent::start_element("SOAP-ENV:Body"))
        .map_err(encode_err)?;
    ser.set_start_event_name(None);
    ser.set_skip_start_end(false);
    params.serialize(&mut ser).map_err(encode_err)?;
    ser.write(WriteEvent::end_element()).map_err(encode_err)?;
    ser.write(WriteEvent::end_element()).map_err(encode_err)?;
    String::from_utf8(ser.into_inner().into_inner()).map_err(encode_err)
}

fn decode_err(problem: impl Into<String>, body: &str) -> SoapError {
    SoapError::Decode {
        problem: problem.into(),
        excerpt: excerpt(body, EXCERPT),
    }
}

/// The `Body`'s first element of a SOAP envelope.
fn body_payload<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    body: &str,
) -> Result<roxmltree::Node<'a, 'i>, SoapError> {
    let envelope = doc.root_element();
    if envelope.tag_name().name() != "Envelope"
        || envelope.tag_name().namespace() != Some(SOAP_ENV_NS)
    {
        return Err(decode_err(
            format!(
                "expected a SOAP 1.1 Envelope, found <{}>",
                envelope.tag_name().name()
            ),
            body,
        ));
    }
    let soap_body = envelope
        .children()
        .find(|n| n.is_element() && n.tag_name().name() == "Body")
        .ok_or_else(|| decode_err("the envelope has no Body", body))?;
    soap_body
        .children()
        .find(|n| n.is_element())
        .ok_or_else(|| decode_err("the Body is empty", body))
}

/// The fault in `body`, if `body` is a SOAP envelope holding one.
pub fn find_fault(body: &str) -> Option<SoapError> {
    let doc = roxmltree::Document::parse(body).ok()?;
    let payload = body_payload(&doc, body).ok()?;
    is_fault(&payload).then(|| read_fault(&payload))
}

fn is_fault(node: &roxmltree::Node<'_, '_>) -> bool {
    node.tag_name().name() == "Fault" && node.tag_name().namespace() == Some(SOAP_ENV_NS)
}

fn child_text(node: &roxmltree::Node<'_, '_>, name: &str) -> Option<String> {
    node.children()
        .find(|n| n.is_element() && n.tag_name().name() == name)
        .map(|n| n.text().unwrap_or_default().trim().to_owned())
}

fn read_fault(fault: &roxmltree::Node<'_, '_>) -> SoapError {
    let service_exception = fault
        .children()
        .find(|n| n.is_element() && n.tag_name().name() == "detail")
        .and_then(|detail| {
            detail
                .descendants()
                .find(|n| n.is_element() && n.tag_name().name() == "serviceException")
        })
        .map(|e| ServiceException {
            name: child_text(&e, "name").unwrap_or_default(),
            message: child_text(&e, "message").unwrap_or_default(),
            code: child_text(&e, "code").unwrap_or_default(),
        });
    SoapError::Fault {
        fault_code: child_text(fault, "faultcode").unwrap_or_default(),
        fault_string: child_text(fault, "faultstring").unwrap_or_default(),
        service_exception,
    }
}

/// The Body's payload of `body` once it is known to be `op`'s response
/// (faults are read first and returned as [`SoapError::Fault`]).
fn response_payload<'a, 'i>(
    op: &Operation,
    doc: &'a roxmltree::Document<'i>,
    body: &str,
) -> Result<roxmltree::Node<'a, 'i>, SoapError> {
    let payload = body_payload(doc, body)?;
    if is_fault(&payload) {
        return Err(read_fault(&payload));
    }
    if payload.tag_name().name() != op.response_element {
        return Err(decode_err(
            format!(
                "expected <{}> in the Body, found <{}>",
                op.response_element,
                payload.tag_name().name()
            ),
            body,
        ));
    }
    Ok(payload)
}

/// Reads the response of `op` from a SOAP envelope: a fault becomes
/// [`SoapError::Fault`]; otherwise the body element must be
/// `op.response_element` and decode into `T`.
///
/// The document is parsed once and `T` is read from it by its generated
/// decoder ([`FromXml`]); a problem is reported with the element path, line
/// and column.
pub fn decode_response<T: FromXml>(op: &Operation, body: &str) -> Result<T, SoapError> {
    let doc = roxmltree::Document::parse(body)
        .map_err(|e| decode_err(format!("malformed XML: {e}"), body))?;
    let payload = response_payload(op, &doc, body)?;
    T::from_xml(payload).map_err(|e| {
        let e = e.within(payload.tag_name().name());
        decode_err(e.to_string(), body)
    })
}

/// Reads the response of `op` like [`decode_response`], through the
/// types' `yaserde` impls instead of their generated decoders: several
/// times slower, kept as the reference the decoders are tested against and
/// for types that have no generated decoder.
pub fn decode_response_with_yaserde<T: YaDeserialize>(
    op: &Operation,
    body: &str,
) -> Result<T, SoapError> {
    let doc = roxmltree::Document::parse(body)
        .map_err(|e| decode_err(format!("malformed XML: {e}"), body))?;
    response_payload(op, &doc, body)?;
    let cleaned = strip_nil(body, &doc);
    drop(doc);
    let mut reader = yaserde::de::Deserializer::new_from_reader(cleaned.as_bytes());
    // Advance to the Body's first element: past the Envelope start tag, any
    // Header, and the Body start tag.
    let mut in_body = false;
    loop {
        let event = reader.peek().map_err(|e| decode_err(e.to_string(), body))?;
        match event {
            ReadEvent::StartElement { .. } if in_body => break,
            ReadEvent::EndDocument => return Err(decode_err("the Body is empty", body)),
            _ => {}
        }
        if let ReadEvent::StartElement { name, .. } = reader
            .next_event()
            .map_err(|e| decode_err(e.to_string(), body))?
        {
            in_body = reader.depth() == 2
                && name.local_name == "Body"
                && name.namespace.as_deref() == Some(SOAP_ENV_NS);
        }
    }
    T::deserialize(&mut reader).map_err(|e| decode_err(e.to_string(), body))
}
