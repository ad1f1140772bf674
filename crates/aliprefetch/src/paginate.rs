//! Every task matching a Describe query, fetching pages as they are needed.

use futures::stream::{self, BoxStream, StreamExt as _, TryStreamExt as _};

use crate::client::Client;
use crate::error::Error;
use crate::ops::describe_live_stream_preload_tasks::{
    DescribeLiveStreamPreloadTasksRequest, DescribeLiveStreamPreloadTasksResponse, PreloadTask, MAX_PAGE_SIZE,
};

impl Client {
    /// The pages of a query, from its `page_num` (default 1) to the last. `page_size` defaults to 100.
    pub fn preload_task_pages(
        &self,
        query: DescribeLiveStreamPreloadTasksRequest,
    ) -> BoxStream<'static, Result<DescribeLiveStreamPreloadTasksResponse, Error>> {
        let client = self.clone();
        let first = query.page_num.unwrap_or(1);
        let query = DescribeLiveStreamPreloadTasksRequest {
            page_size: Some(query.page_size.unwrap_or(MAX_PAGE_SIZE)),
            ..query
        };
        stream::try_unfold(Some(first), move |next| {
            let client = client.clone();
            let query = query.clone();
            async move {
                let Some(page) = next else { return Ok(None) };
                let resp = client
                    .describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest {
                        page_num: Some(page),
                        ..query
                    })
                    .await?;
                // TotalPage is the server's word: also stop at a short page, at TotalNum, and before
                // the page number overflows.
                let size = i64::from(query.page_size.unwrap_or(MAX_PAGE_SIZE));
                let read = i64::from(page).saturating_mul(size);
                let more = !resp.preload_tasks.is_empty()
                    && i64::from(page) < resp.total_page
                    && resp.preload_tasks.len() as i64 >= size
                    && read < resp.total_num;
                Ok(Some((resp, page.checked_add(1).filter(|_| more))))
            }
        })
        .boxed()
    }

    /// Every task of a query, across all pages.
    pub fn preload_tasks(
        &self,
        query: DescribeLiveStreamPreloadTasksRequest,
    ) -> BoxStream<'static, Result<PreloadTask, Error>> {
        self.preload_task_pages(query)
            .map_ok(|page| stream::iter(page.preload_tasks.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }

    /// Every task of a query, collected.
    pub async fn all_preload_tasks(
        &self,
        query: DescribeLiveStreamPreloadTasksRequest,
    ) -> Result<Vec<PreloadTask>, Error> {
        self.preload_tasks(query).try_collect().await
    }
}
