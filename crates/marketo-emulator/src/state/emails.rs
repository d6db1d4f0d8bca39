//! Emails, email templates and fragments: their content model on top of the
//! shared asset store ([`super::AssetStore`]), the approval rule of emails,
//! sent samples, and the demo data of the area.
//!
//! # Content
//!
//! An email template's content is `{"html": "<document>"}`. An email built on
//! it references it (so the template cannot be unapproved or deleted while
//! emails use it, and an email cannot be approved before its template) and
//! gets, from the template's HTML:
//!
//! - a `Text` section per element with class `mktEditable` and an `id`;
//! - a `Module` section per element with class `mktoModule` and an `id`,
//!   numbered in document order (`index`);
//! - a variable per `<meta class="mktoString|mktoColor|mktoNumber|mktoBoolean" id=… default=…>`.
//!
//! The email content is `{"sections": [...], "variables": [...],
//! "dynamic": {id: {...}}}`: sections as Get Email Content prints them,
//! variables as Get Email Variables prints them, and the dynamic content
//! sections (segmentation id and the content per segment). Header fields
//! (subject, from name, ...) and settings live in the asset's metadata.
//!
//! A fragment's content is free JSON (`data` of the v2 endpoints).

use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::{Asset, AssetKey, AssetKind, AssetStore, DEMO_TIME, FolderKind, FolderRef, State};
use crate::rest::ApiError;

/// One sample email sent through Send Sample Email.
#[derive(Clone, Debug, PartialEq)]
pub struct SentSample {
    /// Email id.
    pub email_id: i32,
    /// Recipient.
    pub email_address: String,
    /// Lead impersonated, if any.
    pub lead_id: Option<i64>,
    /// Whether only the text version was sent.
    pub text_only: bool,
    /// When it was sent.
    pub sent_at: OffsetDateTime,
}

/// The header fields an email needs before approval.
pub(crate) const HEADER_FIELDS: [&str; 4] = ["subject", "fromName", "fromEmail", "replyEmail"];

/// Extracts the value of attribute `name` from the text of one tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    let pat = format!("{name}=\"");
    let mut from = 0;
    while let Some(i) = tag[from..].find(&pat) {
        let start = from + i;
        // Only a whole attribute name (preceded by whitespace).
        if start == 0 || tag.as_bytes()[start - 1].is_ascii_whitespace() {
            let rest = &tag[start + pat.len()..];
            return rest.find('"').map(|j| rest[..j].to_owned());
        }
        from = start + pat.len();
    }
    None
}

/// The opening tags of an HTML document, in order.
fn tags(html: &str) -> impl Iterator<Item = &str> {
    html.split('<')
        .skip(1)
        .filter(|t| !t.starts_with('/') && !t.starts_with('!'))
        .filter_map(|t| t.find('>').map(|j| &t[..j]))
}

fn has_class(tag: &str, class: &str) -> bool {
    attr(tag, "class").is_some_and(|c| c.split_whitespace().any(|x| x == class))
}

/// Whether a template's HTML has at least one editable section or module.
pub(crate) fn template_is_valid(html: &str) -> bool {
    tags(html).any(|t| has_class(t, "mktEditable") || has_class(t, "mktoModule"))
}

/// The module ids a template defines, in document order.
pub(crate) fn template_modules(html: &str) -> Vec<String> {
    tags(html)
        .filter(|t| has_class(t, "mktoModule"))
        .filter_map(|t| attr(t, "id"))
        .collect()
}

/// The content of a new email built on a template's HTML.
pub(crate) fn email_content_from_template(html: &str) -> Value {
    let mut sections = Vec::new();
    let mut variables = Vec::new();
    let mut module_index = 0;
    let mut current_module: Option<String> = None;
    for t in tags(html) {
        if has_class(t, "mktoModule") {
            if let Some(id) = attr(t, "id") {
                sections.push(json!({
                    "htmlId": id,
                    "contentType": "Module",
                    "index": module_index,
                    "parentHtmlId": "template-wrapper",
                    "isLocked": false,
                }));
                module_index += 1;
                current_module = Some(id);
            }
        } else if has_class(t, "mktEditable") {
            if let Some(id) = attr(t, "id") {
                let mut s = json!({
                    "htmlId": id,
                    "value": [
                        {"type": "HTML", "value": ""},
                        {"type": "Text", "value": ""},
                    ],
                    "contentType": "Text",
                    "isLocked": false,
                });
                if let (Some(m), Some(o)) = (&current_module, s.as_object_mut()) {
                    o.insert("parentHtmlId".into(), Value::from(m.clone()));
                }
                sections.push(s);
            }
        } else if t.starts_with("meta")
            && ["mktoString", "mktoColor", "mktoNumber", "mktoBoolean"]
                .iter()
                .any(|c| has_class(t, c))
            && let Some(id) = attr(t, "id")
        {
            variables.push(json!({
                "name": id,
                "value": attr(t, "default").unwrap_or_default(),
                "moduleScope": false,
            }));
        }
    }
    json!({"sections": sections, "variables": variables, "dynamic": {}})
}

/// The approval condition of emails: the four header fields are set, and an
/// email with predictive content cannot be approved through the API.
fn email_approve_hook(_: &AssetStore, a: &Asset) -> Result<(), ApiError> {
    if a.meta.get("predictiveContent") == Some(&Value::Bool(true)) {
        return Err(predictive(a.id));
    }
    for f in HEADER_FIELDS {
        let set = a
            .meta
            .get(f)
            .and_then(|v| v.get("value"))
            .is_some_and(|v| !v.is_null() && v.as_str() != Some(""));
        if !set {
            return Err(ApiError::new(
                "709",
                format!("Cannot approve email {}: {f} is not set", a.id),
            ));
        }
    }
    Ok(())
}

/// 709 of the calls that refuse emails with predictive content.
pub(crate) fn predictive(id: i32) -> ApiError {
    ApiError::new(
        "709",
        format!("Email {id} contains predictive content, which the API does not support"),
    )
}

/// A header field value: `{"type":"Text","value":…}`.
pub(crate) fn text_header(v: &str) -> Value {
    json!({"type": "Text", "value": v})
}

impl State {
    /// Rules of the area every instance has (the email approval condition).
    pub(super) fn init_emails(&mut self) {
        self.assets
            .set_approve_hook(AssetKind::Email, email_approve_hook);
    }

    /// The area's demo data; see the emulator README ("Emails, email templates, fragments").
    pub(super) fn seed_demo_emails(&mut self) {
        let t = DEMO_TIME;
        let design = FolderRef {
            id: 20,
            kind: FolderKind::Folder,
        };
        let program = FolderRef {
            id: 1005,
            kind: FolderKind::Program,
        };
        let base = |id: i32, kind: AssetKind, name: &str, folder: FolderRef| Asset {
            id,
            kind,
            name: name.to_owned(),
            description: Some(format!("Demo {}", kind.label().to_lowercase())),
            folder,
            workspace: "Default".to_owned(),
            created_at: t,
            updated_at: t,
            meta: Map::new(),
            content: Value::Null,
            approved: None,
            has_draft: false,
            refs: Vec::new(),
            approved_refs: Vec::new(),
            version: 1,
        };
        // Templates: one approved, one draft.
        let mut tpl = base(
            7501,
            AssetKind::EmailTemplate,
            "Demo Newsletter Template",
            design,
        );
        tpl.content = json!({"html": DEMO_TEMPLATE_HTML});
        tpl.approved = Some(tpl.content.clone());
        tpl.version = 2;
        let mut draft_tpl = base(
            7502,
            AssetKind::EmailTemplate,
            "Demo Draft Template",
            design,
        );
        draft_tpl.content = json!({"html": "<html><body><div class=\"mktEditable\" id=\"main\">Draft</div></body></html>"});
        let tpl_key = AssetKey::new(AssetKind::EmailTemplate, 7501);
        let email = |id: i32, name: &str, folder: FolderRef| {
            let mut e = base(id, AssetKind::Email, name, folder);
            let mut content = email_content_from_template(DEMO_TEMPLATE_HTML);
            set_section_text(&mut content, "headline", "<h1>Welcome</h1>", "Welcome");
            e.content = content;
            e.refs = vec![tpl_key];
            for (k, v) in [
                ("subject", "Welcome to the demo"),
                ("fromName", "Demo Marketing"),
                ("fromEmail", "marketing@example.com"),
                ("replyEmail", "reply@example.com"),
            ] {
                e.meta.insert(k.into(), text_header(v));
            }
            e.meta.insert("template".into(), Value::from(7501));
            e
        };
        // 7001: approved, in the demo Email program.
        let mut approved = email(7001, "Demo Welcome Email", program);
        approved.approved = Some(approved.content.clone());
        approved.approved_refs = approved.refs.clone();
        approved.version = 2;
        // 7002: a draft in Design Studio.
        let draft = email(7002, "Demo Draft Email", design);
        // 7003: a draft with predictive content (709 on content calls and approval).
        let mut predictive = email(7003, "Demo Predictive Email", design);
        predictive
            .meta
            .insert("predictiveContent".into(), Value::Bool(true));
        // 7004: a draft no longer linked to its template (its code was edited
        // in the UI): the one email whose whole HTML can be replaced.
        let mut unlinked = email(7004, "Demo Custom HTML Email", design);
        unlinked.meta.insert("template".into(), Value::Null);
        unlinked.refs.clear();
        // 7801: an approved fragment.
        let mut fragment = base(7801, AssetKind::Fragment, "Demo Hero Fragment", design);
        fragment.meta.insert(
            "settings".into(),
            json!({"fragmentType": "email", "fragmentSubType": "html", "supportedChannels": ["email"]}),
        );
        fragment.content = json!({"html": "<div>Hero</div>"});
        fragment.approved = Some(fragment.content.clone());
        for a in [
            tpl, draft_tpl, approved, draft, predictive, unlinked, fragment,
        ] {
            self.assets.insert(a);
        }
    }
}

/// Sets the HTML and text of a `Text` section of an email content.
pub(crate) fn set_section_text(content: &mut Value, html_id: &str, html: &str, text: &str) {
    if let Some(s) = sections_mut(content)
        .iter_mut()
        .find(|s| s["htmlId"] == html_id)
    {
        s["value"] = json!([{"type": "HTML", "value": html}, {"type": "Text", "value": text}]);
        s["contentType"] = Value::from("Text");
    }
}

/// The sections of an email content, created when missing.
pub(crate) fn sections_mut(content: &mut Value) -> &mut Vec<Value> {
    if !content.is_object() {
        *content = json!({"sections": [], "variables": [], "dynamic": {}});
    }
    let o = content.as_object_mut().expect("an object");
    let s = o
        .entry("sections")
        .or_insert_with(|| Value::Array(Vec::new()));
    if !s.is_array() {
        *s = Value::Array(Vec::new());
    }
    s.as_array_mut().expect("an array")
}

/// The HTML of the demo template: two editable sections, three modules, four variables.
pub(crate) const DEMO_TEMPLATE_HTML: &str = r##"<html><head>
<meta class="mktoString" id="ctaLinkText" mktoName="CTA text" default="CALL TO ACTION">
<meta class="mktoColor" id="bgColor" mktoName="Background" default="#ffffff">
<meta class="mktoNumber" id="spacerHeight" mktoName="Spacer" default="20">
<meta class="mktoString" id="footerText" mktoName="Footer" default="Demo Inc.">
</head><body><div class="mktoContainer" id="template-wrapper">
<table class="mktoModule" id="header"><tr><td><div class="mktEditable" id="headline">Headline</div></td></tr></table>
<table class="mktoModule" id="body"><tr><td><div class="mktEditable" id="bodyText">Body</div></td></tr></table>
<table class="mktoModule" id="footer"><tr><td>Footer</td></tr></table>
</div></body></html>"##;

/// Reading the area's state (tests).
impl crate::Emulator {
    /// The samples sent by Send Sample Email, oldest first.
    pub fn email_samples(&self) -> Vec<SentSample> {
        self.shared.lock().email_samples.clone()
    }
}
