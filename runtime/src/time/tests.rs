use super::{Instant, MissedTickBehavior};
use std::time::Duration;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn burst_keeps_the_original_schedule() {
    let start = Instant::now();
    let next = MissedTickBehavior::Burst.next_deadline(start + ms(50), start + ms(130), ms(50));
    assert_eq!(next, start + ms(100));
}

#[test]
fn delay_restarts_from_now() {
    let start = Instant::now();
    let next = MissedTickBehavior::Delay.next_deadline(start + ms(50), start + ms(130), ms(50));
    assert_eq!(next, start + ms(180));
}

#[test]
fn skip_goes_to_the_next_future_slot() {
    let start = Instant::now();
    let next = MissedTickBehavior::Skip.next_deadline(start + ms(50), start + ms(130), ms(50));
    assert_eq!(next, start + ms(150));
    // Exactly on a slot: the next one is a whole period away.
    let next = MissedTickBehavior::Skip.next_deadline(start + ms(50), start + ms(150), ms(50));
    assert_eq!(next, start + ms(200));
}

#[test]
fn next_deadline_saturates() {
    let start = Instant::now();
    for behavior in [MissedTickBehavior::Burst, MissedTickBehavior::Delay, MissedTickBehavior::Skip] {
        let next = behavior.next_deadline(start, start + ms(10), Duration::MAX);
        assert!(next > start + Duration::from_secs(86_400 * 365), "{behavior:?}");
    }
}

#[test]
fn saturating_add_goes_far_and_never_panics() {
    let now = Instant::now();
    assert!(now.saturating_add(Duration::MAX) > now + Duration::from_secs(86_400 * 365 * 29));
    assert_eq!(now.saturating_add(ms(5)), now + ms(5));
}

#[test]
fn instant_arithmetic() {
    let a = Instant::now();
    let mut b = a;
    b += ms(7);
    assert_eq!(b - a, ms(7));
    assert_eq!(a - b, Duration::ZERO);
    b -= ms(2);
    assert_eq!(b, a + ms(5));
    assert_eq!(b - ms(5), a);
    assert_eq!(a.checked_sub(ms(1)).map(|t| a - t), Some(ms(1)));
    assert_eq!(a.saturating_duration_since(b), Duration::ZERO);
    assert_eq!(Instant::from(a.into_std()), a);
    assert_eq!(std::time::Instant::from(a), a.into_std());
    assert!(format!("{a:?}").starts_with("Instant"));
}

#[test]
fn timer_errors_report_their_kind() {
    use super::error::Error;
    let all = [Error::shutdown(), Error::at_capacity(), Error::invalid()];
    let kinds: Vec<_> = all
        .iter()
        .map(|e| (e.is_shutdown(), e.is_at_capacity(), e.is_invalid()))
        .collect();
    assert_eq!(kinds, [(true, false, false), (false, true, false), (false, false, true)]);
    let messages: std::collections::HashSet<_> = all.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 3);
}
