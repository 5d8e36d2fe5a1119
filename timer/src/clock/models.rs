//! loom models of the clock: pausing and advancing it while another
//! thread reads it. Run with
//! `RUSTFLAGS="--cfg loom" cargo test -p weft-timer --lib --release -- clock::models`.

use loom::thread;
use std::time::Duration;

use super::Clock;

/// A paused clock is advanced while another thread reads it twice. The
/// reads never go backwards and see either the old or the new instant,
/// never a torn or stale state; afterwards the clock stands at the new
/// instant.
#[test]
fn advance_racing_now_never_goes_backwards() {
    loom::model(|| {
        let clock = Clock::new(true);
        let start = clock.now();
        let step = Duration::from_millis(10);
        let advancer = thread::spawn({
            let clock = clock.clone();
            move || clock.advance(step)
        });
        let first = clock.now();
        let second = clock.now();
        assert!(second >= first, "time went backwards by {:?}", first - second);
        for read in [first, second] {
            assert!(read == start || read == start + step, "read {:?} past the start", read - start);
        }
        advancer.join().unwrap();
        assert_eq!(clock.now(), start + step);
    });
}

/// A running clock is paused while another thread reads it. A reader
/// that sees the clock paused sees it stand still, after the pause every
/// read returns the same instant, and no read racing the pause is later
/// than the paused instant: time never goes backwards across a pause.
#[test]
fn pause_racing_now_never_goes_backwards() {
    loom::model(|| {
        let clock = Clock::new(false);
        let pauser = thread::spawn({
            let clock = clock.clone();
            move || assert!(clock.pause())
        });
        let paused = clock.is_paused();
        let first = clock.now();
        let second = clock.now();
        if paused {
            assert_eq!(first, second, "a paused clock moved");
        }
        pauser.join().unwrap();
        assert!(clock.is_paused());
        let stands = clock.now();
        assert_eq!(stands, clock.now(), "a paused clock moved");
        assert!(
            first <= stands && second <= stands,
            "a read racing the pause was {:?} later than the paused instant",
            first.max(second) - stands
        );
    });
}
