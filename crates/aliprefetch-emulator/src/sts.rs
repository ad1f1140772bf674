//! The emulated STS: `AssumeRole` (signed by a known account) and `AssumeRoleWithOIDC` (unsigned),
//! issuing `STS.` credentials that Live and VOD then accept until they expire on the emulator's clock.

use serde_json::{json, Map, Value};
use time::OffsetDateTime;

use crate::auth::Accounts;
use crate::fixtures::StsFixtures;
use crate::response::ApiError;

pub const STS_VERSION: &str = "2015-04-01";
/// The shortest session STS grants, in seconds.
pub const MIN_DURATION: u32 = 900;
/// The default longest session of a role, in seconds.
pub const DEFAULT_MAX_DURATION: u32 = 3600;

pub fn knows(version: &str, action: &str) -> bool {
    version == STS_VERSION && matches!(action, "AssumeRole" | "AssumeRoleWithOIDC")
}

fn param<'a>(params: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    params.get(name).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn required<'a>(params: &'a Map<String, Value>, name: &str) -> Result<&'a str, ApiError> {
    param(params, name).ok_or_else(|| ApiError::missing_parameter(name))
}

/// `acs:ram::<digits>:<kind>/<name>`, as STS checks an ARN's form.
fn well_formed_arn(arn: &str, kind: &str) -> bool {
    let Some(rest) = arn.strip_prefix("acs:ram::") else { return false };
    let Some((account, resource)) = rest.split_once(':') else { return false };
    let Some(name) = resource.strip_prefix(kind).and_then(|r| r.strip_prefix('/')) else { return false };
    !account.is_empty() && account.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty() && name.len() <= 512
}

fn check_role(fixtures: &StsFixtures, role_arn: &str) -> Result<(), ApiError> {
    if !well_formed_arn(role_arn, "role") {
        return Err(ApiError::bad_request("InvalidParameter.RoleArn", "The parameter RoleArn is wrongly formed."));
    }
    if let Some(roles) = &fixtures.roles {
        if !roles.iter().any(|r| r == role_arn) {
            return Err(ApiError::new(404, "EntityNotExist.Role", "The specified Role not exists ."));
        }
    }
    Ok(())
}

fn session_name(params: &Map<String, Value>) -> Result<&str, ApiError> {
    let name = param(params, "RoleSessionName").ok_or_else(|| ApiError::missing_parameter("RoleSessionName"))?;
    let valid = (2..=64).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'@' | b'-' | b'_'));
    if !valid {
        return Err(ApiError::bad_request(
            "InvalidParameter.RoleSessionName",
            "The parameter RoleSessionName is wrongly formed.",
        ));
    }
    Ok(name)
}

fn duration(fixtures: &StsFixtures, params: &Map<String, Value>) -> Result<u32, ApiError> {
    let max = fixtures.max_session_duration.unwrap_or(DEFAULT_MAX_DURATION).max(MIN_DURATION);
    let wanted = match param(params, "DurationSeconds") {
        None => DEFAULT_MAX_DURATION.min(max),
        Some(s) => s.parse::<u32>().ok().filter(|d| (MIN_DURATION..=max).contains(d)).ok_or_else(|| {
            ApiError::bad_request(
                "InvalidParameter.DurationSeconds",
                format!("The Min/Max value of DurationSeconds is {MIN_DURATION}/{max} seconds."),
            )
        })?,
    };
    Ok(wanted)
}

fn check_policy(params: &Map<String, Value>) -> Result<(), ApiError> {
    if let Some(policy) = param(params, "Policy") {
        if policy.len() > 2048 || serde_json::from_str::<Value>(policy).map(|v| !v.is_object()).unwrap_or(true) {
            return Err(ApiError::bad_request(
                "InvalidParameter.PolicyGrammar",
                "The parameter Policy has not been parsed.",
            ));
        }
    }
    Ok(())
}

fn issue(
    sts: &StsFixtures,
    accounts: &Accounts,
    role_arn: &str,
    session: &str,
    seconds: u32,
    now: OffsetDateTime,
) -> Value {
    let seconds = sts.issued_lifetime_seconds.unwrap_or(seconds);
    let expires = now.saturating_add(time::Duration::seconds(i64::from(seconds)));
    let account = accounts.issue(now, expires);
    let role_id: String = (0..17).map(|_| fastrand::digit(10)).collect();
    json!({
        "AssumedRoleUser": {
            "Arn": format!("{role_arn}/{session}"),
            "AssumedRoleId": format!("3{role_id}:{session}"),
        },
        "Credentials": {
            "AccessKeyId": account.access_key_id,
            "AccessKeySecret": account.access_key_secret,
            "SecurityToken": account.security_token,
            "Expiration": aliprefetch::format_timestamp(expires),
        },
    })
}

/// `AssumeRole`, signed by `caller` (checked before this runs).
pub fn assume_role(
    sts: &StsFixtures,
    accounts: &Accounts,
    params: &Map<String, Value>,
    now: OffsetDateTime,
) -> Result<Value, ApiError> {
    let role_arn = required(params, "RoleArn")?;
    check_role(sts, role_arn)?;
    let session = session_name(params)?;
    let seconds = duration(sts, params)?;
    check_policy(params)?;
    if let Some(id) = param(params, "ExternalId") {
        if id.len() < 2 || id.len() > 1224 {
            return Err(ApiError::bad_request(
                "InvalidParameter.ExternalId",
                "The parameter ExternalId is wrongly formed.",
            ));
        }
    }
    Ok(issue(sts, accounts, role_arn, session, seconds, now))
}

/// `AssumeRoleWithOIDC`: unsigned; the OIDC token is the proof.
pub fn assume_role_with_oidc(
    sts: &StsFixtures,
    accounts: &Accounts,
    params: &Map<String, Value>,
    now: OffsetDateTime,
) -> Result<Value, ApiError> {
    let provider = required(params, "OIDCProviderArn")?;
    if !well_formed_arn(provider, "oidc-provider") {
        return Err(ApiError::bad_request(
            "InvalidParameter.OIDCProviderArn",
            "The parameter OIDCProviderArn is wrongly formed.",
        ));
    }
    let role_arn = required(params, "RoleArn")?;
    let token = required(params, "OIDCToken")?;
    if sts.expired_oidc_tokens.iter().any(|t| t == token) {
        return Err(ApiError::bad_request("AuthenticationFail.OIDCToken.Expired", "The OIDC token is expired."));
    }
    if let Some(tokens) = &sts.oidc_tokens {
        if !tokens.iter().any(|t| t == token) {
            return Err(ApiError::bad_request("AuthenticationFail.OIDCToken.Invalid", "The OIDC token is invalid."));
        }
    }
    check_role(sts, role_arn)?;
    let session = session_name(params)?;
    let seconds = duration(sts, params)?;
    check_policy(params)?;
    let mut answer = issue(sts, accounts, role_arn, session, seconds, now);
    if let Some(obj) = answer.as_object_mut() {
        obj.insert(
            "OIDCTokenInfo".into(),
            json!({ "Issuer": "https://oidc.emulator.invalid", "ClientIds": "sts.aliyuncs.com" }),
        );
    }
    Ok(answer)
}

#[cfg(test)]
mod tests {
    #[test]
    fn arns_are_checked_for_form() {
        assert!(super::well_formed_arn("acs:ram::1234567890123456:role/demo", "role"));
        assert!(super::well_formed_arn("acs:ram::1:oidc-provider/ack-rrsa-c1", "oidc-provider"));
        for bad in ["", "acs:ram::x1:role/demo", "acs:ram::1:role/", "acs:ram::1:user/demo", "acs:ram:1:role/a"] {
            assert!(!super::well_formed_arn(bad, "role"), "{bad}");
        }
    }
}
