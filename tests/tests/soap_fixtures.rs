//! Every SOAP generator fixture's expected output compiles here, outside
//! `marketo-soap` (as a user's crate would use it), and round-trips its
//! example message.

#[rustfmt::skip]
#[allow(dead_code)]
#[path = "../../xtask/tests/soap/sequence_optional_arrays/expected/mod.rs"]
mod sequence_optional_arrays;
#[rustfmt::skip]
#[allow(dead_code)]
#[path = "../../xtask/tests/soap/enums/expected/mod.rs"]
mod enums;
#[rustfmt::skip]
#[allow(dead_code)]
#[path = "../../xtask/tests/soap/extension_xsi_type/expected/mod.rs"]
mod extension_xsi_type;
#[rustfmt::skip]
#[allow(dead_code)]
#[path = "../../xtask/tests/soap/nillable/expected/mod.rs"]
mod nillable;
#[rustfmt::skip]
#[allow(dead_code)]
#[path = "../../xtask/tests/soap/all_choice_attributes/expected/mod.rs"]
mod all_choice_attributes;
#[rustfmt::skip]
#[allow(dead_code)]
#[path = "../../xtask/tests/soap/header_parts/expected/mod.rs"]
mod header_parts;
#[rustfmt::skip]
#[allow(dead_code)]
#[path = "../../xtask/tests/soap/schema_prefixes/expected/mod.rs"]
mod schema_prefixes;
#[rustfmt::skip]
#[allow(dead_code)]
#[path = "../../xtask/tests/soap/list_wrappers/expected/mod.rs"]
mod list_wrappers;
#[rustfmt::skip]
#[allow(dead_code)]
#[path = "../../xtask/tests/soap/unused_types/expected/mod.rs"]
mod unused_types;

use std::fmt::Debug;

use marketo_soap::decode::FromXml;
use marketo_soap::xml::{from_str, to_string, without_nil_elements};
use yaserde::{YaDeserialize, YaSerialize};

fn example(case: &str) -> String {
    let path = format!(
        "{}/../xtask/tests/soap/{case}/example.xml",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[derive(Debug, PartialEq)]
struct Tree {
    name: (Option<String>, String),
    attributes: Vec<(Option<String>, String, String)>,
    text: String,
    children: Vec<Tree>,
}

fn tree(node: roxmltree::Node<'_, '_>) -> Tree {
    let mut attributes: Vec<_> = node
        .attributes()
        .map(|a| {
            // xsi:type values are QNames: compare the namespace they name.
            let value = match (a.name(), a.value().split_once(':')) {
                ("type", Some((prefix, local))) => format!(
                    "{{{}}}{local}",
                    node.lookup_namespace_uri(Some(prefix)).unwrap_or_default()
                ),
                _ => a.value().to_owned(),
            };
            (a.namespace().map(str::to_owned), a.name().to_owned(), value)
        })
        .collect();
    attributes.sort();
    Tree {
        name: (
            node.tag_name().namespace().map(str::to_owned),
            node.tag_name().name().to_owned(),
        ),
        attributes,
        text: node
            .children()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect::<String>()
            .trim()
            .to_owned(),
        children: node
            .children()
            .filter(|n| n.is_element())
            .map(tree)
            .collect(),
    }
}

/// Reads the case's example as `T`, writes it back, and compares the trees
/// (nil elements read as absent; a required nillable one is written back as
/// nil, an optional one is omitted: both sides are compared without them,
/// and `nillable_required_none_is_written_as_xsi_nil` checks the former).
fn round_trip<T: YaSerialize + YaDeserialize + FromXml + PartialEq + Debug>(case: &str) -> T {
    let xml = example(case);
    let value: T = from_str(&xml).unwrap_or_else(|e| panic!("{case}: {e}"));
    // The generated decoder reads what yaserde reads.
    let decoded: T = marketo_soap::decode::from_str(&xml).unwrap_or_else(|e| panic!("{case}: {e}"));
    assert_eq!(
        decoded, value,
        "{case}: generated decoder and yaserde differ"
    );
    let written = to_string(&value).unwrap();
    let expected = without_nil_elements(&xml).unwrap();
    let written_plain = without_nil_elements(&written).unwrap();
    let e = roxmltree::Document::parse(&expected).unwrap();
    let a = roxmltree::Document::parse(&written_plain).unwrap();
    assert_eq!(
        tree(e.root_element()),
        tree(a.root_element()),
        "{case}\nwritten: {written}"
    );
    let again: T = from_str(&written).unwrap();
    assert_eq!(again, value, "{case}");
    value
}

#[test]
fn sequence_optional_arrays_round_trips() {
    let order: sequence_optional_arrays::types::SendOrder = round_trip("sequence_optional_arrays");
    assert_eq!(order.order_id, 9_000_000_001_i64);
    assert_eq!(order.line.len(), 2);
    assert_eq!(order.tag, ["gift", "fragile"]);
    assert_eq!(order.ratio, None);
    assert_eq!(order.total, "19.90");
    assert_eq!(
        order.placed_at.get(),
        time::macros::datetime!(2024-05-01 08:30:00 +02:00)
    );
    assert_eq!(sequence_optional_arrays::NAMESPACE, "urn:example:fixtures");
}

#[test]
fn enums_round_trip_and_keep_unknown_values() {
    use enums::types::{Colour, SetColourSize};
    let v: enums::types::SetColour = round_trip("enums");
    assert_eq!(v.colour, Colour::SkyBlue);
    assert_eq!(v.history, [Colour::Red, Colour::Type]);
    assert_eq!(v.size, SetColourSize::V2xl);
    assert_eq!(v.code, "AB12");
    assert_eq!(
        "x-large".parse::<SetColourSize>(),
        Ok(SetColourSize::XLarge)
    );
    // A value the spec does not list is kept, and written back as read.
    let newer = example("enums").replace("Sky Blue", "Purple");
    let v: enums::types::SetColour = from_str(&newer).expect("an unknown value decodes");
    assert_eq!(v.colour, Colour::Unknown("Purple".to_owned()));
    assert_eq!(v.colour.as_str(), "Purple");
    assert!(to_string(&v).unwrap().contains("<colour>Purple</colour>"));
}

#[test]
fn extension_is_sent_with_xsi_type() {
    use extension_xsi_type::types::{PetFilter, Shape};
    let v: extension_xsi_type::types::FindPets = round_trip("extension_xsi_type");
    match &v.filter {
        PetFilter::ByAge(a) => {
            assert_eq!(a.min_age, 2);
            assert_eq!(a.limit, Some(10));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(&v.also[0], PetFilter::ByName(n) if n.name == "Rex"));
    assert!(matches!(&v.shape, Some(Shape::Square(s)) if s.sides == 4));
    let untyped = example("extension_xsi_type").replace(" xsi:type=\"tns:ByAge\"", "");
    let err = from_str::<extension_xsi_type::types::FindPets>(&untyped)
        .unwrap_err()
        .to_string();
    assert!(err.contains("needs xsi:type"), "{err}");
}

#[test]
fn nillable_elements_read_as_none() {
    let v: nillable::types::UpdateContact = round_trip("nillable");
    assert_eq!(v.id, 5);
    assert_eq!(v.phone, None);
    assert_eq!(v.age, None);
    assert_eq!(v.since, None);
    assert_eq!(v.kind, None);
    assert_eq!(v.address.map(|a| a.city).as_deref(), Some("Oslo"));
    assert_eq!(v.score, Some(7));
    assert_eq!(v.home, None);
    assert_eq!(v.status, Some(nillable::types::Kind::Company));
    assert_eq!(
        v.born.map(|b| b.get()),
        Some(time::macros::datetime!(2024-05-01 08:30:00 +02:00))
    );
    assert_eq!(v.tags, None);
    assert_eq!(
        v.labels.as_deref(),
        Some(&["a".to_owned(), "b".to_owned()][..])
    );
}

/// The child elements of `xml`'s root: (name, `xsi:nil` value, text).
fn children(xml: &str) -> Vec<(String, Option<String>, String)> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let xsi = "http://www.w3.org/2001/XMLSchema-instance";
    doc.root_element()
        .children()
        .filter(|n| n.is_element())
        .map(|n| {
            (
                n.tag_name().name().to_owned(),
                n.attribute((xsi, "nil")).map(str::to_owned),
                n.text().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn nillable_required_none_is_written_as_xsi_nil() {
    use nillable::types::{Address, Kind, UpdateContact};
    // Unset: every required nillable element is sent, as xsi:nil, in
    // sequence order; unset optional ones are omitted.
    let written = to_string(&UpdateContact::new(5)).unwrap();
    let nil = Some("true".to_owned());
    let empty = String::new();
    assert_eq!(
        children(&written),
        [
            ("id".to_owned(), None, "5".to_owned()),
            ("phone".to_owned(), nil.clone(), empty.clone()),
            ("score".to_owned(), nil.clone(), empty.clone()),
            ("home".to_owned(), nil.clone(), empty.clone()),
            ("status".to_owned(), nil.clone(), empty.clone()),
            ("born".to_owned(), nil.clone(), empty.clone()),
            ("tags".to_owned(), nil.clone(), empty.clone()),
            ("labels".to_owned(), nil.clone(), empty.clone()),
        ],
        "{written}"
    );
    // Set: the values, no xsi:nil.
    let set = UpdateContact::new(5)
        .phone("+47 1")
        .score(3)
        .home(Address::new("Bergen"))
        .status(Kind::Person)
        .born(time::macros::datetime!(2024-01-02 03:04:05 UTC))
        .tags(vec!["x".to_owned()])
        .labels(Vec::new());
    let written = to_string(&set).unwrap();
    let names: Vec<(String, Option<String>)> = children(&written)
        .into_iter()
        .map(|(name, nil, _)| (name, nil))
        .collect();
    assert!(names.iter().all(|(_, nil)| nil.is_none()), "{written}");
    assert_eq!(names.len(), 8, "{written}");
    assert!(written.contains("<phone>+47 1</phone><score>3</score><home><city>Bergen</city></home><status>PERSON</status><born>2024-01-02T03:04:05Z</born><tags><item>x</item></tags><labels"), "{written}");
    // Both read back as written.
    assert_eq!(from_str::<UpdateContact>(&written).unwrap(), set);
    // A value that is not of the element's type is an error, not a panic.
    let bad = example("nillable").replace("<score>7</score>", "<score>seven</score>");
    let err = from_str::<UpdateContact>(&bad).unwrap_err().to_string();
    assert!(err.contains("seven"), "{err}");
    let unset = to_string(&UpdateContact::new(5)).unwrap();
    assert_eq!(
        from_str::<UpdateContact>(&unset).unwrap(),
        UpdateContact::new(5)
    );
}

#[test]
fn all_choice_and_attributes_round_trip() {
    let v: all_choice_attributes::types::PayItem = round_trip("all_choice_attributes");
    assert_eq!(v.item.id, 42);
    assert_eq!(v.item.lang.as_deref(), Some("en"));
    assert_eq!(v.payment.card, None);
    assert!(v.payment.iban.is_some());
    assert_eq!(v.email, None);
    assert_eq!(v.phone.as_deref(), Some("+47 555 0100"));
}

#[test]
fn header_parts_are_bound_to_the_operation() {
    let v: header_parts::types::Ping = round_trip("header_parts");
    assert_eq!(v.message, "hello");
    assert_eq!(
        header_parts::operations::PING.headers,
        ["AuthenticationHeader", "MktowsContextHeader"]
    );
    assert_eq!(header_parts::operations::PING.response_element, "replyDone");
    // `input.annotations.yaml` beside the case's WSDL marks `ping`
    // idempotent; the enums case has no annotation file.
    let flags: Vec<bool> = [
        &header_parts::operations::PING,
        &enums::operations::SET_COLOUR,
    ]
    .iter()
    .map(|op| op.idempotent)
    .collect();
    assert_eq!(flags, [true, false]);
}

#[test]
fn any_schema_prefix_is_read() {
    let v: schema_prefixes::types::LookUp = round_trip("schema_prefixes");
    assert_eq!(v.within, Some(schema_prefixes::types::Scope::Mine));
}

#[test]
fn list_wrappers_read_as_vecs_and_stay_on_the_wire() {
    use list_wrappers::types::{ArrayOfGroup, Item, PutCart};
    let v: PutCart = round_trip("list_wrappers");
    assert_eq!(v.id, 7);
    assert_eq!(v.items.len(), 2);
    assert_eq!(v.items[0].sku, "A-1");
    assert_eq!(
        v.items[0].tags.as_deref(),
        Some(&["red".to_owned(), "new".to_owned()][..])
    );
    assert_eq!(v.items[1].tags, None);
    assert_eq!(v.notes, Some(vec!["gift".to_owned()]));
    // A wrapper of wrappers stays a wrapper (of `ArrayOfString`s).
    let groups = v.groups.as_ref().expect("groups");
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0][..], ["x".to_owned()]);
    assert!(groups[1].is_empty());
    // Built in code, it writes the same XML as the example.
    let built = PutCart::new(
        7,
        [
            Item::new("A-1").tags(["red", "new"].map(String::from)),
            Item::new("B-7"),
        ],
    )
    .notes(["gift".to_owned()])
    .groups(ArrayOfGroup::from([
        ["x".to_owned()].into(),
        Vec::new().into(),
    ]));
    assert_eq!(built, v);
    assert_eq!(
        to_string(&built).unwrap(),
        to_string(&v).unwrap(),
        "the wire keeps <items><item>…</item></items>"
    );
}

#[test]
fn every_fixture_folder_is_compiled_here() {
    let root = format!("{}/../xtask/tests/soap", env!("CARGO_MANIFEST_DIR"));
    let this = include_str!("soap_fixtures.rs");
    let mut cases: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("input.wsdl").is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= 7, "{cases:?}");
    for case in cases {
        let include = format!("#[path = \"../../xtask/tests/soap/{case}/expected/mod.rs\"]");
        assert!(
            this.contains(&include),
            "fixture {case} is not compiled by this test: add a `mod {case}` with {include}"
        );
        let test = format!("round_trip(\"{case}\")");
        assert!(
            this.contains(&test),
            "fixture {case}'s example.xml is not round-tripped here"
        );
    }
}

#[test]
fn types_no_operation_uses_compile_and_round_trip() {
    use unused_types::types::{ArchiveNotice, Circle, Drawing, Note, Reason};
    let v: ArchiveNotice = round_trip("unused_types");
    assert_eq!(v.id, 9);
    assert_eq!(v.reason, Some(Reason::Merged));
    assert_eq!(v.note, [Note::new("dup of 8"), Note::new("checked")]);
    // The unused subtype is written with its xsi:type.
    let drawing = Drawing::new().shape(vec![Circle::new("c", 1.5).into()]);
    let written = to_string(&drawing).unwrap();
    assert!(written.contains(r#"xsi:type="ns1:Circle""#), "{written}");
    assert_eq!(from_str::<Drawing>(&written).unwrap(), drawing);
}
