//! The documented value sets, as enums that parse from and print as their wire strings.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// A value set whose members travel as fixed strings.
pub trait WireEnum: Sized + Copy + 'static {
    /// The API parameter these values belong to (for error messages).
    const FIELD: &'static str;
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;

    /// Parses a wire string; the error names `field` and lists the valid values.
    fn parse_for(field: &str, s: &str) -> Result<Self, Error> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
            let valid: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
            Error::invalid_input(field, "enum", format!("`{s}` is not one of {}", valid.join(", ")))
        })
    }
}

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl WireEnum for $name {
            const FIELD: &'static str = $field;
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                Self::parse_for($field, s)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

wire_enum!(
    /// Where a live stream is prefetched.
    Area, "Area" {
        /// The Chinese mainland.
        Domestic = "domestic",
        /// Outside the Chinese mainland, including Hong Kong, Macao and Taiwan.
        Overseas = "overseas",
        Global = "global",
    }
);

wire_enum!(
    /// The state of a live prefetch task.
    PreloadStatus, "Status" {
        Pending = "pending",
        Preloading = "preloading",
        Complete = "complete",
        Failed = "failed",
    }
);

impl PreloadStatus {
    /// Whether the task has reached an end state (`complete` or `failed`).
    pub fn is_final(self) -> bool {
        matches!(self, PreloadStatus::Complete | PreloadStatus::Failed)
    }
}

wire_enum!(
    /// Where a pull-to-push task runs.
    PullToPushRegion, "Region" {
        ApSoutheast1 = "ap-southeast-1",
        ApSoutheast5 = "ap-southeast-5",
        CnBeijing = "cn-beijing",
        CnShanghai = "cn-shanghai",
    }
);

wire_enum!(
    /// Purge or prefetch.
    TaskType, "TaskType" {
        /// Purge cached copies.
        Refresh = "Refresh",
        /// Prefetch into the cache.
        Preload = "Preload",
    }
);

wire_enum!(
    /// Media stream formats of VOD.
    MediaFormat, "Formats" {
        Mp4 = "mp4",
        M3u8 = "m3u8",
        Mp3 = "mp3",
        Flv = "flv",
        Webm = "webm",
        Ts = "ts",
    }
);

wire_enum!(
    /// Media stream definitions of VOD.
    Definition, "Definitions" {
        Fd = "FD",
        Ld = "LD",
        Sd = "SD",
        Hd = "HD",
        Od = "OD",
        K2 = "2K",
        K4 = "4K",
        Sq = "SQ",
        Hq = "HQ",
        Auto = "AUTO",
    }
);

wire_enum!(
    /// Media stream types of VOD.
    StreamType, "StreamType" {
        Video = "video",
        Audio = "audio",
    }
);

wire_enum!(
    /// One job for all ids, or one per id.
    ResultType, "ResultType" {
        Single = "Single",
        Multiple = "Multiple",
    }
);

/// A RegionCode of HotLiveRtcStream: a Chinese provincial code or a country code from the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RegionCode(&'static str);

impl RegionCode {
    /// The code's name (`Zhejiang`, `Japan`).
    #[allow(clippy::expect_used, reason = "a RegionCode is made only from the tables")]
    pub fn name(self) -> &'static str {
        crate::region_codes::region_name(self.0).expect("a RegionCode is always in the tables")
    }
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl FromStr for RegionCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let upper = s.trim().to_ascii_uppercase();
        crate::region_codes::CHINA_PROVINCES
            .iter()
            .chain(crate::region_codes::COUNTRIES)
            .find(|(c, _)| *c == upper)
            .map(|(c, _)| RegionCode(c))
            .ok_or_else(|| {
                Error::invalid_input(
                    "RegionCode",
                    "region_code",
                    format!("`{s}` is neither a Chinese provincial code (BEJ, SHH, ZHJ, …) nor a country code (US, JP, …) of the RegionCode tables"),
                )
            })
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// The two services and their API versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// ApsaraVideo Live, API 2016-11-01.
    Live,
    /// ApsaraVideo VOD, API 2017-03-21.
    Vod,
}

impl Service {
    pub fn api_version(self) -> &'static str {
        match self {
            Service::Live => "2016-11-01",
            Service::Vod => "2017-03-21",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Live => "live",
            Service::Vod => "vod",
        }
    }
    /// The public endpoint for `region` (api.md: Live is global; VOD has regional hosts). The region is
    /// one of [`KNOWN_REGIONS`] (the client refuses others, naming the closest).
    pub fn endpoint_host(self, region: &str) -> &'static str {
        match self {
            Service::Live => "live.aliyuncs.com",
            Service::Vod => match region {
                "cn-shanghai" | "cn-hangzhou" => "vod.cn-shanghai.aliyuncs.com",
                "cn-shenzhen" => "vod.cn-shenzhen.aliyuncs.com",
                "cn-beijing" => "vod.cn-beijing.aliyuncs.com",
                "cn-hongkong" => "vod.cn-hongkong.aliyuncs.com",
                "ap-southeast-1" => "vod.ap-southeast-1.aliyuncs.com",
                "ap-northeast-1" => "vod.ap-northeast-1.aliyuncs.com",
                "ap-southeast-5" => "vod.ap-southeast-5.aliyuncs.com",
                "us-west-1" => "vod.us-west-1.aliyuncs.com",
                "eu-central-1" => "vod.eu-central-1.aliyuncs.com",
                "me-central-1" => "vod.me-central-1.aliyuncs.com",
                _ => "vod.aliyuncs.com",
            },
        }
    }
}

/// The regions a client derives its endpoints from: Alibaba Cloud's public regions. Any other region is
/// refused (most likely a typo: `cn-shangai`); an explicit endpoint reaches anything else.
pub const KNOWN_REGIONS: &[&str] = &[
    "cn-qingdao",
    "cn-beijing",
    "cn-zhangjiakou",
    "cn-huhehaote",
    "cn-wulanchabu",
    "cn-hangzhou",
    "cn-shanghai",
    "cn-nanjing",
    "cn-fuzhou",
    "cn-wuhan-lr",
    "cn-shenzhen",
    "cn-heyuan",
    "cn-guangzhou",
    "cn-chengdu",
    "cn-hongkong",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ap-south-1",
    "us-east-1",
    "us-west-1",
    "na-south-1",
    "eu-west-1",
    "eu-central-1",
    "me-east-1",
    "me-central-1",
];

impl FromStr for Service {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.to_ascii_lowercase().as_str() {
            "live" => Ok(Service::Live),
            "vod" => Ok(Service::Vod),
            _ => Err(Error::invalid_input("service", "enum", format!("`{s}` is not one of live, vod"))),
        }
    }
}

impl WireEnum for Service {
    const FIELD: &'static str = "service";
    const ALL: &'static [Self] = &[Service::Live, Service::Vod];
    fn as_str(self) -> &'static str {
        Service::as_str(self)
    }
}

/// The HTTP method of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

impl WireEnum for Method {
    const FIELD: &'static str = "method";
    const ALL: &'static [Self] = &[Method::Get, Method::Post];
    fn as_str(self) -> &'static str {
        Method::as_str(self)
    }
}

impl FromStr for Method {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.to_ascii_uppercase().as_str() {
            "GET" => Ok(Method::Get),
            "POST" => Ok(Method::Post),
            _ => Err(Error::invalid_input("method", "enum", format!("`{s}` is not one of GET, POST"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_follow_the_region_map() {
        assert_eq!(Service::Live.endpoint_host("ap-southeast-1"), "live.aliyuncs.com");
        assert_eq!(Service::Vod.endpoint_host("cn-hangzhou"), "vod.cn-shanghai.aliyuncs.com");
        assert_eq!(Service::Vod.endpoint_host("eu-central-1"), "vod.eu-central-1.aliyuncs.com");
        assert_eq!(Service::Vod.endpoint_host("cn-qingdao"), "vod.aliyuncs.com");
    }

    #[test]
    fn enums_parse_their_wire_strings_only() {
        assert_eq!("global".parse::<Area>().unwrap(), Area::Global);
        let e = "Global".parse::<Area>().unwrap_err();
        assert_eq!((e.field(), e.rule()), (Some("Area"), Some("enum")));
        assert!(e.message().contains("domestic, overseas, global"));
        assert_eq!("2K".parse::<Definition>().unwrap().as_str(), "2K");
        assert_eq!("zhj".parse::<RegionCode>().unwrap().name(), "Zhejiang");
        assert_eq!(crate::region_codes::CHINA_PROVINCES.len(), 34);
        assert_eq!(crate::region_codes::COUNTRIES.len(), 170);
        assert_eq!(("get".parse::<Method>().unwrap(), "Vod".parse::<Service>().unwrap()), (Method::Get, Service::Vod));
        assert_eq!("PUT".parse::<Method>().unwrap_err().field(), Some("method"));
        assert_eq!("oss".parse::<Service>().unwrap_err().field(), Some("service"));
    }
}
