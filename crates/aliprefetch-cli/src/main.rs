//! `aliprefetch`: the prefetch and relay APIs from a terminal or a cron job.

mod args;
mod call;
mod failure;
mod input;
mod live;
mod output;
mod progress;
mod session;
mod vod;
mod watch;

use std::process::ExitCode;

use aliprefetch::TaskType;
use clap::{CommandFactory as _, Parser as _};

use crate::args::{Cli, Command, LiveCommand, OutputFormat, ProgressMode, VodCommand};
use crate::failure::{Exit, Failure};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "aliprefetch", &mut std::io::stdout());
            return ExitCode::SUCCESS;
        }
        Command::Emulator(serve) => {
            aliprefetch_emulator::cli::init_logging(&serve);
            return match aliprefetch_emulator::cli::run(serve) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("aliprefetch: {e}");
                    ExitCode::from(Exit::Usage as u8)
                }
            };
        }
        _ => {}
    }
    let mode = if cli.global.no_progress { ProgressMode::Never } else { cli.global.progress };
    progress::init(mode);
    init_logging(cli.global.verbose);

    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("aliprefetch: cannot start: {e}");
            return ExitCode::from(Exit::Other as u8);
        }
    };
    let exit = match runtime.block_on(run(&cli)) {
        Ok(exit) => exit,
        Err(failure) => {
            report(&failure, cli.global.output);
            failure.exit
        }
    };
    ExitCode::from(exit as u8)
}

async fn run(cli: &Cli) -> Result<Exit, Failure> {
    let g = &cli.global;
    match &cli.command {
        Command::Live(LiveCommand::Preload(a)) => live::preload(g, a).await,
        Command::Live(LiveCommand::Tasks(a)) => live::tasks(g, a).await,
        Command::Live(LiveCommand::HotRtc(a)) => live::hot_rtc(g, a).await,
        Command::Live(LiveCommand::UpdateRelay(a)) => live::update_relay(g, a).await,
        Command::Vod(VodCommand::Refresh(a)) => vod::media(g, a, TaskType::Refresh).await,
        Command::Vod(VodCommand::Preload(a)) => vod::media(g, a, TaskType::Preload).await,
        Command::Call(a) => call::call(g, a).await,
        Command::Emulator(_) | Command::Completions { .. } => unreachable!("handled before the runtime starts"),
    }
}

/// The failure for people on stderr; for scripts also as JSON on stdout.
fn report(failure: &Failure, format: OutputFormat) {
    let mut text = format!("aliprefetch: error: {}", failure.message);
    if let Some(hint) = &failure.hint {
        text.push_str(&format!("\nhint: {}", hint.replace('\n', "\n      ")));
    }
    output::note(&text);
    if format != OutputFormat::Table {
        println!("{}", failure.to_json());
    }
}

/// `-v` info, `-vv` debug, `-vvv` trace, on stderr; `RUST_LOG` overrides.
fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(progress::LogWriter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}
