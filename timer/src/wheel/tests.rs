use super::*;

/// Polls every tick from `elapsed + 1` to `until` and records the tick at
/// which each value came out.
fn run_ticks(wheel: &mut Wheel<u64>, until: u64) -> Vec<(u64, u64)> {
    let mut fired = Vec::new();
    let mut now = wheel.elapsed();
    while now < until {
        now += 1;
        wheel.advance(now, |v| fired.push((v, now)));
    }
    fired
}

/// Polls straight to `now` and returns the fired values, sorted.
fn fire_at(wheel: &mut Wheel<u64>, now: u64) -> Vec<u64> {
    let mut fired = Vec::new();
    wheel.advance(now, |v| fired.push(v));
    fired.sort_unstable();
    fired
}

#[test]
fn empty_wheel() {
    let mut wheel: Wheel<u64> = Wheel::new();
    assert!(wheel.is_empty());
    assert_eq!(wheel.next_expiration(), None);
    assert_eq!(wheel.poll(1_000), None);
    assert_eq!(wheel.elapsed(), 1_000);
}

#[test]
fn level_for_picks_highest_differing_digit() {
    assert_eq!(level_for(0, 1), 0);
    assert_eq!(level_for(0, 63), 0);
    assert_eq!(level_for(0, 64), 1);
    assert_eq!(level_for(0, 4_095), 1);
    assert_eq!(level_for(0, 4_096), 2);
    assert_eq!(level_for(0, RANGE - 1), 5);
    // Same slot of level 1, different level-0 digit.
    assert_eq!(level_for(70, 100), 0);
    // Crossing a level-1 boundary moves the entry up even if it is close.
    assert_eq!(level_for(63, 64), 1);
    // Across a RANGE boundary the top level is used.
    assert_eq!(level_for(RANGE - 1, RANGE + 5), 5);
}

#[test]
fn insert_at_every_level_fires_exactly_on_time() {
    for level in 0..LEVELS {
        let span = 1u64 << (SLOT_BITS * level as u32);
        // The first and the last deadline that land on this level.
        for deadline in [span, (span * 64 - 1).min(RANGE - 1), span + span / 2 + 1] {
            let mut wheel = Wheel::new();
            wheel.insert(deadline, deadline);
            let slot_list = wheel.list_for(deadline);
            assert_eq!(split(slot_list).0, level, "deadline {deadline}");

            // Nothing is early: jump to just before the deadline.
            assert_eq!(fire_at(&mut wheel, deadline - 1), Vec::<u64>::new());
            assert_eq!(wheel.len(), 1);
            // Once cascaded down to level 0, the next expiration is exact.
            assert_eq!(wheel.next_expiration(), Some(deadline));
            assert_eq!(fire_at(&mut wheel, deadline), vec![deadline]);
            assert!(wheel.is_empty());
        }
    }
}

#[test]
fn tick_by_tick_firing_is_exact() {
    let mut wheel = Wheel::new();
    let deadlines = [
        1, 2, 63, 64, 65, 127, 128, 4_095, 4_096, 4_097, 10_000, 262_143, 262_144,
    ];
    for &d in &deadlines {
        wheel.insert(d, d);
    }
    let fired = run_ticks(&mut wheel, 300_000);
    assert_eq!(fired.len(), deadlines.len());
    for (value, tick) in fired {
        assert_eq!(value, tick, "fired at the wrong tick");
    }
}

#[test]
fn next_expiration_reports_slot_starts_then_converges() {
    let mut wheel = Wheel::new();
    wheel.insert(5_000, 5_000);
    // Level 2 slot 1 starts at 4 096.
    assert_eq!(wheel.next_expiration(), Some(4_096));
    assert_eq!(wheel.poll(4_096), None);
    // Cascaded to level 1: slot 14 (4 992..5 056) starts at 4 992.
    assert_eq!(wheel.next_expiration(), Some(4_992));
    assert_eq!(wheel.poll(4_992), None);
    assert_eq!(wheel.next_expiration(), Some(5_000));
    assert_eq!(wheel.poll(5_000), Some(5_000));
    assert_eq!(wheel.next_expiration(), None);
}

#[test]
fn cancel_removes_and_frees() {
    let mut wheel = Wheel::new();
    let a = wheel.insert(100, 1);
    let b = wheel.insert(100, 2);
    let c = wheel.insert(100_000, 3);
    assert_eq!(wheel.len(), 3);
    assert_eq!(wheel.remove(b), Some(2));
    assert_eq!(wheel.remove(b), None, "second removal must fail");
    assert_eq!(wheel.remove(c), Some(3));
    assert_eq!(wheel.len(), 1);
    // Level 1, slot 1: starts at tick 64.
    assert_eq!(wheel.next_expiration(), Some(64));
    assert_eq!(fire_at(&mut wheel, 1_000_000), vec![1]);
    assert_eq!(wheel.remove(a), None, "a fired entry cannot be removed");
    assert_eq!(wheel.next_expiration(), None);
}

#[test]
fn removing_the_last_entry_clears_the_occupancy_bit() {
    let mut wheel = Wheel::new();
    let a = wheel.insert(7_000, 1);
    let b = wheel.insert(7_001, 2);
    let list = wheel.list_for(7_000);
    let (level, slot) = split(list);
    assert_eq!(wheel.occupied[level], 1 << slot);
    wheel.remove(a);
    assert_eq!(wheel.occupied[level], 1 << slot);
    wheel.remove(b);
    assert_eq!(wheel.occupied, [0; LEVELS]);
    assert_eq!(wheel.next_expiration(), None);
}

#[test]
fn stale_key_cannot_touch_a_reused_cell() {
    let mut wheel = Wheel::new();
    let old = wheel.insert(10, 1);
    assert_eq!(wheel.remove(old), Some(1));
    let new = wheel.insert(20, 2);
    assert_eq!(new.index, old.index, "the freed cell is reused");
    assert_ne!(new, old);
    assert_eq!(wheel.remove(old), None);
    assert!(!wheel.reschedule(old, 5));
    assert_eq!(wheel.deadline(old), None);
    assert!(!wheel.contains(old));
    assert_eq!(wheel.deadline(new), Some(20));
    assert_eq!(fire_at(&mut wheel, 20), vec![2]);
}

#[test]
fn stale_key_after_fire_cannot_touch_a_reused_cell() {
    let mut wheel = Wheel::new();
    let old = wheel.insert(3, 1);
    assert_eq!(wheel.poll(3), Some(1));
    let new = wheel.insert(9, 2);
    assert_eq!(new.index, old.index);
    assert_eq!(wheel.remove(old), None);
    assert_eq!(wheel.len(), 1);
    assert_eq!(wheel.remove(new), Some(2));
}

#[test]
fn many_timers_in_one_slot() {
    let mut wheel = Wheel::new();
    let keys: Vec<Key> = (0..1_000).map(|i| wheel.insert(50, i)).collect();
    // Cancel every third one, from the middle of the list, the head and the tail.
    for key in keys.iter().step_by(3) {
        assert!(wheel.remove(*key).is_some());
    }
    assert_eq!(fire_at(&mut wheel, 49), Vec::<u64>::new());
    let fired = fire_at(&mut wheel, 50);
    let expected: Vec<u64> = (0..1_000).filter(|i| i % 3 != 0).collect();
    assert_eq!(fired, expected);
    assert!(wheel.is_empty());
}

#[test]
fn many_timers_in_one_coarse_slot_cascade_to_distinct_ticks() {
    let mut wheel = Wheel::new();
    // All in level 2, slot 3 (12 288..16 384).
    for d in (12_288..16_384).step_by(37) {
        wheel.insert(d, d);
    }
    let fired = run_ticks(&mut wheel, 17_000);
    assert_eq!(fired.len(), (12_288..16_384).step_by(37).count());
    assert!(fired.iter().all(|&(v, t)| v == t));
}

#[test]
fn deadlines_in_the_past_fire_at_the_next_poll() {
    let mut wheel = Wheel::new();
    assert_eq!(wheel.poll(500), None);
    wheel.insert(10, 10);
    wheel.insert(500, 500);
    assert_eq!(wheel.next_expiration(), Some(500));
    // Even a poll "in the past" hands them out, and does not move time back.
    assert_eq!(fire_at(&mut wheel, 0), vec![10, 500]);
    assert_eq!(wheel.elapsed(), 500);
}

#[test]
fn cascading_from_higher_levels_keeps_order_within_a_poll() {
    let mut wheel = Wheel::new();
    let deadlines = [70, 4_100, 300_000, 20_000_000, 1_500_000_000];
    for &d in &deadlines {
        wheel.insert(d, d);
    }
    for &d in &deadlines {
        assert_eq!(
            fire_at(&mut wheel, d - 1),
            Vec::<u64>::new(),
            "early at {d}"
        );
        assert_eq!(fire_at(&mut wheel, d), vec![d]);
    }
}

#[test]
fn a_big_jump_fires_everything_due_and_nothing_else() {
    let mut wheel = Wheel::new();
    for d in [1, 64, 4_096, 262_144, 16_777_216, 1 << 30, (1 << 30) + 1] {
        wheel.insert(d, d);
    }
    assert_eq!(
        fire_at(&mut wheel, 1 << 30),
        vec![1, 64, 4_096, 262_144, 16_777_216, 1 << 30]
    );
    assert_eq!(wheel.next_expiration(), Some((1 << 30) + 1));
}

#[test]
fn wrap_around_each_level() {
    // Start late in a turn of every level so new deadlines wrap into a
    // lower-numbered slot of the next turn.
    for level in 0..LEVELS {
        let span = 1u64 << (SLOT_BITS * level as u32);
        let mut wheel = Wheel::new();
        let start = span * 64 - 1;
        let _ = wheel.poll(start);
        let mut expected: Vec<u64> = [1, 2, span, span * 3, span * 63]
            .iter()
            .map(|o| start + o)
            .collect();
        expected.sort_unstable();
        expected.dedup();
        for &d in &expected {
            wheel.insert(d, d);
        }
        let mut got = Vec::new();
        for &d in &expected {
            assert!(
                fire_at(&mut wheel, d - 1).is_empty(),
                "level {level}: early before {d}"
            );
            got.extend(fire_at(&mut wheel, d));
        }
        got.sort_unstable();
        assert_eq!(got, expected, "level {level}");
        assert!(wheel.is_empty());
    }
}

#[test]
fn top_level_ring_across_a_range_boundary() {
    let mut wheel = Wheel::new();
    let start = RANGE - 5;
    let _ = wheel.poll(start);
    // Less than RANGE ahead, but past the boundary; its top-level digit
    // equals the current one.
    let d = start + RANGE - 10;
    assert_eq!(split(wheel.list_for(d)).0, LEVELS - 1);
    wheel.insert(d, d);
    assert!(fire_at(&mut wheel, d - 1).is_empty());
    assert_eq!(fire_at(&mut wheel, d), vec![d]);
}

#[test]
fn far_deadlines_saturate_and_are_never_early() {
    let mut wheel = Wheel::new();
    let far = [
        RANGE,
        RANGE + 1,
        3 * RANGE + 12_345,
        u64::MAX / 2,
        u64::MAX - 1,
        u64::MAX,
    ];
    for &d in &far {
        wheel.insert(d, d);
    }
    // Walk the wheel forward through many expirations of the top level.
    let mut now = 0;
    for _ in 0..300 {
        let next = wheel.next_expiration().expect("entries remain");
        assert!(next > now, "next expiration must move forward");
        now = next;
        for fired in fire_at(&mut wheel, now) {
            assert!(fired <= now, "{fired} fired early at {now}");
            assert!(far.contains(&fired));
        }
        if now > 4 * RANGE {
            break;
        }
    }
    assert_eq!(
        wheel.len(),
        3,
        "only the deadlines before 4 * RANGE have fired"
    );
    // Jump to the end of time: everything fires, nothing overflows.
    assert_eq!(
        fire_at(&mut wheel, u64::MAX),
        vec![u64::MAX / 2, u64::MAX - 1, u64::MAX]
    );
    assert!(wheel.is_empty());
}

#[test]
fn far_deadline_fires_on_its_exact_tick() {
    let mut wheel = Wheel::new();
    let d = 2 * RANGE + 777;
    wheel.insert(d, d);
    let mut steps = 0;
    let now = loop {
        let now = wheel.next_expiration().unwrap();
        steps += 1;
        assert!(now <= d);
        if let Some(v) = wheel.poll(now) {
            assert_eq!(v, d);
            break now;
        }
        assert!(steps < 64 * LEVELS * 4, "no progress toward {d}");
    };
    assert_eq!(now, d);
}

#[test]
fn reschedule_moves_an_entry() {
    let mut wheel = Wheel::new();
    let k = wheel.insert(1_000, 1);
    assert!(wheel.reschedule(k, 10));
    assert_eq!(wheel.deadline(k), Some(10));
    assert_eq!(wheel.next_expiration(), Some(10));
    assert!(wheel.reschedule(k, 100_000));
    assert!(fire_at(&mut wheel, 99_999).is_empty());
    assert!(wheel.reschedule(k, 0), "into the past");
    assert_eq!(wheel.next_expiration(), Some(99_999));
    assert_eq!(fire_at(&mut wheel, 99_999), vec![1]);
    assert!(!wheel.reschedule(k, 5));
}

#[test]
fn stopping_a_poll_early_leaves_the_rest_due() {
    let mut wheel = Wheel::new();
    for d in [10, 20, 30] {
        wheel.insert(d, d);
    }
    let first = wheel.poll(100).unwrap();
    assert!(first <= 30);
    assert_eq!(wheel.len(), 2);
    // Something is still due: next_expiration says "now".
    assert!(wheel.next_expiration().unwrap() <= 100);
    // A poll with an earlier `now` only hands out what is due by then.
    let mut rest = fire_at(&mut wheel, 20);
    rest.extend(fire_at(&mut wheel, 100));
    rest.push(first);
    rest.sort_unstable();
    assert_eq!(rest, [10, 20, 30]);
}

#[test]
fn poll_with_earlier_now_after_early_stop_is_not_early() {
    let mut wheel = Wheel::new();
    wheel.insert(5, 5);
    wheel.insert(90, 90);
    // Stop after the first one; 90 may be pending already.
    let _ = wheel.poll(100);
    // 90 must not come out at 50.
    for v in fire_at(&mut wheel, 50) {
        assert!(v <= 50, "{v} fired at 50");
    }
    assert_eq!(wheel.len(), 1);
}

/// A small xorshift generator, so the model test needs no dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A distance spread over every level and beyond the range.
    fn distance(&mut self) -> u64 {
        match self.below(10) {
            0 => 0,
            1..=3 => self.below(64),
            4..=5 => self.below(4_096),
            6 => self.below(262_144),
            7 => self.below(1 << 24),
            8 => self.below(RANGE),
            _ => self.below(4 * RANGE),
        }
    }
}

/// Compares the wheel against a plain list: the same set fires, each at the
/// first poll whose `now` reaches its deadline, never earlier.
#[test]
fn randomized_against_reference() {
    for seed in 1..=40u64 {
        let mut rng = XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut wheel: Wheel<u64> = Wheel::new();
        // id -> (deadline, key); `None` once fired or cancelled.
        let mut reference: Vec<Option<(u64, Key)>> = Vec::new();
        let mut now = 0u64;
        let mut fired_count = 0;
        for _ in 0..3_000 {
            match rng.below(10) {
                0..=4 => {
                    let deadline = if rng.below(20) == 0 {
                        now.saturating_sub(rng.below(100)) // in the past
                    } else {
                        now + rng.distance()
                    };
                    let id = reference.len() as u64;
                    let key = wheel.insert(deadline, id);
                    reference.push(Some((deadline, key)));
                }
                5 => {
                    // Cancel a random entry (possibly already gone).
                    if !reference.is_empty() {
                        let id = rng.below(reference.len() as u64) as usize;
                        if let Some((_, key)) = reference[id].take() {
                            assert_eq!(wheel.remove(key), Some(id as u64));
                        }
                    }
                }
                6 => {
                    // Reschedule a live entry.
                    if !reference.is_empty() {
                        let id = rng.below(reference.len() as u64) as usize;
                        if let Some((_, key)) = reference[id] {
                            let deadline = now + rng.distance();
                            assert!(wheel.reschedule(key, deadline));
                            reference[id] = Some((deadline, key));
                        }
                    }
                }
                _ => {
                    // Advance, sometimes tick by tick, sometimes to the next
                    // expiration, sometimes by a big jump.
                    now = match rng.below(4) {
                        0 => now + 1,
                        1 => wheel.next_expiration().unwrap_or(now).max(now),
                        2 => now + rng.distance(),
                        _ => now + rng.below(64),
                    };
                    let mut fired = Vec::new();
                    wheel.advance(now, |id| fired.push(id));
                    fired.sort_unstable();
                    let mut expected: Vec<u64> = reference
                        .iter_mut()
                        .enumerate()
                        .filter_map(|(id, e)| match *e {
                            Some((d, _)) if d <= now => {
                                *e = None;
                                Some(id as u64)
                            }
                            _ => None,
                        })
                        .collect();
                    expected.sort_unstable();
                    assert_eq!(fired, expected, "seed {seed}, now {now}");
                    fired_count += fired.len();
                    // Cross-check the bookkeeping.
                    let live = reference.iter().flatten().count();
                    assert_eq!(wheel.len(), live);
                    if let Some(min) = reference.iter().flatten().map(|e| e.0).min() {
                        let next = wheel.next_expiration().expect("live entries");
                        assert!(
                            next <= min.max(now),
                            "next expiration {next} after deadline {min}"
                        );
                    } else {
                        assert_eq!(wheel.next_expiration(), None);
                    }
                }
            }
        }
        assert!(fired_count > 0);
    }
}

/// A saturated entry filed into the top level's current slot (next turn)
/// must not hide an earlier slot of the same level.
#[test]
fn next_turn_entry_does_not_hide_earlier_top_slots() {
    let mut wheel = Wheel::new();
    let three_years = 94_608_000_000u64;
    let year = 31_536_000_000u64;
    let far = wheel.insert(u64::MAX, u64::MAX);
    wheel.insert(three_years, three_years);
    for i in 1..=4 {
        let fired = fire_at(&mut wheel, i * year);
        assert_eq!(
            fired,
            if i == 3 { vec![three_years] } else { vec![] },
            "year {i}"
        );
        // Re-filing the far entry puts it in the current top slot.
        assert!(wheel.reschedule(far, u64::MAX));
        if i < 3 {
            assert!(wheel.next_expiration().unwrap() <= three_years);
        }
    }
    assert_eq!(wheel.len(), 1);
}
