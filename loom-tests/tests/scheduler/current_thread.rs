//! The current-thread scheduler (`scheduler/src/current_thread/`), run
//! for real: `current_thread::create` with a condvar-only driver
//! (`ParkThread`), the real `block_on` loop, remote queue and core
//! hand-over between threads that call `block_on`.

use crate::runtime::Signal;
use loom::sync::Arc;
use loom::thread;
use weft_scheduler::current_thread;
use weft_scheduler::park::ParkThread;
use weft_scheduler::task::Id;
use weft_scheduler::Config;

/// A task waits for a signal that another thread sets, while the thread
/// in `block_on` runs out of work and parks in its driver. The wake from
/// the other thread goes to the remote queue and unparks the driver:
/// the task runs again and `block_on` returns its output.
#[test]
fn remote_wake_while_block_on_parks() {
    loom::model(|| {
        let handle = current_thread::create(Config::default(), Box::new(ParkThread::new()));
        let signal = Arc::new(Signal::default());
        let task = handle.spawn(
            {
                let signal = signal.clone();
                async move {
                    signal.wait().await;
                    7
                }
            },
            Id::next(),
        );
        let setter = thread::spawn(move || signal.set());
        assert_eq!(handle.block_on(task).unwrap(), 7);
        setter.join().unwrap();
        handle.shutdown();
        assert_eq!(handle.num_alive_tasks(), 0);
    });
}

/// Two threads call `block_on` at once. One drives the scheduler; the
/// other waits for its own future or for the core. The main thread's
/// future sets the signal a spawned task waits for; the other thread
/// blocks on that task. Whichever thread holds the core, the task runs:
/// when the main thread leaves `block_on` it puts the core back and wakes
/// the waiting thread, which then takes the core and runs the task.
#[test]
fn block_on_threads_hand_the_core_over() {
    loom::model(|| {
        let handle = current_thread::create(Config::default(), Box::new(ParkThread::new()));
        let signal = Arc::new(Signal::default());
        let task = handle.spawn(
            {
                let signal = signal.clone();
                async move { signal.wait().await }
            },
            Id::next(),
        );
        let other = thread::spawn({
            let handle = handle.clone();
            move || handle.block_on(task).unwrap()
        });
        handle.block_on(async { signal.set() });
        other.join().unwrap();
        handle.shutdown();
        assert_eq!(handle.num_alive_tasks(), 0);
    });
}
