use super::{orphan, Child};
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;

fn runtime() -> crate::runtime::Runtime {
    crate::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// Runs `body` on its own thread and fails the test if it takes more than
/// a minute, instead of hanging the test binary.
fn bounded(body: impl FnOnce() + Send + 'static) {
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        body();
        let _ = done_tx.send(());
    });
    match done_rx.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(()) => thread.join().unwrap(),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            if let Err(panic) = thread.join() {
                std::panic::resume_unwind(panic);
            }
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => panic!("the test did not finish within a minute"),
    }
}

#[test]
fn exit_is_noticed_through_sigchld_without_pidfd() {
    bounded(exit_through_sigchld);
}

fn exit_through_sigchld() {
    let rt = runtime();
    rt.block_on(async {
        let mut children = Vec::new();
        for code in 0..5 {
            let std = std::process::Command::new("sh").args(["-c", &format!("exit {code}")]).spawn().unwrap();
            let child = Child::new(std, false, false).map_err(|(e, _)| e).unwrap();
            assert!(!child.uses_pidfd());
            children.push(child);
        }
        for (code, mut child) in children.into_iter().enumerate() {
            assert_eq!(child.wait().await.unwrap().code(), Some(code as i32));
        }

        let std = std::process::Command::new("sleep").arg("30").spawn().unwrap();
        let mut child = Child::new(std, false, false).map_err(|(e, _)| e).unwrap();
        child.kill().await.unwrap();
        assert_eq!(child.wait().await.unwrap().signal(), Some(libc::SIGKILL));
    });
}

#[cfg(target_os = "linux")]
#[test]
fn linux_uses_pidfd_when_it_can() {
    bounded(linux_pidfd);
}

#[cfg(target_os = "linux")]
fn linux_pidfd() {
    let rt = runtime();
    rt.block_on(async {
        let std = std::process::Command::new("true").stdout(Stdio::null()).spawn().unwrap();
        let mut child = Child::new(std, false, true).map_err(|(e, _)| e).unwrap();
        // Kernels before 5.3 fall back to SIGCHLD; both must work.
        let _ = child.uses_pidfd();
        assert!(child.wait().await.unwrap().success());
    });
}

#[test]
fn orphans_are_collected_once_they_exit() {
    bounded(orphans_collected);
}

fn orphans_collected() {
    let rt = runtime();
    rt.block_on(async {
        let mut std = std::process::Command::new("cat").stdin(Stdio::piped()).spawn().unwrap();
        let stdin = std.stdin.take().unwrap();
        orphan::adopt(std);
        assert!(orphan::len() >= 1);
        drop(stdin);
        // SIGCHLD wakes the reader task, which collects the orphan.
        for _ in 0..1000 {
            if orphan::len() == 0 {
                return;
            }
            crate::task::spawn_blocking(|| std::thread::sleep(std::time::Duration::from_millis(10))).await.unwrap();
        }
        panic!("the orphan was never collected");
    });
}
