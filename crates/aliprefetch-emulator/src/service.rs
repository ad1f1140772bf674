//! The five operations with the service's behaviour. Parameters are read and checked by the core's
//! own request models (leniently: unknown names are ignored, as the service ignores them); their
//! refusals are mapped onto the service's error codes.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use aliprefetch::Operation;
use aliprefetch::WireEnum;

use aliprefetch::{
    DescribeLiveStreamPreloadTasksRequest, HotLiveRtcStreamRequest, PreloadStatus, RefreshMediaPlayUrlsRequest,
    SetLiveStreamPreloadTasksRequest, UpdateLivePullToPushRequest,
};
use serde_json::{json, Map, Value};
use time::{Duration, OffsetDateTime};

use crate::fixtures::{Fixtures, PreloadFixtures, PullToPushTask, TaskState};
use crate::response::ApiError;

/// The operations, by API version and action.
pub const LIVE_VERSION: &str = "2016-11-01";
pub const VOD_VERSION: &str = "2017-03-21";

/// Default page size of DescribeLiveStreamPreloadTasks.
const DEFAULT_PAGE_SIZE: u32 = 20;
/// Tasks older than this are forgotten (the API only looks back 3 days).
const RETENTION: Duration = Duration::days(3);

#[derive(Debug, Clone)]
struct PreloadTaskRecord {
    task_id: String,
    domain: String,
    play_url: String,
    area: String,
    created: OffsetDateTime,
    start: OffsetDateTime,
    end: OffsetDateTime,
    will_fail: bool,
}

/// A prefetch task as the service holds it, for tests (the admin API's `tasks`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HeldPreloadTask {
    /// The AccessKeyId of the account that created it.
    pub account: String,
    pub task_id: String,
    pub domain: String,
    pub play_url: String,
    /// `pending`, `preloading`, `complete` or `failed`, at the emulator's clock.
    pub status: String,
    /// `yyyy-MM-ddTHH:mm:ssZ`.
    pub create_time: String,
}

/// A RefreshMediaPlayUrls job as the service holds it, for tests (the admin API's `refresh_jobs`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HeldRefreshJob {
    pub job_id: String,
    /// `Refresh` or `Preload`.
    pub task_type: String,
    /// The ids the job covers: the existing, non-forbidden ones of the request.
    pub media_ids: Vec<String>,
    pub create_time: String,
}

#[derive(Debug, Default)]
struct LiveState {
    /// Per account, in creation order.
    preload: HashMap<String, Vec<PreloadTaskRecord>>,
    created: u64,
    pull_to_push: HashMap<String, PullToPushTask>,
    /// (account, domain, app, stream, region) of HotLiveRtcStream calls, with the last settings.
    hot_streams: HashMap<(String, String, String, String, String), Value>,
}

/// The emulated services.
#[derive(Debug)]
pub struct Services {
    domains: Option<HashMap<String, bool>>,
    rtc_without_nodes: HashSet<String>,
    media: Option<HashMap<String, bool>>,
    preload: PreloadFixtures,
    initial_pull_to_push: HashMap<String, PullToPushTask>,
    live: Mutex<LiveState>,
    vod: Mutex<VodState>,
}

#[derive(Debug, Default)]
struct VodState {
    jobs_created: u64,
    jobs: Vec<(OffsetDateTime, HeldRefreshJob)>,
}

/// What a handler returns: the body (without RequestId).
pub type Outcome = Result<Value, ApiError>;

impl Services {
    pub fn new(f: &Fixtures) -> Self {
        let initial_pull_to_push: HashMap<String, PullToPushTask> =
            f.live.pull_to_push_tasks.iter().map(|t| (t.task_id.clone(), t.clone())).collect();
        let live = LiveState { pull_to_push: initial_pull_to_push.clone(), ..Default::default() };
        Services {
            domains: f.live.domains.as_ref().map(|d| d.iter().map(|d| (d.name.clone(), d.prefetch_enabled)).collect()),
            rtc_without_nodes: f.live.rtc_regions_without_nodes.iter().map(|r| r.to_ascii_uppercase()).collect(),
            media: f.vod.media.as_ref().map(|m| m.iter().map(|m| (m.media_id.clone(), m.forbidden)).collect()),
            preload: f.live.preload.clone(),
            initial_pull_to_push,
            live: Mutex::new(live),
            vod: Mutex::new(VodState::default()),
        }
    }

    fn live(&self) -> std::sync::MutexGuard<'_, LiveState> {
        // A handler never leaves the state half-changed across a panic point, so a poisoned lock is safe to reuse.
        self.live.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn vod(&self) -> std::sync::MutexGuard<'_, VodState> {
        self.vod.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Every prefetch task held, of every account, in creation order.
    pub fn preload_tasks(&self, now: OffsetDateTime) -> Vec<HeldPreloadTask> {
        let live = self.live();
        let mut accounts: Vec<(&String, &Vec<_>)> = live.preload.iter().collect();
        accounts.sort_by_key(|(account, _)| *account);
        let mut out = Vec::new();
        for (account, tasks) in accounts {
            for t in tasks {
                let (status, _) = self.lifecycle(t, now);
                out.push(HeldPreloadTask {
                    account: account.clone(),
                    task_id: t.task_id.clone(),
                    domain: t.domain.clone(),
                    play_url: t.play_url.clone(),
                    status: status.as_str().to_owned(),
                    create_time: aliprefetch::format_timestamp(t.created),
                });
            }
        }
        out
    }

    /// Every RefreshMediaPlayUrls job held, in creation order.
    pub fn refresh_jobs(&self) -> Vec<HeldRefreshJob> {
        self.vod().jobs.iter().map(|(_, j)| j.clone()).collect()
    }

    /// Back to the state the fixtures describe: no prefetch tasks, jobs or RTC configurations, the
    /// pull-to-push tasks as configured.
    pub fn reset(&self) {
        *self.live() = LiveState { pull_to_push: self.initial_pull_to_push.clone(), ..Default::default() };
        *self.vod() = VodState::default();
    }

    /// Whether `(version, action)` is one of the emulated operations.
    pub fn knows(version: &str, action: &str) -> bool {
        matches!(
            (version, action),
            (LIVE_VERSION, "SetLiveStreamPreloadTasks")
                | (LIVE_VERSION, "DescribeLiveStreamPreloadTasks")
                | (LIVE_VERSION, "HotLiveRtcStream")
                | (LIVE_VERSION, "UpdateLivePullToPush")
                | (VOD_VERSION, "RefreshMediaPlayUrls")
        )
    }

    /// Whether `action` names one of the emulated operations (of either version).
    pub fn is_action(action: &str) -> bool {
        Self::knows(LIVE_VERSION, action) || Self::knows(VOD_VERSION, action)
    }

    /// Runs an operation for `account` with the request's own parameters.
    pub fn handle(&self, action: &str, account: &str, params: &Map<String, Value>, now: OffsetDateTime) -> Outcome {
        match action {
            "SetLiveStreamPreloadTasks" => self.set_preload_tasks(account, params, now),
            "DescribeLiveStreamPreloadTasks" => self.describe_preload_tasks(account, params, now),
            "HotLiveRtcStream" => self.hot_live_rtc_stream(account, params, now),
            "UpdateLivePullToPush" => self.update_pull_to_push(params, now),
            "RefreshMediaPlayUrls" => self.refresh_media_play_urls(params, now),
            other => Err(ApiError::new(404, "InvalidAction.NotFound", format!("Specified api {other} is not found."))),
        }
    }

    fn check_domain(&self, domain: &str) -> Result<(), ApiError> {
        let enabled = self.domains.as_ref().is_none_or(|d| d.get(domain).copied().unwrap_or(false));
        if enabled {
            Ok(())
        } else {
            Err(ApiError::bad_request("NoSpecialConfiguration", "no special configuration for domain name."))
        }
    }

    fn set_preload_tasks(&self, account: &str, params: &Map<String, Value>, now: OffsetDateTime) -> Outcome {
        let req = parse::<SetLiveStreamPreloadTasksRequest>(params, now, |rule, field, msg| match (rule, field) {
            ("max_window", _) => {
                ApiError::bad_request("Duration.Exceed", "Duration between StartTime and EndTime is too long.")
            }
            ("order" | "requires_start", _) => ApiError::bad_request(
                "InvalidEndTime.Mismatch",
                format!("Specified end time does not match the specified start time. {msg}"),
            ),
            _ => invalid_param(msg),
        })?;
        self.check_domain(&req.domain_name)?;
        let start = req.preloaded_start_time.unwrap_or(now);
        let end = req.preloaded_end_time.unwrap_or(start.saturating_add(Duration::HOUR));
        let mut live = self.live();
        let mut messages = Vec::with_capacity(req.play_urls.len());
        let mut ok: usize = 0;
        for url in &req.play_urls {
            if self.preload.refused_urls.contains(url) {
                messages.push(json!({"PlayUrl": url, "TaskId": "", "Description": "InvalidUrl"}));
                continue;
            }
            live.created = live.created.saturating_add(1);
            let will_fail = live.created.checked_rem(self.preload.fail_one_in) == Some(0);
            let record = PreloadTaskRecord {
                task_id: uuid::Uuid::new_v4().to_string(),
                domain: req.domain_name.clone(),
                play_url: url.clone(),
                area: req.area.map_or("domestic", |a| a.as_str()).to_owned(),
                created: now,
                start,
                end,
                will_fail,
            };
            messages.push(json!({"PlayUrl": url, "TaskId": record.task_id, "Description": "Successfully"}));
            let tasks = live.preload.entry(account.to_owned()).or_default();
            if tasks.first().is_some_and(|t| crate::clock::between(now, t.created) > RETENTION) {
                tasks.retain(|t| crate::clock::between(now, t.created) <= RETENTION);
            }
            tasks.push(record);
            ok = ok.saturating_add(1);
        }
        let total = req.play_urls.len();
        Ok(json!({
            "Status": if ok == total { "Success" } else { "Failed" },
            "TotalURL": total,
            "SuccessURL": ok,
            "FailedURL": total.saturating_sub(ok),
            "PreloadTasksMessages": {"PreloadTasksMessage": messages},
        }))
    }

    /// The task's state at `now`: pending for the first tenth of its run, then preloading with
    /// `Process` rising, then complete (or failed) at 100%.
    fn lifecycle(&self, t: &PreloadTaskRecord, now: OffsetDateTime) -> (PreloadStatus, u32) {
        let begin = t.start.max(t.created);
        let total = self.preload.seconds_to_complete.max(0.0);
        let elapsed = crate::clock::between(now, begin).as_seconds_f64();
        let fraction = if total == 0.0 {
            if elapsed >= 0.0 {
                1.0
            } else {
                0.0
            }
        } else {
            elapsed / total
        };
        if fraction >= 1.0 {
            if t.will_fail {
                (PreloadStatus::Failed, 60)
            } else {
                (PreloadStatus::Complete, 100)
            }
        } else if fraction < 0.1 {
            (PreloadStatus::Pending, 0)
        } else {
            (PreloadStatus::Preloading, (fraction * 100.0) as u32)
        }
    }

    fn describe_preload_tasks(&self, account: &str, params: &Map<String, Value>, now: OffsetDateTime) -> Outcome {
        let req = parse::<DescribeLiveStreamPreloadTasksRequest>(params, now, |_, _, msg| invalid_param(msg))?;
        self.check_domain(&req.domain_name)?;
        let since = req.start_time.unwrap_or(now.saturating_sub(RETENTION));
        let until = req.end_time.unwrap_or(now);
        let urls: HashSet<&str> = req.play_urls.iter().map(String::as_str).collect();
        let page_size = req.page_size.unwrap_or(DEFAULT_PAGE_SIZE) as usize;
        let page_num = req.page_num.unwrap_or(1) as usize;
        let live = self.live();
        let matching: Vec<(&PreloadTaskRecord, PreloadStatus, u32)> = live
            .preload
            .get(account)
            .into_iter()
            .flatten()
            .filter(|t| t.domain == req.domain_name)
            .filter(|t| req.task_id.as_ref().is_none_or(|id| *id == t.task_id))
            .filter(|t| urls.is_empty() || urls.contains(t.play_url.as_str()))
            .filter(|t| t.created >= since && t.created <= until)
            .map(|t| {
                let (status, process) = self.lifecycle(t, now);
                (t, status, process)
            })
            .filter(|(_, status, _)| req.status.is_none_or(|s| s == *status))
            .collect();
        let total = matching.len();
        let page: Vec<Value> = matching
            .iter()
            .skip(page_num.saturating_sub(1).saturating_mul(page_size))
            .take(page_size)
            .map(|(t, status, process)| {
                json!({
                    "TaskId": t.task_id,
                    "DomainName": t.domain,
                    "PlayUrl": t.play_url,
                    "Area": t.area,
                    "CreateTime": aliprefetch::format_timestamp(t.created),
                    "PreloadedStartTime": aliprefetch::format_timestamp(t.start),
                    "PreloadedEndTime": aliprefetch::format_timestamp(t.end),
                    "Process": format!("{process}%"),
                    "Status": status.as_str(),
                    "Description": if *status == PreloadStatus::Failed { "InternalError" } else { "Successfully" },
                })
            })
            .collect();
        Ok(json!({
            "PageNum": page_num,
            "PageSize": page_size,
            "TotalNum": total,
            "TotalPage": total.div_ceil(page_size),
            "PreloadTasks": {"PreloadTask": page},
        }))
    }

    fn hot_live_rtc_stream(&self, account: &str, params: &Map<String, Value>, now: OffsetDateTime) -> Outcome {
        let req = parse::<HotLiveRtcStreamRequest>(params, now, |_, _, msg| invalid_param(msg))?;
        self.check_domain(&req.domain_name)?;
        if self.rtc_without_nodes.contains(req.region_code.as_str()) {
            return Err(ApiError::bad_request("CodeRegionHasNoNode", "this region has no corresponding node."));
        }
        let key =
            (account.to_owned(), req.domain_name, req.app_name, req.stream_name, req.region_code.as_str().to_owned());
        let settings = json!({
            "AudioMsid": req.audio_msid,
            "VideoMsid": req.video_msid,
            "ConnectionTimeout": req.connection_timeout.map(|d| d.as_millis() as u64),
            "MediaTimeout": req.media_timeout.map(|d| d.as_millis() as u64),
        });
        self.live().hot_streams.insert(key, settings);
        Ok(json!({}))
    }

    fn update_pull_to_push(&self, params: &Map<String, Value>, now: OffsetDateTime) -> Outcome {
        if self.domains.as_ref().is_some_and(|d| d.is_empty()) {
            return Err(ApiError::bad_request("CodeInvalidAliUid", "This aliuid does not have a live domain name."));
        }
        let req = parse::<UpdateLivePullToPushRequest>(params, now, |rule, _, msg| match rule {
            "order" => ApiError::bad_request(
                "InvalidParam.CodeIllegalDuration",
                "The value of start time should be less than the value of end time.",
            ),
            _ => ApiError::bad_request("InvalidParameter", format!("{msg}.")),
        })?;
        let mut live = self.live();
        let task = live
            .pull_to_push
            .get_mut(&req.task_id)
            .ok_or_else(|| ApiError::bad_request("CodeTaskNotExist", "Task does not exist."))?;
        let state = effective_state(task, now);
        let started = || ApiError::bad_request("CodeTaskHasStarted", "The task has already started.");
        if req.region.as_str() != task.region && state != TaskState::Scheduled {
            return Err(started());
        }
        if state == TaskState::Running {
            // While running only CallbackUrl and RepeatNumber may change.
            let changes_other = req.start_time.is_some_and(|t| Some(t) != task.start_time)
                || req.end_time.is_some_and(|t| Some(t) != task.end_time)
                || req.source_urls.as_ref().is_some_and(|u| *u != task.source_urls)
                || req.offset.is_some_and(|o| Some(o.as_secs()) != task.offset)
                || req.file_index.is_some_and(|i| Some(i) != task.file_index);
            if changes_other {
                return Err(started());
            }
        }
        let (start, end) = (req.start_time.or(task.start_time), req.end_time.or(task.end_time));
        if let (Some(s), Some(e)) = (start, end) {
            if e <= s {
                return Err(ApiError::bad_request(
                    "InvalidParam.CodeIllegalDuration",
                    "The value of start time should be less than the value of end time.",
                ));
            }
        }
        task.region = req.region.as_str().to_owned();
        task.start_time = start;
        task.end_time = end;
        if let Some(u) = req.source_urls {
            task.source_urls = u;
        }
        if let Some(n) = req.repeat_number {
            task.repeat_number = n;
        }
        if let Some(o) = req.offset {
            task.offset = Some(o.as_secs());
        }
        if let Some(u) = req.callback_url {
            task.callback_url = Some(u);
        }
        if let Some(i) = req.file_index {
            task.file_index = Some(i);
        }
        Ok(json!({"RetCode": 0, "Description": "OK"}))
    }

    fn refresh_media_play_urls(&self, params: &Map<String, Value>, now: OffsetDateTime) -> Outcome {
        let req = parse::<RefreshMediaPlayUrlsRequest>(params, now, |_, _, msg| {
            ApiError::bad_request("InvalidParameter", msg)
        })?;
        let (mut missing, mut forbidden) = (Vec::new(), Vec::new());
        if let Some(media) = &self.media {
            for id in &req.media_ids {
                match media.get(id) {
                    None => missing.push(id.as_str()),
                    Some(true) => forbidden.push(id.as_str()),
                    Some(false) => {}
                }
            }
        }
        let job = {
            let mut vod = self.vod();
            vod.jobs_created = vod.jobs_created.saturating_add(1);
            let job_id = format!("{:016x}", vod.jobs_created.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let covered = req
                .media_ids
                .iter()
                .filter(|id| !missing.contains(&id.as_str()) && !forbidden.contains(&id.as_str()))
                .cloned()
                .collect();
            if vod.jobs.first().is_some_and(|(t, _)| crate::clock::between(now, *t) > RETENTION) {
                vod.jobs.retain(|(t, _)| crate::clock::between(now, *t) <= RETENTION);
            }
            let held = HeldRefreshJob {
                job_id: job_id.clone(),
                task_type: req.task_type.as_str().to_owned(),
                media_ids: covered,
                create_time: aliprefetch::format_timestamp(now),
            };
            vod.jobs.push((now, held));
            job_id
        };
        Ok(json!({
            "MediaRefreshJobId": job,
            "NonExistMediaIds": missing.join(","),
            "ForbiddenMediaIds": forbidden.join(","),
        }))
    }

    /// A pull-to-push task, for tests.
    pub fn pull_to_push_task(&self, id: &str) -> Option<PullToPushTask> {
        self.live().pull_to_push.get(id).cloned()
    }

    /// How many HotLiveRtcStream configurations are held, for tests.
    pub fn hot_stream_count(&self) -> usize {
        self.live().hot_streams.len()
    }
}

/// Scheduled tasks start at their start time and stop at their end time.
fn effective_state(task: &PullToPushTask, now: OffsetDateTime) -> TaskState {
    match task.state {
        TaskState::Scheduled => match (task.start_time, task.end_time) {
            (_, Some(end)) if end <= now => TaskState::Stopped,
            (Some(start), _) if start <= now => TaskState::Running,
            _ => TaskState::Scheduled,
        },
        other => other,
    }
}

fn invalid_param(detail: &str) -> ApiError {
    ApiError::bad_request("InvalidParam", format!("Parameter invalid. {detail}"))
}

/// Reads a request with the core's model and checks its rules at the emulator's `now`. `map` turns a
/// refusal (rule, field, message) into the service's error.
fn parse<O: Operation>(
    params: &Map<String, Value>,
    now: OffsetDateTime,
    map: impl Fn(&str, &str, &str) -> ApiError,
) -> Result<O, ApiError> {
    let to_api = |e: aliprefetch::Error| {
        let (rule, field) = (e.rule().unwrap_or(""), e.field().unwrap_or(""));
        if rule == "required" {
            ApiError::missing_parameter(field)
        } else {
            map(rule, field, e.message())
        }
    };
    let req = O::from_params(params, false).map_err(to_api)?;
    req.validate_at(now).map_err(to_api)?;
    Ok(req)
}
