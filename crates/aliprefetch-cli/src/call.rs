//! `aliprefetch call ACTION`: any RPC action, signed, paced and retried like the rest.

use std::io::Write as _;

use aliprefetch::{Method, Service};

use crate::args::{CallArgs, GlobalArgs, MethodArg, OutputFormat, ServiceArg};
use crate::failure::stdout_failed;
use crate::failure::{Exit, Failure};
use crate::session::Session;

pub async fn call(global: &GlobalArgs, args: &CallArgs) -> Result<Exit, Failure> {
    if args.action.trim().is_empty() {
        return Err(Failure::usage("ACTION", "is empty"));
    }
    let service = match args.service {
        ServiceArg::Live => Service::Live,
        ServiceArg::Vod => Service::Vod,
    };
    let method = match args.method {
        MethodArg::Get => Method::Get,
        MethodArg::Post => Method::Post,
    };
    let session = Session::open(global).await?;
    if global.dry_run {
        let planned = session
            .client
            .plan_call(service, &args.action, method, args.params.clone())
            .map_err(|e| Failure::from_error(e, &[("Action", "ACTION")]))?;
        return crate::dryrun::print_single(session, planned, global.output).await;
    }
    let response = session
        .client
        .call(service, &args.action, method, args.params.clone())
        .await
        .map_err(|e| Failure::from_error(e, &[("Action", "ACTION")]))?;
    session.close().await;
    // The answer is the service's own document, printed as it came.
    let text = match global.output {
        OutputFormat::Jsonl => serde_json::to_string(&response),
        OutputFormat::Table | OutputFormat::Json => serde_json::to_string_pretty(&response),
    }
    .map_err(|e| Failure::other(Exit::Other, e.to_string()))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").map_err(stdout_failed)?;
    Ok(Exit::Success)
}
