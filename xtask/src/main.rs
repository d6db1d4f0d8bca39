//! `cargo xtask`: the project's generator command line. See `xtask --help`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::codegen::{self, Kind, Mode};

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
}

#[derive(clap::Args)]
struct CodegenArgs {
    /// Write nothing; exit non-zero and name each file that is out of date.
    #[arg(long, global = true)]
    check: bool,
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
    let cli = Cli::parse();
    let Command::Codegen(args) = cli.command;
    let mode = if args.check { Mode::Check } else { Mode::Write };
    let jobs = match args.only {
        None => {
            let root = codegen::workspace_root();
            if let Err(e) = std::env::set_current_dir(&root) {
                eprintln!(
                    "error: cannot enter the workspace root {}: {e}",
                    root.display()
                );
                return ExitCode::FAILURE;
            }
            codegen::default_jobs()
        }
        Some(only) => {
            let (kind, spec, out) = match only {
                Only::Soap { wsdl, out } => (Kind::Soap, wsdl, out),
                Only::Rest { spec, out } => (Kind::Rest, spec, out),
            };
            // The workspace's own spec and output keep the default job's
            // header, so `codegen rest` and `codegen` write the same bytes.
            let is_default = codegen::default_jobs()
                .iter()
                .any(|job| job.spec == spec && job.out == out);
            let command = if is_default {
                codegen::COMMAND.to_owned()
            } else {
                let args = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
                format!("cargo xtask {args}").replace(" --check", "")
            };
            match codegen::job(kind, spec, out, command) {
                Some(job) => vec![job],
                None => {
                    eprintln!("error: this build has no {kind} generator yet");
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    match codegen::run(&jobs, mode) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
