//! Shutdown of the real multi-thread scheduler (`multi_thread::create`,
//! one worker) racing a spawn from outside the runtime.

use crate::runtime::multi_thread;
use loom::future::block_on;
use loom::thread;
use weft_scheduler::task::Id;

/// A thread outside the runtime spawns a task while the main thread shuts
/// the scheduler down. The spawn lands before the owner list closes (the
/// task runs, or is cancelled by the shutdown) or after (it is cancelled
/// at once); either way its `JoinHandle` resolves. A task queued after
/// the last worker's final drain of the injector is dropped by the
/// spawner itself (`Handle::push_remote`). Afterwards every thread has
/// stopped and every task was freed: nothing but the model holds the
/// scheduler handle (a task left queued would hold it forever).
#[test]
fn remote_spawn_racing_shutdown() {
    loom::model(|| {
        let (pool, handle, launch) = multi_thread(1);
        launch.launch().unwrap();
        let spawner = thread::spawn({
            let handle = handle.clone();
            move || {
                let join = handle.spawn(async { 5 }, Id::next());
                match block_on(join) {
                    Ok(value) => assert_eq!(value, 5),
                    Err(e) => assert!(e.is_cancelled(), "the task failed: {e}"),
                }
            }
        });
        handle.shutdown();
        spawner.join().unwrap();
        assert!(pool.shutdown(None), "a worker thread did not stop");
        assert_eq!(handle.num_alive_tasks(), 0);
        drop(pool);
        assert_eq!(
            std::sync::Arc::strong_count(&handle),
            1,
            "something still holds the scheduler: a task was never freed"
        );
    });
}
