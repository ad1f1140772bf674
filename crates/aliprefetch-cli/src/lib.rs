//! `aliprefetch`: the prefetch and relay APIs from a terminal or a cron job.
//!
//! The command is this library's [`run`]: the `aliprefetch` binary calls it, and so do the Python
//! package's `aliprefetch` console script and the npm package's `npx aliprefetch`, so every ecosystem
//! ships the same command.

mod args;
mod call;
mod dryrun;
mod failure;
mod input;
mod live;
mod output;
mod progress;
mod session;
mod settle;
mod vod;
mod watch;

use std::ffi::OsString;

use aliprefetch::TaskType;
use clap::{CommandFactory as _, Parser as _};

use crate::args::{Cli, Command, LiveCommand, OutputFormat, ProgressMode, VodCommand};
use crate::failure::{Exit, Failure};

/// Runs the command with `args` (the program's name first, as `std::env::args_os()` gives them) and
/// returns its exit code (0 success, 1 some items failed, 2 usage or invalid input, 3 authentication,
/// 4 throttled or unavailable, 5 any other, 130 interrupted). Never exits the process itself.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed; usage errors print to stderr.
            let _ = e.print();
            return e.exit_code();
        }
    };
    match cli.command {
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "aliprefetch", &mut std::io::stdout());
            return 0;
        }
        Command::Emulator(serve) => {
            aliprefetch_emulator::cli::init_logging(&serve);
            return match aliprefetch_emulator::cli::run(serve) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("aliprefetch: {e}");
                    Exit::Usage as i32
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
            return Exit::Other as i32;
        }
    };
    let exit = match runtime.block_on(dispatch(&cli)) {
        Ok(exit) => exit,
        Err(failure) => {
            report(&failure, cli.global.output);
            failure.exit
        }
    };
    exit as i32
}

async fn dispatch(cli: &Cli) -> Result<Exit, Failure> {
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
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(progress::LogWriter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        // A second run in the same process (from a binding) keeps the first run's logger.
        .try_init();
}
