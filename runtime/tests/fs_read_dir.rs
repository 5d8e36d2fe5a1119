//! `weft::fs::read_dir` and `DirEntry`.

mod fs_support;

use fs_support::both;
use std::collections::BTreeSet;
use std::io::ErrorKind;
use weft::fs;

#[test]
fn lists_a_hundred_entries_once_each() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..100 {
            std::fs::write(dir.path().join(format!("file{i:03}")), [i as u8]).unwrap();
        }
        let mut names = BTreeSet::new();
        let mut entries = fs::read_dir(dir.path()).await.unwrap();
        while let Some(entry) = entries.next_entry().await.unwrap() {
            assert_eq!(entry.path(), dir.path().join(entry.file_name()));
            assert!(entry.file_type().await.unwrap().is_file());
            assert_eq!(entry.metadata().await.unwrap().len(), 1);
            assert!(names.insert(entry.file_name().into_string().unwrap()), "an entry came twice");
        }
        assert_eq!(names.len(), 100);
        assert_eq!(names.first().unwrap(), "file000");
        assert_eq!(names.last().unwrap(), "file099");
        // The end is sticky.
        assert!(entries.next_entry().await.unwrap().is_none());
    });
}

#[test]
fn entries_carry_type_and_inode() {
    both(|| async {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("file"), "x").unwrap();
        std::os::unix::fs::symlink("file", dir.path().join("link")).unwrap();
        let mut entries = fs::read_dir(dir.path()).await.unwrap();
        let mut seen = 0;
        while let Some(entry) = entries.next_entry().await.unwrap() {
            let file_type = entry.file_type().await.unwrap();
            match entry.file_name().to_str().unwrap() {
                "sub" => assert!(file_type.is_dir()),
                "file" => assert!(file_type.is_file()),
                "link" => assert!(file_type.is_symlink()),
                other => panic!("unexpected entry {other}"),
            }
            assert_eq!(entry.ino(), std::fs::symlink_metadata(entry.path()).unwrap().ino());
            seen += 1;
        }
        assert_eq!(seen, 3);
    });
}

#[test]
fn empty_and_missing_directories() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let mut entries = fs::read_dir(dir.path()).await.unwrap();
        assert!(entries.next_entry().await.unwrap().is_none());
        let err = fs::read_dir(dir.path().join("nope")).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
        std::fs::write(dir.path().join("file"), "").unwrap();
        assert!(fs::read_dir(dir.path().join("file")).await.is_err());
    });
}

#[test]
fn poll_next_entry_works_from_a_hand_written_future() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..40 {
            std::fs::write(dir.path().join(i.to_string()), "").unwrap();
        }
        let mut entries = fs::read_dir(dir.path()).await.unwrap();
        let mut count = 0;
        std::future::poll_fn(|cx| loop {
            match entries.poll_next_entry(cx) {
                std::task::Poll::Ready(Ok(Some(_))) => count += 1,
                std::task::Poll::Ready(Ok(None)) => return std::task::Poll::Ready(()),
                std::task::Poll::Ready(Err(e)) => panic!("{e}"),
                std::task::Poll::Pending => return std::task::Poll::Pending,
            }
        })
        .await;
        assert_eq!(count, 40);
    });
}
