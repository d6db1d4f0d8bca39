//! Custom objects and MObjects (SOAP).

use super::State;

/// A custom object record (SOAP custom objects).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomObject {
    /// Key attributes.
    pub keys: Vec<(String, String)>,
    /// Other attributes.
    pub attributes: Vec<(String, String)>,
}

/// A Marketo object (SOAP MObjects: opportunities and friends).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MObject {
    /// Object type, e.g. `Opportunity`.
    pub mobj_type: String,
    /// Id.
    pub id: i32,
    /// Attributes.
    pub attributes: Vec<(String, String)>,
}

impl State {
    /// The demo custom object and opportunity.
    pub(super) fn seed_demo_objects(&mut self) {
        self.custom_objects.insert(
            "RoadShow".into(),
            vec![CustomObject {
                keys: vec![
                    ("MKTOID".into(), "3001".into()),
                    ("rid".into(), "rid1".into()),
                ],
                attributes: vec![("city".into(), "Stockholm".into())],
            }],
        );
        self.mobjects.insert(
            6001,
            MObject {
                mobj_type: "Opportunity".into(),
                id: 6001,
                attributes: vec![
                    ("Name".into(), "Demo Opportunity".into()),
                    ("Amount".into(), "5000".into()),
                    ("Stage".into(), "Prospecting".into()),
                ],
            },
        );
        self.next_mobject_id = 6002;
    }
}
