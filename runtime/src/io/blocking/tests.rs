use super::*;
use crate::loom::sync::{Arc, Mutex};
use std::future::poll_fn;

fn block_on<F: Future>(f: F) -> F::Output {
    let rt = crate::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(f)
}

/// Hands out its data a few bytes per call, like a pipe.
struct Trickle {
    data: Vec<u8>,
    pos: usize,
}

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (self.data.len() - self.pos).min(buf.len()).min(3);
        buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[derive(Clone, Default)]
struct Recorder {
    written: Arc<Mutex<Vec<u8>>>,
    flushes: Arc<Mutex<usize>>,
    fail: bool,
}

impl Write for Recorder {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.fail {
            return Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"));
        }
        self.written.lock().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        *self.flushes.lock() += 1;
        Ok(())
    }
}

#[test]
fn reads_everything_in_order_then_end_of_stream() {
    let data: Vec<u8> = (0..100u8).collect();
    let got = block_on(async {
        let mut blocking = Blocking::new(Trickle {
            data: data.clone(),
            pos: 0,
        });
        let mut got = Vec::new();
        loop {
            let mut storage = [0u8; 8];
            let mut buf = ReadBuf::new(&mut storage);
            poll_fn(|cx| blocking.poll_read(cx, &mut buf))
                .await
                .unwrap();
            if buf.filled().is_empty() {
                break got;
            }
            got.extend_from_slice(buf.filled());
            assert!(got.len() <= data.len(), "read past the end");
        }
    });
    assert_eq!(got, data);
}

#[test]
fn writes_arrive_in_order_and_flush_waits_for_them() {
    let recorder = Recorder::default();
    let written = recorder.written.clone();
    let flushes = recorder.flushes.clone();
    block_on(async move {
        let mut blocking = Blocking::new(recorder);
        for chunk in [&b"one "[..], b"two ", b"three"] {
            let n = poll_fn(|cx| blocking.poll_write(cx, chunk)).await.unwrap();
            assert_eq!(n, chunk.len());
        }
        poll_fn(|cx| blocking.poll_flush(cx)).await.unwrap();
        // A second flush with nothing written makes no trip.
        poll_fn(|cx| blocking.poll_flush(cx)).await.unwrap();
    });
    assert_eq!(&*written.lock(), b"one two three");
    assert_eq!(*flushes.lock(), 1);
}

#[test]
fn a_failed_background_write_is_reported_by_the_next_call() {
    let recorder = Recorder {
        fail: true,
        ..Recorder::default()
    };
    block_on(async move {
        let mut blocking = Blocking::new(recorder);
        // The first write is accepted: it runs in the background.
        assert_eq!(
            poll_fn(|cx| blocking.poll_write(cx, b"lost"))
                .await
                .unwrap(),
            4
        );
        let error = poll_fn(|cx| blocking.poll_flush(cx)).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::BrokenPipe);
    });
}

#[test]
fn a_write_larger_than_the_limit_is_taken_in_parts() {
    let recorder = Recorder::default();
    let written = recorder.written.clone();
    let big = vec![7u8; MAX_BUF + 10];
    block_on(async move {
        let mut blocking = Blocking::new(recorder);
        let n = poll_fn(|cx| blocking.poll_write(cx, &big)).await.unwrap();
        assert_eq!(n, MAX_BUF);
        let n = poll_fn(|cx| blocking.poll_write(cx, &big[n..]))
            .await
            .unwrap();
        assert_eq!(n, 10);
        poll_fn(|cx| blocking.poll_flush(cx)).await.unwrap();
    });
    assert_eq!(written.lock().len(), MAX_BUF + 10);
}
