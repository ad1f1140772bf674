//! The HTTP side: one port for both services, keep-alive, concurrent connections, clean shutdown.
//!
//! `state` (what handlers share, the counts, the admin API), `request` (admitting and executing one
//! request), `answer` (how answers are written) and `listen` (connections).

mod answer;
mod listen;
mod request;
mod state;

pub use answer::http_date;
pub use listen::serve;
pub use state::{ConnectionLimits, RequestCount, RequestCounts, Shared, ADMIN_PREFIX};
