//! What a client offers: the operations, the generic call, presigning.

use std::sync::atomic::Ordering;

use time::OffsetDateTime;

use super::builder::ClientBuilder;
use super::send::{check_action, check_credentials, check_sendable};
use super::types::{Call, Client, SignedRequest, Trace};
use crate::credentials::Credentials;
pub use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::ops::describe_live_stream_preload_tasks::{
    DescribeLiveStreamPreloadTasksRequest, DescribeLiveStreamPreloadTasksResponse,
};
use crate::ops::hot_live_rtc_stream::{HotLiveRtcStreamRequest, HotLiveRtcStreamResponse};
use crate::ops::refresh_media_play_urls::{RefreshMediaPlayUrlsRequest, RefreshMediaPlayUrlsResponse};
use crate::ops::set_live_stream_preload_tasks::{SetLiveStreamPreloadTasksRequest, SetLiveStreamPreloadTasksResponse};
use crate::ops::update_live_pull_to_push::{UpdateLivePullToPushRequest, UpdateLivePullToPushResponse};
use crate::ops::{AnyRequest, AnyResponse, Operation};
use crate::retry::RetryConfig;
use crate::types::{Method, Service};

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    pub fn region(&self) -> &str {
        &self.inner.region
    }

    /// The endpoint of a service.
    pub fn endpoint(&self, service: Service) -> &Endpoint {
        match service {
            Service::Live => &self.inner.live,
            Service::Vod => &self.inner.vod,
        }
    }

    /// Validates, sends and decodes any of the five operations.
    pub async fn execute<O: Operation>(&self, request: &O) -> Result<O::Response, Error> {
        self.execute_traced(request, &mut Trace::default()).await
    }

    /// [`Client::execute`], noting attempts and lost answers in `trace`.
    pub(crate) async fn execute_traced<O: Operation>(
        &self,
        request: &O,
        trace: &mut Trace,
    ) -> Result<O::Response, Error> {
        request.validate_at(self.service_time(OffsetDateTime::now_utc()))?;
        let call = Call {
            service: O::SERVICE,
            action: O::ACTION,
            method: O::METHOD,
            params: request.to_params(),
            converges: O::CONVERGES,
        };
        crate::ops::params_sendable(&call.params)?;
        let body = self.send_traced(call, trace).await?;
        // A 2xx the client cannot read is a Decode error: executed as far as anyone can tell, and never
        // retryable (`Error::is_retryable`).
        crate::ops::decode(O::ACTION, &body).and_then(|answer| O::check_answer(&answer).map(|()| answer))
    }

    /// The retry settings.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.inner.retry
    }

    /// The credentials the next call signs with, fetched or refreshed as a call would: to see which
    /// identity and which provider a client uses (`Debug` shows the key id and the provider only).
    pub async fn current_credentials(&self) -> Result<Credentials, Error> {
        self.inner.credentials.get_at(self.service_time(OffsetDateTime::now_utc())).await
    }

    /// An instant of our clock on the service's, as far as the `Date` headers of its answers tell
    /// (whole seconds); unchanged before any answer came.
    pub(crate) fn service_time(&self, local: OffsetDateTime) -> OffsetDateTime {
        let offset = self.inner.server_clock_offset_ms.load(Ordering::Relaxed);
        local.saturating_add(time::Duration::milliseconds(offset))
    }

    pub async fn set_live_stream_preload_tasks(
        &self,
        request: &SetLiveStreamPreloadTasksRequest,
    ) -> Result<SetLiveStreamPreloadTasksResponse, Error> {
        self.execute(request).await
    }

    pub async fn describe_live_stream_preload_tasks(
        &self,
        request: &DescribeLiveStreamPreloadTasksRequest,
    ) -> Result<DescribeLiveStreamPreloadTasksResponse, Error> {
        self.execute(request).await
    }

    pub async fn hot_live_rtc_stream(
        &self,
        request: &HotLiveRtcStreamRequest,
    ) -> Result<HotLiveRtcStreamResponse, Error> {
        self.execute(request).await
    }

    pub async fn update_live_pull_to_push(
        &self,
        request: &UpdateLivePullToPushRequest,
    ) -> Result<UpdateLivePullToPushResponse, Error> {
        self.execute(request).await
    }

    pub async fn refresh_media_play_urls(
        &self,
        request: &RefreshMediaPlayUrlsRequest,
    ) -> Result<RefreshMediaPlayUrlsResponse, Error> {
        self.execute(request).await
    }

    /// Any other RPC action of either service, signed and paced like the rest. Since nothing is known of
    /// the action, only throttling and failures that never reached the service are retried.
    pub async fn call(
        &self,
        service: Service,
        action: &str,
        method: Method,
        params: Vec<(String, String)>,
    ) -> Result<serde_json::Value, Error> {
        check_action(action)?;
        crate::ops::params_sendable(&params)?;
        let body = self.send(Call { service, action, method, params, converges: false }).await?;
        crate::ops::decode(action, &body)
    }

    pub fn pacing_is_shared(&self) -> bool {
        self.inner.limiters.is_shared()
    }

    /// Validates and signs `request` exactly as [`Client::execute`] would send it, without sending:
    /// for dry runs, inspection and benchmarks. Resolves credentials like a call does.
    pub async fn presign<O: Operation>(&self, request: &O) -> Result<SignedRequest, Error> {
        // One reading of the clock for the checks, the credentials' expiry and the signature.
        let now = self.service_time(OffsetDateTime::now_utc());
        request.validate_at(now)?;
        let creds = self.inner.credentials.get_at(now).await?;
        check_credentials(&creds)?;
        let call = Call {
            service: O::SERVICE,
            action: O::ACTION,
            method: O::METHOD,
            params: request.to_params(),
            converges: O::CONVERGES,
        };
        crate::ops::params_sendable(&call.params)?;
        let signed = self.sign_call_at(&call, &creds, now);
        check_sendable(&signed, &call.params)?;
        Ok(signed)
    }
}

impl Client {
    /// [`Client::execute`] for a request of any operation.
    pub async fn execute_any(&self, request: &AnyRequest) -> Result<AnyResponse, Error> {
        Ok(match request {
            AnyRequest::SetLiveStreamPreloadTasks(r) => AnyResponse::SetLiveStreamPreloadTasks(self.execute(r).await?),
            AnyRequest::DescribeLiveStreamPreloadTasks(r) => {
                AnyResponse::DescribeLiveStreamPreloadTasks(self.execute(r).await?)
            }
            AnyRequest::HotLiveRtcStream(r) => AnyResponse::HotLiveRtcStream(self.execute(r).await?),
            AnyRequest::UpdateLivePullToPush(r) => AnyResponse::UpdateLivePullToPush(self.execute(r).await?),
            AnyRequest::RefreshMediaPlayUrls(r) => AnyResponse::RefreshMediaPlayUrls(self.execute(r).await?),
        })
    }

    /// [`Client::presign`] for a request of any operation.
    pub async fn presign_any(&self, request: &AnyRequest) -> Result<SignedRequest, Error> {
        match request {
            AnyRequest::SetLiveStreamPreloadTasks(r) => self.presign(r).await,
            AnyRequest::DescribeLiveStreamPreloadTasks(r) => self.presign(r).await,
            AnyRequest::HotLiveRtcStream(r) => self.presign(r).await,
            AnyRequest::UpdateLivePullToPush(r) => self.presign(r).await,
            AnyRequest::RefreshMediaPlayUrls(r) => self.presign(r).await,
        }
    }
}
