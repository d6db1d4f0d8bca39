//! `cargo xtask`: the project's generator command line. See `xtask --help`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::codegen::{self, CodegenError, Kind, Mode, paths};
use xtask::report;

/// Project automation for the Marketo workspace.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the bindings from the specs (both crates by default).
    Codegen(CodegenArgs),
    /// Print the semantic differences between two WSDL documents (types,
    /// element order, occurrence, nillability, operations, headers, faults).
    /// Exits 0 when there are none, 1 when there are, 2 on an error.
    WsdlDiff {
        /// The left document (e.g. specs/marketo-soap.wsdl).
        left: PathBuf,
        /// The right document (e.g. specs/reference/marketo-mktows-2_3.wsdl).
        right: PathBuf,
    },
}

#[derive(clap::Args)]
struct CodegenArgs {
    /// Write nothing; exit non-zero and name each file that is out of date.
    #[arg(long, global = true)]
    check: bool,
    /// Also write the API-change report as Markdown to this file (for a
    /// pull-request comment).
    #[arg(long, global = true, value_name = "FILE")]
    report: Option<PathBuf>,
    #[command(subcommand)]
    only: Option<Only>,
}

#[derive(Subcommand)]
enum Only {
    /// Generate a SOAP client from a document/literal WSDL.
    Soap {
        /// The WSDL file.
        #[arg(long, default_value = "specs/marketo-soap.wsdl")]
        wsdl: PathBuf,
        /// The directory to write the generated modules into.
        #[arg(long, default_value = "crates/marketo-soap/src/generated")]
        out: PathBuf,
    },
    /// Generate a REST client from an OpenAPI 3.0 spec.
    Rest {
        /// The OpenAPI file (YAML or JSON).
        #[arg(long, default_value = "specs/marketo-rest.yaml")]
        spec: PathBuf,
        /// The directory to write the generated modules into.
        #[arg(long, default_value = "crates/marketo-rest/src/generated")]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Codegen(args) => codegen_command(args),
        Command::WsdlDiff { left, right } => wsdl_diff(&left, &right),
    }
}

/// `cargo xtask wsdl-diff LEFT RIGHT`.
fn wsdl_diff(left: &std::path::Path, right: &std::path::Path) -> ExitCode {
    match xtask::wsdl::diff::diff_files(left, right) {
        Ok(diffs) => {
            for d in &diffs {
                println!("{d}");
            }
            println!(
                "{} difference(s) between {} (left) and {} (right)",
                diffs.len(),
                left.display(),
                right.display()
            );
            if diffs.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// `cargo xtask codegen …`.
fn codegen_command(args: CodegenArgs) -> ExitCode {
    let mode = if args.check { Mode::Check } else { Mode::Write };
    let root = codegen::workspace_root();
    let (kind, spec, out) = match args.only {
        None => (None, PathBuf::new(), PathBuf::new()),
        Some(Only::Soap { wsdl, out }) => (Some(Kind::Soap), wsdl, out),
        Some(Only::Rest { spec, out }) => (Some(Kind::Rest), spec, out),
    };
    // Paths are spelled one way (relative to the workspace root when inside
    // it, else absolute) and the generator runs from the root, so that the
    // headers, hence `--check`, are the same however and wherever the paths
    // were given.
    let cwd = std::env::current_dir().unwrap_or_else(|_| root.clone());
    let spec = paths::canonical_spelling(&spec, &cwd, &root);
    let out = paths::canonical_spelling(&out, &cwd, &root);
    if let Err(e) = std::env::set_current_dir(&root) {
        eprintln!(
            "error: cannot enter the workspace root {}: {e}",
            root.display()
        );
        return ExitCode::FAILURE;
    }
    // The workspace's own crates name the plain `cargo xtask codegen`.
    let own = match kind {
        None => Some(None),
        Some(kind) => codegen::default_jobs()
            .into_iter()
            .find(|j| j.kind == kind && j.spec == spec && j.out == out)
            .map(|j| Some(j.kind)),
    };
    let jobs = match own {
        Some(only) => codegen::default_jobs()
            .into_iter()
            .filter(|j| only.is_none_or(|k| j.kind == k))
            .collect(),
        None => {
            let kind = kind.unwrap_or(Kind::Soap);
            let (sub, flag) = match kind {
                Kind::Soap => ("soap", "--wsdl"),
                Kind::Rest => ("rest", "--spec"),
            };
            let command = format!(
                "{} {sub} {flag} {} --out {}",
                codegen::COMMAND,
                spec.display().to_string().replace('\\', "/"),
                out.display().to_string().replace('\\', "/")
            );
            match codegen::job(kind, spec, out, command) {
                Some(job) => vec![job],
                None => {
                    eprintln!("error: this build has no {kind} generator");
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    let result = codegen::run(&jobs, mode);
    let code = match &result {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    };
    // The report is useful whenever the specs load: after a run, and when
    // `--check` finds stale code (it says what the regeneration will change).
    if matches!(result, Ok(_) | Err(CodegenError::Stale { .. })) {
        match report::build(&jobs) {
            Ok(report) => {
                println!("{report}");
                if let Some(path) = &args.report
                    && let Err(e) = std::fs::write(path, report.to_markdown())
                {
                    eprintln!("error: cannot write the report to {}: {e}", path.display());
                    return ExitCode::FAILURE;
                }
            }
            Err(e) => eprintln!("warning: no API-change report: {e}"),
        }
    }
    code
}
