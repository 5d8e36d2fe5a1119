//! Bench cases that more than one binary runs (the `sync` bench and the
//! `sched_probe` example), written once for weft and once for tokio from
//! the same body: weft's API mirrors tokio's.

macro_rules! cases {
    ($module:ident, $rt:ident) => {
        /// The cases on
        #[doc = concat!("`", stringify!($rt), "`.")]
        pub mod $module {
            use std::sync::Arc;

            /// Two tasks take turns through a pair of `Notify`s, `rounds`
            /// times each.
            pub async fn notify_ping_pong(rounds: usize) {
                let ping = Arc::new($rt::sync::Notify::new());
                let pong = Arc::new($rt::sync::Notify::new());
                let (ping2, pong2) = (ping.clone(), pong.clone());
                let other = $rt::spawn(async move {
                    for _ in 0..rounds {
                        ping2.notified().await;
                        pong2.notify_one();
                    }
                });
                for _ in 0..rounds {
                    ping.notify_one();
                    pong.notified().await;
                }
                other.await.unwrap();
            }

            /// `receivers` tasks wait on one watch channel while this task
            /// sends the values 1 to `sends`, yielding after each; every
            /// receiver stops when it sees the last one.
            pub async fn watch_many_receivers(receivers: usize, sends: usize) {
                let (tx, rx) = $rt::sync::watch::channel(0usize);
                let tasks: Vec<_> = (0..receivers)
                    .map(|_| {
                        let mut rx = rx.clone();
                        $rt::spawn(async move {
                            while rx.changed().await.is_ok() {
                                if *rx.borrow_and_update() == sends {
                                    break;
                                }
                            }
                        })
                    })
                    .collect();
                drop(rx);
                for v in 1..=sends {
                    tx.send(v).unwrap();
                    $rt::task::yield_now().await;
                }
                drop(tx);
                for task in tasks {
                    task.await.unwrap();
                }
            }
        }
    };
}

cases!(weft_cases, weft);
cases!(tokio_cases, tokio);
