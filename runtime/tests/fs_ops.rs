//! The one-shot path functions of `weft::fs`, against real files.

mod fs_support;

use fs_support::both;
use std::io::ErrorKind;
use std::os::unix::fs::PermissionsExt;
use weft::fs;

#[test]
fn write_then_read_and_read_to_string() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, b"hello weft").await.unwrap();
        assert_eq!(fs::read(&path).await.unwrap(), b"hello weft");
        assert_eq!(fs::read_to_string(&path).await.unwrap(), "hello weft");
        // Writing again truncates.
        fs::write(&path, "hi").await.unwrap();
        assert_eq!(fs::read_to_string(&path).await.unwrap(), "hi");
    });
}

#[test]
fn missing_files_report_not_found() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        assert_eq!(fs::read(&missing).await.unwrap_err().kind(), ErrorKind::NotFound);
        assert_eq!(fs::read_to_string(&missing).await.unwrap_err().kind(), ErrorKind::NotFound);
        assert_eq!(fs::metadata(&missing).await.unwrap_err().kind(), ErrorKind::NotFound);
        assert_eq!(fs::remove_file(&missing).await.unwrap_err().kind(), ErrorKind::NotFound);
        assert_eq!(fs::File::open(&missing).await.unwrap_err().kind(), ErrorKind::NotFound);
        assert_eq!(fs::canonicalize(&missing).await.unwrap_err().kind(), ErrorKind::NotFound);
    });
}

#[test]
fn read_to_string_rejects_invalid_utf8() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bin");
        fs::write(&path, [0xff, 0xfe]).await.unwrap();
        assert_eq!(fs::read_to_string(&path).await.unwrap_err().kind(), ErrorKind::InvalidData);
    });
}

#[test]
fn copy_rename_and_remove_file() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        let c = dir.path().join("c");
        fs::write(&a, vec![7u8; 5000]).await.unwrap();
        assert_eq!(fs::copy(&a, &b).await.unwrap(), 5000);
        assert_eq!(fs::read(&b).await.unwrap(), vec![7u8; 5000]);
        fs::rename(&b, &c).await.unwrap();
        assert!(!fs::try_exists(&b).await.unwrap());
        assert_eq!(fs::read(&c).await.unwrap().len(), 5000);
        fs::remove_file(&c).await.unwrap();
        assert!(!fs::try_exists(&c).await.unwrap());
        assert!(fs::try_exists(&a).await.unwrap());
    });
}

#[test]
fn directories_are_created_and_removed() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let one = dir.path().join("one");
        fs::create_dir(&one).await.unwrap();
        assert_eq!(fs::create_dir(&one).await.unwrap_err().kind(), ErrorKind::AlreadyExists);
        assert!(fs::metadata(&one).await.unwrap().is_dir());

        let deep = dir.path().join("x/y/z");
        assert_eq!(fs::create_dir(&deep).await.unwrap_err().kind(), ErrorKind::NotFound);
        fs::create_dir_all(&deep).await.unwrap();
        fs::create_dir_all(&deep).await.unwrap();
        fs::write(deep.join("f"), "f").await.unwrap();

        fs::remove_dir(&one).await.unwrap();
        assert!(!fs::try_exists(&one).await.unwrap());
        // Not empty: remove_dir refuses, remove_dir_all does it.
        assert!(fs::remove_dir(dir.path().join("x")).await.is_err());
        fs::remove_dir_all(dir.path().join("x")).await.unwrap();
        assert!(!fs::try_exists(dir.path().join("x")).await.unwrap());
    });
}

#[test]
fn dir_builder_recursive_and_mode() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p/q");
        assert!(fs::DirBuilder::new().create(&path).await.is_err());
        fs::DirBuilder::new().recursive(true).mode(0o700).create(&path).await.unwrap();
        let mode = fs::metadata(&path).await.unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        // Recursive creation of an existing directory succeeds.
        fs::DirBuilder::new().recursive(true).create(&path).await.unwrap();
    });
}

#[test]
fn links_metadata_and_canonicalize() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        let soft = dir.path().join("soft");
        let hard = dir.path().join("hard");
        fs::write(&target, "data").await.unwrap();

        fs::symlink(&target, &soft).await.unwrap();
        assert_eq!(fs::read_link(&soft).await.unwrap(), target);
        assert!(fs::symlink_metadata(&soft).await.unwrap().file_type().is_symlink());
        assert!(fs::metadata(&soft).await.unwrap().is_file());
        assert_eq!(fs::canonicalize(&soft).await.unwrap(), fs::canonicalize(&target).await.unwrap());
        assert_eq!(fs::read_link(&target).await.unwrap_err().kind(), ErrorKind::InvalidInput);

        fs::hard_link(&target, &hard).await.unwrap();
        fs::write(&hard, "changed").await.unwrap();
        assert_eq!(fs::read_to_string(&target).await.unwrap(), "changed");

        // A dangling link does not exist.
        fs::remove_file(&target).await.unwrap();
        assert!(!fs::try_exists(&soft).await.unwrap());
    });
}

#[test]
fn set_permissions_changes_mode() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        fs::write(&path, "x").await.unwrap();
        fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).await.unwrap();
        assert_eq!(fs::metadata(&path).await.unwrap().permissions().mode() & 0o777, 0o600);
        fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).await.unwrap();
        assert!(fs::metadata(&path).await.unwrap().permissions().readonly());
    });
}

#[test]
fn many_operations_run_concurrently() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let tasks: Vec<_> = (0..64)
            .map(|i| {
                let path = dir.path().join(format!("f{i}"));
                weft::spawn(async move {
                    fs::write(&path, i.to_string()).await.unwrap();
                    fs::read_to_string(&path).await.unwrap()
                })
            })
            .collect();
        for (i, task) in tasks.into_iter().enumerate() {
            assert_eq!(task.await.unwrap(), i.to_string());
        }
    });
}

#[test]
#[should_panic(expected = "weft runtime")]
fn outside_a_runtime_panics() {
    let future = fs::read("/dev/null");
    // Polling happens on a plain executor with no runtime entered.
    let _ = futures_lite_block_on(future);
}

fn futures_lite_block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};
    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }
    let waker = Waker::from(Arc::new(Noop));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("expected the first poll to panic"),
    }
}
