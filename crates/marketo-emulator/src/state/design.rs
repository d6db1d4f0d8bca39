//! Demo data of area F (landing pages, templates, redirect rules, forms),
//! stored in the shared asset model. The README's "Landing pages and forms"
//! section lists it.

use serde_json::{Map, Value, json};

use super::{Asset, AssetKey, AssetKind, DEMO_TIME, FolderKind, FolderRef, State};
use crate::rest::design::forms::default_fields;
use crate::rest::design::landing_pages::{LP_HOST, template_parts};

/// HTML of the demo guided template: three variables, a rich text area and a form area.
pub(crate) const GUIDED_HTML: &str = "<!DOCTYPE html>\n<html>\n<head>\n\
<meta class=\"mktoString\" id=\"stringVar\" mktoName=\"My String Variable\" default=\"Hello World!\">\n\
<meta class=\"mktoColor\" id=\"colorVar\" mktoName=\"My Color Variable\" default=\"#FFFFFF\">\n\
<meta class=\"mktoBoolean\" id=\"boolVar\" mktoName=\"My Boolean Variable\" default=\"true\">\n\
</head>\n<body>\n<h1>${stringVar}</h1>\n\
<div class=\"mktoText\" id=\"exampleText\" mktoName=\"Main text\">Example text</div>\n\
<div class=\"mktoForm\" id=\"formArea\" mktoName=\"Form\"></div>\n</body>\n</html>\n";

/// HTML of the demo free-form templates.
pub(crate) const FREE_FORM_HTML: &str = "<!DOCTYPE html>\n<html>\n<head></head>\n<body>\n<div id=\"mktoContent\"></div>\n</body>\n</html>\n";

fn folder(id: i32) -> FolderRef {
    FolderRef {
        id,
        kind: FolderKind::Folder,
    }
}

fn demo(kind: AssetKind, id: i32, name: &str, parent: FolderRef) -> Asset {
    Asset {
        id,
        kind,
        name: name.to_owned(),
        description: Some(format!("Demo {}", kind.label().to_lowercase())),
        folder: parent,
        workspace: "Default".to_owned(),
        created_at: DEMO_TIME,
        updated_at: DEMO_TIME,
        meta: Map::new(),
        content: Value::Null,
        approved: None,
        has_draft: false,
        refs: Vec::new(),
        approved_refs: Vec::new(),
        version: 1,
    }
}

fn approve(mut a: Asset) -> Asset {
    a.approved = Some(a.content.clone());
    a.approved_refs = a.refs.clone();
    a.version = 2;
    a
}

fn meta(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn template(id: i32, name: &str, ty: &str, html: &str) -> Asset {
    let mut t = demo(AssetKind::LandingPageTemplate, id, name, folder(21));
    t.meta = meta(&[
        ("templateType", json!(ty)),
        ("enableMunchkin", json!(false)),
    ]);
    t.content = json!({"html": html});
    t
}

fn page(id: i32, name: &str, tpl: i32, html: &str) -> Asset {
    let mut p = demo(AssetKind::LandingPage, id, name, folder(21));
    let slug = name.replace(' ', "-");
    p.meta = meta(&[
        ("template", json!(tpl)),
        ("title", json!(name)),
        ("robots", json!("index, nofollow")),
        ("formPrefill", json!(false)),
        ("mobileEnabled", json!(false)),
        (
            "URL",
            json!(format!("https://{LP_HOST}/lp/123-ABC-456/{slug}.html")),
        ),
        (
            "computedUrl",
            json!(format!("https://app-emulator.marketo.invalid/#LP{id}A1")),
        ),
    ]);
    let (sections, variables) = template_parts(html);
    p.content = json!({"sections": sections, "variables": variables, "dynamic": {}});
    p.refs = vec![AssetKey::new(AssetKind::LandingPageTemplate, tpl)];
    p
}

fn form(id: i32, name: &str, parent: FolderRef) -> Asset {
    let mut f = demo(AssetKind::Form, id, name, parent);
    f.meta = meta(&[
        ("theme", json!("simple")),
        ("language", json!("English")),
        ("locale", json!("en_US")),
        ("progressiveProfiling", json!(false)),
        ("labelPosition", json!("left")),
        ("fontFamily", json!("Helvetica")),
        ("fontSize", json!("13px")),
        ("knownVisitor", json!({"type": "form", "template": null})),
        (
            "thankYouList",
            json!([{"followupType": "none", "followupValue": null, "default": true}]),
        ),
        ("buttonLocation", json!(120)),
        ("buttonStyle", json!("simple")),
        ("buttonLabel", json!("Submit")),
        ("waitingLabel", json!("Please Wait")),
    ]);
    f.content = default_fields();
    f
}

impl State {
    /// Landing page templates, landing pages, forms, a redirect rule and a
    /// segmentation for dynamic content.
    pub(crate) fn seed_demo_design(&mut self) {
        self.assets.insert(approve(template(
            8801,
            "Demo Guided Template",
            "guided",
            GUIDED_HTML,
        )));
        self.assets.insert(approve(template(
            8802,
            "Demo Free-form Template",
            "freeForm",
            FREE_FORM_HTML,
        )));
        self.assets.insert(template(
            8803,
            "Demo Draft Template",
            "freeForm",
            FREE_FORM_HTML,
        ));
        self.assets
            .insert(approve(form(9001, "Demo Contact Form", folder(21))));
        self.assets.insert(form(
            9002,
            "Demo Event Form",
            FolderRef {
                id: 1001,
                kind: FolderKind::Program,
            },
        ));
        // The guided page shows the contact form in its form area.
        let mut guided = page(8501, "Demo Guided Page", 8801, GUIDED_HTML);
        if let Some(s) = guided.content["sections"]
            .as_array_mut()
            .and_then(|a| a.iter_mut().find(|s| s["id"] == "formArea"))
        {
            s["content"] = json!({"content": "9001", "contentType": "Form",
                "contentUrl": "https://app-emulator.marketo.invalid/#FO9001A1"});
        }
        if let Some(s) = guided.content["sections"]
            .as_array_mut()
            .and_then(|a| a.iter_mut().find(|s| s["id"] == "exampleText"))
        {
            s["content"] = json!("<div>This is an example editable text area.</div>");
        }
        guided.refs.push(AssetKey::new(AssetKind::Form, 9001));
        self.assets.insert(approve(guided));
        let mut free = page(8502, "Demo Free-form Page", 8802, FREE_FORM_HTML);
        free.content["sections"] = json!([{
            "id": "1001", "type": "HTML", "index": 1, "content": "<p>Welcome</p>",
            "formattingOptions": {"zIndex": 15, "left": "10px", "top": "10px"},
        }]);
        self.assets.insert(free);
        let mut rule = demo(
            AssetKind::RedirectRule,
            8901,
            "lp.example.com /old-offer",
            folder(21),
        );
        rule.meta = meta(&[
            ("hostname", json!(LP_HOST)),
            (
                "redirectFrom",
                json!({"type": "path", "value": "/old-offer"}),
            ),
            (
                "redirectFromUrl",
                json!(format!("https://{LP_HOST}/old-offer")),
            ),
            (
                "redirectTo",
                json!({"type": "landingPageId", "value": 8501}),
            ),
            (
                "redirectToUrl",
                json!(format!("https://{LP_HOST}/Demo-Guided-Page.html")),
            ),
        ]);
        rule.refs = vec![AssetKey::new(AssetKind::LandingPage, 8501)];
        self.assets.insert(rule);
        let mut seg = demo(
            AssetKind::Segmentation,
            11051,
            "Demo Page Segmentation",
            folder(21),
        );
        seg.content = json!({"segments": [
            {"id": 1101, "name": "Customers"},
            {"id": 1102, "name": "Prospects"},
        ]});
        self.assets.insert(approve(seg));
    }
}
