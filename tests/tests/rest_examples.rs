//! Every JSON example of Adobe's REST reference pages, kept as a fixture under
//! `tests/fixtures/rest-examples/<operationId>/`, decodes into the type the
//! generated method of that operation uses, and loses nothing on the way.
//!
//! Layout of a fixture directory (see the README there):
//! - `response.json`, `response.<variant>.json`: a documented answer
//!   (envelope and all); each `result` item must decode into the
//!   operation's item type, and every member of the example with a value
//!   must come back when the decoded item is encoded again (a member the
//!   spec does not declare would be silently dropped by the client);
//! - `request.json`, `request.<variant>.json`: a documented JSON body;
//! - `*.excluded.json`: an example kept but not decoded, on purpose (it
//!   need not even be JSON: some published examples are not);
//! - `notes.md`: the source page and heading, any fix made to the example
//!   and why an example is excluded (it must name each excluded file);
//! - `ignored-members.txt` (optional): members allowed to be dropped, one
//!   JSON path per line (`result[].foo.bar`), each followed by `# why`.
//!
//! The same fixtures are validated against the spec's schemas, independently
//! of the generated code, by `scripts/independent/validate_examples.py`.
//! Which type decodes each operation comes from the generator itself
//! (`crates/marketo-rest/src/generated/examples.rs`).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use marketo_rest::Envelope;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

#[allow(dead_code)]
#[rustfmt::skip]
#[path = "../../crates/marketo-rest/src/generated/examples.rs"]
mod table;

use table::{Shape, TypeVisitor};

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rest-examples")
}

/// Decodes one example with the visited type and lists what went wrong.
struct Check<'a> {
    example: &'a Value,
    ignored: &'a BTreeSet<String>,
}

impl TypeVisitor for Check<'_> {
    type Output = Vec<String>;

    fn visit<T: DeserializeOwned + Serialize>(self, shape: Shape) -> Vec<String> {
        let mut problems = Vec::new();
        match shape {
            Shape::Envelope => match serde_json::from_value::<Envelope<T>>(self.example.clone()) {
                Err(e) => problems.push(format!("does not decode: {e}")),
                Ok(env) => {
                    let items = self.example.get("result").and_then(Value::as_array);
                    for (i, (item, decoded)) in items
                        .into_iter()
                        .flatten()
                        .zip(env.result.iter().flatten())
                        .enumerate()
                    {
                        let again = serde_json::to_value(decoded).expect("encodes");
                        lost_members(item, &again, "result[]", self.ignored, &mut |p| {
                            problems.push(format!("result[{i}]: member `{p}` is dropped"))
                        });
                    }
                }
            },
            Shape::Plain => match serde_json::from_value::<T>(self.example.clone()) {
                Err(e) => problems.push(format!("does not decode: {e}")),
                Ok(decoded) => {
                    let again = serde_json::to_value(&decoded).expect("encodes");
                    lost_members(self.example, &again, "", self.ignored, &mut |p| {
                        problems.push(format!("member `{p}` is dropped"))
                    });
                }
            },
        }
        problems
    }
}

/// Calls `report` with the path of every member of `original` that has a
/// value but is missing from `again` (the decoded value encoded anew).
fn lost_members(
    original: &Value,
    again: &Value,
    path: &str,
    ignored: &BTreeSet<String>,
    report: &mut dyn FnMut(&str),
) {
    match (original, again) {
        (Value::Object(o), Value::Object(a)) => {
            for (k, v) in o {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if v.is_null() || ignored.contains(&p) {
                    continue;
                }
                match a.get(k) {
                    None => report(&p),
                    Some(w) => lost_members(v, w, &p, ignored, report),
                }
            }
        }
        (Value::Array(o), Value::Array(a)) => {
            let p = format!("{path}[]");
            for (v, w) in o.iter().zip(a) {
                lost_members(v, w, &p, ignored, report);
            }
        }
        _ => {}
    }
}

fn ignored_members(dir: &Path) -> BTreeSet<String> {
    fs::read_to_string(dir.join("ignored-members.txt"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let (path, why) = l.split_once('#')?;
            (!why.trim().is_empty()).then(|| path.trim().to_owned())
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// Problems of one fixture directory.
fn check_dir(dir: &Path, checked: &mut usize) -> Vec<String> {
    let op = dir.file_name().unwrap().to_string_lossy().into_owned();
    let mut problems = Vec::new();
    if !table::OPERATIONS.contains(&op.as_str()) {
        problems.push("no operation of that operationId in specs/marketo-rest.yaml".to_owned());
    }
    let notes = fs::read_to_string(dir.join("notes.md")).unwrap_or_default();
    if notes.trim().is_empty() {
        problems.push("notes.md (source page and heading) is missing".to_owned());
    }
    let ignored = ignored_members(dir);
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("fixture directory reads")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".excluded.json") {
            // Kept as published, which may not even be JSON; notes.md says why.
            if !notes.contains(&name) {
                problems.push(format!("{name}: excluded, but notes.md does not say why"));
            }
            continue;
        }
        let text = fs::read_to_string(&file).expect("fixture reads");
        let example: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{name}: not JSON: {e}"));
                continue;
            }
        };
        let check = Check {
            example: &example,
            ignored: &ignored,
        };
        let found = if name.starts_with("response") {
            table::response(&op, check)
        } else if name.starts_with("request") {
            table::request(&op, check)
        } else {
            problems.push(format!("{name}: name it response*.json or request*.json"));
            continue;
        };
        match found {
            None => problems.push(format!("{name}: the operation has no such JSON body")),
            Some(p) => {
                *checked += 1;
                problems.extend(p.into_iter().map(|p| format!("{name}: {p}")));
            }
        }
    }
    problems
}

#[test]
fn every_documented_example_decodes_into_the_generated_types() {
    let mut dirs: Vec<PathBuf> = fs::read_dir(fixtures_root())
        .expect("tests/fixtures/rest-examples exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut checked = 0;
    let mut failures = Vec::new();
    for dir in &dirs {
        let op = dir.file_name().unwrap().to_string_lossy().into_owned();
        failures.extend(
            check_dir(dir, &mut checked)
                .into_iter()
                .map(|p| format!("{op}/{p}")),
        );
    }
    println!("{checked} examples of {} operations decoded", dirs.len());
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 0, "no example was decoded");
}

#[test]
fn the_checker_catches_a_dropped_member_and_a_wrong_type() {
    let ignored = BTreeSet::new();
    let example = serde_json::json!({"requestId": "r", "success": true,
        "result": [{"id": 1, "name": "a", "notInTheSpec": 2}]});
    #[derive(serde::Deserialize, Serialize)]
    struct Item {
        id: i32,
        name: String,
    }
    let problems = Check {
        example: &example,
        ignored: &ignored,
    }
    .visit::<Item>(Shape::Envelope);
    assert_eq!(
        problems,
        ["result[0]: member `result[].notInTheSpec` is dropped"]
    );
    let ignored = BTreeSet::from(["result[].notInTheSpec".to_owned()]);
    let problems = Check {
        example: &example,
        ignored: &ignored,
    }
    .visit::<Item>(Shape::Envelope);
    assert!(problems.is_empty());
    let wrong = serde_json::json!({"id": "one", "name": "a"});
    let problems = Check {
        example: &wrong,
        ignored: &ignored,
    }
    .visit::<Item>(Shape::Plain);
    assert!(problems[0].starts_with("does not decode"), "{problems:?}");
}
