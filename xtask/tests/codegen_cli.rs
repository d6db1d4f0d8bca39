//! `cargo xtask codegen` as a command: `--check` gives the same answer
//! however the spec and output paths are spelled and from whichever
//! directory it runs, and an output directory outside any git repository
//! gets a quiet report (no `fatal:` from git) that says why it has no
//! baseline.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Runs the generator in `cwd` with `args`.
fn xtask(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run xtask")
}

fn text(output: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A fresh directory outside the repository (under the system's temporary
/// directory), when that directory is itself outside any git repository.
fn scratch(name: &str) -> Option<PathBuf> {
    let dir = std::env::temp_dir().join(format!("xtask-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a scratch directory");
    let inside_git = Command::new("git")
        .args(["-C"])
        .arg(&dir)
        .args(["rev-parse", "--show-toplevel"])
        .output()
        .is_ok_and(|o| o.status.success());
    if inside_git {
        eprintln!("skipped: {} is inside a git repository", dir.display());
        let _ = std::fs::remove_dir_all(&dir);
        return None;
    }
    Some(dir)
}

#[test]
fn check_gives_one_answer_however_the_paths_are_spelled() {
    let root = root();
    let Some(tmp) = scratch("spelling") else {
        return;
    };
    let out = tmp.join("gen");
    let out_text = out.to_string_lossy().into_owned();
    let generated = xtask(
        &root,
        &[
            "codegen",
            "soap",
            "--wsdl",
            "xtask/tests/soap/nillable/input.wsdl",
            "--out",
            &out_text,
        ],
    );
    assert!(generated.status.success(), "{}", text(&generated));
    let header = std::fs::read_to_string(out.join("mod.rs")).unwrap();
    assert!(
        header.contains("from xtask/tests/soap/nillable/input.wsdl"),
        "{header}"
    );

    let absolute = root.join("xtask/tests/soap/nillable/input.wsdl");
    let absolute = absolute.to_string_lossy().into_owned();
    let out_dotted = format!("{}/./gen/../gen", tmp.to_string_lossy());
    let xtask_dir = root.join("xtask");
    let spellings: [(&Path, &str, &str); 5] = [
        (&root, "xtask/tests/soap/nillable/input.wsdl", &out_text),
        (&root, &absolute, &out_text),
        (
            &root,
            "./xtask/tests/../tests/soap/nillable/input.wsdl",
            &out_dotted,
        ),
        (&xtask_dir, "tests/soap/nillable/input.wsdl", &out_text),
        (
            &xtask_dir,
            "../xtask/./tests/soap/nillable/input.wsdl",
            &out_dotted,
        ),
    ];
    for (cwd, wsdl, out) in spellings {
        let check = xtask(
            cwd,
            &["codegen", "--check", "soap", "--wsdl", wsdl, "--out", out],
        );
        assert!(
            check.status.success(),
            "--wsdl {wsdl} --out {out} in {}: {}",
            cwd.display(),
            text(&check)
        );
    }
    // The check can fail: another spec is out of date against that output.
    let other = xtask(
        &root,
        &[
            "codegen",
            "--check",
            "soap",
            "--wsdl",
            "xtask/tests/soap/enums/input.wsdl",
            "--out",
            &out_text,
        ],
    );
    assert!(!other.status.success(), "{}", text(&other));
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn the_workspace_spec_is_recognised_however_it_is_spelled() {
    let root = root();
    for (cwd, wsdl, out) in [
        (
            root.clone(),
            "./specs/../specs/marketo-soap.wsdl",
            "crates/marketo-soap/src/generated",
        ),
        (
            root.join("specs"),
            "marketo-soap.wsdl",
            "../crates/marketo-soap/./src/generated",
        ),
    ] {
        let check = xtask(
            &cwd,
            &["codegen", "--check", "soap", "--wsdl", wsdl, "--out", out],
        );
        assert!(check.status.success(), "{wsdl}: {}", text(&check));
    }
}

#[test]
fn an_output_outside_git_gets_a_quiet_report_that_says_why() {
    let root = root();
    let Some(tmp) = scratch("nogit") else {
        return;
    };
    // The spec outside any repository too.
    let spec = tmp.join("service.wsdl");
    std::fs::copy(root.join("xtask/tests/soap/enums/input.wsdl"), &spec).unwrap();
    let out = tmp.join("out");
    let run = xtask(
        &tmp,
        &["codegen", "soap", "--wsdl", "service.wsdl", "--out", "out"],
    );
    let all = text(&run);
    assert!(run.status.success(), "{all}");
    assert!(out.join("mod.rs").is_file(), "{all}");
    assert!(!all.contains("fatal"), "git noise: {all}");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("is not inside a git repository, so there is no committed baseline"),
        "{all}"
    );
    // --check from the same place agrees, just as quietly.
    let check = xtask(
        &tmp,
        &[
            "codegen",
            "--check",
            "soap",
            "--wsdl",
            "service.wsdl",
            "--out",
            "out",
        ],
    );
    let all = text(&check);
    assert!(check.status.success(), "{all}");
    assert!(!all.contains("fatal"), "git noise: {all}");
    let _ = spec;
    let _ = std::fs::remove_dir_all(&tmp);
}
