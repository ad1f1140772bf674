//! How the operations declare their request parameters (`Operation::PARAMS`): the one declaration the
//! languages' declarations are generated from (`tests/params_decl.rs`).

/// List parameters the wire names in the singular; every language names them in the plural.
pub(crate) const SINGULAR_LISTS: [&str; 2] = ["PlayUrl", "StreamType"];

/// What a parameter takes, as every language declares it (the TypeScript and Python declarations are
/// generated from it by `tests/params_decl.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    Text,
    /// Strings: a list, or the wire's comma-separated text.
    List,
    /// An instant: a wire timestamp, or a language's date-time value.
    Time,
    /// A whole number (64-bit).
    Integer,
    /// A count: a whole number from 0 (32-bit).
    Count,
    /// A duration, in the wire unit of [`duration_unit`](super::duration_unit) or a language's duration value.
    Duration,
    Boolean,
    /// A member of the value set of this name (one of `tests/value_sets.json`).
    Enum(&'static str),
    /// Members of the value set of this name.
    EnumList(&'static str),
    /// A JSON object, or its text.
    JsonObject,
    /// A client's credentials (settings only): an access key id and secret, and an optional token.
    Credentials,
    /// A client's retry policy (settings only): a preset's name, or the fields of `RETRY_OPTIONS`.
    Retry,
    /// A client's pacing (settings only): a preset's name, or per-second limits by action.
    RateLimits,
    /// Text that may hold a password (settings only), which no declaration shows.
    Secret,
    /// Name-value pairs of text (the signers' inputs): a map, or a list of pairs.
    Pairs,
    /// Bytes (a signer's body): bytes in Python, text in JavaScript.
    Bytes,
}

/// One request parameter of an operation: its wire name, what it takes, whether it is required, and
/// what a user should know of it beyond its name and type (empty when nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    pub name: &'static str,
    pub ty: ParamType,
    pub required: bool,
    pub doc: &'static str,
}

impl Param {
    pub(crate) const fn required(name: &'static str, ty: ParamType) -> Self {
        Param { name, ty, required: true, doc: "" }
    }
    pub(crate) const fn optional(name: &'static str, ty: ParamType) -> Self {
        Param { name, ty, required: false, doc: "" }
    }
    pub(crate) const fn doc(self, doc: &'static str) -> Self {
        Param { doc, ..self }
    }
    /// The key a language names it by: `domain_name` / `domainName`, lists in the plural
    /// (`play_urls` for the wire's `PlayUrl`). [`wire_param`] reads it back.
    pub fn key(&self, case: KeyCase) -> String {
        let plural = SINGULAR_LISTS.contains(&self.name);
        let mut key = String::with_capacity(self.name.len() + 4);
        for (i, c) in self.name.chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 && case == KeyCase::Snake {
                    key.push('_');
                }
                if i > 0 && case == KeyCase::Camel {
                    key.push(c);
                } else {
                    key.push(c.to_ascii_lowercase());
                }
            } else {
                key.push(c);
            }
        }
        if plural {
            key.push('s');
        }
        key
    }
}

/// How a language writes a parameter's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyCase {
    /// Python: `domain_name`.
    Snake,
    /// JavaScript: `domainName`.
    Camel,
}

/// `outcome_unknown` → `outcomeUnknown`.
pub fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}
