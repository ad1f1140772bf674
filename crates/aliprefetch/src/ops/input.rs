//! Reading a request out of a map keyed by the API's parameter names.

use crate::error::Error;
use crate::types::WireEnum;
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// Reads typed values out of a JSON object, naming the field in every error, and refuses names it
/// was never asked for.
pub(crate) struct JsonInput<'a> {
    map: &'a Map<String, Value>,
    known: std::cell::RefCell<Vec<&'static str>>,
    strict: bool,
}

impl<'a> JsonInput<'a> {
    pub(crate) fn new(map: &'a Map<String, Value>, strict: bool) -> Self {
        // Room for every operation's names, so asking for them does not grow the list.
        JsonInput { map, known: std::cell::RefCell::new(Vec::with_capacity(16)), strict }
    }

    pub(crate) fn get(&self, field: &'static str) -> Option<&'a Value> {
        self.known.borrow_mut().push(field);
        self.map.get(field).filter(|v| !v.is_null())
    }

    fn type_error(field: &str, wanted: &str) -> Error {
        Error::invalid_input(field, "type", format!("must be {wanted}"))
    }

    pub(crate) fn string(&self, field: &'static str) -> Result<Option<String>, Error> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(Self::type_error(field, "a string")),
        }
    }

    /// A required string: missing is kept as empty so `validate()` reports it with the `required` rule.
    pub(crate) fn required_string(&self, field: &'static str) -> Result<String, Error> {
        Ok(self.string(field)?.unwrap_or_default())
    }

    pub(crate) fn list(&self, field: &'static str) -> Result<Option<Vec<String>>, Error> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(crate::wire::split_comma_list(s))),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned).ok_or_else(|| Self::type_error(field, "a list of strings")))
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(Self::type_error(field, "a list of strings")),
        }
    }

    pub(crate) fn time(&self, field: &'static str) -> Result<Option<OffsetDateTime>, Error> {
        self.string(field)?.map(|s| crate::wire::parse_timestamp(field, &s)).transpose()
    }

    pub(crate) fn int(&self, field: &'static str) -> Result<Option<i64>, Error> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| Self::type_error(field, "a whole number")),
            Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| Self::type_error(field, "a whole number")),
            Some(_) => Err(Self::type_error(field, "a whole number")),
        }
    }

    pub(crate) fn boolean(&self, field: &'static str) -> Result<Option<bool>, Error> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) => {
                crate::wire::parse_bool(s).map(Some).ok_or_else(|| Self::type_error(field, "true or false"))
            }
            Some(_) => Err(Self::type_error(field, "true or false")),
        }
    }

    pub(crate) fn enumeration<T: WireEnum>(&self, field: &'static str) -> Result<Option<T>, Error> {
        self.string(field)?.map(|s| T::parse_for(field, &s)).transpose()
    }

    pub(crate) fn enum_list<T: WireEnum>(&self, field: &'static str) -> Result<Option<Vec<T>>, Error> {
        self.list(field)?.map(|items| items.iter().map(|s| T::parse_for(field, s)).collect()).transpose()
    }

    /// A JSON object given as an object or as its text; kept as text.
    pub(crate) fn json_text(&self, field: &'static str) -> Result<Option<String>, Error> {
        crate::wire::json_object_text(field, self.get(field))
    }

    /// Refuses any name that no getter asked for (a misspelt parameter would otherwise be dropped).
    pub(crate) fn finish(self) -> Result<(), Error> {
        if !self.strict {
            return Ok(());
        }
        let known = self.known.borrow();
        match self.map.keys().find(|k| !known.contains(&k.as_str())) {
            Some(k) => Err(Error::unknown_name(k, k, "a parameter of this operation", &known)),
            None => Ok(()),
        }
    }
}
