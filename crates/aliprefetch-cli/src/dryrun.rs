//! `--dry-run`: validate, batch and plan, then print what would be sent; send nothing, need no
//! credentials. `-o jsonl` prints one object per request as it is planned (`action`, `method`, `url`
//! without any signature, `params` by their API names); `-o json` one document; the table one row per
//! request. Inputs refused without being sent are noted on stderr.

use std::io::Write as _;

use aliprefetch::{PlanItem, PlannedRequest};
use futures::stream::BoxStream;
use futures::StreamExt as _;
use serde_json::{json, Map, Value};

use crate::args::OutputFormat;
use crate::failure::stdout_failed;
use crate::failure::{Exit, Failure};
use crate::output::note;

/// A planned request as printed.
pub fn request_json(r: &PlannedRequest) -> Value {
    let params: Map<String, Value> = r.params.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
    json!({ "action": r.action, "method": r.method.as_str(), "url": r.url, "params": params })
}

/// Prints a plan as it is read; returns the exit code (1 when an input was refused, as a real run's).
pub async fn print_plan(
    mut plan: BoxStream<'static, PlanItem>,
    format: OutputFormat,
    what: &str,
) -> Result<Exit, Failure> {
    let (mut requests, mut refused, mut items) = (Vec::new(), 0usize, 0usize);
    while let Some(item) = plan.next().await {
        match item {
            PlanItem::Request(r) => {
                items += r
                    .params
                    .iter()
                    .find(|(k, _)| k == "PlayUrl" || k == "MediaIds")
                    .map_or(0, |(_, v)| v.split(',').count());
                if format == OutputFormat::Jsonl {
                    print_line(&request_json(&r))?;
                } else {
                    requests.push(r);
                }
            }
            PlanItem::Refused { input, failure, .. } => {
                refused += 1;
                note(&format!("would not send `{input}`: {}", failure.message));
            }
            _ => {}
        }
    }
    let count = if format == OutputFormat::Jsonl { None } else { Some(requests.len()) };
    if format != OutputFormat::Jsonl {
        print_requests(&requests, format)?;
    }
    let n = count.map_or_else(String::new, |n| format!("{n} request{} ", if n == 1 { "" } else { "s" }));
    note(&format!("dry run: {n}for {items} {what}; {refused} refused; nothing was sent"));
    Ok(if refused > 0 { Exit::ItemsFailed } else { Exit::Success })
}

/// The dry run of a command that sends one request: prints it, says nothing was sent, and closes the
/// session.
pub async fn print_single(
    session: crate::session::Session,
    planned: PlannedRequest,
    format: OutputFormat,
) -> Result<Exit, Failure> {
    print_requests(&[planned], format)?;
    note("dry run: nothing was sent");
    session.close().await;
    Ok(Exit::Success)
}

/// Prints single requests (one per query or call).
pub fn print_requests(requests: &[PlannedRequest], format: OutputFormat) -> Result<(), Failure> {
    match format {
        OutputFormat::Jsonl => {
            for r in requests {
                print_line(&request_json(r))?;
            }
        }
        OutputFormat::Json => {
            let doc = json!({ "dry_run": true, "requests": requests.iter().map(request_json).collect::<Vec<_>>() });
            let text = serde_json::to_string_pretty(&doc).map_err(|e| Failure::other(Exit::Other, e.to_string()))?;
            print_text(&text)?;
        }
        OutputFormat::Table => {
            let mut out = String::new();
            for r in requests {
                let params: Vec<String> = r.params.iter().map(|(k, v)| format!("{k}={}", shorten(v))).collect();
                out.push_str(&format!("{} {} {}  {}\n", r.method.as_str(), r.url, r.action, params.join(" ")));
            }
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(out.as_bytes()).map_err(stdout_failed)?;
        }
    }
    Ok(())
}

/// A long value (a list of 100 URLs) cut for the table; JSON carries it whole.
fn shorten(v: &str) -> String {
    let items = v.split(',').count();
    if v.chars().count() <= 80 {
        return v.to_owned();
    }
    let head: String = v.chars().take(60).collect();
    if items > 1 {
        format!("{head}… ({items} items)")
    } else {
        format!("{head}…")
    }
}

fn print_line(v: &Value) -> Result<(), Failure> {
    let text = serde_json::to_string(v).map_err(|e| Failure::other(Exit::Other, e.to_string()))?;
    print_text(&text)
}

fn print_text(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").map_err(stdout_failed)
}
