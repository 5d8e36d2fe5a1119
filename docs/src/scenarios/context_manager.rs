//! Setup and cleanup around a block (an async context manager).
//!
//! Rust has no `async with`. The weft way is an async constructor for the
//! setup, an async `close` for a cleanup that must wait, and a [`Drop`]
//! impl as the safety net that runs on every exit path (early return,
//! `?`, panic, cancellation). `Drop` cannot await, so it only does what
//! can be done without waiting: here it reports a connection that was
//! never closed.

use crate::{Output, Stopwatch};
use std::time::Duration;

/// A pretend database connection.
#[derive(Debug)]
pub struct Database {
    out: Output,
    clock: Stopwatch,
    open: bool,
}

impl Database {
    /// Connects (takes one second).
    pub async fn connect(out: &Output, clock: Stopwatch) -> Database {
        weft::time::sleep(Duration::from_secs(1)).await;
        out.line(clock.stamp("Connected to database"));
        Database { out: out.clone(), clock, open: true }
    }

    /// Runs a query.
    pub fn query(&self, sql: &str) -> usize {
        self.out.line(self.clock.stamp(format!("Querying database: {sql}")));
        sql.len()
    }

    /// Disconnects (takes one second).
    pub async fn close(mut self) {
        weft::time::sleep(Duration::from_secs(1)).await;
        self.out.line(self.clock.stamp("Disconnected from database"));
        self.open = false;
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if self.open {
            self.out.line(self.clock.stamp("dropped while still connected: closed without waiting"));
        }
    }
}

/// Connects, queries and closes; then connects again and drops the
/// connection without closing it. Returns the elapsed time.
pub async fn run(out: &Output) -> Duration {
    let clock = Stopwatch::start();
    let db = Database::connect(out, clock).await;
    db.query("SELECT 1");
    db.close().await;

    let forgotten = Database::connect(out, clock).await;
    forgotten.query("SELECT 2");
    drop(forgotten);
    clock.elapsed()
}
