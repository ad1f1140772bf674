//! Dry runs: what a call or a batch would send — validated, deduplicated, refused and chunked exactly as
//! the real thing — without credentials, signatures or any traffic.

use futures::stream::{BoxStream, Stream, StreamExt as _};

use crate::batch::{refuse_item, Chunk, ItemFailure, MediaOptions, PreloadOptions, Seen, LIVE_CHUNK, MEDIA_CHUNK};
use crate::client::Client;
use crate::error::Error;
use crate::ops::Operation;
use crate::types::{Method, Service, TaskType};

/// A request as a dry run shows it: nothing signed, nothing sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlannedRequest {
    pub action: String,
    pub method: Method,
    /// The endpoint (`scheme://host/`), with no parameter and no signature.
    pub url: String,
    /// The request's own parameters by their API names, as they would travel.
    pub params: Vec<(String, String)>,
}

/// One step of a planned batch, in input order as far as requests allow.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PlanItem {
    /// A request the batch would send.
    Request(PlannedRequest),
    /// An input refused without being sent (empty, with a comma, HLS); `index` is its place in the input.
    Refused { index: usize, input: String, failure: ItemFailure },
}

impl Client {
    /// Validates `request` and shows what [`Client::execute`] would send, without credentials.
    pub fn plan<O: Operation>(&self, request: &O) -> Result<PlannedRequest, Error> {
        request.validate()?;
        Ok(PlannedRequest {
            action: O::ACTION.to_owned(),
            method: O::METHOD,
            url: self.endpoint(O::SERVICE).base_url(),
            params: request.to_params(),
        })
    }

    /// What [`Client::call`] would send.
    pub fn plan_call(
        &self,
        service: Service,
        action: &str,
        method: Method,
        params: Vec<(String, String)>,
    ) -> Result<PlannedRequest, Error> {
        crate::ops::require("Action", action)?;
        Ok(PlannedRequest { action: action.to_owned(), method, url: self.endpoint(service).base_url(), params })
    }

    /// The requests [`Client::stream_preload_live_streams`] would send for `urls` (up to 100 URLs each,
    /// repeats dropped, malformed and HLS URLs refused), read as the stream is polled. Errors when the
    /// shared parameters are invalid, as the batch does.
    pub fn plan_preload_live_streams<St>(
        &self,
        domain: &str,
        urls: St,
        options: &PreloadOptions,
    ) -> Result<BoxStream<'static, PlanItem>, Error>
    where
        St: Stream<Item = String> + Send + 'static,
    {
        options.validate(domain)?;
        let (client, domain, options) = (self.clone(), domain.to_owned(), options.clone());
        Ok(plan_chunks(urls, "PlayUrl", LIVE_CHUNK, true, move |chunk| {
            client.plan(&options.request_for(&domain, chunk))
        }))
    }

    /// The requests [`Client::stream_refresh_media`] (`Refresh`) or [`Client::stream_preload_media`]
    /// (`Preload`) would send for `media_ids` (up to 20 ids each).
    pub fn plan_media<St>(
        &self,
        task_type: TaskType,
        media_ids: St,
        options: &MediaOptions,
    ) -> Result<BoxStream<'static, PlanItem>, Error>
    where
        St: Stream<Item = String> + Send + 'static,
    {
        options.validate(task_type)?;
        let (client, options) = (self.clone(), options.clone());
        Ok(plan_chunks(media_ids, "MediaIds", MEDIA_CHUNK, false, move |chunk| {
            client.plan(&options.request_for(task_type, chunk))
        }))
    }
}

/// Deduplicates, refuses and chunks `input` as the batch engine does; `plan` turns a chunk into its
/// request. Holds one chunk and the dedupe set, nothing more.
fn plan_chunks<St, F>(input: St, field: &'static str, size: usize, urls: bool, plan: F) -> BoxStream<'static, PlanItem>
where
    St: Stream<Item = String> + Send + 'static,
    F: Fn(Vec<String>) -> Result<PlannedRequest, Error> + Send + 'static,
{
    struct State<St, F> {
        input: Option<std::pin::Pin<Box<St>>>,
        seen: Seen,
        chunk: Chunk<String>,
        index: usize,
        plan: F,
    }
    let state = State { input: Some(Box::pin(input)), seen: Seen::new(), chunk: Chunk::new(size), index: 0, plan };
    futures::stream::unfold(state, move |mut s| async move {
        loop {
            let next = match s.input.as_mut() {
                Some(input) => input.next().await,
                None => None,
            };
            match next {
                Some(item) => {
                    let index = s.index;
                    s.index += 1;
                    if !s.seen.insert(&item) {
                        continue;
                    }
                    if let Some(failure) = refuse_item(field, &item, urls) {
                        return Some((PlanItem::Refused { index, input: item, failure }, s));
                    }
                    let len = crate::encoding::percent_encoded_len(&item);
                    if !s.chunk.fits(len) {
                        let chunk = s.chunk.take();
                        s.chunk.push(len, item);
                        return Some((planned(&s.plan, chunk, field), s));
                    }
                    s.chunk.push(len, item);
                    if s.chunk.full() {
                        let chunk = s.chunk.take();
                        return Some((planned(&s.plan, chunk, field), s));
                    }
                }
                None => {
                    s.input = None;
                    if s.chunk.is_empty() {
                        return None;
                    }
                    let chunk = s.chunk.take();
                    return Some((planned(&s.plan, chunk, field), s));
                }
            }
        }
    })
    .boxed()
}

/// A chunk's request; the per-request checks passed for each item already, so a refusal here names
/// the whole chunk's first item.
fn planned<F: Fn(Vec<String>) -> Result<PlannedRequest, Error>>(plan: &F, chunk: Vec<String>, field: &str) -> PlanItem {
    let first = chunk.first().cloned().unwrap_or_default();
    match plan(chunk) {
        Ok(r) => PlanItem::Request(r),
        Err(e) => PlanItem::Refused {
            index: 0,
            input: first,
            failure: ItemFailure::from_error(&e).with_message(format!("{field}: {}", e.message())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_batch_is_planned_as_it_would_be_sent() {
        // Nothing listens on port 9 and no credentials exist: planning needs neither.
        let client = Client::builder().endpoint("127.0.0.1:9").build().unwrap();
        let mut urls: Vec<String> = (0..250).map(|i| format!("rtmp://play.example.com/app/s{i}")).collect();
        urls.push(urls[0].clone());
        urls.push("http://play.example.com/app/s.m3u8".into());
        let plan: Vec<PlanItem> = client
            .plan_preload_live_streams("play.example.com", futures::stream::iter(urls), &PreloadOptions::default())
            .unwrap()
            .collect()
            .await;
        let sizes: Vec<usize> = plan
            .iter()
            .filter_map(|p| match p {
                PlanItem::Request(r) => {
                    assert_eq!(
                        (r.action.as_str(), r.url.as_str()),
                        ("SetLiveStreamPreloadTasks", "http://127.0.0.1:9/")
                    );
                    r.params.iter().find(|(k, _)| k == "PlayUrl").map(|(_, v)| v.split(',').count())
                }
                PlanItem::Refused { .. } => None,
            })
            .collect();
        assert_eq!(sizes, [100, 100, 50]);
        let refused: Vec<(usize, &str)> = plan
            .iter()
            .filter_map(|p| match p {
                PlanItem::Refused { index, failure, .. } => Some((*index, failure.code.as_str())),
                PlanItem::Request(_) => None,
            })
            .collect();
        assert_eq!(refused, [(251, "hls")]);
        let Err(e) = client.plan_preload_live_streams("", futures::stream::empty(), &PreloadOptions::default()) else {
            panic!("an empty domain is refused before planning");
        };
        assert_eq!(e.field(), Some("DomainName"));
    }
}
