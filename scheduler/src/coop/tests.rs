use super::*;

fn noop_cx() -> Context<'static> {
    Context::from_waker(std::task::Waker::noop())
}

#[test]
fn unconstrained_outside_a_task() {
    let mut cx = noop_cx();
    for _ in 0..1000 {
        let restore = match poll_proceed(&mut cx) {
            Poll::Ready(r) => r,
            Poll::Pending => panic!("no budget outside a task"),
        };
        restore.made_progress();
    }
    assert!(has_budget_remaining());
}

#[test]
fn budget_runs_out_after_initial_units() {
    let mut cx = noop_cx();
    let spent = budget(|| {
        let mut n = 0;
        while let Poll::Ready(restore) = poll_proceed(&mut cx) {
            restore.made_progress();
            n += 1;
        }
        assert!(!has_budget_remaining());
        n
    });
    assert_eq!(spent, INITIAL_BUDGET as usize);
    // The budget ends with the scope.
    assert!(has_budget_remaining());
}

#[test]
fn no_progress_gives_the_unit_back() {
    let mut cx = noop_cx();
    budget(|| {
        for _ in 0..1000 {
            match poll_proceed(&mut cx) {
                Poll::Ready(restore) => drop(restore),
                Poll::Pending => panic!("unit was not restored"),
            }
        }
    });
}

#[test]
fn unconstrained_inside_budget() {
    let mut cx = noop_cx();
    budget(|| {
        with_unconstrained(|| {
            for _ in 0..1000 {
                assert!(poll_proceed(&mut cx).is_ready());
            }
        });
        assert!(poll_proceed(&mut cx).is_ready());
    });
}
