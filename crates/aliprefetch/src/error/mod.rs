//! One error type for every failure, with a kind that bindings map one to one.
//!
//! `model` is the error value (`Error`, `ErrorKind`); `answer` reads the service's error answers. How every
//! language shows an error is declared in `error_schema`.

mod answer;
mod model;

pub(crate) use answer::{from_response, is_clock_refusal};
pub use model::{closest, Error, ErrorKind};

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_caught_panic_is_an_internal_error_with_its_message() {
        let caught = std::panic::catch_unwind(|| panic!("boom {}", 7)).unwrap_err();
        let e = Error::from_panic(caught.as_ref());
        assert_eq!(e.kind(), ErrorKind::Internal);
        assert!(e.message().contains("boom 7"), "{e}");
        assert!(!e.is_retryable() && e.may_have_taken_effect());
        let caught = std::panic::catch_unwind(|| std::panic::panic_any(42u8)).unwrap_err();
        assert!(Error::from_panic(caught.as_ref()).message().ends_with("a panic"));
        assert_eq!(ErrorKind::ALL.map(ErrorKind::as_str).last(), Some(&"Internal"));
    }

    #[test]
    fn decodes_json_xml_and_html_error_bodies_keeping_the_status() {
        let e = from_response(
            400,
            None,
            br#"{"RequestId":"R1","HostId":"live.aliyuncs.com","Code":"InvalidParam","Message":"Parameter invalid.","Recommend":"https://x"}"#,
        );
        assert_eq!(
            (e.kind(), e.code(), e.request_id(), e.http_status()),
            (ErrorKind::Api, Some("InvalidParam"), Some("R1"), Some(400))
        );
        assert_eq!(e.recommend(), Some("https://x"));

        let e = from_response(503, None, b"<?xml version='1.0'?><Error><RequestId>R2</RequestId><HostId>h</HostId><Code>ServiceUnavailable</Code><Message>busy</Message></Error>");
        assert_eq!(
            (e.kind(), e.code(), e.request_id(), e.message()),
            (ErrorKind::Server, Some("ServiceUnavailable"), Some("R2"), "busy")
        );

        let e =
            from_response(502, None, b"<html><head><title>502 Bad Gateway</title></head><body><hr>nginx</body></html>");
        assert_eq!(
            (e.kind(), e.code(), e.http_status(), e.message()),
            (ErrorKind::Server, None, Some(502), "502 Bad Gateway")
        );

        let e = from_response(400, None, b"not a document");
        assert_eq!(e.kind(), ErrorKind::Api);
        assert!(e.message().contains("not a document"), "{}", e.message());
    }

    #[test]
    fn throttling_and_auth_codes_are_classified() {
        let e = from_response(
            400,
            None,
            br#"{"Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#,
        );
        assert_eq!(e.kind(), ErrorKind::Throttled);
        assert!(e.is_retryable());
        let e = from_response(503, Some(Duration::from_millis(300)), br#"{"Code":"ServiceUnavailable"}"#);
        assert_eq!((e.kind(), e.retry_after()), (ErrorKind::Throttled, Some(Duration::from_millis(300))));
        for code in
            ["SignatureDoesNotMatch", "InvalidAccessKeyId.NotFound", "InvalidTimeStamp.Expired", "SignatureNonceUsed"]
        {
            let e = from_response(400, None, format!(r#"{{"Code":"{code}"}}"#).as_bytes());
            assert_eq!(e.kind(), ErrorKind::Auth, "{code}");
            assert!(!e.is_retryable());
        }
        let e = from_response(500, None, br#"{"Code":"InternalError"}"#);
        assert_eq!(e.kind(), ErrorKind::Server);
    }

    #[test]
    fn which_failures_are_retried() {
        let in_call = |mut e: Error, converges: bool| {
            e.set_converges(converges);
            e.is_retryable()
        };
        let throttled = || Error::new(ErrorKind::Throttled, "t");
        let server = || Error::new(ErrorKind::Server, "s");
        let refused = || Error::new(ErrorKind::Transport, "c").not_sent();
        let reset = || Error::new(ErrorKind::Transport, "r");
        let api = || Error::new(ErrorKind::Api, "a");
        let unsendable = || Error::new(ErrorKind::InvalidInput, "u").not_sent();
        assert!(in_call(throttled(), false));
        assert!(in_call(refused(), false));
        assert!(!in_call(server(), false) && in_call(server(), true) && server().is_retryable());
        assert!(!in_call(reset(), false) && in_call(reset(), true));
        assert!(!in_call(api(), true) && !api().is_retryable());
        assert!(!in_call(unsendable(), true), "refused before sending for what it is: the same again fails");
    }

    #[test]
    fn invalid_input_names_field_and_rule() {
        let e = Error::invalid_input("PlayUrl", "count", "at most 100 URLs per request, got 101");
        assert_eq!((e.kind(), e.field(), e.rule()), (ErrorKind::InvalidInput, Some("PlayUrl"), Some("count")));
        assert_eq!(e.to_string(), "InvalidInput: PlayUrl: at most 100 URLs per request, got 101");
        assert!(!e.is_retryable());
    }

    #[test]
    fn redact_removes_plain_and_encoded_secrets() {
        let e =
            Error::new(ErrorKind::Auth, "is:POST&%2F&SecurityToken%3DSTS.token%252F%252B%253D%26x and STS.token/+=")
                .redact(&["STS.token/+="]);
        assert!(!e.message().contains("STS.token"), "{}", e.message());
    }
}
