//! What the client needs to know of an operation.

use crate::error::Error;
use crate::types::{Method, Service};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// What the client needs to know of an operation.
pub trait Operation: Sized + Send + Sync {
    const ACTION: &'static str;
    const SERVICE: Service;
    const METHOD: Method;
    /// Whether repeating the call converges on the same state, so a 5xx or a timeout may be retried.
    /// SetLiveStreamPreloadTasks does not (each call creates tasks); RefreshMediaPlayUrls does in effect
    /// (see its implementation for why).
    const CONVERGES: bool;
    type Response: DeserializeOwned + Send;
    /// The request's parameters as every language declares them; [`Operation::from_params`] reads
    /// exactly these (a test holds the two equal).
    const PARAMS: &'static [super::Param];

    /// Checks every documented rule against `now`; the error names the field and the rule.
    fn validate_at(&self, now: OffsetDateTime) -> Result<(), Error>;

    /// Checks a decoded 2xx answer for what it must carry: a `RequestId` always, and what each
    /// operation's answer is for. A success that says nothing is not taken for one.
    fn check_answer(answer: &Self::Response) -> Result<(), Error>;

    /// [`Operation::validate_at`] the current time.
    fn validate(&self) -> Result<(), Error> {
        self.validate_at(OffsetDateTime::now_utc())
    }

    /// The operation's parameters as they travel (without common or signature parameters).
    fn to_params(&self) -> Vec<(String, String)>;

    /// Builds the request from a JSON object keyed by the API's parameter names (`DomainName`,
    /// `PlayUrl`, …). Lists may be arrays or comma strings; timestamps strings; durations milliseconds.
    /// A value of the wrong type or outside a value set is refused naming the field; unknown names too.
    fn from_json(input: &Map<String, Value>) -> Result<Self, Error> {
        Self::from_params(input, true)
    }

    /// [`Operation::from_json`], ignoring names it does not know when `strict` is false (as a server
    /// ignores parameters it has no use for).
    fn from_params(input: &Map<String, Value>, strict: bool) -> Result<Self, Error>;
}
