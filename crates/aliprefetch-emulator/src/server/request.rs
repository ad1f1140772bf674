//! One request: the admin API or a call, admitted (signature, quota) and executed, or a fault.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response};
use serde_json::{Map, Value};

use super::answer::{AnswerContext, InjectedReset};
use super::state::{admin, form_pairs, is_form, Shared, ADMIN_PREFIX};
use crate::auth::{self, SignedRequest};
use crate::quota::{Fault, LostAnswer};
use crate::response::{ApiError, Format};
use crate::service::Services;

/// Largest request body accepted.
pub(super) const MAX_BODY: usize = 1 << 20;

pub(super) async fn handle_request(
    shared: Arc<Shared>,
    peer: SocketAddr,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, InjectedReset> {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    if let Some(route) = parts.uri.path().strip_prefix(ADMIN_PREFIX) {
        return Ok(admin(&shared, route, parts.uri.query().unwrap_or("")));
    }
    let request_id = uuid::Uuid::new_v4().to_string().to_ascii_uppercase();
    let host_id = parts.headers.get(http::header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("emulator").to_owned();
    let ctx = AnswerContext { request_id: &request_id, host_id: &host_id, started, peer, shared: &shared };
    let collected = tokio::time::timeout(shared.limits.body_timeout, Limited::new(body, MAX_BODY).collect()).await;
    let body = match collected {
        Ok(Ok(b)) => b.to_bytes(),
        Ok(Err(_)) | Err(_) => {
            let err = ApiError::bad_request("InvalidParameter", "The request body is too large or was cut off.");
            return Ok(ctx.answer(Format::Json, Err(err), "", ""));
        }
    };
    let query = form_pairs(parts.uri.query().unwrap_or("").as_bytes());
    let form = if is_form(&parts.headers) { form_pairs(&body) } else { Vec::new() };
    let param = |name: &str| query.iter().chain(&form).find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let format =
        if param("Format").is_some_and(|f| f.eq_ignore_ascii_case("xml")) { Format::Xml } else { Format::Json };
    // Dispatch on what the signature covers: the x-acs-* headers of a V3 request (which must sign them),
    // the parameters of a V1 request; never an unsigned header.
    let (action, version) = if parts.headers.contains_key(http::header::AUTHORIZATION) {
        (header("x-acs-action"), header("x-acs-version"))
    } else {
        (param("Action"), param("Version"))
    };
    let (action, version) = (action.unwrap_or("").to_owned(), version.unwrap_or("").to_owned());

    // AssumeRoleWithOIDC is unsigned: the OIDC token in its parameters is the proof. It is answered
    // under the caller's role (the log names no access key, since there is none yet).
    if version == crate::sts::STS_VERSION && action == "AssumeRoleWithOIDC" {
        let now = shared.clock.now();
        let params = api_params(&query, &form);
        let result = crate::sts::assume_role_with_oidc(&shared.sts, &shared.accounts, &params, now);
        return Ok(ctx.answer(format, result, &action, "oidc"));
    }
    let account = match admit(&shared, &parts, &query, &form, &body, &action, &version) {
        Ok(account) => account,
        Err((e, account)) => return Ok(ctx.answer(format, Err(e), &action, &account)),
    };
    // Faults before execution: nothing is created or changed.
    let latency = shared.faults.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match shared.faults.draw() {
        Fault::Reset => {
            shared.requests.record(&action, "reset");
            tracing::info!(%peer, action = action.as_str(), account = account.as_str(), outcome = "reset", "fault: connection reset before execution");
            return Err(InjectedReset);
        }
        Fault::Error(e) => return Ok(ctx.answer(format, Err(e), &action, &account)),
        Fault::None => {}
    }
    let now = shared.clock.now();
    if let Err(e) = shared.quotas.check(&account, &action, now) {
        return Ok(ctx.answer(format, Err(e), &action, &account));
    }
    let result = if crate::sts::knows(&version, &action) {
        crate::sts::assume_role(&shared.sts, &shared.accounts, &api_params(&query, &form), now)
    } else {
        execute(&shared, &action, &account, &query, &form, now)
    };
    // Faults after execution: the effect stands, the answer is lost.
    match shared.faults.draw_after() {
        None => Ok(ctx.answer(format, result, &action, &account)),
        Some(lost) => {
            tracing::info!(%peer, action = action.as_str(), account = account.as_str(), ?lost, "fault: executed, answer lost");
            match lost {
                LostAnswer::Reset => {
                    shared.requests.record(&action, "lost:reset");
                    Err(InjectedReset)
                }
                LostAnswer::InternalError => {
                    shared.requests.record(&action, "lost:InternalError");
                    let e = crate::response::fault_error("InternalError");
                    Ok(ctx.answer_unrecorded(format, Err(e), &action, &account))
                }
                LostAnswer::Delay(d) => {
                    shared.requests.record(&action, "lost:delay");
                    tokio::time::sleep(d).await;
                    Ok(ctx.answer_unrecorded(format, result, &action, &account))
                }
            }
        }
    }
}

/// Verifies the signature and the action; returns the account that signed the request, or the refusal
/// (with the account when it is known).
pub(super) fn admit(
    shared: &Shared,
    parts: &http::request::Parts,
    query: &[(String, String)],
    form: &[(String, String)],
    body: &[u8],
    action: &str,
    version: &str,
) -> Result<String, (ApiError, String)> {
    if action.is_empty() {
        return Err((ApiError::missing_parameter("Action"), String::new()));
    }
    if version.is_empty() {
        return Err((ApiError::missing_parameter("Version"), String::new()));
    }
    let signed = SignedRequest {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        headers: &parts.headers,
        query,
        form,
        body,
    };
    let account = match auth::verify(&signed, &shared.accounts, &shared.nonces, shared.clock.now()) {
        Ok(v) => v.access_key_id,
        // The AccessKeyId the request claimed, for the log and the inspector (it was not verified).
        Err(e) => return Err((e, claimed_key_id(&parts.headers, query, form))),
    };
    if !Services::knows(version, action) && !crate::sts::knows(version, action) {
        let e = ApiError::new(
            404,
            "InvalidAction.NotFound",
            format!("Specified api {action} of version {version} is not found."),
        );
        return Err((e, account));
    }
    Ok(account)
}

/// The AccessKeyId a request names: V3's `Credential=` in `Authorization`, or V1's `AccessKeyId` parameter.
fn claimed_key_id(headers: &http::HeaderMap, query: &[(String, String)], form: &[(String, String)]) -> String {
    let v3 = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|a| a.split_once("Credential="))
        .map(|(_, rest)| rest.split([',', ' ']).next().unwrap_or_default());
    let v1 = || query.iter().chain(form).find(|(k, _)| k == "AccessKeyId").map(|(_, v)| v.as_str());
    v3.or_else(v1).unwrap_or_default().chars().take(128).collect()
}

/// Runs an admitted request against the services' state.
pub(super) fn execute(
    shared: &Shared,
    action: &str,
    account: &str,
    query: &[(String, String)],
    form: &[(String, String)],
    now: time::OffsetDateTime,
) -> Result<Value, ApiError> {
    shared.services.handle(action, account, &api_params(query, form), now)
}

/// A request's own parameters (query and form; common and signature parameters left out).
pub(super) fn api_params(query: &[(String, String)], form: &[(String, String)]) -> Map<String, Value> {
    let mut params = Map::new();
    for (k, v) in query.iter().chain(form) {
        if !aliprefetch::sign::v1::COMMON_PARAMS.contains(&k.as_str()) {
            params.insert(k.clone(), Value::String(v.clone()));
        }
    }
    params
}
