//! The task core (`scheduler/src/task/`): the state word, the harness and
//! the join-waker hand-over, driven through the public task API on the
//! queue-only [`Queue`] scheduler.
//!
//! Every model checks the core's promises: a task is never polled by two
//! threads at once (the [`Gate`] panics), a wake-up is never lost (the
//! task finishes), the future and its output are dropped exactly once,
//! and nothing leaks (loom reports a task that is never freed as a leaked
//! `Arc`, since each task holds a clone of its queue).

use loom::future::block_on;
use loom::thread;
use weft_loom_tests::{counting_waker, poll_once, Gate, Queue};

/// A wake that lands while the task is being polled makes the runner
/// resubmit it, so the task still completes.
#[test]
fn wake_while_running_is_not_lost() {
    loom::model(|| {
        let queue = Queue::new();
        let (gate, handle) = Gate::new();
        let join = queue.spawn(gate);
        let opener = thread::spawn({
            let handle = handle.clone();
            move || handle.open()
        });
        queue.run_one();
        opener.join().unwrap();
        queue.run_all();
        assert!(join.is_finished(), "the wake-up during the poll was lost");
        assert!(block_on(join).is_ok());
        assert!(handle.polls() <= 2);
        assert_eq!(handle.future_drops(), 1);
        assert_eq!(handle.output_drops(), 1);
    });
}

/// Two threads wake an idle task at once: it is queued exactly once.
#[test]
fn two_wakes_of_an_idle_task_queue_it_once() {
    loom::model(|| {
        let queue = Queue::new();
        let (gate, handle) = Gate::new();
        let join = queue.spawn(gate);
        queue.run_one();
        let waker = handle.take_waker().expect("the first poll stored a waker");
        let other = waker.clone();
        let t = thread::spawn(move || other.wake());
        waker.wake();
        t.join().unwrap();
        assert_eq!(
            queue.queued(),
            1,
            "two wakes queued the task twice (or not at all)"
        );
        handle.open();
        queue.run_all();
        assert!(block_on(join).is_ok());
        assert_eq!(handle.polls(), 2);
    });
}

/// `abort` from another thread races the poll that completes the task:
/// the handle sees the output or a cancellation, and each of the future
/// and the output is dropped exactly once.
#[test]
fn abort_racing_completion() {
    loom::model(|| {
        let queue = Queue::new();
        let (gate, handle) = Gate::open();
        let join = queue.spawn(gate);
        let abort = join.abort_handle();
        let t = thread::spawn(move || abort.abort());
        queue.run_all();
        t.join().unwrap();
        queue.run_all();
        match block_on(join) {
            Ok(token) => drop(token),
            Err(e) => assert!(e.is_cancelled()),
        }
        assert_eq!(handle.future_drops(), 1);
        assert!(handle.polls() <= 1);
        assert_eq!(handle.output_drops(), handle.polls());
        assert_eq!(queue.alive(), 0);
    });
}

/// An idle task is aborted on one thread and woken on another: it is
/// queued once, then either cancelled or completed, never both.
#[test]
fn abort_racing_wake() {
    loom::model(|| {
        let queue = Queue::new();
        let (gate, handle) = Gate::new();
        let join = queue.spawn(gate);
        queue.run_one();
        let abort = join.abort_handle();
        let aborter = thread::spawn(move || abort.abort());
        handle.open();
        aborter.join().unwrap();
        assert_eq!(queue.queued(), 1, "abort and wake queued the task twice");
        queue.run_all();
        assert!(join.is_finished(), "the aborted task never finished");
        match block_on(join) {
            Ok(token) => drop(token),
            Err(e) => assert!(e.is_cancelled()),
        }
        assert_eq!(handle.future_drops(), 1);
        assert_eq!(queue.alive(), 0);
    });
}

/// The `JoinHandle` is dropped while the task completes: the output is
/// dropped exactly once, by whichever side is last.
#[test]
fn join_handle_drop_racing_completion() {
    loom::model(|| {
        let queue = Queue::new();
        let (gate, handle) = Gate::open();
        let join = queue.spawn(gate);
        let t = thread::spawn(move || drop(join));
        queue.run_all();
        t.join().unwrap();
        assert_eq!(handle.future_drops(), 1);
        assert_eq!(handle.output_drops(), 1);
    });
}

/// The awaiting side replaces its waker while the task completes on
/// another thread: either the new poll sees the output, or the new waker
/// is woken. The output is then read exactly once.
#[test]
fn join_waker_replaced_while_the_task_completes() {
    loom::model(|| {
        let queue = Queue::new();
        let (gate, handle) = Gate::new();
        let mut join = queue.spawn(gate);
        queue.run_one();
        let (first, first_waker) = counting_waker();
        assert!(poll_once(&mut join, &first_waker).is_pending());
        let runner = thread::spawn({
            let queue = queue.clone();
            let handle = handle.clone();
            move || {
                handle.open();
                queue.run_all();
            }
        });
        let (second, second_waker) = counting_waker();
        let polled = poll_once(&mut join, &second_waker);
        runner.join().unwrap();
        let output = match polled {
            std::task::Poll::Ready(output) => output,
            std::task::Poll::Pending => {
                assert_eq!(
                    second.get(),
                    1,
                    "completion did not wake the replaced waker"
                );
                match poll_once(&mut join, &second_waker) {
                    std::task::Poll::Ready(output) => output,
                    std::task::Poll::Pending => panic!("woken, but the output is not there"),
                }
            }
        };
        assert!(output.is_ok());
        assert!(first.get() <= 1);
        drop(output);
        drop(join);
        assert_eq!(handle.output_drops(), 1);
    });
}

/// A task awaited from another thread: completion wakes the awaiting
/// thread (a lost join wake-up deadlocks the model).
#[test]
fn completion_wakes_the_awaiting_thread() {
    loom::model(|| {
        let queue = Queue::new();
        let (gate, handle) = Gate::new();
        let join = queue.spawn(gate);
        queue.run_one();
        let waiter = thread::spawn(move || block_on(join).is_ok());
        handle.open();
        queue.run_all();
        assert!(waiter.join().unwrap());
    });
}

/// The last three references (a stored waker, the `JoinHandle` and the
/// owner list at shutdown) are dropped on three threads at once: the task
/// is freed exactly once whichever goes last.
#[test]
fn last_reference_dropped_from_each_side() {
    loom::model(|| {
        let queue = Queue::new();
        let (gate, handle) = Gate::new();
        let join = queue.spawn(gate);
        queue.run_one();
        let waker = handle.take_waker().expect("the first poll stored a waker");
        let t1 = thread::spawn(move || drop(waker));
        let t2 = thread::spawn(move || drop(join));
        queue.shutdown();
        t1.join().unwrap();
        t2.join().unwrap();
        assert_eq!(handle.future_drops(), 1);
        assert_eq!(handle.output_drops(), 0);
    });
}

/// Shutdown of the owner list races a spawn and a wake: the spawned task
/// is either refused (cancelled at once) or cancelled by the drain, and
/// the woken task's queued `Notified` is dropped without a poll after
/// cancellation.
#[test]
fn shutdown_racing_spawn_and_wake() {
    loom::model(|| {
        let queue = Queue::new();
        let (gate, handle) = Gate::new();
        let join = queue.spawn(gate);
        queue.run_one();
        let spawner = thread::spawn({
            let queue = queue.clone();
            let handle = handle.clone();
            move || {
                handle.open();
                let (late, late_handle) = Gate::open();
                (queue.spawn(late), late_handle)
            }
        });
        queue.shutdown();
        let (late_join, late_handle) = spawner.join().unwrap();
        queue.shutdown();
        assert!(block_on(join).unwrap_err().is_cancelled());
        assert!(block_on(late_join).unwrap_err().is_cancelled());
        assert_eq!(late_handle.polls(), 0);
        assert_eq!(handle.polls(), 1);
        assert_eq!(handle.future_drops(), 1);
        assert_eq!(late_handle.future_drops(), 1);
    });
}
