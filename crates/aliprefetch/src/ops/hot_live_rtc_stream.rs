//! HotLiveRtcStream: prefetch one RTC-ingested live stream in one region.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::{de, JsonInput, Operation, Param, ParamType};
use crate::error::Error;
use crate::types::{Method, RegionCode, Service};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HotLiveRtcStreamRequest {
    pub domain_name: String,
    pub app_name: String,
    pub stream_name: String,
    /// e.g. `rts audio`.
    pub audio_msid: String,
    /// e.g. `rts video`.
    pub video_msid: String,
    pub region_code: RegionCode,
    /// How long the prefetch connection is kept; zero (the service's default) keeps it.
    pub connection_timeout: Option<Duration>,
    pub media_timeout: Option<Duration>,
}

impl HotLiveRtcStreamRequest {
    pub fn new(
        domain_name: impl Into<String>,
        app_name: impl Into<String>,
        stream_name: impl Into<String>,
        region_code: RegionCode,
    ) -> Self {
        HotLiveRtcStreamRequest {
            domain_name: domain_name.into(),
            app_name: app_name.into(),
            stream_name: stream_name.into(),
            audio_msid: "rts audio".to_owned(),
            video_msid: "rts video".to_owned(),
            region_code,
            connection_timeout: None,
            media_timeout: None,
        }
    }
    pub fn audio_msid(mut self, s: impl Into<String>) -> Self {
        self.audio_msid = s.into();
        self
    }
    pub fn video_msid(mut self, s: impl Into<String>) -> Self {
        self.video_msid = s.into();
        self
    }
    pub fn connection_timeout(mut self, d: Duration) -> Self {
        self.connection_timeout = Some(d);
        self
    }
    pub fn media_timeout(mut self, d: Duration) -> Self {
        self.media_timeout = Some(d);
        self
    }
}

impl Operation for HotLiveRtcStreamRequest {
    const ACTION: &'static str = "HotLiveRtcStream";
    const SERVICE: Service = Service::Live;
    const METHOD: Method = Method::Post;
    const CONVERGES: bool = true;
    type Response = HotLiveRtcStreamResponse;
    const PARAMS: &'static [Param] = &[
        Param::required("DomainName", ParamType::Text),
        Param::required("AppName", ParamType::Text),
        Param::required("StreamName", ParamType::Text),
        Param::required("RegionCode", ParamType::Text)
            .doc("A Chinese provincial code (ZHJ, SHH, …) or a country code (US, JP, …)."),
        Param::required("AudioMsid", ParamType::Text),
        Param::required("VideoMsid", ParamType::Text),
        Param::optional("ConnectionTimeout", ParamType::Duration).doc("Milliseconds."),
        Param::optional("MediaTimeout", ParamType::Duration).doc("Milliseconds."),
    ];

    fn check_answer(answer: &Self::Response) -> Result<(), Error> {
        super::require_request_id(Self::ACTION, &answer.request_id)
    }

    fn validate_at(&self, _now: OffsetDateTime) -> Result<(), Error> {
        super::require("DomainName", &self.domain_name)?;
        super::require("AppName", &self.app_name)?;
        super::require("StreamName", &self.stream_name)?;
        super::require("AudioMsid", &self.audio_msid)?;
        super::require("VideoMsid", &self.video_msid)?;
        Ok(())
    }

    fn to_params(&self) -> Vec<(String, String)> {
        let mut p = vec![
            ("DomainName".to_owned(), self.domain_name.clone()),
            ("AppName".to_owned(), self.app_name.clone()),
            ("StreamName".to_owned(), self.stream_name.clone()),
            ("AudioMsid".to_owned(), self.audio_msid.clone()),
            ("VideoMsid".to_owned(), self.video_msid.clone()),
            ("RegionCode".to_owned(), self.region_code.as_str().to_owned()),
        ];
        if let Some(d) = self.connection_timeout {
            p.push(("ConnectionTimeout".to_owned(), d.as_millis().to_string()));
        }
        if let Some(d) = self.media_timeout {
            p.push(("MediaTimeout".to_owned(), d.as_millis().to_string()));
        }
        p
    }

    fn from_params(input: &Map<String, Value>, strict: bool) -> Result<Self, Error> {
        let i = JsonInput::new(input, strict);
        let millis = |field: &'static str| -> Result<Option<Duration>, Error> {
            i.int(field)?
                .map(|n| {
                    u64::try_from(n).map(Duration::from_millis).map_err(|_| {
                        Error::invalid_input(field, "range", format!("must be 0 or more milliseconds, got {n}"))
                    })
                })
                .transpose()
        };
        let region = i.required_string("RegionCode")?;
        super::require("RegionCode", &region)?;
        let r = HotLiveRtcStreamRequest {
            domain_name: i.required_string("DomainName")?,
            app_name: i.required_string("AppName")?,
            stream_name: i.required_string("StreamName")?,
            audio_msid: i.required_string("AudioMsid")?,
            video_msid: i.required_string("VideoMsid")?,
            region_code: region.parse()?,
            connection_timeout: millis("ConnectionTimeout")?,
            media_timeout: millis("MediaTimeout")?,
        };
        i.string("RegionId")?;
        i.finish()?;
        Ok(r)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct HotLiveRtcStreamResponse {
    #[serde(default, deserialize_with = "de::string")]
    pub request_id: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
