//! A synchronous client wrapping the async one on its own small runtime. Bindings and scripts that do
//! not run an event loop use this; no binding rebuilds its own sync layer.

use std::sync::Arc;

use futures::stream::BoxStream;
use futures::StreamExt as _;

use crate::batch::{MediaOptions, MediaReport, PreloadOptions, PreloadReport};
use crate::error::{Error, ErrorKind};
use crate::ops::describe_live_stream_preload_tasks::PreloadTask;
use crate::ops::Operation;
use crate::types::{Method, Service};
use crate::wait::WaitOptions;
use crate::{
    ClientBuilder, DescribeLiveStreamPreloadTasksRequest, DescribeLiveStreamPreloadTasksResponse,
    HotLiveRtcStreamRequest, HotLiveRtcStreamResponse, RefreshMediaPlayUrlsRequest, RefreshMediaPlayUrlsResponse,
    SetLiveStreamPreloadTasksRequest, SetLiveStreamPreloadTasksResponse, UpdateLivePullToPushRequest,
    UpdateLivePullToPushResponse,
};

/// The blocking client. Clones share the runtime and the async client's connections and limiters.
#[derive(Debug, Clone)]
pub struct Client {
    inner: crate::Client,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl Client {
    /// Builds the async client from `builder` and a two-thread runtime to drive it.
    pub fn new(builder: ClientBuilder) -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("aliprefetch-blocking")
            .enable_all()
            .build()
            .map_err(|e| Error::new(ErrorKind::Transport, format!("could not start the runtime: {e}")))?;
        let inner = runtime.block_on(async { builder.build() })?;
        Ok(Client { inner, runtime: Arc::new(runtime) })
    }

    /// The async client inside.
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }

    /// Runs a future of the async client to completion.
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }

    /// Validates, sends and decodes any of the five operations.
    pub fn execute<O: Operation>(&self, request: &O) -> Result<O::Response, Error> {
        self.block_on(self.inner.execute(request))
    }

    pub fn set_live_stream_preload_tasks(
        &self,
        request: &SetLiveStreamPreloadTasksRequest,
    ) -> Result<SetLiveStreamPreloadTasksResponse, Error> {
        self.execute(request)
    }

    pub fn describe_live_stream_preload_tasks(
        &self,
        request: &DescribeLiveStreamPreloadTasksRequest,
    ) -> Result<DescribeLiveStreamPreloadTasksResponse, Error> {
        self.execute(request)
    }

    pub fn hot_live_rtc_stream(&self, request: &HotLiveRtcStreamRequest) -> Result<HotLiveRtcStreamResponse, Error> {
        self.execute(request)
    }

    pub fn update_live_pull_to_push(
        &self,
        request: &UpdateLivePullToPushRequest,
    ) -> Result<UpdateLivePullToPushResponse, Error> {
        self.execute(request)
    }

    pub fn refresh_media_play_urls(
        &self,
        request: &RefreshMediaPlayUrlsRequest,
    ) -> Result<RefreshMediaPlayUrlsResponse, Error> {
        self.execute(request)
    }

    pub fn call(
        &self,
        service: Service,
        action: &str,
        method: Method,
        params: Vec<(String, String)>,
    ) -> Result<serde_json::Value, Error> {
        self.block_on(self.inner.call(service, action, method, params))
    }

    pub fn preload_live_streams<I, S>(
        &self,
        domain: &str,
        urls: I,
        options: PreloadOptions,
    ) -> Result<PreloadReport, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.block_on(self.inner.preload_live_streams(domain, urls, options))
    }

    pub fn refresh_media<I: IntoIterator<Item = S>, S: Into<String>>(
        &self,
        ids: I,
        options: MediaOptions,
    ) -> Result<MediaReport, Error> {
        self.block_on(self.inner.refresh_media(ids, options))
    }

    pub fn preload_media<I: IntoIterator<Item = S>, S: Into<String>>(
        &self,
        ids: I,
        options: MediaOptions,
    ) -> Result<MediaReport, Error> {
        self.block_on(self.inner.preload_media(ids, options))
    }

    /// An iterator over every task of a query, fetching pages as it goes.
    pub fn preload_tasks(&self, query: DescribeLiveStreamPreloadTasksRequest) -> PreloadTasks {
        PreloadTasks { stream: self.inner.preload_tasks(query), runtime: self.runtime.clone() }
    }

    pub fn wait_for_preload<S: AsRef<str>>(
        &self,
        domain: &str,
        task_ids: &[S],
        options: WaitOptions,
    ) -> Result<Vec<PreloadTask>, Error> {
        self.block_on(self.inner.wait_for_preload(domain, task_ids, options))
    }
}

/// Every task of a Describe query; see [`Client::preload_tasks`].
pub struct PreloadTasks {
    stream: BoxStream<'static, Result<PreloadTask, Error>>,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl Iterator for PreloadTasks {
    type Item = Result<PreloadTask, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        self.runtime.block_on(self.stream.next())
    }
}
