//! The command line: global options, subcommands and how typed values are parsed.

use std::path::PathBuf;
use std::time::Duration;

use aliprefetch::WireEnum;
use aliprefetch::{Area, Definition, MediaFormat, PreloadStatus, RegionCode, ResultType, StreamType};
use aliprefetch_emulator::cli::ServeArgs;
use clap::builder::{PossibleValuesParser, TypedValueParser as _};
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use time::OffsetDateTime;

const EXIT_CODES: &str = "\
Exit codes:
  0  every item succeeded
  1  some items failed (the report says which and why)
  2  usage or validation error (nothing was sent)
  3  authentication or credentials: none found, or the service refused them
  4  throttled or service unavailable after retries (5xx, timeout, connection)
  5  any other error (the service refused the request, an unreadable answer)
  130  interrupted (Ctrl-C): a batch prints what settled and names what was in flight; a wait or
       watch (--wait, --watch) prints the tasks as last polled

Credentials come from the default chain, in this order: ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET
(/ _SECURITY_TOKEN), the OIDC role (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and
ALIBABA_CLOUD_OIDC_TOKEN_FILE, as RRSA sets them), the aliyun CLI profile (~/.aliyun/config.json,
--profile or ALIBABA_CLOUD_PROFILE), ~/.alibabacloud/credentials, the ECS RAM role,
ALIBABA_CLOUD_CREDENTIALS_URI.
Try it with no account: aliprefetch --emulator live preload --domain play.example.com rtmp://play.example.com/live/s1";

/// Warm CDN caches before a live event, watch prefetch progress, steer relay tasks, and purge or
/// prefetch VOD media on Alibaba Cloud ApsaraVideo, with validation before anything is sent, retries,
/// pacing under the QPS quotas and batches of any size.
#[derive(Debug, Parser)]
#[command(name = "aliprefetch", version, after_help = EXIT_CODES, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Region of the service endpoints [default: cn-shanghai]. For `live update-relay` it is also the
    /// task's region (ap-southeast-1, ap-southeast-5, cn-beijing, cn-shanghai).
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// Send to this endpoint (`host:port` or a URL) instead of the region's.
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Use this aliyun CLI profile (~/.aliyun/config.json) for credentials.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Signature version.
    #[arg(long, global = true, value_enum, default_value_t = Signature::V3)]
    pub signature: Signature,
    /// `table` for people, `json` (one document) or `jsonl` (one object per line) for scripts.
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
    /// Never draw progress bars (they go to stderr, and only when it is a terminal).
    #[arg(long, global = true, conflicts_with = "progress")]
    pub no_progress: bool,
    /// When to draw progress bars on stderr.
    #[arg(long, global = true, value_enum, default_value_t = ProgressMode::Auto)]
    pub progress: ProgressMode,
    /// More logs on stderr: -v info, -vv debug, -vvv trace (RUST_LOG overrides).
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,
    /// Start the embedded emulator with demo data and its own credentials and send everything there:
    /// try the real job with no account.
    #[arg(long, global = true, conflicts_with_all = ["endpoint", "profile"])]
    pub emulator: bool,
    /// Pace calls at N per second for every action, or ACTION=N for one (repeatable); 0 lifts the
    /// pacing. For the emulator or raised quotas [default: the documented quotas: 50/s for
    /// SetLiveStreamPreloadTasks and RefreshMediaPlayUrls, 10/s for the rest].
    #[arg(long, global = true, value_name = "N|ACTION=N", value_parser = parse_rate_limit)]
    pub rate_limit: Vec<RateLimitArg>,
    /// Share the pacing with every process and host on the account through Redis: redis://… or
    /// rediss://… (TLS), with optional ?key_prefix=…&account=…&fallback_share=…&timeout_ms=… (account:
    /// the name the quota is kept under, default the AccessKeyId; give the account's id when role
    /// sessions each have their own temporary AccessKeyId) [default: the ALIPREFETCH_RATE_LIMIT_URL
    /// environment variable, else this process paces alone]. While Redis is away, this process paces
    /// itself at fallback_share (default 0.25) of each quota.
    #[arg(long, global = true, value_name = "URL")]
    pub rate_limit_url: Option<String>,
    /// Validate, batch and plan, then print what would be sent (no signature) and send nothing; needs
    /// no credentials. With `-o jsonl`, one object per request: action, method, url, params.
    #[arg(long = "dry-run", visible_alias = "dryrun", global = true)]
    pub dry_run: bool,
    /// Time to wait for a connection: seconds, or a duration such as 500ms [default: 5, or the profile's
    /// connect_timeout].
    #[arg(long, global = true, value_name = "SECONDS", value_parser = parse_seconds)]
    pub connect_timeout: Option<std::time::Duration>,
    /// Time to wait for answer data: seconds, or a duration such as 30s [default: 10, or the profile's
    /// read_timeout].
    #[arg(long, global = true, value_name = "SECONDS", value_parser = parse_seconds)]
    pub read_timeout: Option<std::time::Duration>,
    /// Retries after a failed attempt; 0 makes one attempt [default: 2, or the profile's retry_count].
    #[arg(long, global = true, value_name = "N")]
    pub retry_count: Option<u32>,
}

/// A timeout: a duration ([`parse_duration`]) of more than 0 and at most a day.
fn parse_seconds(s: &str) -> Result<std::time::Duration, String> {
    let d = parse_duration(s)?;
    if d.is_zero() || d > Duration::from_secs(86_400) {
        return Err(format!("`{s}` must be more than 0 and at most a day (86400 seconds)"));
    }
    Ok(d)
}

/// One `--rate-limit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitArg {
    /// None: every action.
    pub action: Option<String>,
    pub per_second: u32,
}

fn parse_rate_limit(s: &str) -> Result<RateLimitArg, String> {
    let (action, n) = match s.split_once('=') {
        Some((action, n)) => {
            let action = action.trim();
            if !aliprefetch::DOCUMENTED_QUOTAS.iter().any(|(a, _)| *a == action) {
                let known: Vec<&str> = aliprefetch::DOCUMENTED_QUOTAS.iter().map(|(a, _)| *a).collect();
                return Err(format!("`{action}` is not one of {}", known.join(", ")));
            }
            (Some(action.to_owned()), n)
        }
        None => (None, s),
    };
    let per_second =
        n.trim().parse().map_err(|_| format!("`{}` is not a whole number of calls per second", n.trim()))?;
    Ok(RateLimitArg { action, per_second })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Signature {
    /// ACS3-HMAC-SHA256.
    V3,
    /// HMAC-SHA1.
    V1,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressMode {
    /// When stderr is a terminal.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// ApsaraVideo Live (2016-11-01): stream prefetch, RTC prefetch, relay tasks.
    #[command(subcommand)]
    Live(LiveCommand),
    /// ApsaraVideo VOD (2017-03-21): purge or prefetch the play URLs of media.
    #[command(subcommand)]
    Vod(VodCommand),
    /// Call any other RPC action of either service, signed, paced and retried like the rest.
    Call(CallArgs),
    /// Run the local emulator of the service until Ctrl-C.
    Emulator(ServeArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum LiveCommand {
    /// Create prefetch tasks for any number of live stream URLs (SetLiveStreamPreloadTasks, 100 per request).
    Preload(PreloadArgs),
    /// List prefetch tasks of the last 3 days, all pages (DescribeLiveStreamPreloadTasks).
    Tasks(TasksArgs),
    /// Prefetch one RTC-ingested stream in one region (HotLiveRtcStream).
    HotRtc(HotRtcArgs),
    /// Change a pull-to-push relay task (UpdateLivePullToPush); its region is --region.
    UpdateRelay(UpdateRelayArgs),
}

#[derive(Debug, Subcommand)]
pub enum VodCommand {
    /// Purge the cached play URLs of media (RefreshMediaPlayUrls, TaskType=Refresh, 20 per request).
    Refresh(MediaArgs),
    /// Prefetch the play URLs of media (RefreshMediaPlayUrls, TaskType=Preload, 20 per request).
    Preload(MediaArgs),
}

/// How long to wait, and how often to look.
#[derive(Debug, Clone, Args)]
pub struct WaitArgs {
    /// Give up waiting after this long: seconds, or a duration (e.g. 90s, 10m).
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration)]
    pub timeout: Duration,
    /// Time between polls while waiting: seconds, or a duration (e.g. 500ms, 2s).
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = parse_duration)]
    pub poll_interval: Duration,
}

#[derive(Debug, Args)]
pub struct PreloadArgs {
    /// The accelerated (streaming) domain.
    #[arg(long, value_name = "DOMAIN")]
    pub domain: String,
    /// Where to prefetch [service default: domestic].
    #[arg(long, value_parser = wire_enum::<Area>())]
    pub area: Option<Area>,
    /// When prefetching starts (RFC 3339, `now`, or `now+10m`).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub start: Option<OffsetDateTime>,
    /// When prefetching ends (RFC 3339, `now`, or `now+2h`).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub end: Option<OffsetDateTime>,
    /// Read URLs from this file, one per line (`#` starts a comment); `-` reads stdin.
    #[arg(long, short = 'f', value_name = "FILE", conflicts_with = "urls")]
    pub file: Option<PathBuf>,
    /// Requests in flight at once; the pacing still applies.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// Then wait until every task is complete or failed.
    #[arg(long)]
    pub wait: bool,
    #[command(flatten)]
    pub waiting: WaitArgs,
    /// Stream URLs to prefetch (rtmp://, http:// FLV …; not HLS); `-` reads them from stdin.
    #[arg(value_name = "URL")]
    pub urls: Vec<String>,
}

#[derive(Debug, Args)]
pub struct TasksArgs {
    /// The accelerated (streaming) domain.
    #[arg(long, value_name = "DOMAIN")]
    pub domain: String,
    /// Only this task (repeat for several).
    #[arg(long = "task-id", value_name = "ID")]
    pub task_ids: Vec<String>,
    /// Only tasks of this stream URL (repeat for several).
    #[arg(long = "url", value_name = "URL")]
    pub urls: Vec<String>,
    /// Only tasks in this state.
    #[arg(long, value_parser = wire_enum::<PreloadStatus>())]
    pub status: Option<PreloadStatus>,
    /// Only tasks created at or after this time (RFC 3339, `now-1h`); the service keeps 3 days.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub since: Option<OffsetDateTime>,
    /// Only tasks created before this time.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub until: Option<OffsetDateTime>,
    /// Tasks per page (the listing reads every page).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32))]
    pub page_size: Option<u32>,
    /// Wait until every listed task is complete or failed, showing their progress.
    #[arg(long)]
    pub watch: bool,
    #[command(flatten)]
    pub waiting: WaitArgs,
}

#[derive(Debug, Args)]
pub struct HotRtcArgs {
    /// The streaming domain.
    #[arg(long, value_name = "DOMAIN")]
    pub domain: String,
    /// The application name.
    #[arg(long, value_name = "APP")]
    pub app: String,
    /// The stream name.
    #[arg(long, value_name = "STREAM")]
    pub stream: String,
    /// Where to prefetch: a Chinese provincial code (ZHJ, SHH, …) or a country code (US, JP, …).
    #[arg(long, value_name = "CODE", value_parser = parse_region_code)]
    pub region_code: RegionCode,
    /// The audio track's msid.
    #[arg(long, value_name = "MSID", default_value = "rts audio")]
    pub audio_msid: String,
    /// The video track's msid.
    #[arg(long, value_name = "MSID", default_value = "rts video")]
    pub video_msid: String,
    /// How long the prefetch connection is kept, in milliseconds.
    #[arg(long, value_name = "MS")]
    pub connection_timeout: Option<u64>,
    /// How long to wait for media, in milliseconds.
    #[arg(long, value_name = "MS")]
    pub media_timeout: Option<u64>,
}

#[derive(Debug, Args)]
pub struct UpdateRelayArgs {
    /// The relay task's id.
    #[arg(long, value_name = "ID")]
    pub task_id: String,
    /// New start time (RFC 3339, `now+5m`).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub start: Option<OffsetDateTime>,
    /// New end time; must be in the future.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub end: Option<OffsetDateTime>,
    /// Source URL (repeat for a playlist of up to 10).
    #[arg(long = "source-url", value_name = "URL")]
    pub source_urls: Vec<String>,
    /// How many times to repeat the source: -1 forever, 0 once.
    #[arg(long = "repeat", value_name = "N", allow_negative_numbers = true)]
    pub repeat: Option<i64>,
    /// Start this many seconds into the source.
    #[arg(long, value_name = "SECONDS")]
    pub offset: Option<u64>,
    /// Where the service reports the task's events.
    #[arg(long, value_name = "URL")]
    pub callback_url: Option<String>,
    /// Start at this file of the playlist (0-based).
    #[arg(long, value_name = "N")]
    pub file_index: Option<u32>,
}

#[derive(Debug, Args)]
pub struct MediaArgs {
    /// Only these formats (comma-separated).
    #[arg(long, value_delimiter = ',', value_parser = wire_enum::<MediaFormat>())]
    pub formats: Vec<MediaFormat>,
    /// Only these definitions (comma-separated).
    #[arg(long, value_delimiter = ',', value_parser = wire_enum::<Definition>())]
    pub definitions: Vec<Definition>,
    /// Only these stream types (comma-separated).
    #[arg(long = "stream-type", value_delimiter = ',', value_parser = wire_enum::<StreamType>())]
    pub stream_types: Vec<StreamType>,
    /// One job for all ids (Single) or one per id (Multiple).
    #[arg(long, value_parser = wire_enum::<ResultType>())]
    pub result_type: Option<ResultType>,
    /// Also the first N (1 to 20) TS slices of M3U8 media (SliceFlag and SliceCount).
    #[arg(long, value_name = "N")]
    pub slices: Option<u32>,
    /// A JSON object passed through to the service's callback.
    #[arg(long, value_name = "JSON")]
    pub user_data: Option<String>,
    /// Read media ids from this file, one per line; `-` reads stdin.
    #[arg(long, short = 'f', value_name = "FILE", conflicts_with = "media_ids")]
    pub file: Option<PathBuf>,
    /// Media ids; `-` reads them from stdin.
    #[arg(value_name = "MEDIA_ID")]
    pub media_ids: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CallArgs {
    /// The action, e.g. DescribeLiveStreamsOnlineList.
    #[arg(value_name = "ACTION")]
    pub action: String,
    /// Which service the action belongs to.
    #[arg(long, value_enum)]
    pub service: ServiceArg,
    /// HTTP method.
    #[arg(long, value_enum, default_value_t = MethodArg::Post)]
    pub method: MethodArg,
    /// Parameters as KEY=VALUE, sent as given.
    #[arg(value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub params: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ServiceArg {
    Live,
    Vod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    Get,
    Post,
}

/// A parser accepting exactly the wire strings of `E`, listed in help and completions.
fn wire_enum<E: WireEnum + Send + Sync + std::str::FromStr + Clone>() -> impl clap::builder::TypedValueParser<Value = E>
{
    PossibleValuesParser::new(E::ALL.iter().map(|v| v.as_str()))
        .map(|s| E::ALL.iter().copied().find(|v| v.as_str() == s).expect("a possible value"))
}

fn parse_region_code(s: &str) -> Result<RegionCode, String> {
    s.parse::<RegionCode>().map_err(|e| e.message().trim_start_matches("RegionCode: ").to_owned())
}

/// Every duration option reads the same forms: a number of seconds (`90`, `1.5`) or a duration with its unit
/// (`500ms`, `30s`, `10m`, `1h`).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    aliprefetch::parse_duration("duration", s).map_err(|e| match e.rule() {
        Some("range") => format!("`{s}` must be 0 or more seconds"),
        _ => e.message().trim_start_matches("duration: ").to_owned(),
    })
}

/// RFC 3339 (any offset, kept as the instant), `now`, or `now` plus or minus a duration. `now` is
/// one instant for the whole command line, in whole seconds like the wire format, so `--start now
/// --end now+6h` is exactly six hours.
pub fn parse_time(s: &str) -> Result<OffsetDateTime, String> {
    static NOW: std::sync::OnceLock<OffsetDateTime> = std::sync::OnceLock::new();
    let now = *NOW.get_or_init(|| {
        let now = OffsetDateTime::now_utc();
        now.replace_nanosecond(0).unwrap_or(now)
    });
    parse_time_at(s, now)
}

fn parse_time_at(s: &str, now: OffsetDateTime) -> Result<OffsetDateTime, String> {
    // The core's reader, as every language's: RFC 3339 (converted to UTC), `now` or `now±DURATION`, refused
    // outside the range a timestamp holds.
    aliprefetch::parse_time_input("time", s, now).map_err(|e| match e.rule() {
        Some("time_range") => format!("`{}` is outside 1970-01-01T00:00:00Z to 9998-12-31T23:59:59Z", s.trim()),
        _ if s.trim().starts_with("now") => format!("`{}`: write now, now+DURATION or now-DURATION", s.trim()),
        _ => format!("`{}` is not an RFC 3339 time such as 2024-05-20T08:00:00Z, nor now±DURATION", s.trim()),
    })
}

fn parse_key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_owned(), v.to_owned())),
        _ => Err(format!("`{s}` is not KEY=VALUE")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;
    use time::macros::datetime;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_duration_option_reads_seconds_or_a_unit() {
        // `--read-timeout 10s` was an error while `--timeout 90` wanted a unit: both forms now read everywhere.
        for (given, secs) in [("90", 90.0), ("1.5", 1.5), ("10s", 10.0), ("500ms", 0.5), ("10m", 600.0)] {
            assert_eq!(parse_duration(given).unwrap().as_secs_f64(), secs, "{given}");
            assert_eq!(parse_seconds(given).unwrap().as_secs_f64(), secs, "{given}");
        }
        for bad in ["-1", "NaN", "ten", "0", "2d"] {
            assert!(parse_seconds(bad).is_err(), "{bad}");
        }
        let cli = Cli::try_parse_from(["aliprefetch", "--read-timeout", "10s", "live", "tasks", "--domain", "d"])
            .expect("a duration with its unit");
        assert_eq!(cli.global.read_timeout, Some(Duration::from_secs(10)));
    }

    #[test]
    fn times_absolute_and_relative() {
        let now = datetime!(2024-05-20 08:00:00 UTC);
        assert_eq!(parse_time_at("now", now).unwrap(), now);
        assert_eq!(parse_time_at("now+10m", now).unwrap(), datetime!(2024-05-20 08:10:00 UTC));
        assert_eq!(parse_time_at("now - 1h", now).unwrap(), datetime!(2024-05-20 07:00:00 UTC));
        // Out of range or malformed: an error, never a panic.
        for bad in ["9999-12-31T23:59:59-01:00", "now+100000000d", "now-60000d", "now€1h", "now+", "nowx"] {
            assert!(parse_time_at(bad, now).is_err(), "{bad}");
        }
        assert_eq!(parse_time_at("2024-05-20T10:00:00+02:00", now).unwrap(), now);
        assert!(parse_time_at("2024-05-20 08:00", now).unwrap_err().contains("RFC 3339"));
        assert!(parse_time_at("now*3s", now).is_err());
    }

    #[test]
    fn key_values() {
        assert_eq!(parse_key_value("A=b=c").unwrap(), ("A".to_owned(), "b=c".to_owned()));
        assert_eq!(parse_key_value("A=").unwrap(), ("A".to_owned(), String::new()));
        assert!(parse_key_value("=x").is_err());
        assert!(parse_key_value("x").is_err());
    }
}
