//! Plain OS threads started and joined (`threading.Thread`).
//!
//! Nothing async here: `std::thread` is the same tool in Rust, and unlike
//! Python's threads these can run Rust code on several cores at once.

use crate::Output;
use std::thread;
use std::time::Duration;

fn worker(name: &str, units: u32, unit: Duration, out: &Output) {
    out.line(format!("{name} starting"));
    thread::sleep(unit * units);
    out.line(format!("{name} done"));
}

/// Starts `Thread-1` (2 units) and `Thread-2` (1 unit), joins both, and
/// returns how many threads were joined.
pub fn run(out: &Output, unit: Duration) -> usize {
    let threads: Vec<_> = [("Thread-1", 2), ("Thread-2", 1)]
        .into_iter()
        .map(|(name, units)| {
            let out = out.clone();
            thread::Builder::new()
                .name(name.to_owned())
                .spawn(move || worker(name, units, unit, &out))
                .expect("the OS refused a thread")
        })
        .collect();
    let count = threads.len();
    for t in threads {
        t.join().expect("a worker panicked");
    }
    out.line("All threads done");
    count
}
