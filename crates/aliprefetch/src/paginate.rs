//! Every task matching a Describe query, fetching pages as they are needed.

use futures::stream::{self, BoxStream, StreamExt as _, TryStreamExt as _};

use crate::client::Client;
use std::collections::HashSet;

use crate::error::{Error, ErrorKind};
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
        let pager = Pager::new(first, query.page_size.unwrap_or(MAX_PAGE_SIZE));
        stream::try_unfold((Some(first), pager), move |(next, mut pager)| {
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
                let next = pager.next_page(page, &resp)?;
                Ok(Some((resp, (next, pager))))
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

/// Decides whether there is a page after each answer, and refuses answers that would keep paging going
/// without progress: a page other than the one asked for, a page that brings no task not seen before, or
/// more pages than the first answer's `TotalNum` allows. A broken or hostile service cannot keep a listing
/// going forever.
#[derive(Debug)]
pub(crate) struct Pager {
    first: u32,
    size: u32,
    /// The last page the first answer's `TotalNum` allows.
    last_allowed: Option<u32>,
    /// Task ids seen on earlier pages.
    seen: HashSet<String>,
}

impl Pager {
    pub(crate) fn new(first: u32, size: u32) -> Self {
        Pager { first, size: size.max(1), last_allowed: None, seen: HashSet::new() }
    }

    /// After the answer for `page`: the next page to ask for, `None` at the end, or an error naming
    /// why the answers cannot be paged through.
    pub(crate) fn next_page(
        &mut self,
        page: u32,
        resp: &DescribeLiveStreamPreloadTasksResponse,
    ) -> Result<Option<u32>, Error> {
        let stop = |why: String| {
            Err(Error::new(
                ErrorKind::Decode,
                format!("DescribeLiveStreamPreloadTasks: paging stopped at page {page}: {why}"),
            )
            .with_request_id(Some(resp.request_id.clone()).filter(|id| !id.is_empty())))
        };
        // An answer that names its page must name the one asked for (0: the field was absent).
        if resp.page_num != 0 && resp.page_num != i64::from(page) {
            return stop(format!("the answer is page {} (PageNum)", resp.page_num));
        }
        let size = i64::from(self.size);
        if page == self.first {
            let pages = resp.total_num.max(0).saturating_add(size - 1) / size;
            self.last_allowed = Some(u32::try_from(pages).unwrap_or(u32::MAX).max(self.first));
        }
        let mut new = 0usize;
        for t in &resp.preload_tasks {
            if t.task_id.is_empty() || self.seen.insert(t.task_id.clone()) {
                new += 1;
            }
        }
        if page != self.first && !resp.preload_tasks.is_empty() && new == 0 {
            return stop("every task on it was on an earlier page".to_owned());
        }
        // TotalPage is the server's word: also stop at a short page, at TotalNum, at the page count the
        // first answer allowed, and before the page number overflows.
        let read = i64::from(page).saturating_mul(size);
        let more = !resp.preload_tasks.is_empty()
            && i64::from(page) < resp.total_page
            && resp.preload_tasks.len() as i64 >= size
            && read < resp.total_num
            && self.last_allowed.is_some_and(|last| page < last);
        Ok(page.checked_add(1).filter(|_| more))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(page: i64, total: i64, ids: &[&str]) -> DescribeLiveStreamPreloadTasksResponse {
        let tasks: Vec<serde_json::Value> = ids.iter().map(|id| serde_json::json!({"TaskId": id})).collect();
        serde_json::from_value(serde_json::json!({
            "RequestId": "r",
            "PageNum": page,
            "PageSize": 2,
            "TotalNum": total,
            "TotalPage": (total + 1) / 2,
            "PreloadTasks": {"PreloadTask": tasks},
        }))
        .unwrap()
    }

    #[test]
    fn pages_advance_and_end() {
        let mut p = Pager::new(1, 2);
        assert_eq!(p.next_page(1, &answer(1, 3, &["a", "b"])).unwrap(), Some(2));
        assert_eq!(p.next_page(2, &answer(2, 3, &["c"])).unwrap(), None);
    }

    #[test]
    fn a_repeated_page_or_the_wrong_page_stops_paging() {
        let mut p = Pager::new(1, 2);
        assert_eq!(p.next_page(1, &answer(1, 1_000_000, &["a", "b"])).unwrap(), Some(2));
        let e = p.next_page(2, &answer(1, 1_000_000, &["a", "b"])).unwrap_err();
        assert!(e.message().contains("the answer is page 1"), "{e}");
        let e = p.next_page(2, &answer(2, 1_000_000, &["a", "b"])).unwrap_err();
        assert!(e.message().contains("earlier page"), "{e}");
    }

    #[test]
    fn total_num_cannot_grow_the_listing() {
        let mut p = Pager::new(1, 2);
        assert_eq!(p.next_page(1, &answer(1, 4, &["a", "b"])).unwrap(), Some(2));
        // The second answer claims many more tasks: the first answer's count bounds the listing.
        assert_eq!(p.next_page(2, &answer(2, 1_000_000, &["c", "d"])).unwrap(), None);
    }
}
