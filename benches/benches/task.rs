//! Task-utility benches: `JoinSet`, `LocalSet` and task-locals, weft
//! against tokio on the same number of worker threads. smol has none of
//! these types, so it is left out.
//!
//! Run with `cargo bench -p weft-benches --bench task`; a name after `--`
//! runs only the cases that contain it. The table printed at the end holds
//! the median time per iteration and the ratio weft/tokio.

use std::hint::black_box;
use weft_benches::{tokio_runtime, weft_runtime, workers, Harness, Runner};

/// Tasks joined per iteration in `joinset_spawn_join`.
const TASKS: usize = 10_000;
/// Tasks that stay pending in `joinset_join_one_of_many`.
const PENDING: usize = 10_000;
/// Ready tasks spawned and joined one by one next to them.
const JOINS: usize = 1_000;
/// Local tasks per iteration in `local_set_spawn_local`.
const LOCAL_TASKS: usize = 10_000;
/// Scopes entered per iteration in `task_local_scope`.
const SCOPES: usize = 10_000;

fn main() {
    let n = workers();
    let weft = weft_runtime(n);
    let tokio = tokio_runtime(n);
    let mut h = Harness::new("task");

    h.bench(
        "joinset_spawn_join",
        &mut [
            Runner::new("weft", || weft_joinset_spawn_join(&weft)),
            Runner::new("tokio", || tokio_joinset_spawn_join(&tokio)),
        ],
    );
    h.bench(
        "joinset_join_one_of_many",
        &mut [
            Runner::new("weft", || weft_joinset_one_of_many(&weft)),
            Runner::new("tokio", || tokio_joinset_one_of_many(&tokio)),
        ],
    );
    h.bench(
        "local_set_spawn_local",
        &mut [
            Runner::new("weft", || weft_local_set(&weft)),
            Runner::new("tokio", || tokio_local_set(&tokio)),
        ],
    );
    h.bench(
        "task_local_scope",
        &mut [
            Runner::new("weft", || weft_task_local(&weft)),
            Runner::new("tokio", || tokio_task_local(&tokio)),
        ],
    );
    h.finish();
}

// ---- joinset_spawn_join: 10 000 tasks spawned into a set and joined -------

fn weft_joinset_spawn_join(rt: &weft::runtime::Runtime) {
    rt.block_on(async {
        weft::spawn(async {
            let mut set = weft::task::JoinSet::new();
            for i in 0..TASKS {
                set.spawn(async move { black_box(i) });
            }
            while let Some(result) = set.join_next().await {
                black_box(result.unwrap());
            }
        })
        .await
        .unwrap();
    });
}

fn tokio_joinset_spawn_join(rt: &tokio::runtime::Runtime) {
    rt.block_on(async {
        tokio::spawn(async {
            let mut set = tokio::task::JoinSet::new();
            for i in 0..TASKS {
                set.spawn(async move { black_box(i) });
            }
            while let Some(result) = set.join_next().await {
                black_box(result.unwrap());
            }
        })
        .await
        .unwrap();
    });
}

// ---- joinset_join_one_of_many: join ready tasks next to 10 000 pending ----
// The cost of a join must not grow with the number of tasks in the set.

fn weft_joinset_one_of_many(rt: &weft::runtime::Runtime) {
    rt.block_on(async {
        weft::spawn(async {
            let mut set = weft::task::JoinSet::new();
            for _ in 0..PENDING {
                set.spawn(std::future::pending::<usize>());
            }
            for i in 0..JOINS {
                set.spawn(async move { i });
                black_box(set.join_next().await.unwrap().unwrap());
            }
            set.shutdown().await;
        })
        .await
        .unwrap();
    });
}

fn tokio_joinset_one_of_many(rt: &tokio::runtime::Runtime) {
    rt.block_on(async {
        tokio::spawn(async {
            let mut set = tokio::task::JoinSet::new();
            for _ in 0..PENDING {
                set.spawn(std::future::pending::<usize>());
            }
            for i in 0..JOINS {
                set.spawn(async move { i });
                black_box(set.join_next().await.unwrap().unwrap());
            }
            set.shutdown().await;
        })
        .await
        .unwrap();
    });
}

// ---- local_set_spawn_local: 10 000 `!Send` tasks on a LocalSet -------------

fn weft_local_set(rt: &weft::runtime::Runtime) {
    let local = weft::task::LocalSet::new();
    local.block_on(rt, async {
        let shared = std::rc::Rc::new(std::cell::Cell::new(0usize));
        let tasks: Vec<_> = (0..LOCAL_TASKS)
            .map(|i| {
                let shared = shared.clone();
                weft::task::spawn_local(async move { shared.set(shared.get() + black_box(i)) })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        black_box(shared.get());
    });
}

fn tokio_local_set(rt: &tokio::runtime::Runtime) {
    let local = tokio::task::LocalSet::new();
    local.block_on(rt, async {
        let shared = std::rc::Rc::new(std::cell::Cell::new(0usize));
        let tasks: Vec<_> = (0..LOCAL_TASKS)
            .map(|i| {
                let shared = shared.clone();
                tokio::task::spawn_local(async move { shared.set(shared.get() + black_box(i)) })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        black_box(shared.get());
    });
}

// ---- task_local_scope: 10 000 scopes entered, polled and read -------------

weft::task_local! {
    static WEFT_KEY: usize;
}

tokio::task_local! {
    static TOKIO_KEY: usize;
}

fn weft_task_local(rt: &weft::runtime::Runtime) {
    rt.block_on(async {
        let mut sum = 0;
        for i in 0..SCOPES {
            sum += WEFT_KEY.scope(i, async { WEFT_KEY.get() }).await;
        }
        black_box(sum);
    });
}

fn tokio_task_local(rt: &tokio::runtime::Runtime) {
    rt.block_on(async {
        let mut sum = 0;
        for i in 0..SCOPES {
            sum += TOKIO_KEY.scope(i, async { TOKIO_KEY.get() }).await;
        }
        black_box(sum);
    });
}
