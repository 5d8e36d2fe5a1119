//! Runs every scenario of the guide and checks its output and timing.
//!
//! Scenarios that only wait on timers run on a current-thread runtime with
//! a paused clock: sleeps finish at once, at exact virtual instants, so
//! the printed timestamps and the elapsed times are deterministic.
//! Scenarios that need real threads use small time units and assert only
//! lower bounds, which scheduling noise cannot break.

use std::future::Future;
use std::sync::mpsc;
use std::time::Duration;
use weft::runtime::Builder;
use weft_docs::{scenarios, Output};

const SECOND: Duration = Duration::from_secs(1);

/// Runs `body` on its own thread and fails the test if it takes more than
/// a minute, so a regression that deadlocks cannot hang the suite.
fn bounded<T: Send + 'static>(body: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)));
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(Ok(value)) => value,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => panic!("the scenario did not finish within 60 s"),
    }
}

/// Runs `make()` on a current-thread runtime whose clock starts paused.
fn paused<F, T>(make: impl FnOnce(Output) -> F + Send + 'static) -> (Vec<String>, T)
where
    F: Future<Output = T>,
    T: Send + 'static,
{
    bounded(move || {
        let rt = Builder::new_current_thread().enable_all().start_paused(true).build().unwrap();
        let out = Output::memory();
        let value = rt.block_on(make(out.clone()));
        (out.lines(), value)
    })
}

/// Runs `make()` on a current-thread runtime on the real clock.
fn real<F, T>(make: impl FnOnce(Output) -> F + Send + 'static) -> (Vec<String>, T)
where
    F: Future<Output = T>,
    T: Send + 'static,
{
    bounded(move || {
        let rt = Builder::new_current_thread().enable_all().build().unwrap();
        let out = Output::memory();
        let value = rt.block_on(make(out.clone()));
        (out.lines(), value)
    })
}

#[test]
fn lazy_future_runs_only_when_awaited() {
    let (lines, result) = paused(|out| async move { scenarios::lazy_future::run(&out).await });
    assert_eq!(result, "Here's your data");
    assert_eq!(
        lines,
        [
            "created the future; its body has not run yet",
            "Starting to fetch data...",
            "Data fetched!",
            "Got result: Here's your data",
        ]
    );
}

#[test]
fn hello_world_sleeps_one_second() {
    let (lines, elapsed) = paused(|out| async move { scenarios::hello_world::run(&out).await });
    assert_eq!(lines, ["[0.0s] Hello", "[1.0s] World"]);
    assert_eq!(elapsed, SECOND);
}

#[test]
fn say_after_takes_the_longer_delay_not_the_sum() {
    let (lines, total) = paused(|out| async move { scenarios::say_after::run(&out).await });
    assert_eq!(lines, ["[0.0s] started", "[1.0s] hello", "[2.0s] world", "[2.0s] finished; total 2.00 seconds"]);
    assert_eq!(total, 2 * SECOND);
}

#[test]
fn create_task_interleaves_foo_and_bar() {
    let expected =
        ["[0.0s] Function A starts", "[0.0s] Function B starts", "[1.0s] Function B ends", "[2.0s] Function A ends"];
    let (lines, elapsed) = paused(|out| async move { scenarios::create_task::run(&out).await });
    assert_eq!(lines, expected);
    assert_eq!(elapsed, 2 * SECOND);

    let (lines, elapsed) = paused(|out| async move { scenarios::create_task::run_joined(&out).await });
    assert_eq!(lines, expected);
    assert_eq!(elapsed, 2 * SECOND);
}

#[test]
fn three_downloads_take_two_seconds_together_and_six_in_a_row() {
    let (lines, t) = paused(|out| async move { scenarios::downloads::run(&out).await });
    assert_eq!(t.sequential, 6 * SECOND);
    assert_eq!(t.concurrent, 2 * SECOND);
    assert_eq!(lines[0], "[2.0s] Content from a.com");
    assert_eq!(lines[2], "[6.0s] Content from c.com");
    assert_eq!(lines[4], "[2.0s] [\"Content from a.com\", \"Content from b.com\", \"Content from c.com\"]");
}

#[test]
fn gather_returns_results_in_order_after_the_longest_job() {
    let (lines, (results, elapsed)) = paused(|out| async move { scenarios::gather::run(&out).await });
    assert_eq!(results, ["Download", "Upload", "Process"]);
    assert_eq!(elapsed, 3 * SECOND);
    assert_eq!(
        lines,
        [
            "[1.0s] Upload done after 1s",
            "[2.0s] Download done after 2s",
            "[3.0s] Process done after 3s",
            "[3.0s] All done: [\"Download\", \"Upload\", \"Process\"]",
        ]
    );
}

#[test]
fn timeout_gives_up_after_two_seconds() {
    let (lines, (result, elapsed)) = paused(|out| async move { scenarios::timeout::run(&out).await });
    assert_eq!(result, None);
    assert_eq!(elapsed, 2 * SECOND);
    assert_eq!(lines.len(), 1);
    assert!(lines[0].starts_with("[2.0s] Operation timed out!"), "{lines:?}");
}

#[test]
fn to_thread_keeps_async_tasks_running() {
    let block = Duration::from_millis(20);
    let (lines, result) = paused(move |out| async move { scenarios::to_thread::run(&out, block).await });
    assert_eq!(result, "Blocked for 0.0 seconds");
    assert_eq!(lines[..2], ["[1.0s] Async task 1 finished", "[4.0s] Async task 2 finished"]);
    assert_eq!(lines[2], "[4.0s] Blocked for 0.0 seconds");
}

#[test]
fn thread_pool_runs_four_at_a_time_and_reports_as_completed() {
    let unit = Duration::from_millis(20);
    let (lines, report) = paused(move |out| async move { scenarios::thread_pool::run(&out, 8, 4, unit).await });
    let mut sorted = report.results.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [0, 1, 4, 9, 16, 25, 36, 49]);
    assert_eq!(lines.len(), 8);
    // Eight jobs, four at a time: at least two rounds of one unit.
    assert!(report.elapsed >= 2 * unit, "{:?}", report.elapsed);
}

#[test]
fn sum_of_squares_matches_the_closed_form() {
    let inputs = [100_000u64, 200_000, 300_000];
    let (lines, results) =
        paused(move |out| async move { scenarios::sum_of_squares::run(&out, &inputs).await });
    let closed = |n: u64| (n - 1) * n * (2 * n - 1) / 6;
    assert_eq!(results, inputs.map(closed));
    assert_eq!(lines, [format!("{results:?}")]);
}

#[test]
fn context_manager_cleans_up_on_close_and_on_drop() {
    let (lines, elapsed) = paused(|out| async move { scenarios::context_manager::run(&out).await });
    assert_eq!(
        lines,
        [
            "[1.0s] Connected to database",
            "[1.0s] Querying database: SELECT 1",
            "[2.0s] Disconnected from database",
            "[3.0s] Connected to database",
            "[3.0s] Querying database: SELECT 2",
            "[3.0s] dropped while still connected: closed without waiting",
        ]
    );
    assert_eq!(elapsed, 3 * SECOND);
}

#[test]
fn async_iterator_yields_every_half_second() {
    let (lines, (seen, elapsed)) = paused(|out| async move { scenarios::async_iterator::run(&out).await });
    assert_eq!(seen, [1, 2, 3, 4, 5]);
    assert_eq!(lines, ["[0.5s] 1", "[1.0s] 2", "[1.5s] 3", "[2.0s] 4", "[2.5s] 5"]);
    assert_eq!(elapsed, Duration::from_millis(2500));
}

#[test]
fn async_generator_yields_every_second_then_ticks() {
    let (lines, (seen, elapsed)) = paused(|out| async move { scenarios::async_generator::run(&out).await });
    assert_eq!(seen, [0, 1, 2, 3, 4]);
    assert_eq!(
        lines,
        ["[1.0s] 0", "[2.0s] 1", "[3.0s] 2", "[4.0s] 3", "[5.0s] 4", "[5.0s] tick 0", "[5.1s] tick 1", "[5.2s] tick 2"]
    );
    assert_eq!(elapsed, Duration::from_millis(5200));
}

#[test]
fn threads_start_and_join() {
    let out = Output::memory();
    let joined = bounded({
        let out = out.clone();
        move || scenarios::threads_join::run(&out, Duration::from_millis(10))
    });
    assert_eq!(joined, 2);
    let mut lines = out.lines();
    assert_eq!(lines.pop().as_deref(), Some("All threads done"));
    lines.sort();
    assert_eq!(lines, ["Thread-1 done", "Thread-1 starting", "Thread-2 done", "Thread-2 starting"]);
}

#[test]
fn crawler_never_exceeds_its_limit() {
    let (lines, report) = paused(|out| async move { scenarios::crawler::run(&out, 12, 3).await });
    assert_eq!(report.max_in_flight, 3);
    assert_eq!(report.elapsed, 4 * SECOND);
    let mut pages = report.pages.clone();
    pages.sort_unstable();
    assert_eq!(pages, (0..12).collect::<Vec<_>>());
    assert_eq!(lines.len(), 12);
    assert!(lines[..3].iter().all(|l| l.starts_with("[1.0s]")), "{lines:?}");
    assert!(lines[9..].iter().all(|l| l.starts_with("[4.0s]")), "{lines:?}");
}

#[test]
fn blocking_inline_stalls_the_heartbeat_and_spawn_blocking_does_not() {
    let tick = Duration::from_millis(5);
    let block = Duration::from_millis(60);
    let (lines, report) = real(move |out| async move { scenarios::blocking_damage::run(&out, tick, block).await });
    // Nothing can beat while the thread sleeps inline.
    assert!(report.max_gap_inline >= block, "{report:?}");
    // The offloaded call waited for three beats while it held its thread.
    assert!(report.beats_during_offloaded >= 3, "{report:?}");
    assert_eq!(lines.len(), 2);
}

#[test]
fn nested_block_on_is_refused_with_advice() {
    let (lines, message) = paused(|out| async move { scenarios::nested_runtime::run(&out).await });
    assert!(message.contains("cannot block on a future here"), "{message}");
    assert!(message.contains(".await"), "{message}");
    assert_eq!(lines.len(), 2);
}

#[test]
fn file_io_writes_reads_and_reads_many_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    let (lines, result) = paused(move |out| async move { scenarios::file_io::run(&out, &path, 3).await });
    let (content, total) = result.unwrap();
    assert_eq!(content, "Welcome to the async world!");
    assert_eq!(total, 100 + 200 + 300);
    assert_eq!(
        lines,
        ["Welcome to the async world!", "file-0.txt: 100 bytes", "file-1.txt: 200 bytes", "file-2.txt: 300 bytes"]
    );
}

#[test]
fn fetch_urls_gets_every_page_in_order() {
    let (lines, result) = paused(|out| async move {
        scenarios::fetch_urls::run(&out, &["/posts/1", "/posts/2", "/posts/3", "/nope"], SECOND).await
    });
    let (results, elapsed) = result.unwrap();
    let statuses: Vec<u16> = results.iter().map(|r| r.1).collect();
    assert_eq!(statuses, [200, 200, 200, 404]);
    assert_eq!(results[1].2, "post 2");
    assert_eq!(lines[0], "GET /posts/1 -> 200 post 1");
    assert_eq!(lines[3], "GET /nope -> 404 no such page");
    // Every request waits one (virtual) second at the server.
    assert!(elapsed >= SECOND, "{elapsed:?}");
}

#[test]
fn one_thread_holds_many_connections_at_once() {
    let (lines, greeted) = real(|out| async move { scenarios::tcp_connections::run(&out, 300).await });
    assert_eq!(greeted.unwrap(), 300);
    assert_eq!(lines, ["300 connections were open at once on one thread; 300 clients greeted"]);
}
