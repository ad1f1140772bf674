//! Connections: keep-alive, limits, clean shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};

use super::answer::{answer, InjectedReset};
use super::request::handle_request;
use super::state::Shared;
use crate::response::Format;

/// Answers one request. An `Err` closes the connection without an answer. A panic in a handler is
/// answered with a 500 and logged; the emulator's state stays usable.
pub async fn handle(
    shared: Arc<Shared>,
    peer: SocketAddr,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, InjectedReset> {
    use futures::FutureExt as _;
    let request_shared = shared.clone();
    match std::panic::AssertUnwindSafe(handle_request(request_shared, peer, req)).catch_unwind().await {
        Ok(answer) => answer,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(%peer, panic = what.as_str(), "a handler panicked; answered 500");
            shared.requests.record("", "panic");
            let request_id = uuid::Uuid::new_v4().to_string().to_ascii_uppercase();
            let e = crate::response::fault_error("InternalError");
            Ok(answer(Format::Json, &request_id, "emulator", Err(e), "", Instant::now(), "", peer, shared.clock.now()))
        }
    }
}

/// Serves connections until `shutdown` resolves, then lets open requests finish (up to 2 s).
pub async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    shutdown: tokio::sync::oneshot::Receiver<()>,
) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    let slots = Arc::new(tokio::sync::Semaphore::new(shared.limits.max_connections.max(1)));
    loop {
        // Past the connection cap, new connections wait in the listen backlog.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            _ = &mut shutdown => break,
        };
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(x) => x,
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let header_read_timeout = shared.limits.header_read_timeout;
                let shared = shared.clone();
                let service = hyper::service::service_fn(move |req| handle(shared.clone(), peer, req));
                let conn = hyper::server::conn::http1::Builder::new()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(header_read_timeout)
                    .keep_alive(true)
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    if let Err(e) = conn.await {
                        tracing::debug!(%peer, error = %e, "connection ended");
                    }
                    drop(slot);
                });
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), graceful.shutdown()).await;
}
