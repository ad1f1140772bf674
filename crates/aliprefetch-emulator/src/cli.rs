//! The emulator as a program: its options, logging and run loop, shared by the
//! `aliprefetch-emulator` binary and `aliprefetch emulator`.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::fixtures::{Account, Fixtures};
use crate::{Config, Emulator};

/// How to start a standalone emulator.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Accept this access key id (with --access-key-secret) instead of the fixtures' accounts.
    #[arg(long, requires = "access_key_secret")]
    pub access_key_id: Option<String>,
    /// The secret of --access-key-id.
    #[arg(long, requires = "access_key_id")]
    pub access_key_secret: Option<String>,
    /// A fixture file (JSON): accounts, domains, tasks, media, quotas, faults.
    #[arg(long)]
    pub fixtures: Option<PathBuf>,
    /// Seed of the fault generator.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Start the clock at this UTC time (yyyy-MM-ddTHH:mm:ssZ) instead of now.
    #[arg(long)]
    pub now: Option<String>,
    /// Run the clock this far ahead of the real time (or of --now), or behind it with a leading `-`:
    /// `1h`, `-20m`, `90s` (to test a client's clock-skew correction).
    #[arg(long, allow_hyphen_values = true, value_parser = parse_offset)]
    pub clock_offset: Option<time::Duration>,
    /// Log filter (tracing EnvFilter syntax); RUST_LOG overrides it.
    #[arg(long, default_value = "info")]
    pub log: String,
    /// `text` for people, `json` (one object per line) for log collectors.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// `[+|-]DURATION` (humantime: `1h`, `20m`, `90s`) as a signed offset.
fn parse_offset(s: &str) -> Result<time::Duration, String> {
    let (sign, rest) = match s.trim().strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, s.trim().trim_start_matches('+')),
    };
    let d = humantime::parse_duration(rest).map_err(|e| format!("`{s}` is not a duration such as 1h or -20m: {e}"))?;
    let d = time::Duration::try_from(d).map_err(|_| format!("`{s}` is too long"))?;
    Ok(if sign < 0 { d.saturating_mul(-1) } else { d })
}

/// The emulator's log format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Sends the emulator's logs to stderr as `args` asks.
pub fn init_logging(args: &ServeArgs) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&args.log));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // A process that already has a logger (a binding's host running the command twice) keeps it.
    let _ = match args.log_format {
        LogFormat::Json => logs.json().try_init(),
        LogFormat::Text => logs.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())).try_init(),
    };
}

/// Starts the emulator, prints `listening on http://…` to stdout and serves until SIGINT or SIGTERM.
pub fn run(args: ServeArgs) -> Result<(), String> {
    let mut fixtures = match &args.fixtures {
        Some(path) => Fixtures::from_file(path)?,
        None => Fixtures::default(),
    };
    if let (Some(id), Some(secret)) = (args.access_key_id, args.access_key_secret) {
        fixtures.accounts = Some(vec![Account { access_key_id: id, access_key_secret: secret, security_token: None }]);
    }
    if fixtures.accounts.is_none() {
        eprintln!("aliprefetch-emulator: no accounts given; accepting access key testid / testsecret");
    }
    let now =
        args.now.as_deref().map(|s| aliprefetch::parse_timestamp("--now", s)).transpose().map_err(|e| e.to_string())?;
    let config = Config {
        listen: args.listen,
        fixtures,
        seed: args.seed,
        now,
        clock_offset: args.clock_offset,
        ..Config::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let emu = Emulator::start(config).await.map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
        println!("listening on {}", emu.endpoint());
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
        wait_for_signal().await;
        tracing::info!("stopping");
        emu.shutdown().await;
        Ok(())
    })
}

async fn wait_for_signal() {
    // Without a SIGTERM handler (none can be installed, or not on this platform), Ctrl-C alone stops it.
    #[cfg(unix)]
    let term = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => term.recv().await,
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<Option<()>>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
}
