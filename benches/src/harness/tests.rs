use super::{
    fmt_ratio, fmt_time, median, paired_ratio, process_cpu_time, sign_test_rank, spread, Harness,
    PairedRatio, DEFAULT_ROUNDS,
};
use std::time::Duration;

#[test]
fn median_of_odd_count_is_middle_value() {
    let mut t = [5, 1, 3].map(Duration::from_millis);
    assert_eq!(median(&mut t), Duration::from_millis(3));
}

#[test]
fn median_of_even_count_is_mean_of_middle_pair() {
    let mut t = [4, 1, 2, 100].map(Duration::from_millis);
    assert_eq!(median(&mut t), Duration::from_millis(3));
}

#[test]
fn ratio_is_first_over_second() {
    let a = Some(Duration::from_millis(3));
    let b = Some(Duration::from_millis(6));
    assert_eq!(fmt_ratio(a, b), "0.50x");
    assert_eq!(fmt_ratio(b, a), "2.00x");
    assert_eq!(fmt_ratio(a, None), "—");
    assert_eq!(fmt_ratio(a, Some(Duration::ZERO)), "—");
}

#[test]
fn times_pick_a_readable_unit() {
    assert_eq!(fmt_time(Some(Duration::from_nanos(750))), "750 ns");
    assert_eq!(fmt_time(Some(Duration::from_micros(12))), "12.0 µs");
    assert_eq!(fmt_time(Some(Duration::from_micros(1500))), "1.500 ms");
    assert_eq!(fmt_time(Some(Duration::from_secs(2))), "2.000 s");
    assert_eq!(fmt_time(None), "—");
}

#[test]
fn process_cpu_time_advances_while_this_thread_works() {
    let start = process_cpu_time();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut x = 0u64;
    while process_cpu_time() < start + Duration::from_millis(2) {
        assert!(
            std::time::Instant::now() < deadline,
            "process CPU time did not advance"
        );
        x = std::hint::black_box(x.wrapping_add(1));
    }
    assert!(process_cpu_time() >= start);
}

#[test]
fn spread_lists_the_quantiles_in_order() {
    let t: Vec<Duration> = (1..=11).rev().map(Duration::from_millis).collect();
    assert_eq!(
        spread(&t),
        "min 1.000 ms, p10 2.000 ms, p25 4.000 ms, p50 6.000 ms, p75 9.000 ms, p90 10.000 ms, max 11.000 ms"
    );
}

#[test]
fn a_binary_default_for_rounds_yields_to_the_environment() {
    let mut h = Harness::new("rounds");
    h.rounds_from_env = None;
    assert_eq!(h.rounds(), DEFAULT_ROUNDS);
    h.default_rounds(0);
    assert_eq!(h.rounds(), 1, "at least one round");
    h.default_rounds(101);
    assert_eq!(h.rounds(), 101);
    h.rounds_from_env = Some(9);
    assert_eq!(h.rounds(), 9, "WEFT_BENCH_ROUNDS wins");
}

#[test]
fn paired_ratio_pairs_rounds_and_bounds_the_median() {
    let ms = Duration::from_millis;
    // Round i: weft took i + 1 ms, the other runtime 10 ms, except for one
    // slow round of the other runtime that pairing must not smear.
    let weft: Vec<Duration> = (1..=11).map(ms).collect();
    let mut other = vec![ms(10); 11];
    other[3] = ms(1000);
    let paired = paired_ratio(&weft, &other).unwrap();
    // Ratios sorted: 0.004, 0.1, 0.2, 0.3, 0.5, 0.6, ..., 1.1; n = 11,
    // k = 2 (P(X <= 1) = 12/2048 <= 2.5% < P(X <= 2) = 67/2048).
    assert!((paired.median - 0.6).abs() < 1e-9, "{paired:?}");
    let (low, high) = paired.interval.unwrap();
    assert!(
        (low - 0.1).abs() < 1e-9 && (high - 1.0).abs() < 1e-9,
        "{paired:?}"
    );
    assert_eq!(paired.describe(), "0.600x [0.100, 1.000]");
}

#[test]
fn paired_ratio_needs_six_rounds_for_an_interval() {
    let ms = Duration::from_millis;
    let five = paired_ratio(&[ms(1); 5], &[ms(2); 5]).unwrap();
    assert_eq!(
        five,
        PairedRatio {
            median: 0.5,
            interval: None
        }
    );
    assert_eq!(five.describe(), "0.500x");
    let six = paired_ratio(&[ms(1); 6], &[ms(2); 6]).unwrap();
    assert_eq!(six.interval, Some((0.5, 0.5)));
    assert_eq!(paired_ratio(&[], &[]), None);
    assert_eq!(sign_test_rank(5), 0);
    assert_eq!(sign_test_rank(6), 1);
    // Standard table values of the sign test's 95% interval.
    assert_eq!(sign_test_rank(15), 4);
    assert_eq!(sign_test_rank(101), 41);
    assert_eq!(paired_ratio(&[ms(1)], &[Duration::ZERO]), None);
}
