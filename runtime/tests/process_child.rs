//! `weft::process`: spawning real children, waiting for them, their pipes,
//! killing them, and never leaving zombies behind.

mod fs_support;

use fs_support::{both, pause_ms};
use std::future::Future;
use std::io::ErrorKind;
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use weft::io::{AsyncReadExt, AsyncWriteExt};
use weft::process::Command;

/// The state letter of `/proc/<pid>/stat`, or `None` once the process is
/// gone (exited and reaped).
fn proc_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) S ...": the state follows the last ')'.
    stat[stat.rfind(')')? + 1..].trim_start().chars().next()
}

/// Waits (yielding to the runtime) until `pid` no longer exists; fails if
/// it is still there, zombie or not, after ten seconds.
async fn assert_reaped(pid: u32) {
    for _ in 0..1000 {
        match proc_state(pid) {
            None => return,
            Some(_) => pause_ms(10).await,
        }
    }
    panic!("process {pid} was never reaped: state {:?}", proc_state(pid));
}

#[test]
fn exit_codes_are_reported() {
    both(|| async {
        let status = Command::new("sh").args(["-c", "exit 3"]).status().await.unwrap();
        assert_eq!(status.code(), Some(3));
        assert!(!status.success());

        let mut child = Command::new("sh").args(["-c", "exit 0"]).spawn().unwrap();
        let pid = child.id().expect("running child has an id");
        let status = child.wait().await.unwrap();
        assert!(status.success());
        // Waiting again gives the same status; the id is gone.
        assert_eq!(child.wait().await.unwrap(), status);
        assert_eq!(child.try_wait().unwrap(), Some(status));
        assert_eq!(child.id(), None);
        assert_eq!(proc_state(pid), None, "a waited-for child leaves no zombie");
    });
}

#[test]
fn missing_program_is_not_found() {
    both(|| async {
        let err = Command::new("/definitely/not/a/program").spawn().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
        let err = Command::new("weft-no-such-program-on-path").output().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
    });
}

#[test]
fn output_captures_stdout_and_stderr() {
    both(|| async {
        let output = Command::new("sh").args(["-c", "echo out; echo err >&2; exit 5"]).output().await.unwrap();
        assert_eq!(output.stdout, b"out\n");
        assert_eq!(output.stderr, b"err\n");
        assert_eq!(output.status.code(), Some(5));
    });
}

#[test]
fn environment_arguments_and_directory() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let output = Command::new("sh")
            .arg("-c")
            .arg("echo \"$A|$B|$C|$(pwd)|$0\"")
            .arg("zero")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap())
            .envs([("A", "1"), ("B", "2")])
            .env("C", "3")
            .env_remove("C")
            .current_dir(dir.path())
            .output()
            .await
            .unwrap();
        let expected = format!("1|2||{}|zero\n", std::fs::canonicalize(dir.path()).unwrap().display());
        assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);
    });
}

#[test]
fn eight_mib_through_cat_with_checksum() {
    both(|| async {
        let data: Vec<u8> = (0..8 * 1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
        let sum = data.iter().fold(0u64, |acc, &b| acc.wrapping_mul(31).wrapping_add(b as u64));
        let mut child = Command::new("cat").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let writer = weft::spawn(async move {
            stdin.write_all(&data).await.unwrap();
            // Dropping stdin closes the pipe; cat then exits.
        });
        let mut back = Vec::new();
        stdout.read_to_end(&mut back).await.unwrap();
        writer.await.unwrap();
        assert_eq!(back.len(), 8 * 1024 * 1024);
        assert_eq!(back.iter().fold(0u64, |acc, &b| acc.wrapping_mul(31).wrapping_add(b as u64)), sum);
        assert!(child.wait().await.unwrap().success());
    });
}

#[test]
fn killed_child_reports_the_signal() {
    both(|| async {
        let mut child = Command::new("sleep").arg("30").spawn().unwrap();
        assert_eq!(child.try_wait().unwrap(), None);
        child.kill().await.unwrap();
        let status = child.wait().await.unwrap();
        assert_eq!(status.signal(), Some(9));
        assert_eq!(status.code(), None);
        // Killing an exited, collected child is an error, never a panic.
        assert_eq!(child.start_kill().unwrap_err().kind(), ErrorKind::InvalidInput);
        assert_eq!(child.kill().await.unwrap_err().kind(), ErrorKind::InvalidInput);
    });
}

#[test]
fn start_kill_then_wait() {
    both(|| async {
        let mut child = Command::new("sleep").arg("30").spawn().unwrap();
        child.start_kill().unwrap();
        assert_eq!(child.wait().await.unwrap().signal(), Some(libc::SIGKILL));
    });
}

#[test]
fn two_hundred_children_at_once() {
    both(|| async {
        let children: Vec<_> = (0..200)
            .map(|i| {
                let mut child = Command::new("sh").args(["-c", &format!("exit {}", i % 7)]).spawn().unwrap();
                weft::spawn(async move { child.wait().await.unwrap().code() })
            })
            .collect();
        for (i, child) in children.into_iter().enumerate() {
            assert_eq!(child.await.unwrap(), Some(i as i32 % 7));
        }
    });
}

#[test]
fn a_dropped_running_child_is_reaped_after_it_exits() {
    both(|| async {
        // cat exits once its stdin closes, which happens right after the
        // Child is dropped (the field is dropped last).
        let child = Command::new("cat").stdin(Stdio::piped()).spawn().unwrap();
        let pid = child.id().unwrap();
        assert!(matches!(proc_state(pid), Some(s) if s != 'Z'));
        drop(child);
        assert_reaped(pid).await;
    });
}

#[test]
fn kill_on_drop_kills_and_reaps() {
    both(|| async {
        let mut command = Command::new("sleep");
        command.arg("30").kill_on_drop(true);
        assert!(command.get_kill_on_drop());
        let child = command.spawn().unwrap();
        let pid = child.id().unwrap();
        drop(child);
        assert_reaped(pid).await;
    });
}

#[test]
fn wait_is_cancel_safe() {
    both(|| async {
        let mut child = Command::new("cat").stdin(Stdio::piped()).spawn().unwrap();
        let stdin = child.stdin.take().unwrap();
        {
            // Poll the wait once, then drop it while the child runs.
            let mut wait = std::pin::pin!(child.wait());
            std::future::poll_fn(|cx| {
                assert!(wait.as_mut().poll(cx).is_pending());
                std::task::Poll::Ready(())
            })
            .await;
        }
        assert_eq!(child.try_wait().unwrap(), None);
        drop(stdin);
        assert!(child.wait().await.unwrap().success());
    });
}

#[test]
fn stdout_pipes_into_another_child() {
    both(|| async {
        let mut first = Command::new("echo").arg("hello pipe").stdout(Stdio::piped()).spawn().unwrap();
        let stdout: Stdio = first.stdout.take().unwrap().try_into().unwrap();
        let output = Command::new("tr").args(["a-z", "A-Z"]).stdin(stdout).output().await.unwrap();
        assert_eq!(output.stdout, b"HELLO PIPE\n");
        assert!(first.wait().await.unwrap().success());
    });
}

#[test]
fn process_group_uid_and_gid() {
    both(|| async {
        // SAFETY: getuid and getgid only read the process's credentials.
        let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
        let mut child =
            Command::new("sleep").arg("30").process_group(0).uid(uid).gid(gid).kill_on_drop(true).spawn().unwrap();
        let pid = child.id().unwrap();
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
        assert_eq!(fields[2], pid.to_string(), "the child leads its own process group");
        child.kill().await.unwrap();
        assert_reaped(pid).await;
    });
}

#[test]
fn as_std_exposes_the_command() {
    let mut command = Command::new("echo");
    command.arg("x");
    assert_eq!(command.as_std().get_program(), "echo");
    assert_eq!(command.as_std().get_args().collect::<Vec<_>>(), ["x"]);
    command.as_std_mut().arg("y");
    assert_eq!(command.into_std().get_args().count(), 2);
}

/// The session id in `/proc/<pid>/stat` (the fourth field after the
/// command name).
fn proc_session(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat[stat.rfind(')')? + 1..].split_whitespace().nth(3)?.parse().ok()
}

/// Spawns `cat` (kept alive by its open stdin), returns whether it leads
/// its own session, and lets it exit.
async fn leads_its_session(mut command: Command) -> bool {
    let mut child = command.stdin(Stdio::piped()).spawn().unwrap();
    let pid = child.id().unwrap();
    let leads = proc_session(pid) == Some(pid);
    drop(child.stdin.take());
    assert!(child.wait().await.unwrap().success());
    leads
}

#[test]
fn pre_exec_runs_in_the_child_and_its_error_fails_the_spawn() {
    both(|| async {
        let mut command = Command::new("cat");
        // SAFETY: `setsid` is async-signal-safe and touches no memory.
        unsafe {
            command.pre_exec(|| {
                if libc::setsid() < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        // `setsid` ran in the child, which now leads a session of its own.
        assert!(leads_its_session(command).await);
        assert!(!leads_its_session(Command::new("cat")).await);

        let mut failing = Command::new("true");
        // SAFETY: the closure only builds an error value from a constant.
        unsafe {
            failing.pre_exec(|| Err(std::io::Error::from_raw_os_error(libc::EPERM)));
        }
        let error = failing.spawn().unwrap_err();
        assert_eq!(error.raw_os_error(), Some(libc::EPERM));
    });
}

#[test]
fn pipes_hand_back_blocking_owned_fds() {
    both(|| async {
        let mut child = Command::new("cat")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap().into_owned_fd().unwrap();
        let stdout = child.stdout.take().unwrap().into_owned_fd().unwrap();
        let stderr = child.stderr.take().unwrap().into_owned_fd().unwrap();
        for fd in [&stdin, &stdout, &stderr] {
            // SAFETY: F_GETFL reads the flags of a descriptor we own.
            let flags = unsafe { libc::fcntl(std::os::fd::AsRawFd::as_raw_fd(fd), libc::F_GETFL) };
            assert!(flags >= 0 && flags & libc::O_NONBLOCK == 0, "flags {flags:#x}");
        }
        // Blocking I/O on a plain thread, as the descriptors now allow.
        let echoed = std::thread::spawn(move || {
            use std::io::{Read, Write};
            let mut stdin = std::fs::File::from(stdin);
            stdin.write_all(b"through cat").unwrap();
            drop(stdin);
            let mut out = String::new();
            std::fs::File::from(stdout).read_to_string(&mut out).unwrap();
            out
        })
        .join()
        .unwrap();
        assert_eq!(echoed, "through cat");
        drop(stderr);
        assert!(child.wait().await.unwrap().success());
    });
}

#[test]
fn stdout_reads_leave_the_rest_of_an_uninitialized_buffer_alone() {
    use std::future::poll_fn;
    use std::mem::MaybeUninit;
    use std::pin::Pin;
    use weft::io::{AsyncRead, ReadBuf};

    both(|| async {
        let mut child = Command::new("echo").arg("hello").stdout(Stdio::piped()).spawn().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut storage = [MaybeUninit::<u8>::uninit(); 4096];
        let mut buf = ReadBuf::uninit(&mut storage);
        // Until end of file: each read adds at least one byte or is the last.
        for _ in 0..64 {
            let before = buf.filled().len();
            poll_fn(|cx| Pin::new(&mut stdout).poll_read(cx, &mut buf)).await.unwrap();
            if buf.filled().len() == before {
                break;
            }
        }
        assert_eq!(buf.filled(), b"hello\n");
        // Nothing was zeroed ahead of the read: only the bytes read are
        // initialized.
        assert_eq!(buf.initialized().len(), buf.filled().len());
        assert!(child.wait().await.unwrap().success());
    });
}
