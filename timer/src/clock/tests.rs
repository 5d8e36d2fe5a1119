use super::*;

#[test]
fn paused_clock_stands_still() {
    let clock = Clock::new(true);
    assert!(clock.is_paused());
    let t0 = clock.now();
    std::thread::sleep(Duration::from_millis(2));
    assert_eq!(clock.now(), t0);
}

#[test]
fn advance_moves_a_paused_clock_exactly() {
    let clock = Clock::new(true);
    let t0 = clock.now();
    clock.advance(Duration::from_millis(1_500));
    assert_eq!(clock.now(), t0 + Duration::from_millis(1_500));
    clock.advance(Duration::ZERO);
    assert_eq!(clock.now(), t0 + Duration::from_millis(1_500));
}

#[test]
fn advance_to_never_goes_back() {
    let clock = Clock::new(true);
    let t0 = clock.now();
    clock.advance_to(t0 + Duration::from_secs(10));
    assert_eq!(clock.now(), t0 + Duration::from_secs(10));
    clock.advance_to(t0 + Duration::from_secs(5));
    assert_eq!(clock.now(), t0 + Duration::from_secs(10));
}

#[test]
fn clones_share_time() {
    let clock = Clock::new(true);
    let other = clock.clone();
    let t0 = clock.now();
    other.advance(Duration::from_secs(1));
    assert_eq!(clock.now(), t0 + Duration::from_secs(1));
    assert!(other.resume());
    assert!(!clock.is_paused());
}

#[test]
#[should_panic(expected = "only be advanced while the clock is paused")]
fn advance_panics_when_running() {
    Clock::new(false).advance(Duration::from_secs(1));
}

#[test]
#[should_panic(expected = "only be advanced while the clock is paused")]
fn advance_to_panics_when_running() {
    let clock = Clock::new(false);
    clock.advance_to(clock.now());
}

#[test]
fn pause_and_resume_report_changes() {
    let clock = Clock::new(false);
    assert!(!clock.is_paused());
    assert!(!clock.resume(), "already running");
    assert!(clock.pause());
    assert!(!clock.pause(), "already paused");
    assert!(clock.is_paused());
    assert!(clock.resume());
    assert!(!clock.is_paused());
}

#[test]
fn time_is_continuous_across_pause_advance_resume() {
    let clock = Clock::new(false);
    let before = clock.now();
    assert!(clock.pause());
    let paused_at = clock.now();
    assert!(paused_at >= before);
    clock.advance(Duration::from_secs(3_600));
    assert!(clock.resume());
    // Running again, from an hour ahead of real time: never backwards.
    let after = clock.now();
    assert!(after >= paused_at + Duration::from_secs(3_600));
    assert!(clock.now() >= after);
    assert!(clock.pause());
    assert!(clock.now() >= after);
}

#[test]
fn auto_advance_inhibit_nests() {
    let clock = Clock::new(true);
    assert!(clock.can_auto_advance());
    clock.inhibit_auto_advance();
    clock.inhibit_auto_advance();
    assert!(!clock.can_auto_advance());
    clock.allow_auto_advance();
    assert!(!clock.can_auto_advance());
    clock.allow_auto_advance();
    assert!(clock.can_auto_advance());
    assert!(clock.resume());
    assert!(
        !clock.can_auto_advance(),
        "a running clock never auto-advances"
    );
}

#[test]
#[should_panic(expected = "more often than inhibit_auto_advance")]
fn unbalanced_allow_panics() {
    Clock::new(true).allow_auto_advance();
}

#[test]
fn debug_shows_state() {
    let clock = Clock::new(true);
    let text = format!("{clock:?}");
    assert!(text.contains("paused: true"), "{text}");
}

#[test]
fn a_system_clock_reads_real_time_and_refuses_to_pause() {
    let clock = Clock::system();
    let before = Instant::now();
    let read = clock.now();
    assert!(read >= before && read <= Instant::now());
    assert!(!clock.is_paused());
    assert!(!clock.resume(), "a system clock is never paused, so there is nothing to resume");
    let refused = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| clock.pause())).expect_err("pausing a system clock must panic");
    let message = refused.downcast_ref::<&str>().copied().or(refused.downcast_ref::<String>().map(String::as_str));
    assert!(message.unwrap_or("").contains("cannot be paused"), "unexpected panic message: {message:?}");
}
