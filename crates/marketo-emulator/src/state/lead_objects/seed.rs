//! The descriptors of the standard kinds and the demo data set of area B.

use serde_json::{Map, Value, json};

use super::custom_types::{CoField, CoType, CoVersion};
use super::{
    COMPANY, FieldDef, LeadObjects, NAMED_ACCOUNT, NAMED_ACCOUNT_LIST, OPPORTUNITY,
    OPPORTUNITY_ROLE, ObjectStore, ObjectType, PROGRAM_MEMBER, SALES_PERSON,
};
use crate::state::{DEMO_TIME, State};

fn f(name: &str, display: &str, data_type: &str, updateable: bool) -> FieldDef {
    FieldDef::new(name, display, data_type, updateable)
}

fn stamps() -> [FieldDef; 2] {
    [
        f("createdAt", "Created At", "datetime", false),
        f("updatedAt", "Updated At", "datetime", false),
    ]
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

fn base(name: &str, id_field: &'static str, dedupe: &[&str], fields: Vec<FieldDef>) -> ObjectType {
    let mut all = if id_field == "id" {
        vec![f("id", "Id", "integer", false)]
    } else {
        let mut g = f("marketoGUID", "Marketo GUID", "string", false);
        g.length = Some(36);
        vec![g]
    };
    all.extend(stamps());
    all.extend(fields);
    let mut defaults = vec![id_field.to_owned()];
    defaults.extend(strings(dedupe));
    defaults.extend(strings(&["createdAt", "updatedAt"]));
    ObjectType {
        name: name.to_owned(),
        display_name: None,
        description: None,
        id_field,
        dedupe: strings(dedupe),
        searchable: vec![strings(dedupe), vec![id_field.to_owned()]],
        fields: all,
        relationships: Vec::new(),
        default_fields: Some(defaults),
        required: Vec::new(),
        lead_fields: Vec::new(),
        default_action: "createOrUpdate",
        custom: false,
        created_at: DEMO_TIME,
    }
}

/// The descriptors of the standard kinds, with their GUID prefixes.
fn standard_types() -> Vec<(&'static str, ObjectType, u32)> {
    let mut company = base(
        "Company",
        "id",
        &["externalCompanyId"],
        vec![
            f("externalCompanyId", "External Company Id", "string", false),
            f("company", "Company Name", "string", true),
            f("site", "Site", "string", true),
            f("website", "Website", "url", true),
            f("mainPhone", "Main Phone", "string", true),
            f("industry", "Industry", "string", true),
            f("annualRevenue", "Annual Revenue", "currency", true),
            f("numberOfEmployees", "Number Of Employees", "integer", true),
            f("billingCity", "Billing City", "string", true),
            f("billingCountry", "Billing Country", "string", true),
        ],
    );
    company.description = Some("Company object".into());
    company.searchable.push(strings(&["company"]));
    let mut opp = base(
        "opportunity",
        "marketoGUID",
        &["externalOpportunityId"],
        vec![
            f(
                "externalOpportunityId",
                "External Opportunity Id",
                "string",
                false,
            ),
            f("name", "Name", "string", true),
            f("description", "Description", "string", true),
            f("amount", "Amount", "currency", true),
            f("source", "Source", "string", true),
            f("stage", "Stage", "string", true),
            f("isClosed", "Is Closed", "boolean", true),
            f("isWon", "Is Won", "boolean", true),
            f("externalCompanyId", "External Company Id", "string", true),
            f(
                "externalSalesPersonId",
                "External Sales Person Id",
                "string",
                true,
            ),
        ],
    );
    opp.display_name = Some("Opportunity".into());
    opp.required = strings(&["name"]);
    let mut role = base(
        "opportunityRole",
        "marketoGUID",
        &["externalOpportunityId", "leadId", "role"],
        vec![
            f(
                "externalOpportunityId",
                "External Opportunity Id",
                "string",
                false,
            ),
            f("leadId", "Lead Id", "integer", false),
            f("role", "Role", "string", false),
            f("isPrimary", "Is Primary", "boolean", true),
            f(
                "externalCreatedDate",
                "External Created Date",
                "datetime",
                true,
            ),
        ],
    );
    role.display_name = Some("Opportunity Role".into());
    role.searchable
        .extend([strings(&["leadId"]), strings(&["externalOpportunityId"])]);
    role.lead_fields = strings(&["leadId"]);
    let mut account = base(
        "Named Account",
        "marketoGUID",
        &["name"],
        vec![
            f("name", "Name", "string", false),
            f("domainName", "Domain Name", "string", true),
            f("annualRevenue", "Annual Revenue", "currency", true),
            f("city", "City", "string", true),
            f("country", "Country", "string", true),
            f("industry", "Industry", "string", true),
            f("numberOfEmployees", "Number Of Employees", "integer", true),
            f("membershipCount", "Membership Count", "integer", false),
        ],
    );
    account.description = Some("Named account object".into());
    account.searchable.extend([
        strings(&["domainName"]),
        strings(&["city"]),
        strings(&["industry"]),
    ]);
    let mut list = base(
        "Named Account List",
        "marketoGUID",
        &["name"],
        vec![
            f("name", "Name", "string", true),
            f("type", "Type", "string", false),
            f("updateable", "Updateable", "boolean", false),
        ],
    );
    list.default_fields = Some(strings(&[
        "marketoGUID",
        "name",
        "createdAt",
        "updatedAt",
        "type",
        "updateable",
    ]));
    list.default_action = "createOnly";
    let mut person = base(
        "SalesPerson",
        "id",
        &["externalSalesPersonId"],
        vec![
            f(
                "externalSalesPersonId",
                "External Sales Person Id",
                "string",
                false,
            ),
            f("email", "Email", "string", true),
            f("firstName", "First Name", "string", true),
            f("lastName", "Last Name", "string", true),
            f("phone", "Phone", "string", true),
            f("title", "Title", "string", true),
        ],
    );
    person.searchable.push(strings(&["email"]));
    person.default_fields = None;
    let mut member = base(
        "API Program Membership",
        "marketoGUID",
        &["leadId", "programId"],
        vec![
            f("leadId", "Lead Id", "integer", false),
            f("programId", "Program Id", "integer", false),
            f("program", "Program", "string", false),
            f("statusName", "Status", "string", false),
            f("acquiredBy", "Acquired By", "boolean", false),
            f("reachedSuccess", "Success", "boolean", false),
            f("reachedSuccessDate", "Success Date", "datetime", false),
            f("membershipDate", "Member Date", "datetime", false),
            f("isExhausted", "Nurture Exhausted", "boolean", false),
            f("nurtureCadence", "Nurture Cadence", "string", false),
            f("registrationCode", "Registration Code", "string", true),
            f("webinarUrl", "Webinar Url", "string", true),
        ],
    );
    member.description = Some("Map for API program membership fields".into());
    member.searchable = vec![
        strings(&["leadId"]),
        strings(&["statusName"]),
        strings(&["reachedSuccess"]),
        strings(&["registrationCode"]),
        strings(&["updatedAt"]),
    ];
    member.default_fields = Some(strings(&[
        "acquiredBy",
        "leadId",
        "membershipDate",
        "programId",
        "reachedSuccess",
    ]));
    member.lead_fields = strings(&["leadId"]);
    vec![
        (COMPANY, company, 0xa0_0001),
        (OPPORTUNITY, opp, 0xa0_0002),
        (OPPORTUNITY_ROLE, role, 0xa0_0003),
        (NAMED_ACCOUNT, account, 0xa0_0004),
        (NAMED_ACCOUNT_LIST, list, 0xa0_0005),
        (SALES_PERSON, person, 0xa0_0006),
        (PROGRAM_MEMBER, member, 0xa0_0007),
    ]
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

impl LeadObjects {
    /// Every instance has the standard kinds (empty without demo data).
    pub(crate) fn with_standard_types() -> Self {
        let mut lo = LeadObjects {
            next: 7001,
            ..LeadObjects::default()
        };
        for (key, ty, prefix) in standard_types() {
            lo.stores
                .insert(key.to_owned(), ObjectStore::new(ty, prefix));
        }
        lo
    }

    fn demo(&mut self, kind: &str, records: Vec<Value>) {
        let mut next = self.next;
        if let Some(s) = self.stores.get_mut(kind) {
            for r in records {
                s.insert(obj(r), &mut next, DEMO_TIME);
            }
        }
        self.next = next;
    }
}

impl State {
    /// Area B's demo data (see the emulator README, "Lead Database objects").
    pub(crate) fn seed_demo_lead_objects(&mut self) {
        let lo = &mut self.lead_objects;
        lo.demo(COMPANY, vec![
            json!({"externalCompanyId": "ext-acme", "company": "Acme Corp", "industry": "Manufacturing", "billingCity": "Springfield"}),
            json!({"externalCompanyId": "ext-globex", "company": "Globex", "industry": "Energy"}),
        ]);
        lo.demo(SALES_PERSON, vec![
            json!({"externalSalesPersonId": "sam@example.com", "email": "sam@example.com", "firstName": "Sam", "lastName": "Seller"}),
        ]);
        lo.demo(OPPORTUNITY, vec![
            json!({"externalOpportunityId": "opp-1", "name": "Engines", "amount": 5000, "stage": "Prospecting", "externalCompanyId": "ext-acme"}),
            json!({"externalOpportunityId": "opp-2", "name": "Compilers", "amount": 1200, "stage": "Closed Won", "isClosed": true, "isWon": true}),
        ]);
        lo.demo(OPPORTUNITY_ROLE, vec![
            json!({"externalOpportunityId": "opp-1", "leadId": 3001, "role": "Decision Maker", "isPrimary": true}),
            json!({"externalOpportunityId": "opp-1", "leadId": 3002, "role": "Technical Buyer", "isPrimary": false}),
        ]);
        lo.demo(NAMED_ACCOUNT, vec![
            json!({"name": "Acme Corp", "domainName": "acme.example", "city": "Springfield", "industry": "Manufacturing"}),
            json!({"name": "Globex", "domainName": "globex.example", "city": "Cypress Creek", "industry": "Energy"}),
        ]);
        lo.demo(
            NAMED_ACCOUNT_LIST,
            vec![json!({"name": "Key Accounts", "type": "default", "updateable": true})],
        );
        let accounts: Vec<String> = lo.stores[NAMED_ACCOUNT]
            .records
            .values()
            .map(|r| r.guid.clone())
            .collect();
        let list = lo.stores[NAMED_ACCOUNT_LIST]
            .records
            .values()
            .next()
            .map(|r| r.guid.clone())
            .unwrap_or_default();
        lo.list_members
            .insert(list, accounts.into_iter().take(1).collect());
        lo.demo(PROGRAM_MEMBER, vec![
            json!({"leadId": 3001, "programId": 1003, "program": "Demo Webinar Program", "statusName": "Registered", "acquiredBy": true, "reachedSuccess": false, "membershipDate": "2024-01-15T10:00:00Z", "registrationCode": "reg-3001"}),
            json!({"leadId": 3002, "programId": 1003, "program": "Demo Webinar Program", "statusName": "Attended", "acquiredBy": false, "reachedSuccess": true, "membershipDate": "2024-01-15T10:00:00Z"}),
            json!({"leadId": 3001, "programId": 1001, "program": "Demo Default Program", "statusName": "Engaged", "acquiredBy": true, "reachedSuccess": true, "membershipDate": "2024-01-15T10:00:00Z"}),
            json!({"leadId": 3002, "programId": 1001, "program": "Demo Default Program", "statusName": "Engaged", "acquiredBy": false, "reachedSuccess": true, "membershipDate": "2024-01-15T10:00:00Z"}),
        ]);
        seed_car(lo);
    }
}

/// The approved demo custom object type `car` (dedupe `vin`, linked to leads by `leadId`) with two records.
fn seed_car(lo: &mut LeadObjects) {
    let field = |name: &str, display: &str, data_type: &str, dedupe: bool| {
        let mut def = FieldDef::new(name, display, data_type, !dedupe);
        def.custom = true;
        CoField {
            def,
            dedupe,
            related_to: None,
        }
    };
    let mut lead = field("leadId", "Lead ID", "integer", false);
    lead.related_to = Some(("lead".into(), "id".into()));
    let version = CoVersion {
        display_name: "Car".into(),
        plural_name: Some("Cars".into()),
        description: Some("Cars owned by leads".into()),
        show_in_lead_detail: true,
        fields: vec![
            field("vin", "VIN", "string", true),
            lead,
            field("make", "Make", "string", false),
            field("model", "Model", "string", false),
            field("year", "Year", "integer", false),
        ],
    };
    lo.co_types.insert("car".into(), CoType {
        api_name: "car".into(),
        approved: Some(version.clone()),
        draft: None,
        created_at: Some(DEMO_TIME),
        updated_at: Some(DEMO_TIME),
        dependents: vec![json!({"assetType": "Smart Campaign", "assetId": 2001, "assetName": "Car owners (Smart List)", "usedFields": ["vin", "make"]})],
    });
    lo.stores.insert(
        super::custom_key("car"),
        ObjectStore::new(version.object_type("car", DEMO_TIME), 0xc0_0001),
    );
    lo.demo(&super::custom_key("car"), vec![
        json!({"vin": "VIN-0001", "leadId": 3001, "make": "Volvo", "model": "240", "year": 1988}),
        json!({"vin": "VIN-0002", "leadId": 3003, "make": "Saab", "model": "900", "year": 1991}),
    ]);
}
