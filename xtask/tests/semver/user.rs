//! A downstream crate written against the code generated from `base.yaml`,
//! the way the generated API lets users write it: requests built with
//! `new(required fields)` and setters, responses read field by field,
//! enums matched by name with the wildcard arm `#[non_exhaustive]` demands,
//! and every operation called. `semver_compile.rs` builds it against the
//! code generated from each changed spec.

use api::Client;
use api::params::GetWidgetParams;
use api::types::{Colour, NewWidget, Widget};

/// Every listed value named; the catch-all and the wildcard as required.
pub fn colour_name(colour: &Colour) -> String {
    match colour {
        Colour::Red => "red".to_owned(),
        Colour::Green => "green".to_owned(),
        Colour::Unknown(other) => format!("unlisted {other}"),
        _ => colour.to_string(),
    }
}

/// A request: its constructor, then a setter per optional field.
pub fn new_widget() -> NewWidget {
    NewWidget::new(String::from("bolt"))
        .colour(Colour::Red)
        .note(String::from("shiny"))
}

/// Optional query parameters: the params struct's constructor (or
/// `Default`) and setters.
pub fn get_params() -> GetWidgetParams {
    let _all = GetWidgetParams::default();
    GetWidgetParams::new().fields(vec![String::from("id")])
}

/// A response, every field read with its type spelt out.
pub fn describe(widget: &Widget) -> String {
    let id: i32 = widget.id;
    let name: &String = &widget.name;
    let colour: &Colour = &widget.colour;
    let note: Option<&String> = widget.note.as_ref();
    format!("{id} {name} {} {note:?}", colour_name(colour))
}

/// Every operation called.
pub async fn calls(client: &Client) -> Option<String> {
    let fetched = client.get_widget(7, get_params()).await.ok()?;
    let created = client.create_widget(&new_widget()).await.ok()?;
    Some(describe(&fetched) + &describe(&created))
}
