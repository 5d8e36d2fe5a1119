use super::*;

#[test]
fn a_park_cycle_counts_once_and_leaves_the_parity_even() {
    let slot = WorkerMetrics::default();
    let mut stats = WorkerStats::new(true);
    stats.about_to_park(&slot);
    assert_eq!(slot.park_count(), 1);
    assert_eq!(slot.park_unpark_count(), 1, "odd while parked");
    stats.unparked(&slot);
    assert_eq!(slot.park_count(), 1);
    assert_eq!(slot.park_unpark_count(), 2, "even once awake");
    stats.about_to_park(&slot);
    stats.unparked(&slot);
    assert_eq!((slot.park_count(), slot.park_unpark_count()), (2, 4));
}

#[test]
fn busy_time_accumulates_only_while_running() {
    let slot = WorkerMetrics::default();
    let mut stats = WorkerStats::new(false);
    std::thread::sleep(Duration::from_millis(5));
    stats.publish_busy(&slot);
    assert_eq!(slot.busy_duration(), Duration::ZERO, "not running yet");

    stats.start_busy();
    std::thread::sleep(Duration::from_millis(5));
    stats.publish_busy(&slot);
    let first = slot.busy_duration();
    assert!(first >= Duration::from_millis(5), "{first:?}");

    // Parked time does not count.
    stats.about_to_park(&slot);
    let at_park = slot.busy_duration();
    assert!(at_park >= first);
    std::thread::sleep(Duration::from_millis(20));
    stats.publish_busy(&slot);
    assert_eq!(slot.busy_duration(), at_park, "a parked worker is not busy");

    stats.unparked(&slot);
    std::thread::sleep(Duration::from_millis(5));
    stats.stop_busy(&slot);
    let total = slot.busy_duration();
    assert!(total >= at_park + Duration::from_millis(5), "{total:?}");
    stats.publish_busy(&slot);
    assert_eq!(slot.busy_duration(), total, "stopped: nothing more to add");
}
