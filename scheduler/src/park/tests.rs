use super::*;

#[test]
fn unpark_before_park_is_not_lost() {
    let mut p = ParkThread::new();
    p.unparker().unpark();
    p.park(None); // returns at once
}

#[test]
fn unpark_from_another_thread_wakes_a_parked_thread() {
    let mut p = ParkThread::new();
    let u = p.unparker();
    let t = std::thread::spawn(move || {
        for _ in 0..100 {
            u.unpark();
            std::thread::yield_now();
        }
    });
    p.park(None);
    t.join().unwrap();
}

#[test]
fn zero_timeout_does_not_block() {
    let mut p = ParkThread::new();
    p.park(Some(Duration::ZERO));
}

#[test]
fn block_on_waits_for_a_wake_from_another_thread() {
    let (tx, rx) = std::sync::mpsc::channel::<Waker>();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let d = done.clone();
    let t = std::thread::spawn(move || {
        let w = rx.recv().unwrap();
        d.store(true, SeqCst);
        w.wake();
    });
    let mut sent = false;
    let out = block_on(std::future::poll_fn(|cx| {
        if done.load(SeqCst) {
            return Poll::Ready(7);
        }
        if !sent {
            tx.send(cx.waker().clone()).unwrap();
            sent = true;
        }
        Poll::Pending
    }));
    assert_eq!(out, 7);
    t.join().unwrap();
}
