//! `aliprefetch-emulator`: the local Live/VOD service as a program.

use aliprefetch_emulator::cli::{self, ServeArgs};
use clap::Parser;

/// A local ApsaraVideo Live/VOD service for the prefetch and relay APIs: verifies V1/V3 signatures,
/// keeps state, enforces quotas and rules, injects seeded faults.
#[derive(Debug, Parser)]
#[command(name = "aliprefetch-emulator", version)]
struct Args {
    #[command(flatten)]
    serve: ServeArgs,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    cli::init_logging(&args.serve);
    match cli::run(args.serve) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aliprefetch-emulator: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
