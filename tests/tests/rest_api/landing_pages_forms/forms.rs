//! Forms: metadata, lifecycle, used-by, thank-you rules, submit button, and
//! fields (add, update, remove, fieldsets, rich text, visibility, positions).

use marketo_emulator::AssetKind;
use marketo_rest::params::{
    GetAvailableFormFieldsParams, GetAvailableFormProgramMemberFieldsParams,
    GetFieldsForFormParams, GetFormByIdParams, GetFormByNameParams, GetFormUsedByParams,
    GetFormsParams, GetThankYouPageByFormIdParams,
};
use marketo_rest::types::{
    AddFormFieldRequest, AddFormFieldVisibilityRulesRequest, AddFormFieldsetRequest,
    AddFormRichTextRequest, CloneFormRequest, CreateFormRequest, FolderReference, FolderType,
    FormFieldChoice, FormFieldPosition, FormThankYouRule, FormVisibilityCondition,
    FormVisibilityRules, PageAssetStatusFilter, PageAssetVersion, UpdateFormFieldPositionsRequest,
    UpdateFormFieldRequest, UpdateFormRequest, UpdateFormSubmitButtonRequest,
    UpdateFormThankYouPageRequest,
};
use serde_json::json;

use super::{CONTACT_FORM, EVENT_FORM, GUIDED_LP, LP_FOLDER, asset, exists, folder};
use crate::{api_code, assert_not_found, setup};

const K: AssetKind = AssetKind::Form;

/// The field ids of a form in the emulator, in list order.
fn field_ids(emu: &marketo_emulator::Emulator, id: i32) -> Vec<String> {
    asset(emu, K, id).content["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn forms_are_browsed_found_and_used() {
    let (_emu, client) = setup().await;
    let all = client
        .get_forms(GetFormsParams::new())
        .await
        .expect("browse");
    assert!(all.iter().any(|f| f.id == CONTACT_FORM) && all.iter().any(|f| f.id == EVENT_FORM));
    let drafts = client
        .get_forms(GetFormsParams::new().status(PageAssetStatusFilter::Draft))
        .await
        .expect("drafts");
    assert!(drafts.iter().all(|f| f.id != CONTACT_FORM));
    let f = client
        .get_form_by_id(
            CONTACT_FORM,
            GetFormByIdParams::new().status(PageAssetVersion::Approved),
        )
        .await
        .expect("by id");
    assert_eq!(f.button_label.as_deref(), Some("Submit"));
    assert_eq!(f.thank_you_list.as_ref().map(Vec::len), Some(1));
    assert_not_found(client.get_form_by_id(5, GetFormByIdParams::new()).await);
    let by_name = client
        .get_form_by_name("Demo Event Form", GetFormByNameParams::new())
        .await
        .expect("by name");
    assert_eq!(by_name[0].id, EVENT_FORM);
    let used = client
        .get_form_used_by(CONTACT_FORM, GetFormUsedByParams::new())
        .await
        .expect("used by");
    assert_eq!(used[0].id, GUIDED_LP);
    assert_eq!(used[0].type_, "Landing Page");
    // In use by an approved page: no unapprove, no delete.
    assert_eq!(api_code(client.unapprove_form(CONTACT_FORM).await), "709");
    assert_eq!(api_code(client.delete_form(CONTACT_FORM).await), "709");

    let lead = client
        .get_available_form_fields(GetAvailableFormFieldsParams::new())
        .await
        .expect("fields");
    assert!(
        lead.iter()
            .any(|f| f.id == "Email" && f.data_type == "email")
    );
    let member = client
        .get_available_form_program_member_fields(GetAvailableFormProgramMemberFieldsParams::new())
        .await
        .expect("member fields");
    assert_eq!(member[0].id, "pMCFCustomField01");
}

#[tokio::test]
async fn form_lifecycle_and_settings() {
    let (emu, client) = setup().await;
    let created = client
        .create_form(
            &CreateFormRequest::new("F Form", folder(LP_FOLDER))
                .description("test")
                .language("French"),
        )
        .await
        .expect("create");
    let id = created[0].id;
    assert_eq!(created[0].locale.as_deref(), Some("fr_FR"));
    assert_eq!(field_ids(&emu, id), ["FirstName", "LastName", "Email"]);
    assert_eq!(
        api_code(
            client
                .create_form(&CreateFormRequest::new("F Form", folder(LP_FOLDER)))
                .await
        ),
        "709"
    );
    assert_eq!(
        api_code(
            client
                .create_form(&CreateFormRequest::new("F Nowhere", folder(424_242)))
                .await
        ),
        "710"
    );
    let upd = client
        .update_form_metadata(
            id,
            &UpdateFormRequest::new()
                .name("F Form Renamed")
                .progressive_profiling(true),
        )
        .await
        .expect("update");
    assert_eq!(upd[0].name, "F Form Renamed");
    assert!(field_ids(&emu, id).contains(&"Profiling".to_owned()));
    client.approve_form_draft(id).await.expect("approve");
    assert!(asset(&emu, K, id).approved.is_some());
    assert_eq!(api_code(client.approve_form_draft(id).await), "709");
    let button = client
        .update_submit_button(
            id,
            &UpdateFormSubmitButtonRequest::new()
                .label("Envoyer")
                .waiting_label("Veuillez patienter")
                .button_position(140),
        )
        .await
        .expect("button");
    assert_eq!(button[0].button_label.as_deref(), Some("Envoyer"));
    assert_eq!(button[0].button_location, Some(140));
    let rules = vec![
        FormThankYouRule::new()
            .followup_type("lp")
            .followup_value(json!(GUIDED_LP))
            .default2(true),
        FormThankYouRule::new()
            .followup_type("url")
            .followup_value(json!("https://example.com/thanks"))
            .subject_field("Email")
            .operator("isNotEmpty")
            .values(Vec::<String>::new())
            .default2(false),
    ];
    let ty = client
        .update_thank_you_page(id, &UpdateFormThankYouPageRequest::new(rules))
        .await
        .expect("thank you");
    assert_eq!(ty[0].thank_you_list.len(), 2);
    let got = client
        .get_thank_you_page_by_form_id(id, GetThankYouPageByFormIdParams::new())
        .await
        .expect("get thank you");
    assert_eq!(
        got[0].thank_you_list[0].followup_type.as_deref(),
        Some("lp")
    );
    let no_default = vec![
        FormThankYouRule::new()
            .followup_type("none")
            .default2(false),
    ];
    assert_eq!(
        api_code(
            client
                .update_thank_you_page(id, &UpdateFormThankYouPageRequest::new(no_default))
                .await
        ),
        "709"
    );
    assert!(asset(&emu, K, id).has_draft);
    client.discard_form_draft(id).await.expect("discard");
    assert_eq!(api_code(client.discard_form_draft(id).await), "709");
    let copy = client
        .clone_form(
            id,
            &CloneFormRequest::new(
                "F Form Copy",
                FolderReference::new(1001, FolderType::Program),
            ),
        )
        .await
        .expect("clone");
    let copy_id = copy[0].id;
    assert_eq!(field_ids(&emu, copy_id), field_ids(&emu, id));
    client.unapprove_form(id).await.expect("unapprove");
    assert_eq!(api_code(client.unapprove_form(id).await), "709");
    client.delete_form(id).await.expect("delete");
    assert!(!exists(&emu, K, id));
    client.delete_form(copy_id).await.expect("delete copy");
}

#[tokio::test]
async fn fields_fieldsets_rich_text_visibility_and_positions() {
    let (emu, client) = setup().await;
    let f = EVENT_FORM;
    let added = client
        .add_field_to_form(
            f,
            &AddFormFieldRequest::new("NumberOfEmployees")
                .label("employee count")
                .required(true)
                .min_value(10.0)
                .hint_text("Hint me"),
        )
        .await
        .expect("add");
    assert_eq!(added[0].row_number, Some(3));
    assert_eq!(added[0].data_type.as_deref(), Some("number"));
    assert_eq!(
        api_code(
            client
                .add_field_to_form(f, &AddFormFieldRequest::new("Email"))
                .await
        ),
        "709"
    );
    assert_eq!(
        api_code(
            client
                .add_field_to_form(f, &AddFormFieldRequest::new("Shoe"))
                .await
        ),
        "702"
    );
    // Program member fields: fine in a program, refused in Design Studio.
    client
        .add_field_to_form(f, &AddFormFieldRequest::new("pMCFCustomField01"))
        .await
        .expect("member field");
    assert_eq!(
        api_code(
            client
                .add_field_to_form(CONTACT_FORM, &AddFormFieldRequest::new("pMCFCustomField01"))
                .await
        ),
        "709"
    );
    client
        .add_field_to_form(f, &AddFormFieldRequest::new("Salutation"))
        .await
        .expect("select");
    let choices = vec![
        FormFieldChoice::new("Select...", "").is_default(true),
        FormFieldChoice::new("MR", "MR"),
    ];
    let sal = client
        .update_form_field(
            f,
            "Salutation",
            &UpdateFormFieldRequest::new().values(choices),
        )
        .await
        .expect("update select");
    assert_eq!(
        sal[0]
            .field_meta_data
            .as_ref()
            .map(|m| m["values"][1]["value"].clone()),
        Some(json!("MR"))
    );
    let ln = client
        .update_form_field(
            f,
            "LastName",
            &UpdateFormFieldRequest::new().label("enter the last name here"),
        )
        .await
        .expect("update");
    assert_eq!(ln[0].label.as_deref(), Some("enter the last name here"));
    assert_eq!(
        api_code(
            client
                .update_form_field(f, "Nope", &UpdateFormFieldRequest::new().label("x"))
                .await
        ),
        "702"
    );
    let vis = client
        .add_form_field_visibility_rules(
            f,
            "Email",
            &AddFormFieldVisibilityRulesRequest::new(FormVisibilityRules::new("show").rules(vec![
                    FormVisibilityCondition::new("LastName", "isNotEmpty")
                        .values(Vec::<String>::new())
                        .alt_label("Email:"),
                ])),
        )
        .await
        .expect("visibility");
    assert_eq!(vis[0].rule_type, "show");
    assert_eq!(
        api_code(
            client
                .add_form_field_visibility_rules(
                    f,
                    "Email",
                    &AddFormFieldVisibilityRulesRequest::new(FormVisibilityRules::new("sometimes")),
                )
                .await
        ),
        "1003"
    );
    let rich = client
        .add_rich_text_field(
            f,
            &AddFormRichTextRequest::new("<div>Fancy Rich Text Component</div>"),
        )
        .await
        .expect("rich text");
    assert_eq!(rich[0].data_type.as_deref(), Some("htmltext"));
    let rich_id = rich[0].id.clone();
    assert_eq!(
        api_code(
            client
                .add_rich_text_field(f, &AddFormRichTextRequest::new("<script>x</script>"))
                .await
        ),
        "1003"
    );
    let set = client
        .add_fieldset_to_form(f, &AddFormFieldsetRequest::new("Compliance"))
        .await
        .expect("fieldset");
    let set_id = set[0].id.clone();
    // Move Salutation into the fieldset; every field must be listed.
    let pos = |name: &str, row: i32| FormFieldPosition::new(name, row, 0);
    let positions = vec![
        pos("FirstName", 0),
        pos("LastName", 1),
        pos("Email", 2),
        pos("NumberOfEmployees", 3),
        pos("pMCFCustomField01", 4),
        pos(&rich_id, 5),
        pos(&set_id, 6).field_list(vec![pos("Salutation", 0)]),
    ];
    client
        .update_field_positions(f, &UpdateFormFieldPositionsRequest::new(positions.clone()))
        .await
        .expect("rearrange");
    let fields = client
        .get_fields_for_form(f, GetFieldsForFormParams::new())
        .await
        .expect("fields");
    let fs = fields.iter().find(|x| x.id == set_id).expect("fieldset");
    assert_eq!(
        fs.field_list.as_ref().map(|l| l[0].id.clone()),
        Some("Salutation".into())
    );
    assert!(!field_ids(&emu, f).contains(&"Salutation".to_owned()));
    let missing = positions[..3].to_vec();
    assert_eq!(
        api_code(
            client
                .update_field_positions(f, &UpdateFormFieldPositionsRequest::new(missing))
                .await
        ),
        "1003"
    );
    client
        .delete_field_from_fieldset(f, &set_id, "Salutation")
        .await
        .expect("remove from fieldset");
    assert_eq!(
        api_code(
            client
                .delete_field_from_fieldset(f, &set_id, "Salutation")
                .await
        ),
        "702"
    );
    client
        .delete_form_field(f, "NumberOfEmployees")
        .await
        .expect("delete field");
    assert!(!field_ids(&emu, f).contains(&"NumberOfEmployees".to_owned()));
    assert_eq!(
        api_code(client.delete_form_field(f, "NumberOfEmployees").await),
        "702"
    );
    // Field changes on an approved form are a draft.
    client
        .update_form_field(
            CONTACT_FORM,
            "Email",
            &UpdateFormFieldRequest::new().required(true),
        )
        .await
        .expect("update approved form");
    assert!(asset(&emu, K, CONTACT_FORM).has_draft);
    let approved = client
        .get_fields_for_form(
            CONTACT_FORM,
            GetFieldsForFormParams::new().status(PageAssetVersion::Approved),
        )
        .await
        .expect("approved fields");
    assert_eq!(approved[2].required, Some(false));
}
