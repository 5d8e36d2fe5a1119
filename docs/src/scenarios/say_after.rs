//! Two spawned tasks that each say something after a delay.
//!
//! Both tasks are started before either is awaited, so their sleeps
//! overlap: the program ends after the longer delay (2 s), not after
//! the sum (3 s).

use crate::{Output, Stopwatch};
use std::time::Duration;

async fn say_after(delay: Duration, what: &'static str, out: Output, clock: Stopwatch) {
    weft::time::sleep(delay).await;
    out.line(clock.stamp(what));
}

/// Spawns `hello` after 1 s and `world` after 2 s, awaits both, and
/// returns the total elapsed time.
pub async fn run(out: &Output) -> Duration {
    let clock = Stopwatch::start();
    out.line(clock.stamp("started"));
    let task1 = weft::spawn(say_after(Duration::from_secs(1), "hello", out.clone(), clock));
    let task2 = weft::spawn(say_after(Duration::from_secs(2), "world", out.clone(), clock));
    task1.await.expect("say_after(hello) panicked");
    task2.await.expect("say_after(world) panicked");
    let total = clock.elapsed();
    out.line(clock.stamp(format!("finished; total {:.2} seconds", total.as_secs_f64())));
    total
}
