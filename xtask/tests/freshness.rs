//! The committed generated code must be what the committed specs produce,
//! and producing it must be deterministic. A failure here names the command
//! that fixes it.

use xtask::codegen::{self, CodegenError, Mode};

fn jobs() -> Vec<codegen::Job> {
    // The jobs use paths relative to the workspace root.
    std::env::set_current_dir(codegen::workspace_root()).expect("enter the workspace root");
    codegen::default_jobs()
}

#[test]
fn committed_generated_code_is_fresh() {
    let jobs = jobs();
    assert!(!jobs.is_empty(), "no generator jobs");
    match codegen::run(&jobs, Mode::Check) {
        Ok(_) => {}
        Err(e @ CodegenError::Stale { .. }) => panic!("{e}"),
        Err(e) => panic!("the generator failed on the committed specs: {e}"),
    }
}

#[test]
fn generating_twice_gives_identical_bytes() {
    for job in jobs() {
        let first = job.generate_files().expect("first run");
        let second = job.generate_files().expect("second run");
        assert!(!first.is_empty(), "{}: no files", job.name);
        assert_eq!(first, second, "{}: two runs differ", job.name);
    }
}
