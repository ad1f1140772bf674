//! The pure signers' inputs as every language passes them, declared once ([`SIGN_V1_INPUTS`],
//! [`SIGN_V3_INPUTS`]) and read from a binding's value ([`SignV1Input::from_json`],
//! [`SignV3Input::from_json`]); the TypeScript and Python declarations are generated from the same
//! tables (`tests/params_decl.rs`).

use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::credentials::Credentials;
use crate::error::Error;
use crate::ops::{KeyCase, Param, ParamType};
use crate::record_schema::{f, FieldType, RecordDecl};
use crate::sign::{v1, v3};

/// What `signV1` / `sign_v1` takes.
pub const SIGN_V1_INPUTS: &[Param] = &[
    Param::required("Method", ParamType::Text).doc("`GET` or `POST`."),
    Param::required("Action", ParamType::Text),
    Param::required("Version", ParamType::Text),
    Param::required("Params", ParamType::Pairs).doc("The operation's own parameters."),
    Param::required("Credentials", ParamType::Credentials),
    Param::required("Timestamp", ParamType::Time),
    Param::required("Nonce", ParamType::Text),
    Param::optional("Format", ParamType::Text).doc("Default `JSON`."),
];

/// What `signV3` / `sign_v3` takes.
pub const SIGN_V3_INPUTS: &[Param] = &[
    Param::required("Method", ParamType::Text).doc("`GET` or `POST`."),
    Param::required("Host", ParamType::Text),
    Param::required("Action", ParamType::Text),
    Param::required("Version", ParamType::Text),
    Param::required("Query", ParamType::Pairs),
    Param::required("Credentials", ParamType::Credentials),
    Param::required("Timestamp", ParamType::Time),
    Param::required("Nonce", ParamType::Text),
    Param::optional("Headers", ParamType::Pairs),
    Param::optional("Body", ParamType::Bytes).doc("Default empty."),
    Param::optional("SignedHeaders", ParamType::List)
        .doc("Exactly these (lower-case) headers; by default host, every x-acs-* header and content-type."),
    Param::optional("Path", ParamType::Text).doc("Default `/`."),
];

/// What the signers give back, as every binding shows it (their records: `Record` for `v1::Signed` and
/// `v3::Signed`). The signature, the authorization and the lists that carry them are never printed.
pub const SIGNED_RECORDS: &[RecordDecl] = &[
    RecordDecl {
        name: "SignedV1",
        core: "SignedV1",
        doc: "What `sign_v1` adds and computes.",
        fields: &[
            f("params", FieldType::Pairs)
                .doc("The common and signature parameters to add (`AccessKeyId`, …, `Signature`).")
                .secret(),
            f("canonicalized_query", FieldType::Text),
            f("string_to_sign", FieldType::Text),
            f("signature", FieldType::Text).secret(),
        ],
    },
    RecordDecl {
        name: "SignedV3",
        core: "SignedV3",
        doc: "What `sign_v3` adds and computes.",
        fields: &[
            f("headers", FieldType::Pairs).doc("The headers to add (`x-acs-*`, `authorization`).").secret(),
            f("canonical_request", FieldType::Text),
            f("string_to_sign", FieldType::Text),
            f("signed_header_names", FieldType::Text),
            f("signature", FieldType::Text).secret(),
            f("authorization", FieldType::Text).secret(),
        ],
    },
];

/// A signer's input as a language gave it: each declared key, in its case.
struct Given<'a> {
    input: &'a Map<String, Value>,
    decls: &'static [Param],
    case: KeyCase,
}

impl<'a> Given<'a> {
    /// Refuses a key that is not declared (naming it and the known ones).
    fn new(input: &'a Map<String, Value>, decls: &'static [Param], case: KeyCase) -> Result<Self, Error> {
        if let Some(unknown) = input.keys().find(|k| !decls.iter().any(|d| &d.key(case) == *k)) {
            let known: Vec<String> = decls.iter().map(|d| d.key(case)).collect();
            return Err(Error::unknown_name(unknown, unknown, "an input here", &known));
        }
        Ok(Given { input, decls, case })
    }

    /// The value of the input `name` (its API name), or an error if a required one is missing.
    fn get(&self, name: &str) -> Result<(String, Option<&'a Value>), Error> {
        let decl = self.decls.iter().find(|d| d.name == name);
        let key = decl.map_or_else(|| name.to_owned(), |d| d.key(self.case));
        let value = self.input.get(&key).filter(|v| !v.is_null());
        match (value, decl.is_some_and(|d| d.required)) {
            (None, true) => Err(Error::invalid_input(key, "required", "is required")),
            _ => Ok((key, value)),
        }
    }

    fn text(&self, name: &str) -> Result<Option<String>, Error> {
        match self.get(name)? {
            (_, None) => Ok(None),
            (_, Some(Value::String(s))) => Ok(Some(s.clone())),
            (key, Some(_)) => Err(Error::invalid_input(key, "type", "must be a string")),
        }
    }

    fn required_text(&self, name: &str) -> Result<String, Error> {
        Ok(self.text(name)?.unwrap_or_default())
    }

    /// `{ name: value }` or `[[name, value], …]`, strings both.
    fn pairs(&self, name: &str) -> Result<Vec<(String, String)>, Error> {
        let (key, value) = self.get(name)?;
        let bad =
            || Error::invalid_input(key.clone(), "type", "must be a map or a list of (name, value) pairs of strings");
        match value {
            None => Ok(Vec::new()),
            Some(Value::Object(m)) => {
                m.iter().map(|(k, v)| Ok((k.clone(), v.as_str().ok_or_else(bad)?.to_owned()))).collect()
            }
            Some(Value::Array(items)) => items
                .iter()
                .map(|p| match p.as_array().map(Vec::as_slice) {
                    Some([Value::String(k), Value::String(v)]) => Ok((k.clone(), v.clone())),
                    _ => Err(bad()),
                })
                .collect(),
            Some(_) => Err(bad()),
        }
    }

    fn timestamp(&self) -> Result<OffsetDateTime, Error> {
        let key = self.get("Timestamp")?.0;
        crate::wire::parse_timestamp(&key, &self.required_text("Timestamp")?)
    }

    fn credentials(&self) -> Result<Credentials, Error> {
        let (key, value) = self.get("Credentials")?;
        crate::config_options::credentials(&key, value.unwrap_or(&Value::Null), self.case)
    }
}

/// The inputs of [`v1::sign`], owned.
#[derive(Debug)]
pub struct SignV1Input {
    pub method: String,
    pub action: String,
    pub version: String,
    pub format: String,
    pub params: Vec<(String, String)>,
    pub credentials: Credentials,
    pub timestamp: OffsetDateTime,
    pub nonce: String,
}

impl SignV1Input {
    /// The input as a binding gives it: an object keyed as [`SIGN_V1_INPUTS`] declares, in `case`.
    pub fn from_json(input: &Map<String, Value>, case: KeyCase) -> Result<Self, Error> {
        let g = Given::new(input, SIGN_V1_INPUTS, case)?;
        Ok(SignV1Input {
            method: g.required_text("Method")?,
            action: g.required_text("Action")?,
            version: g.required_text("Version")?,
            format: g.text("Format")?.unwrap_or_else(|| "JSON".to_owned()),
            params: g.pairs("Params")?,
            credentials: g.credentials()?,
            timestamp: g.timestamp()?,
            nonce: g.required_text("Nonce")?,
        })
    }

    pub fn sign(&self) -> v1::Signed {
        let request = v1::Request {
            method: &self.method,
            action: &self.action,
            version: &self.version,
            format: &self.format,
            params: &self.params,
        };
        v1::sign(&request, &self.credentials, self.timestamp, &self.nonce)
    }
}

/// The inputs of [`v3::sign`], owned.
#[derive(Debug)]
pub struct SignV3Input {
    pub method: String,
    pub host: String,
    pub action: String,
    pub version: String,
    pub query: Vec<(String, String)>,
    pub credentials: Credentials,
    pub timestamp: OffsetDateTime,
    pub nonce: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub signed_headers: Option<Vec<String>>,
    pub path: String,
}

impl SignV3Input {
    /// The input as a binding gives it: an object keyed as [`SIGN_V3_INPUTS`] declares, in `case`. The
    /// body is text there (its UTF-8 bytes are signed); a binding with bytes sets `body` afterwards.
    pub fn from_json(input: &Map<String, Value>, case: KeyCase) -> Result<Self, Error> {
        let g = Given::new(input, SIGN_V3_INPUTS, case)?;
        let signed_headers = match g.get("SignedHeaders")? {
            (_, None) => None,
            (key, Some(Value::Array(names))) => Some(
                names
                    .iter()
                    .map(|n| n.as_str().map(str::to_owned))
                    .collect::<Option<Vec<String>>>()
                    .ok_or_else(|| Error::invalid_input(key, "type", "must be a list of header names"))?,
            ),
            (_, Some(Value::String(names))) => Some(names.split(',').map(|n| n.trim().to_owned()).collect()),
            (key, Some(_)) => return Err(Error::invalid_input(key, "type", "must be a list of header names")),
        };
        Ok(SignV3Input {
            method: g.required_text("Method")?,
            host: g.required_text("Host")?,
            action: g.required_text("Action")?,
            version: g.required_text("Version")?,
            query: g.pairs("Query")?,
            credentials: g.credentials()?,
            timestamp: g.timestamp()?,
            nonce: g.required_text("Nonce")?,
            headers: g.pairs("Headers")?,
            body: g.text("Body")?.unwrap_or_default().into_bytes(),
            signed_headers,
            path: g.text("Path")?.unwrap_or_else(|| "/".to_owned()),
        })
    }

    pub fn sign(&self) -> v3::Signed {
        let names: Option<Vec<&str>> = self.signed_headers.as_ref().map(|n| n.iter().map(String::as_str).collect());
        let request = v3::Request {
            method: &self.method,
            path: &self.path,
            host: &self.host,
            action: &self.action,
            version: &self.version,
            query: &self.query,
            headers: &self.headers,
            body: &self.body,
            signed_headers: match &names {
                Some(n) => v3::SignedHeaders::Named(n),
                None => v3::SignedHeaders::Default,
            },
        };
        v3::sign(&request, &self.credentials, self.timestamp, &self.nonce)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().expect("object")
    }

    #[test]
    fn both_cases_read_to_the_same_signature_and_the_typed_path_agrees() {
        let camel = map(json!({
            "method": "POST", "host": "live.aliyuncs.com", "action": "A", "version": "2016-11-01",
            "query": {"B": "2", "A": "1"}, "credentials": {"accessKeyId": "id", "accessKeySecret": "s"},
            "timestamp": "2026-01-01T00:00:00Z", "nonce": "n", "headers": [["content-type", "x"]],
            "body": "b", "signedHeaders": ["host"], "path": "/",
        }));
        let snake = map(json!({
            "method": "POST", "host": "live.aliyuncs.com", "action": "A", "version": "2016-11-01",
            "query": [["B", "2"], ["A", "1"]], "credentials": {"access_key_id": "id", "access_key_secret": "s"},
            "timestamp": "2026-01-01T00:00:00Z", "nonce": "n", "headers": {"content-type": "x"},
            "body": "b", "signed_headers": "host",
        }));
        let a = SignV3Input::from_json(&camel, KeyCase::Camel).expect("camel").sign();
        let b = SignV3Input::from_json(&snake, KeyCase::Snake).expect("snake").sign();
        assert_eq!(a.signature, b.signature);
        assert_eq!(a.signed_header_names, "host");
        let v1 = map(json!({"method": "GET", "action": "A", "version": "v", "params": {}, "nonce": "n",
                            "credentials": {"access_key_id": "id", "access_key_secret": "s"},
                            "timestamp": "2026-01-01T00:00:00Z"}));
        let signed = SignV1Input::from_json(&v1, KeyCase::Snake).expect("v1").sign();
        assert!(signed.params.iter().any(|(k, v)| *k == "Format" && v == "JSON"));
    }

    #[test]
    fn the_signed_records_have_the_declared_keys() {
        use crate::records::Record;
        let v1 = map(json!({"method": "GET", "action": "A", "version": "v", "params": {}, "nonce": "n",
                            "credentials": {"access_key_id": "id", "access_key_secret": "s"},
                            "timestamp": "2026-01-01T00:00:00Z"}));
        let v3 = map(json!({"method": "GET", "host": "h", "action": "A", "version": "v", "query": {}, "nonce": "n",
                            "credentials": {"access_key_id": "id", "access_key_secret": "s"},
                            "timestamp": "2026-01-01T00:00:00Z"}));
        let records = [
            SignV1Input::from_json(&v1, KeyCase::Snake).expect("v1").sign().record(),
            SignV3Input::from_json(&v3, KeyCase::Snake).expect("v3").sign().record(),
        ];
        for (decl, record) in SIGNED_RECORDS.iter().zip(records) {
            let mut keys: Vec<&str> = record.as_object().expect("object").keys().map(String::as_str).collect();
            let mut declared: Vec<&str> = decl.fields.iter().map(|f| f.key).collect();
            keys.sort_unstable();
            declared.sort_unstable();
            assert_eq!(keys, declared, "{}", decl.name);
            assert!(record[decl.fields[0].key]
                .as_array()
                .is_some_and(|a| a.iter().all(|p| p.as_array().is_some_and(|p| p.len() == 2))));
        }
    }

    #[test]
    fn a_bad_input_names_its_key() {
        for (given, case, field, rule) in [
            (json!({"method": "GET"}), KeyCase::Snake, "action", "required"),
            (json!({"methd": "GET"}), KeyCase::Snake, "methd", "unknown"),
            (json!({"method": "GET", "action": "A", "version": "v", "params": 3}), KeyCase::Snake, "params", "type"),
            (
                json!({"method": "GET", "action": "A", "version": "v", "params": {}, "credentials": {"accessKeyId": "i"}}),
                KeyCase::Camel,
                "accessKeySecret",
                "required",
            ),
            (
                json!({"method": "GET", "action": "A", "version": "v", "params": {}, "nonce": "n", "timestamp": "soon",
                       "credentials": {"accessKeyId": "i", "accessKeySecret": "s"}}),
                KeyCase::Camel,
                "timestamp",
                "timestamp",
            ),
        ] {
            let e = SignV1Input::from_json(&map(given.clone()), case).expect_err("refused");
            assert_eq!((e.field(), e.rule()), (Some(field), Some(rule)), "{given}: {e}");
        }
    }
}
