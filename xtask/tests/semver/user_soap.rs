//! A downstream crate written against the code generated from `base.wsdl`,
//! the way the generated SOAP API lets users write it: request elements
//! built with `new(required fields)` and setters, results read field by
//! field, enums matched by name with the wildcard arm `#[non_exhaustive]`
//! demands, and every operation called. `semver_compile.rs` builds it
//! against the code generated from each changed WSDL.

use soap_api::Client;
use soap_api::types::{Colour, ParamsCreateWidget, ParamsGetWidget, Widget};

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
pub fn new_widget() -> ParamsCreateWidget {
    ParamsCreateWidget::new(String::from("bolt"))
        .colour(Colour::Red)
        .note(String::from("shiny"))
}

/// A result, every field read with its type spelt out.
pub fn describe(widget: &Widget) -> String {
    let id: i32 = widget.id;
    let name: &String = &widget.name;
    let colour: &Colour = &widget.colour;
    let note: Option<&String> = widget.note.as_ref();
    format!("{id} {name} {} {note:?}", colour_name(colour))
}

/// Every operation called.
pub async fn calls(client: &Client) -> Option<String> {
    let fetched = client.get_widget(ParamsGetWidget::new(7)).await.ok()?;
    let created = client.create_widget(new_widget()).await.ok()?;
    Some(describe(&fetched) + &describe(&created))
}
