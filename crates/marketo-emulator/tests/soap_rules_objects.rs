//! SOAP rules of the activity and object pages (getLeadActivity, getLeadChanges,
//! listMObjects, describeMObject, getMObjects, syncMObjects, deleteMObjects,
//! syncCustomObjects, getCustomObjects, deleteCustomObjects, getChannels, getTags).

use marketo_emulator::{Emulator, Limits};

mod soap_common;
use soap_common::*;

fn lead_activity(lead: i64, inner: &str) -> String {
    format!(
        "<ns1:paramsGetLeadActivity><leadKey><keyType>IDNUM</keyType><keyValue>{lead}</keyValue></leadKey>{inner}</ns1:paramsGetLeadActivity>"
    )
}

fn types(tag: &str, names: &[&str]) -> String {
    let items: String = names
        .iter()
        .map(|n| format!("<activityType>{n}</activityType>"))
        .collect();
    format!("<{tag}>{items}</{tag}>")
}

fn filter(include: &[&str], exclude: &[&str]) -> String {
    let mut f = String::from("<activityFilter>");
    if !include.is_empty() {
        f.push_str(&types("includeTypes", include));
    }
    if !exclude.is_empty() {
        f.push_str(&types("excludeTypes", exclude));
    }
    f + "</activityFilter>"
}

/// 150 "Change Data Value" activities of lead 3004, from one syncMultipleLeads call.
async fn many_changes(emu: &Emulator) {
    let records: String = (0..150)
        .map(|i| format!("<leadRecord><Id>3004</Id><leadAttributeList><attribute><attrName>FirstName</attrName><attrValue>E{i}</attrValue></attribute></leadAttributeList></leadRecord>"))
        .collect();
    ok(emu, &format!("<ns1:paramsSyncMultipleLeads><leadRecordList>{records}</leadRecordList></ns1:paramsSyncMultipleLeads>")).await;
}

#[tokio::test]
async fn get_lead_activity_page() {
    let emu = Emulator::start().await.expect("start");
    // Both includeTypes and excludeTypes: refused.
    let both = filter(&["NewLead"], &["VisitWebpage"]);
    assert_eq!(fault(&emu, &lead_activity(3001, &both)).await, "20110");
    // A value that is not an activity type of the WSDL: 20107 "Activity Key Bad".
    let bad = filter(&["NoSuchActivity"], &[]);
    assert_eq!(fault(&emu, &lead_activity(3001, &bad)).await, "20107");
    let bad = filter(&[], &["NoSuchActivity"]);
    assert_eq!(fault(&emu, &lead_activity(3001, &bad)).await, "20107");
    // Include only, exclude only, none.
    let all = ok(&emu, &lead_activity(3001, "")).await;
    let all_types = texts(&all, "activityType");
    assert!(all_types.len() >= 2, "{all}");
    let only = ok(&emu, &lead_activity(3001, &filter(&["NewLead"], &[]))).await;
    assert_eq!(texts(&only, "activityType"), vec!["New Lead"]);
    let without = ok(&emu, &lead_activity(3001, &filter(&[], &["NewLead"]))).await;
    let rest = texts(&without, "activityType");
    assert_eq!(rest.len(), all_types.len() - 1);
    assert!(!rest.contains(&"New Lead".to_owned()));
    // A blank filter is every type.
    let blank = ok(&emu, &lead_activity(3001, "<activityFilter/>")).await;
    assert_eq!(texts(&blank, "activityType"), all_types);
    // batchSize: at most 100 whatever is asked; a stream position pages on.
    many_changes(&emu).await;
    let xml = ok(&emu, &lead_activity(3004, "<batchSize>500</batchSize>")).await;
    assert_eq!(child_text(&xml, "returnCount").as_deref(), Some("100"));
    let remaining: usize = child_text(&xml, "remainingCount").unwrap().parse().unwrap();
    assert!(remaining > 0);
    let offset = child_text(&xml, "offset").unwrap();
    let next = format!(
        "<startPosition><offset>{offset}</offset></startPosition><batchSize>500</batchSize>"
    );
    let xml = ok(&emu, &lead_activity(3004, &next)).await;
    assert_eq!(child_text(&xml, "returnCount"), Some(remaining.to_string()));
    assert_eq!(child_text(&xml, "remainingCount").as_deref(), Some("0"));
    // A bad offset 20122; a bad batchSize 20110; the lead key rules of getLead.
    let bad = "<startPosition><offset>garbage!</offset></startPosition>";
    assert_eq!(fault(&emu, &lead_activity(3004, bad)).await, "20122");
    assert_eq!(
        fault(&emu, &lead_activity(3004, "<batchSize>0</batchSize>")).await,
        "20110"
    );
    assert_eq!(fault(&emu, &lead_activity(999_999, "")).await, "20103");
    assert_eq!(fault(&emu, "<ns1:paramsGetLeadActivity/>").await, "20101");
}

fn changes(start: &str, inner: &str) -> String {
    format!(
        "<ns1:paramsGetLeadChanges><startPosition>{start}</startPosition>{inner}</ns1:paramsGetLeadChanges>"
    )
}

const SINCE_2000: &str = "<oldestCreatedAt>2000-01-01T00:00:00Z</oldestCreatedAt>";

#[tokio::test]
async fn get_lead_changes_page() {
    let emu = Emulator::builder()
        .limits(Limits::unlimited())
        .start()
        .await
        .expect("start");
    // startPosition is required.
    assert_eq!(fault(&emu, "<ns1:paramsGetLeadChanges/>").await, "20109");
    // Both include and exclude: refused; a bad type: 20107.
    let both = filter(&["NewLead"], &["VisitWebpage"]);
    assert_eq!(fault(&emu, &changes(SINCE_2000, &both)).await, "20110");
    assert_eq!(
        fault(&emu, &changes(SINCE_2000, &filter(&["Nope"], &[]))).await,
        "20107"
    );
    // activityNameFilter selects by name.
    let names = "<activityNameFilter><stringItem>New Lead</stringItem></activityNameFilter>";
    let xml = ok(&emu, &changes(SINCE_2000, names)).await;
    let got = texts(&xml, "activityType");
    assert_eq!(got.len(), 5, "{xml}");
    assert!(got.iter().all(|t| t == "New Lead"));
    // LeadKeySelector: more than 100 keys is a bad parameter.
    let keys = |n: usize| -> String {
        let items: String = (0..n)
            .map(|i| format!("<stringItem>{}</stringItem>", 3001 + i % 5))
            .collect();
        format!(
            r#"<leadSelector xsi:type="ns1:LeadKeySelector"><keyType>IDNUM</keyType><keyValues>{items}</keyValues></leadSelector>"#
        )
    };
    assert_eq!(fault(&emu, &changes(SINCE_2000, &keys(101))).await, "20110");
    let xml = ok(&emu, &changes(SINCE_2000, &keys(100))).await;
    let people = texts(&xml, "mktPersonId");
    assert!(!people.is_empty());
    // StaticListSelector: the list's members only.
    let list = r#"<leadSelector xsi:type="ns1:StaticListSelector"><staticListName>Demo Static List</staticListName></leadSelector>"#;
    let xml = ok(&emu, &changes(SINCE_2000, list)).await;
    let people = texts(&xml, "mktPersonId");
    assert!(
        people
            .iter()
            .all(|p| ["3001", "3002", "3003"].contains(&p.as_str())),
        "{people:?}"
    );
    // LastUpdateAtSelector: bounds the dates like oldestCreatedAt/latestCreatedAt; more than
    // 30 days apart → 20022.
    let window = |oldest: &str, latest: &str| {
        format!(
            r#"<leadSelector xsi:type="ns1:LastUpdateAtSelector"><latestUpdatedAt>{latest}</latestUpdatedAt><oldestUpdatedAt>{oldest}</oldestUpdatedAt></leadSelector>"#
        )
    };
    let wide = window("2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z");
    assert_eq!(fault(&emu, &changes(SINCE_2000, &wide)).await, "20022");
    let before_demo = window("2023-12-01T00:00:00Z", "2023-12-20T00:00:00Z");
    let xml = ok(&emu, &changes(SINCE_2000, &before_demo)).await;
    assert_eq!(child_text(&xml, "returnCount").as_deref(), Some("0"));
    let demo = window("2024-01-10T00:00:00Z", "2024-01-20T00:00:00Z");
    let xml = ok(&emu, &changes(SINCE_2000, &demo)).await;
    assert_ne!(child_text(&xml, "returnCount").as_deref(), Some("0"));
    // batchSize: at most 1000.
    for _ in 0..7 {
        many_changes(&emu).await;
    }
    let xml = ok(&emu, &changes(SINCE_2000, "<batchSize>5000</batchSize>")).await;
    assert_eq!(child_text(&xml, "returnCount").as_deref(), Some("1000"));
    // A bad offset: 20122.
    let bad = changes("<offset>garbage!</offset>", "");
    assert_eq!(fault(&emu, &bad).await, "20122");
}

#[tokio::test]
async fn list_and_describe_mobject_pages() {
    let emu = Emulator::start().await.expect("start");
    let xml = ok(&emu, "<ns1:paramsListMObjects/>").await;
    let objects = texts(&xml, "objects");
    for o in [
        "ActivityRecord",
        "LeadRecord",
        "Opportunity",
        "OpportunityPersonRole",
    ] {
        assert!(objects.contains(&o.to_owned()), "{objects:?}");
        let body = format!(
            "<ns1:paramsDescribeMObject><objectName>{o}</objectName></ns1:paramsDescribeMObject>"
        );
        let xml = ok(&emu, &body).await;
        assert_eq!(texts(&xml, "name")[0], o);
        let virtual_ = child_text(&xml, "isVirtual").unwrap();
        assert_eq!(virtual_ == "true", o == "ActivityRecord", "{o}");
    }
    let bad =
        "<ns1:paramsDescribeMObject><objectName>Spaceship</objectName></ns1:paramsDescribeMObject>";
    assert_eq!(fault(&emu, bad).await, "20110");
    assert_eq!(fault(&emu, "<ns1:paramsDescribeMObject/>").await, "20109");
}

/// Marketo's published schema (`MObjFieldMetadata` of the 2_3 WSDL) requires
/// every member of a field's metadata, in sequence order; `description`,
/// `size` and `dynamicFieldRef` are nillable and answered as `xsi:nil`.
#[tokio::test]
async fn describe_mobject_fields_follow_marketos_schema_sequence() {
    const SEQUENCE: [&str; 14] = [
        "name",
        "description",
        "displayName",
        "sourceObject",
        "dataType",
        "size",
        "isReadonly",
        "isUpdateBlocked",
        "isName",
        "isPrimaryKey",
        "isCustom",
        "isDynamic",
        "dynamicFieldRef",
        "updatedAt",
    ];
    let emu = Emulator::start().await.expect("start");
    let body = "<ns1:paramsDescribeMObject><objectName>Opportunity</objectName></ns1:paramsDescribeMObject>";
    let xml = ok(&emu, body).await;
    let doc = roxmltree::Document::parse(&xml).expect("xml");
    let fields: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("field"))
        .collect();
    assert!(!fields.is_empty(), "{xml}");
    for field in fields {
        let names: Vec<&str> = field
            .children()
            .filter(|n| n.is_element())
            .map(|n| n.tag_name().name())
            .collect();
        assert_eq!(names, SEQUENCE, "{xml}");
        for nil in ["description", "size", "dynamicFieldRef"] {
            let e = field.children().find(|n| n.has_tag_name(nil)).unwrap();
            assert_eq!(
                e.attribute(("http://www.w3.org/2001/XMLSchema-instance", "nil")),
                Some("true"),
                "{nil}"
            );
        }
    }
}

fn get_mobjects(ty: &str, inner: &str) -> String {
    format!("<ns1:paramsGetMObjects><type>{ty}</type>{inner}</ns1:paramsGetMObjects>")
}

fn criterion(name: &str, op: &str, value: &str) -> String {
    format!(
        "<mObjCriteria><attrName>{name}</attrName><attrValue>{value}</attrValue><comparison>{op}</comparison></mObjCriteria>"
    )
}

#[tokio::test]
async fn get_mobjects_page() {
    let emu = Emulator::start().await.expect("start");
    // type: Opportunity, OpportunityPersonRole or Program.
    for ty in ["Opportunity", "OpportunityPersonRole", "Program"] {
        ok(&emu, &get_mobjects(ty, "")).await;
    }
    assert_eq!(fault(&emu, &get_mobjects("LeadRecord", "")).await, "20110");
    assert_eq!(fault(&emu, "<ns1:paramsGetMObjects/>").await, "20109");
    // id, and criteria with EQ, NE, LT, LE, GT, GE.
    let xml = ok(&emu, &get_mobjects("Opportunity", "<id>6001</id>")).await;
    assert_eq!(child_text(&xml, "returnCount").as_deref(), Some("1"));
    let eq = format!(
        "<mObjCriteriaList>{}</mObjCriteriaList>",
        criterion("Name", "EQ", "Demo Opportunity")
    );
    let xml = ok(&emu, &get_mobjects("Opportunity", &eq)).await;
    assert_eq!(texts(&xml, "id"), vec!["6001"]);
    let ne = format!(
        "<mObjCriteriaList>{}</mObjCriteriaList>",
        criterion("Name", "NE", "Demo Opportunity")
    );
    let xml = ok(&emu, &get_mobjects("Opportunity", &ne)).await;
    assert!(!texts(&xml, "id").contains(&"6001".to_owned()));
    let like = format!(
        "<mObjCriteriaList>{}</mObjCriteriaList>",
        criterion("Name", "LIKE", "Demo")
    );
    assert_eq!(
        fault(&emu, &get_mobjects("Opportunity", &like)).await,
        "20110"
    );
    // "Tag Type (only one can be specified)".
    let two = format!(
        "<mObjCriteriaList>{}{}</mObjCriteriaList>",
        criterion("Tag Type", "EQ", "Region"),
        criterion("Tag Type", "EQ", "Product Line")
    );
    assert_eq!(fault(&emu, &get_mobjects("Program", &two)).await, "20110");
    let bad = get_mobjects("Program", "<streamPosition>garbage!</streamPosition>");
    assert_eq!(fault(&emu, &bad).await, "20122");
}

fn sync_mobjects(op: &str, objects: &str) -> String {
    format!(
        "<ns1:paramsSyncMObjects><mObjectList>{objects}</mObjectList><operation>{op}</operation></ns1:paramsSyncMObjects>"
    )
}

fn program_update(id: i32, attr_type: &str, attrs: &[(&str, &str)]) -> String {
    let list: String = attrs
        .iter()
        .map(|(n, v)| format!("<attrib><name>{n}</name><value>{v}</value></attrib>"))
        .collect();
    format!(
        "<mObject><type>Program</type><id>{id}</id><typeAttribList><typeAttrib><attrType>{attr_type}</attrType><attrList>{list}</attrList></typeAttrib></typeAttribList></mObject>"
    )
}

#[tokio::test]
async fn sync_and_delete_mobjects_pages() {
    let emu = Emulator::start().await.expect("start");
    let program = emu.program_by_name("Demo Default Program").unwrap();
    let cost = program_update(
        program.id,
        "Cost",
        &[("Month", "2013-06"), ("Amount", "2000"), ("Note", "Ads")],
    );
    // Program: UPDATE only.
    for op in ["INSERT", "UPSERT"] {
        let xml = ok(&emu, &sync_mobjects(op, &cost)).await;
        assert_eq!(texts(&xml, "status"), vec!["FAILED"], "{op}");
    }
    let xml = ok(&emu, &sync_mobjects("UPDATE", &cost)).await;
    assert_eq!(texts(&xml, "status"), vec!["UPDATED"]);
    let costs = emu.program(program.id).unwrap().costs;
    let added = costs.last().unwrap();
    assert_eq!(
        (added.start_date.as_str(), added.cost),
        ("2013-06-01", 2000)
    );
    assert_eq!(added.note.as_deref(), Some("Ads"));
    // Cost needs Month and Amount; Tag needs an existing Type and Value.
    let failing = [
        program_update(program.id, "Cost", &[("Month", "2013-06")]),
        program_update(program.id, "Cost", &[("Amount", "5")]),
        program_update(program.id, "Cost", &[("Month", "June"), ("Amount", "5")]),
        program_update(program.id, "Tag", &[("Type", "Region")]),
        program_update(program.id, "Tag", &[("Type", "Region"), ("Value", "Mars")]),
        program_update(program.id, "Tag", &[("Type", "Galaxy"), ("Value", "EMEA")]),
        program_update(program.id, "Colour", &[("Value", "red")]),
        program_update(999_999, "Cost", &[("Month", "2013-06"), ("Amount", "5")]),
    ]
    .concat();
    let xml = ok(&emu, &sync_mobjects("UPDATE", &failing)).await;
    assert_eq!(texts(&xml, "status"), vec!["FAILED"; 8]);
    assert_eq!(emu.program(program.id).unwrap().costs.len(), costs.len());
    let tag = program_update(program.id, "Tag", &[("Type", "Region"), ("Value", "EMEA")]);
    let xml = ok(&emu, &sync_mobjects("UPDATE", &tag)).await;
    assert_eq!(texts(&xml, "status"), vec!["UPDATED"]);
    let tags = emu.program(program.id).unwrap().tags;
    assert!(
        tags.iter()
            .any(|t| t.tag_type == "Region" && t.tag_value == "EMEA")
    );
    // The channel is set with Tag Type "Channel" (an existing channel only).
    let channel = program_update(
        program.id,
        "Tag",
        &[("Type", "Channel"), ("Value", "Webinar")],
    );
    let xml = ok(&emu, &sync_mobjects("UPDATE", &channel)).await;
    assert_eq!(texts(&xml, "status"), vec!["UPDATED"]);
    assert_eq!(emu.program(program.id).unwrap().channel, "Webinar");
    let unknown = program_update(
        program.id,
        "Tag",
        &[("Type", "Channel"), ("Value", "Carrier Pigeon")],
    );
    let xml = ok(&emu, &sync_mobjects("UPDATE", &unknown)).await;
    assert_eq!(texts(&xml, "status"), vec!["FAILED"]);
    assert_eq!(emu.program(program.id).unwrap().channel, "Webinar");
    // OpportunityPersonRole needs OpportunityId and PersonId.
    let role = |attrs: &str| {
        format!(
            "<mObject><type>OpportunityPersonRole</type><attribList>{attrs}</attribList></mObject>"
        )
    };
    let a = |n: &str, v: &str| format!("<attrib><name>{n}</name><value>{v}</value></attrib>");
    let roles = [
        role(&a("OpportunityId", "6001")),
        role(&[a("OpportunityId", "6001"), a("PersonId", "3001")].concat()),
    ]
    .concat();
    let xml = ok(&emu, &sync_mobjects("INSERT", &roles)).await;
    assert_eq!(texts(&xml, "status"), vec!["FAILED", "CREATED"]);
    // At most 100 MObjects per call.
    let many = role(&a("Role", "x")).repeat(101);
    assert_eq!(fault(&emu, &sync_mobjects("INSERT", &many)).await, "20110");
    // deleteMObjects: Opportunity or OpportunityPersonRole only.
    let del = |ty: &str, id: i32| {
        format!(
            "<ns1:paramsDeleteMObjects><mObjectList><mObject><type>{ty}</type><id>{id}</id></mObject></mObjectList></ns1:paramsDeleteMObjects>"
        )
    };
    let xml = ok(&emu, &del("Program", program.id)).await;
    assert_eq!(texts(&xml, "status"), vec!["FAILED"]);
    assert!(emu.program(program.id).is_some());
    let xml = ok(&emu, &del("Opportunity", 6001)).await;
    assert_eq!(texts(&xml, "status"), vec!["DELETED"]);
    let xml = ok(&emu, &del("Opportunity", 6001)).await;
    assert_eq!(texts(&xml, "status"), vec!["FAILED"]);
}

fn custom(key: &str, attrs: &str) -> String {
    format!(
        "<customObj><customObjKeyList><attribute><attrName>vin</attrName><attrValue>{key}</attrValue></attribute></customObjKeyList><customObjAttributeList>{attrs}</customObjAttributeList></customObj>"
    )
}

fn sync_custom(op: &str, objects: &str) -> String {
    format!(
        "<ns1:paramsSyncCustomObjects><objTypeName>Car</objTypeName><customObjList>{objects}</customObjList><operation>{op}</operation></ns1:paramsSyncCustomObjects>"
    )
}

#[tokio::test]
async fn custom_object_pages() {
    let emu = Emulator::builder()
        .limits(Limits::unlimited())
        .start()
        .await
        .expect("start");
    let colour = |c: &str| {
        format!("<attribute><attrName>colour</attrName><attrValue>{c}</attrValue></attribute>")
    };
    // INSERT only inserts, UPDATE only updates, UPSERT both.
    let xml = ok(&emu, &sync_custom("UPDATE", &custom("V1", &colour("red")))).await;
    assert_eq!(texts(&xml, "status"), vec!["FAILED"]);
    let xml = ok(&emu, &sync_custom("INSERT", &custom("V1", &colour("red")))).await;
    assert_eq!(texts(&xml, "status"), vec!["CREATED"]);
    let xml = ok(&emu, &sync_custom("INSERT", &custom("V1", &colour("blue")))).await;
    assert_eq!(texts(&xml, "status"), vec!["FAILED"]);
    let both = [
        custom("V1", &colour("green")),
        custom("V2", &colour("grey")),
    ]
    .concat();
    let xml = ok(&emu, &sync_custom("UPSERT", &both)).await;
    assert_eq!(texts(&xml, "status"), vec!["UPDATED", "CREATED"]);
    assert_eq!(fault(&emu, &sync_custom("MERGE", &both)).await, "20110");
    // At most 100 per call.
    let many: String = (0..101).map(|i| custom(&format!("M{i}"), "")).collect();
    assert_eq!(fault(&emu, &sync_custom("UPSERT", &many)).await, "20110");
    let hundred: String = (0..100).map(|i| custom(&format!("M{i}"), "")).collect();
    ok(&emu, &sync_custom("UPSERT", &hundred)).await;
    // getCustomObjects: batchSize at most 100, includeAttributes, key filter.
    let get = |inner: &str| {
        format!(
            "<ns1:paramsGetCustomObjects><objTypeName>Car</objTypeName>{inner}</ns1:paramsGetCustomObjects>"
        )
    };
    let xml = ok(&emu, &get("<batchSize>500</batchSize>")).await;
    assert_eq!(child_text(&xml, "returnCount").as_deref(), Some("100"));
    assert_eq!(child_text(&xml, "remainingCount").as_deref(), Some("2"));
    let by_key = "<customObjKeyList><attribute><attrName>vin</attrName><attrValue>V1</attrValue></attribute></customObjKeyList>";
    let xml = ok(&emu, &get(by_key)).await;
    assert_eq!(texts(&xml, "attrValue"), vec!["V1", "green"]);
    assert_eq!(fault(&emu, "<ns1:paramsGetCustomObjects/>").await, "20109");
    // deleteCustomObjects: DELETED, or FAILED when absent.
    let del = "<ns1:paramsDeleteCustomObjects><objTypeName>Car</objTypeName><customObjKeyLists><keyList><attribute><attrName>vin</attrName><attrValue>V1</attrValue></attribute></keyList></customObjKeyLists></ns1:paramsDeleteCustomObjects>";
    let xml = ok(&emu, del).await;
    assert_eq!(texts(&xml, "status"), vec!["DELETED"]);
    let xml = ok(&emu, del).await;
    assert_eq!(texts(&xml, "status"), vec!["FAILED"]);
}

#[tokio::test]
async fn channel_and_tag_pages() {
    let emu = Emulator::start().await.expect("start");
    // Without <tag>: every channel; with values: those only.
    let all = ok(&emu, "<ns1:paramsGetChannels/>").await;
    assert!(texts(&all, "tagValue").len() > 1);
    let one = ok(&emu, "<ns1:paramsGetChannels><tag><values><stringItem>Webinar</stringItem></values></tag></ns1:paramsGetChannels>").await;
    assert_eq!(texts(&one, "tagValue"), vec!["Webinar"]);
    // getTags: without <tagList> every type; with it the named ones.
    let all = ok(&emu, "<ns1:paramsGetTags/>").await;
    assert!(texts(&all, "type").contains(&"Region".to_owned()));
    let one = ok(
        &emu,
        "<ns1:paramsGetTags><tagList><tag><type>Region</type></tag></tagList></ns1:paramsGetTags>",
    )
    .await;
    assert_eq!(texts(&one, "type"), vec!["Region"]);
    assert_eq!(
        texts(&one, "stringItem"),
        vec!["EMEA", "North America", "APAC"]
    );
}
