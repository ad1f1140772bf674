//! Response models: both shapes of lists, numbers sent as strings, unknown fields kept, wire forms.

use aliprefetch::Operation;
use aliprefetch::{
    Definition, DescribeLiveStreamPreloadTasksResponse, MediaFormat, PreloadStatus, PullToPushRegion,
    RefreshMediaPlayUrlsRequest, RefreshMediaPlayUrlsResponse, SetLiveStreamPreloadTasksRequest,
    SetLiveStreamPreloadTasksResponse, StreamType, TaskType, UpdateLivePullToPushRequest, UpdateLivePullToPushResponse,
};
use time::macros::datetime;

#[test]
fn preload_tasks_arrive_wrapped_or_as_a_bare_array() {
    let wrapped = r#"{"PageNum":1,"PageSize":2,"TotalNum":1,"TotalPage":1,"RequestId":"R",
        "PreloadTasks":{"PreloadTask":[{"TaskId":"t1","DomainName":"example.com","PlayUrl":"rtmp://h/a/s","Area":"domestic",
        "CreateTime":"2016-06-29T19:00:00Z","PreloadedStartTime":"2016-06-29T19:00:00Z","PreloadedEndTime":"2016-06-30T19:00:00Z",
        "Process":"100%","Status":"complete","Description":"Successfully"}]}}"#;
    // The documentation's sample (seed 001): a bare array, numbers as numbers.
    let bare = r#"{"PageNum":1,"PageSize":2,"PreloadTasks":[{"Area":"domestic","CreateTime":"2016-06-29T19:00:00Z",
        "Description":"Successfully","DomainName":"example.com","PlayUrl":"rtmp://h/a/s","PreloadedEndTime":"2016-06-30T19:00:00Z",
        "PreloadedStartTime":"2016-06-29T19:00:00Z","Process":"100%","Status":"complete","TaskId":"t1"}],
        "RequestId":"R","TotalNum":1,"TotalPage":1}"#;
    let a: DescribeLiveStreamPreloadTasksResponse = serde_json::from_str(wrapped).unwrap();
    let b: DescribeLiveStreamPreloadTasksResponse = serde_json::from_str(bare).unwrap();
    assert_eq!(a, b);
    let t = &a.preload_tasks[0];
    assert_eq!(
        (t.task_id.as_str(), t.preload_status(), t.progress_percent()),
        ("t1", Some(PreloadStatus::Complete), Some(100.0))
    );
    assert_eq!(t.create_time, Some(datetime!(2016-06-29 19:00 UTC)));
    // A single task given as an object, and no tasks at all.
    let one: DescribeLiveStreamPreloadTasksResponse =
        serde_json::from_str(r#"{"PreloadTasks":{"PreloadTask":{"TaskId":"x"}},"TotalNum":"1"}"#).unwrap();
    assert_eq!((one.preload_tasks.len(), one.total_num), (1, 1));
    let none: DescribeLiveStreamPreloadTasksResponse =
        serde_json::from_str(r#"{"PreloadTasks":{},"RequestId":"R"}"#).unwrap();
    assert!(none.preload_tasks.is_empty());
}

#[test]
fn numbers_as_strings_and_unknown_fields_are_kept() {
    let body = r#"{"RequestId":"R","Status":"Failed","TotalURL":"2","SuccessURL":1,"FailedURL":"1","NewField":{"x":1},
        "PreloadTasksMessages":{"PreloadTasksMessage":[{"PlayUrl":"a","TaskId":"t","Description":"Successfully"},
        {"PlayUrl":"b","TaskId":"","Description":"InvalidUrl","Extra":true}]}}"#;
    let r: SetLiveStreamPreloadTasksResponse = serde_json::from_str(body).unwrap();
    assert_eq!((r.total_url, r.success_url, r.failed_url), (2, 1, 1));
    assert_eq!(r.extra["NewField"]["x"], 1);
    assert!(r.preload_tasks_messages[0].succeeded() && !r.preload_tasks_messages[1].succeeded());
    assert_eq!(r.preload_tasks_messages[1].extra["Extra"], true);
    // Serialising gives the wire shape back, unknown fields included.
    let again: serde_json::Value = serde_json::to_value(&r).unwrap();
    assert_eq!(again["PreloadTasksMessages"]["PreloadTasksMessage"][1]["PlayUrl"], "b");
    assert_eq!(again["NewField"]["x"], 1);

    let r: UpdateLivePullToPushResponse =
        serde_json::from_str(r#"{"RequestId":"R","RetCode":"0","Description":"OK"}"#).unwrap();
    assert_eq!(r.ret_code, 0);
    let r: RefreshMediaPlayUrlsResponse = serde_json::from_str(
        r#"{"RequestId":"R","MediaRefreshJobId":"j","NonExistMediaIds":"a, b","ForbiddenMediaIds":""}"#,
    )
    .unwrap();
    assert_eq!((r.non_exist_media_ids(), r.forbidden_media_ids()), (vec!["a".to_owned(), "b".to_owned()], vec![]));
}

#[test]
fn wire_forms() {
    let p = UpdateLivePullToPushRequest::new("T", PullToPushRegion::ApSoutheast1)
        .source_urls(["rtmp://a/b?x=1&y=2", "https://c/中文.mp4"])
        .start_time(datetime!(2024-08-23 15:30:00.75 +08:00))
        .offset(std::time::Duration::from_secs(2))
        .to_params();
    let get = |k: &str| p.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap();
    assert_eq!(get("SourceUrls"), r#"["rtmp://a/b?x=1&y=2","https://c/中文.mp4"]"#, "a compact JSON array");
    assert_eq!(get("StartTime"), "2024-08-23T07:30:00Z", "UTC, seconds");
    assert_eq!((get("Region"), get("Offset")), ("ap-southeast-1", "2"));

    let p = RefreshMediaPlayUrlsRequest::new(["m1", "m2"], TaskType::Preload)
        .formats([MediaFormat::Mp4, MediaFormat::M3u8])
        .definitions([Definition::K4, Definition::Hd])
        .stream_types([StreamType::Video])
        .slice_flag(false)
        .to_params();
    let get = |k: &str| p.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap();
    assert_eq!(
        (get("MediaIds"), get("Formats"), get("Definitions"), get("StreamType")),
        ("m1,m2", "mp4,m3u8", "4K,HD", "video")
    );
    assert_eq!(get("SliceFlag"), "false");

    let p = SetLiveStreamPreloadTasksRequest::new("d", ["a", "b"]).to_params();
    assert_eq!(p, [("DomainName".to_owned(), "d".to_owned()), ("PlayUrl".to_owned(), "a,b".to_owned())]);
}
