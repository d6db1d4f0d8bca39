//! SOAP rules of the lead and list pages (syncLead, syncMultipleLeads, getLead,
//! getMultipleLeads, mergeLeads, listOperation, requestCampaign, scheduleCampaign,
//! getCampaignsForSource, importToList, getImportToListStatus), one test per page.

use marketo_emulator::{Emulator, Limits};

mod soap_common;
use soap_common::*;

fn attr(name: &str, value: &str) -> String {
    format!("<attribute><attrName>{name}</attrName><attrValue>{value}</attrValue></attribute>")
}

fn sync_lead(record: &str, return_lead: Option<bool>, cookie: Option<&str>) -> String {
    let ret = return_lead.map_or(String::new(), |b| format!("<returnLead>{b}</returnLead>"));
    let cookie = cookie.map_or(String::new(), |c| {
        format!("<marketoCookie>{c}</marketoCookie>")
    });
    format!(
        "<ns1:paramsSyncLead><leadRecord>{record}</leadRecord>{ret}{cookie}</ns1:paramsSyncLead>"
    )
}

fn first_name(emu: &Emulator, id: i64) -> Option<String> {
    emu.lead(id)?.field_text("firstName")
}

#[tokio::test]
async fn sync_lead_page() {
    let emu = Emulator::start().await.expect("start");
    // No key at all (no Id, Email or ForeignSysPersonId): refused, nothing created.
    let leads = emu.leads().len();
    let keyless = format!(
        "<leadAttributeList>{}</leadAttributeList>",
        attr("FirstName", "Nobody")
    );
    assert_eq!(
        fault(&emu, &sync_lead(&keyless, Some(false), None)).await,
        "20101"
    );
    assert_eq!(emu.leads().len(), leads);
    // returnLead is required; leadRecord too.
    let rec = "<Email>new@example.com</Email>";
    assert_eq!(fault(&emu, &sync_lead(rec, None, None)).await, "20109");
    assert_eq!(
        fault(
            &emu,
            "<ns1:paramsSyncLead><returnLead>false</returnLead></ns1:paramsSyncLead>"
        )
        .await,
        "20104"
    );
    // ForeignSysType is needed with ForeignSysPersonId, and must be a known one.
    let foreign = "<Email>f@example.com</Email><ForeignSysPersonId>EXT-1</ForeignSysPersonId>";
    assert_eq!(
        fault(&emu, &sync_lead(foreign, Some(false), None)).await,
        "20109"
    );
    let bad_type = format!("{foreign}<ForeignSysType>ORACLE</ForeignSysType>");
    assert_eq!(
        fault(&emu, &sync_lead(&bad_type, Some(false), None)).await,
        "20110"
    );
    // A new ForeignSysPersonId creates; the same one again updates that lead, Email included.
    let typed = format!("{foreign}<ForeignSysType>CUSTOM</ForeignSysType>");
    let xml = ok(&emu, &sync_lead(&typed, Some(true), None)).await;
    assert_eq!(child_text(&xml, "status").as_deref(), Some("CREATED"));
    let id: i64 = child_text(&xml, "leadId").unwrap().parse().unwrap();
    let moved = "<Email>moved@example.com</Email><ForeignSysPersonId>EXT-1</ForeignSysPersonId><ForeignSysType>CUSTOM</ForeignSysType>";
    let xml = ok(&emu, &sync_lead(moved, Some(false), None)).await;
    assert_eq!(child_text(&xml, "status").as_deref(), Some("UPDATED"));
    assert_eq!(child_text(&xml, "leadId"), Some(id.to_string()));
    assert_eq!(emu.lead(id).unwrap().email(), Some("moved@example.com"));
    // The Marketo Id takes precedence over ForeignSysPersonId and Email (both updated).
    let both = "<Id>3002</Id><Email>alan.t@example.com</Email><ForeignSysPersonId>EXT-1</ForeignSysPersonId><ForeignSysType>SFDC</ForeignSysType>";
    let xml = ok(&emu, &sync_lead(both, Some(false), None)).await;
    assert_eq!(child_text(&xml, "leadId").as_deref(), Some("3002"));
    let alan = emu.lead(3002).unwrap();
    assert_eq!(alan.email(), Some("alan.t@example.com"));
    assert_eq!(alan.field_text("externalId").as_deref(), Some("EXT-1"));
    // An unknown Id: 20103.
    assert_eq!(
        fault(&emu, &sync_lead("<Id>999999</Id>", Some(false), None)).await,
        "20103"
    );
    // The Munchkin cookie matches an existing lead when no other key is given.
    let cookie = emu
        .lead(3004)
        .unwrap()
        .field_text("cookies")
        .unwrap()
        .replace('&', "&amp;");
    let anon = format!(
        "<leadAttributeList>{}</leadAttributeList>",
        attr("FirstName", "Ed")
    );
    let xml = ok(&emu, &sync_lead(&anon, Some(true), Some(&cookie))).await;
    assert_eq!(child_text(&xml, "leadId").as_deref(), Some("3004"));
    assert_eq!(first_name(&emu, 3004).as_deref(), Some("Ed"));
    // returnLead=true returns the record.
    assert_eq!(child_text(&xml, "Id").as_deref(), Some("3004"));
    // An attribute that does not exist: 20105.
    let bad = format!(
        "<Email>x@example.com</Email><leadAttributeList>{}</leadAttributeList>",
        attr("NoSuchField", "1")
    );
    assert_eq!(
        fault(&emu, &sync_lead(&bad, Some(false), None)).await,
        "20105"
    );
}

#[tokio::test]
async fn sync_multiple_leads_page() {
    let emu = Emulator::start().await.expect("start");
    let rec = |inner: &str| format!("<leadRecord>{inner}</leadRecord>");
    let body = |records: &str, dedup: Option<bool>| {
        let d = dedup.map_or(String::new(), |b| {
            format!("<dedupEnabled>{b}</dedupEnabled>")
        });
        format!(
            "<ns1:paramsSyncMultipleLeads><leadRecordList>{records}</leadRecordList>{d}</ns1:paramsSyncMultipleLeads>"
        )
    };
    // Each record must carry Id, Email or ForeignSysPersonId: a keyless one fails alone.
    let records = [
        rec(&format!("<leadAttributeList>{}</leadAttributeList>", attr("FirstName", "X"))),
        rec("<Email>multi@example.com</Email>"),
        // Id and Email: the Id wins and the Email element does not update the lead.
        rec(&format!("<Id>3002</Id><Email>other@example.com</Email><leadAttributeList>{}</leadAttributeList>", attr("FirstName", "Al"))),
    ]
    .concat();
    let xml = ok(&emu, &body(&records, None)).await;
    assert_eq!(texts(&xml, "status"), vec!["FAILED", "CREATED", "UPDATED"]);
    assert!(texts(&xml, "error")[0].contains("20101"), "{xml}");
    let alan = emu.lead(3002).unwrap();
    assert_eq!(alan.email(), Some("alan@example.com"));
    assert_eq!(alan.field_text("firstName").as_deref(), Some("Al"));
    // An email in the attribute list does update it.
    let records = rec(&format!(
        "<Id>3002</Id><leadAttributeList>{}</leadAttributeList>",
        attr("Email", "alan2@example.com")
    ));
    ok(&emu, &body(&records, None)).await;
    assert_eq!(emu.lead(3002).unwrap().email(), Some("alan2@example.com"));
    // dedupEnabled (default true) matches by email; false creates a duplicate.
    let again = rec("<Email>multi@example.com</Email>");
    let xml = ok(&emu, &body(&again, Some(true))).await;
    assert_eq!(texts(&xml, "status"), vec!["UPDATED"]);
    let xml = ok(&emu, &body(&again, Some(false))).await;
    assert_eq!(texts(&xml, "status"), vec!["CREATED"]);
    let dupes = emu
        .leads()
        .iter()
        .filter(|l| l.email() == Some("multi@example.com"))
        .count();
    assert_eq!(dupes, 2);
    // More than 300 records: refused; none: 20104.
    let many = rec("<Email>many@example.com</Email>").repeat(301);
    assert_eq!(fault(&emu, &body(&many, None)).await, "20110");
    assert_eq!(fault(&emu, &body("", None)).await, "20104");
}

#[tokio::test]
async fn get_lead_page() {
    let emu = Emulator::start().await.expect("start");
    let get = |kt: &str, kv: &str| {
        format!(
            "<ns1:paramsGetLead><leadKey><keyType>{kt}</keyType><keyValue>{kv}</keyValue></leadKey></ns1:paramsGetLead>"
        )
    };
    // An empty string attribute is not returned.
    let record = format!(
        "<Id>3003</Id><leadAttributeList>{}</leadAttributeList>",
        attr("Title", "")
    );
    ok(&emu, &sync_lead(&record, Some(false), None)).await;
    let xml = ok(&emu, &get("IDNUM", "3003")).await;
    let names = texts(&xml, "attrName");
    assert!(names.contains(&"FirstName".to_owned()), "{names:?}");
    assert!(!names.contains(&"Title".to_owned()), "{names:?}");
    // Keys: EMAIL, COOKIE; unknown type 20102, missing 20101, no match 20103.
    let xml = ok(&emu, &get("EMAIL", "grace@example.com")).await;
    assert_eq!(child_text(&xml, "Id").as_deref(), Some("3003"));
    let cookie = emu
        .lead(3005)
        .unwrap()
        .field_text("cookies")
        .unwrap()
        .replace('&', "&amp;");
    let xml = ok(&emu, &get("COOKIE", &cookie)).await;
    assert_eq!(child_text(&xml, "Id").as_deref(), Some("3005"));
    assert_eq!(fault(&emu, &get("SHOESIZE", "9")).await, "20102");
    assert_eq!(fault(&emu, "<ns1:paramsGetLead/>").await, "20101");
    assert_eq!(fault(&emu, &get("IDNUM", "424242")).await, "20103");
}

#[tokio::test]
async fn get_multiple_leads_page() {
    let emu = Emulator::start().await.expect("start");
    let by_keys = |keys: &[String], batch: Option<u32>| {
        let items: String = keys
            .iter()
            .map(|k| format!("<stringItem>{k}</stringItem>"))
            .collect();
        let b = batch.map_or(String::new(), |b| format!("<batchSize>{b}</batchSize>"));
        format!(
            r#"<ns1:paramsGetMultipleLeads><leadSelector xsi:type="ns1:LeadKeySelector"><keyType>IDNUM</keyType><keyValues>{items}</keyValues></leadSelector>{b}</ns1:paramsGetMultipleLeads>"#
        )
    };
    // More than 100 keys: the extra ones are ignored (3001 is the 101st here).
    let mut keys: Vec<String> = (0..100).map(|i| (900_000 + i).to_string()).collect();
    keys.push("3001".into());
    let xml = ok(&emu, &by_keys(&keys, None)).await;
    assert_eq!(child_text(&xml, "returnCount").as_deref(), Some("0"));
    // batchSize is limited to 100.
    for i in 0..120 {
        emu.add_lead_with_email(&format!("bulk{i}@example.com"), "B", "Ulk");
    }
    let since = r#"<ns1:paramsGetMultipleLeads><leadSelector xsi:type="ns1:LastUpdateAtSelector"><oldestUpdatedAt>2000-01-01T00:00:00Z</oldestUpdatedAt></leadSelector><batchSize>500</batchSize></ns1:paramsGetMultipleLeads>"#;
    let xml = ok(&emu, since).await;
    assert_eq!(child_text(&xml, "returnCount").as_deref(), Some("100"));
    assert_eq!(child_text(&xml, "remainingCount").as_deref(), Some("25"));
    // The stream position pages on; a bad one is 20122.
    let pos = child_text(&xml, "newStreamPosition").unwrap();
    let next = since.replace(
        "</ns1:paramsGetMultipleLeads>",
        &format!("<streamPosition>{pos}</streamPosition></ns1:paramsGetMultipleLeads>"),
    );
    let xml = ok(&emu, &next).await;
    assert_eq!(child_text(&xml, "returnCount").as_deref(), Some("25"));
    assert_eq!(child_text(&xml, "remainingCount").as_deref(), Some("0"));
    let bad = since.replace(
        "</ns1:paramsGetMultipleLeads>",
        "<streamPosition>garbage!</streamPosition></ns1:paramsGetMultipleLeads>",
    );
    assert_eq!(fault(&emu, &bad).await, "20122");
    // LastUpdateAtSelector: more than 30 days between oldest and latest → 20022.
    let wide = r#"<ns1:paramsGetMultipleLeads><leadSelector xsi:type="ns1:LastUpdateAtSelector"><latestUpdatedAt>2024-03-01T00:00:00Z</latestUpdatedAt><oldestUpdatedAt>2024-01-01T00:00:00Z</oldestUpdatedAt></leadSelector></ns1:paramsGetMultipleLeads>"#;
    assert_eq!(fault(&emu, wide).await, "20022");
    let no_oldest = r#"<ns1:paramsGetMultipleLeads><leadSelector xsi:type="ns1:LastUpdateAtSelector"><latestUpdatedAt>2024-03-01T00:00:00Z</latestUpdatedAt></leadSelector></ns1:paramsGetMultipleLeads>"#;
    assert_eq!(fault(&emu, no_oldest).await, "20109");
    // StaticListSelector: by id or name; neither → 20109; unknown → 20111.
    let list = |inner: &str| {
        format!(
            r#"<ns1:paramsGetMultipleLeads><leadSelector xsi:type="ns1:StaticListSelector">{inner}</leadSelector></ns1:paramsGetMultipleLeads>"#
        )
    };
    let xml = ok(&emu, &list("<staticListId>4001</staticListId>")).await;
    assert_eq!(child_text(&xml, "returnCount").as_deref(), Some("3"));
    assert_eq!(fault(&emu, &list("")).await, "20109");
    assert_eq!(
        fault(&emu, &list("<staticListName>Nope</staticListName>")).await,
        "20111"
    );
    // includeAttributes limits the attributes returned.
    let only = r#"<ns1:paramsGetMultipleLeads><leadSelector xsi:type="ns1:StaticListSelector"><staticListId>4001</staticListId></leadSelector><includeAttributes><stringItem>LastName</stringItem></includeAttributes></ns1:paramsGetMultipleLeads>"#;
    let xml = ok(&emu, only).await;
    assert_eq!(texts(&xml, "attrName"), vec!["LastName"; 3]);
}

#[tokio::test]
async fn merge_leads_page() {
    let emu = Emulator::start().await.expect("start");
    let key = |kt: &str, kv: &str| {
        format!("<attribute><attrName>{kt}</attrName><attrValue>{kv}</attrValue></attribute>")
    };
    let body = format!(
        "<ns1:paramsMergeLeads><winningLeadKeyList>{}</winningLeadKeyList><losingLeadKeyLists><keyList>{}</keyList><keyList>{}</keyList></losingLeadKeyLists><mergeInSales>False</mergeInSales></ns1:paramsMergeLeads>",
        key("IDNUM", "3001"),
        key("EMAIL", "alan@example.com"),
        key("IDNUM", "3003")
    );
    let xml = ok(&emu, &body).await;
    assert_eq!(child_text(&xml, "winningLeadId").as_deref(), Some("3001"));
    assert_eq!(texts(&xml, "integerItem"), vec!["3002", "3003"]);
    assert_eq!(child_text(&xml, "status").as_deref(), Some("MERGED"));
    assert!(emu.lead(3002).is_none() && emu.lead(3003).is_none());
    // Both keys are required.
    let no_losers = format!(
        "<ns1:paramsMergeLeads><winningLeadKeyList>{}</winningLeadKeyList></ns1:paramsMergeLeads>",
        key("IDNUM", "3001")
    );
    assert_eq!(fault(&emu, &no_losers).await, "20101");
    assert_eq!(fault(&emu, "<ns1:paramsMergeLeads/>").await, "20101");
}

fn list_op(op: &str, list: &str, ids: &[&str], extra: &str) -> String {
    let keys: String = ids
        .iter()
        .map(|k| {
            let (kt, kv) = k.split_once(':').unwrap_or(("IDNUM", k));
            format!("<leadKey><keyType>{kt}</keyType><keyValue>{kv}</keyValue></leadKey>")
        })
        .collect();
    format!(
        "<ns1:paramsListOperation><listOperation>{op}</listOperation><listKey><keyType>MKTOLISTNAME</keyType><keyValue>{list}</keyValue></listKey><listMemberList>{keys}</listMemberList>{extra}</ns1:paramsListOperation>"
    )
}

const STRICT: &str = "<strict>true</strict>";

#[tokio::test]
async fn list_operation_strict_changes_nothing_when_a_lead_fails() {
    let emu = Emulator::start().await.expect("start");
    let activities = emu.activities().len();
    // ADDTOLIST: 3004 could be added, 999999 does not exist → the whole call faults.
    let body = list_op("ADDTOLIST", "Demo Static List", &["3004", "999999"], STRICT);
    assert_eq!(fault(&emu, &body).await, "20103");
    assert!(!emu.list_members(4001).unwrap().contains(&3004));
    assert_eq!(emu.activities().len(), activities);
    // A key type other than IDNUM fails the call in strict mode too.
    let body = list_op(
        "ADDTOLIST",
        "Demo Static List",
        &["3004", "EMAIL:barbara@example.com"],
        STRICT,
    );
    assert_eq!(fault(&emu, &body).await, "20102");
    assert!(!emu.list_members(4001).unwrap().contains(&3004));
    // REMOVEFROMLIST: 3001 is a member, 3005 is not → nothing removed.
    let body = list_op(
        "REMOVEFROMLIST",
        "Demo Static List",
        &["3001", "3005"],
        STRICT,
    );
    assert_eq!(fault(&emu, &body).await, "20110");
    assert!(emu.list_members(4001).unwrap().contains(&3001));
    assert_eq!(emu.activities().len(), activities);
    // ISMEMBEROFLIST: not being a member is an answer, not a failure.
    let body = list_op(
        "ISMEMBEROFLIST",
        "Demo Static List",
        &["3001", "3005"],
        STRICT,
    );
    let xml = ok(&emu, &body).await;
    assert_eq!(texts(&xml, "status"), vec!["true", "false"]);
    // All succeed → done.
    let body = list_op("ADDTOLIST", "Demo Static List", &["3004", "3005"], STRICT);
    let xml = ok(&emu, &body).await;
    assert_eq!(texts(&xml, "status"), vec!["true", "true"]);
    assert_eq!(
        emu.list_members(4001).unwrap(),
        vec![3001, 3002, 3003, 3004, 3005]
    );
    assert_eq!(emu.activities().len(), activities + 2);
}

#[tokio::test]
async fn list_operation_page() {
    let emu = Emulator::start().await.expect("start");
    // Non-strict: everything that can be done is done, the rest reports false.
    let body = list_op(
        "ADDTOLIST",
        "Demo Static List",
        &["3004", "999999", "EMAIL:barbara@example.com"],
        "",
    );
    let xml = ok(&emu, &body).await;
    assert_eq!(texts(&xml, "status"), vec!["true", "false", "false"]);
    assert!(emu.list_members(4001).unwrap().contains(&3004));
    let activity = emu.activities().pop().unwrap();
    assert_eq!((activity.lead_id, activity.type_id), (3004, 24));
    let body = list_op("REMOVEFROMLIST", "Demo Static List", &["3004", "3005"], "");
    let xml = ok(&emu, &body).await;
    assert_eq!(texts(&xml, "status"), vec!["true", "false"]);
    // skipActivityLog records no activity.
    let n = emu.activities().len();
    let body = list_op(
        "ADDTOLIST",
        "Demo Static List",
        &["3005"],
        "<skipActivityLog>true</skipActivityLog>",
    );
    ok(&emu, &body).await;
    assert!(emu.list_members(4001).unwrap().contains(&3005));
    assert_eq!(emu.activities().len(), n);
    // Unknown operation, list key type or list; more than 1000 leads.
    assert_eq!(
        fault(
            &emu,
            &list_op("COPYLIST", "Demo Static List", &["3001"], "")
        )
        .await,
        "20110"
    );
    let sales = list_op("ADDTOLIST", "x", &["3001"], "").replace("MKTOLISTNAME", "MKTOSALESUSERID");
    assert_eq!(fault(&emu, &sales).await, "20110");
    assert_eq!(
        fault(&emu, &list_op("ADDTOLIST", "No Such List", &["3001"], "")).await,
        "20111"
    );
    let many: Vec<&str> = std::iter::repeat_n("3001", 1001).collect();
    assert_eq!(
        fault(
            &emu,
            &list_op("ISMEMBEROFLIST", "Demo Static List", &many, "")
        )
        .await,
        "20110"
    );
    let most: Vec<&str> = std::iter::repeat_n("3001", 1000).collect();
    ok(
        &emu,
        &list_op("ISMEMBEROFLIST", "Demo Static List", &most, ""),
    )
    .await;
}

fn request(inner: &str, keys: &[&str]) -> String {
    let keys: String = keys
        .iter()
        .map(|k| format!("<leadKey><keyType>IDNUM</keyType><keyValue>{k}</keyValue></leadKey>"))
        .collect();
    format!(
        "<ns1:paramsRequestCampaign><source>MKTOWS</source>{inner}<leadList>{keys}</leadList></ns1:paramsRequestCampaign>"
    )
}

#[tokio::test]
async fn request_campaign_page() {
    let emu = Emulator::start().await.expect("start");
    let names = "<programName>Demo Webinar Program</programName><campaignName>Demo Webinar Follow-up</campaignName>";
    // campaignId and campaignName together: bad parameter, nothing triggered.
    let both = format!("<campaignId>2002</campaignId>{names}");
    assert_eq!(fault(&emu, &request(&both, &["3001"])).await, "20110");
    let id_and_campaign =
        "<campaignId>2004</campaignId><campaignName>Demo Webinar Follow-up</campaignName>";
    assert_eq!(
        fault(&emu, &request(id_and_campaign, &["3001"])).await,
        "20110"
    );
    // Any other combination than campaignId, or programName + campaignName: bad parameter.
    let campaign_only = "<campaignName>Demo Webinar Follow-up</campaignName>";
    assert_eq!(
        fault(&emu, &request(campaign_only, &["3001"])).await,
        "20110"
    );
    let program_only = "<programName>Demo Webinar Program</programName>";
    assert_eq!(
        fault(&emu, &request(program_only, &["3001"])).await,
        "20110"
    );
    assert_eq!(fault(&emu, &request("", &["3001"])).await, "20110");
    assert!(emu.triggers().is_empty());
    // The two parameter sets.
    ok(&emu, &request("<campaignId>2002</campaignId>", &["3001"])).await;
    let tokens = "<programTokenList><attrib><name>{{my.t}}</name><value>v</value></attrib></programTokenList>";
    ok(&emu, &request(&format!("{names}{tokens}"), &["3002"])).await;
    let t = emu.triggers();
    assert_eq!((t[0].campaign_id, t[1].campaign_id), (2002, 2004));
    assert_eq!(t[1].tokens, vec![("{{my.t}}".to_owned(), "v".to_owned())]);
    // At most 100 lead keys are read; the rest are ignored.
    let mut keys = vec!["3001"; 100];
    keys.push("999999");
    ok(&emu, &request("<campaignId>2002</campaignId>", &keys)).await;
    // source must be MKTOWS or SALES; leadList is required.
    let sales = request("<campaignId>2002</campaignId>", &["3001"]).replace("MKTOWS", "SALES");
    ok(&emu, &sales).await;
    let web = request("<campaignId>2002</campaignId>", &["3001"]).replace("MKTOWS", "WEB");
    assert_eq!(fault(&emu, &web).await, "20110");
    let no_list = "<ns1:paramsRequestCampaign><source>MKTOWS</source><campaignId>2002</campaignId></ns1:paramsRequestCampaign>";
    assert_eq!(fault(&emu, no_list).await, "20109");
    // Unknown campaign 20113, campaign without a Web Service API trigger 20110.
    assert_eq!(
        fault(&emu, &request("<campaignId>999999</campaignId>", &["3001"])).await,
        "20113"
    );
    assert_eq!(
        fault(&emu, &request("<campaignId>2005</campaignId>", &["3001"])).await,
        "20110"
    );
}

#[tokio::test]
async fn schedule_campaign_and_campaigns_for_source_pages() {
    let emu = Emulator::builder()
        .limits(Limits::unlimited())
        .start()
        .await
        .expect("start");
    // programName and campaignName are required.
    let only_program = "<ns1:paramsScheduleCampaign><programName>Demo Default Program</programName></ns1:paramsScheduleCampaign>";
    assert_eq!(fault(&emu, only_program).await, "20109");
    let only_campaign = "<ns1:paramsScheduleCampaign><campaignName>Demo Batch Campaign</campaignName></ns1:paramsScheduleCampaign>";
    assert_eq!(fault(&emu, only_campaign).await, "20109");
    // campaignRunAt is optional: soon.
    ok(&emu, "<ns1:paramsScheduleCampaign><programName>Demo Default Program</programName><campaignName>Demo Batch Campaign</campaignName></ns1:paramsScheduleCampaign>").await;
    let run_at = emu.schedules()[0].run_at;
    assert!(run_at >= emu.now() && run_at <= emu.now() + time::Duration::minutes(5));
    // getCampaignsForSource: source required (MKTOWS or SALES), name partial or exact.
    let src = |inner: &str| {
        format!("<ns1:paramsGetCampaignsForSource>{inner}</ns1:paramsGetCampaignsForSource>")
    };
    assert_eq!(fault(&emu, &src("")).await, "20109");
    assert_eq!(fault(&emu, &src("<source>WEB</source>")).await, "20110");
    let xml = ok(&emu, &src("<source>SALES</source>")).await;
    assert_eq!(child_text(&xml, "returnCount").as_deref(), Some("2"));
    let xml = ok(&emu, &src("<source>MKTOWS</source><name>follow</name>")).await;
    assert_eq!(texts(&xml, "name"), vec!["Demo Webinar Follow-up"]);
    let xml = ok(
        &emu,
        &src("<source>MKTOWS</source><name>follow</name><exactName>true</exactName>"),
    )
    .await;
    assert_eq!(child_text(&xml, "returnCount").as_deref(), Some("0"));
    let xml = ok(
        &emu,
        &src(
            "<source>MKTOWS</source><name>Demo Webinar Follow-up</name><exactName>true</exactName>",
        ),
    )
    .await;
    assert_eq!(child_text(&xml, "returnCount").as_deref(), Some("1"));
}

#[tokio::test]
async fn import_to_list_and_status_pages() {
    let emu = Emulator::start().await.expect("start");
    let import = |header: &str, rows: &[&str], extra: &str| {
        let rows: String = rows
            .iter()
            .map(|r| format!("<stringItem>{r}</stringItem>"))
            .collect();
        format!(
            "<ns1:paramsImportToList><programName>Demo Default Program</programName>{extra}<listName>Imported</listName><importFileHeader>{header}</importFileHeader><importFileRows>{rows}</importFileRows><importListMode>UPSERTLEADS</importListMode><clearList>false</clearList></ns1:paramsImportToList>"
        )
    };
    let status = "<ns1:paramsGetImportToListStatus><programName>Demo Default Program</programName><listName>Imported</listName></ns1:paramsGetImportToListStatus>";
    // No import yet.
    assert_eq!(fault(&emu, status).await, "20110");
    // My Token columns need the campaign that uses them (in the same program).
    let tokens = "Email,FirstName,{{my.special}}";
    let rows = ["joe@example.com,Joe,Fish", "mary@example.com,Mary,Chicken"];
    assert_eq!(fault(&emu, &import(tokens, &rows, "")).await, "20109");
    let other = "<campaignName>Demo Webinar Follow-up</campaignName>";
    assert_eq!(fault(&emu, &import(tokens, &rows, other)).await, "20113");
    let campaign = "<campaignName>Demo Batch Campaign</campaignName>";
    let xml = ok(&emu, &import(tokens, &rows, campaign)).await;
    assert_eq!(
        child_text(&xml, "importStatus").as_deref(),
        Some("PROCESSING")
    );
    let xml = ok(&emu, status).await;
    assert_eq!(child_text(&xml, "status").as_deref(), Some("COMPLETE"));
    assert_eq!(child_text(&xml, "rowsImported").as_deref(), Some("2"));
    // Unknown column 20105, unknown mode 20110, required fields 20109.
    assert_eq!(
        fault(&emu, &import("Email,Shoe", &["a@example.com,9"], "")).await,
        "20105"
    );
    let bad_mode = import("Email", &["a@example.com"], "").replace("UPSERTLEADS", "MERGE");
    assert_eq!(fault(&emu, &bad_mode).await, "20110");
    let no_header = import("Email", &["a@example.com"], "")
        .replace("<importFileHeader>Email</importFileHeader>", "");
    assert_eq!(fault(&emu, &no_header).await, "20109");
}
