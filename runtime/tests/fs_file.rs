//! `weft::fs::File` and `OpenOptions`: buffered reads and writes on the
//! blocking pool, seeking, and the `std` conversions.

mod fs_support;

use fs_support::both;
use std::io::{ErrorKind, SeekFrom};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use weft::fs::{File, OpenOptions};
use weft::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

#[test]
fn write_then_read_back_large() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        let data = pattern(5 * 1024 * 1024 + 123);
        let mut file = File::create(&path).await.unwrap();
        // Writes larger than the buffer are taken in pieces.
        file.write_all(&data).await.unwrap();
        file.flush().await.unwrap();
        drop(file);
        let mut back = Vec::new();
        File::open(&path).await.unwrap().read_to_end(&mut back).await.unwrap();
        assert!(back == data, "read back {} bytes that differ from the {} written", back.len(), data.len());
    });
}

#[test]
fn a_write_not_flushed_before_drop_is_still_written() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dropped");
        let mut file = File::create(&path).await.unwrap();
        file.write_all(b"persisted without flush").await.unwrap();
        drop(file);
        // The write finishes in the background; wait for it without a timer.
        let mut contents = Vec::new();
        for _ in 0..1000 {
            contents = std::fs::read(&path).unwrap();
            if !contents.is_empty() {
                break;
            }
            fs_support::pause_ms(5).await;
        }
        assert_eq!(contents, b"persisted without flush");
    });
}

#[test]
fn streamed_small_writes_keep_their_order_even_when_dropped() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stream");
        let expected: Vec<u8> = (0..2000u32).flat_map(|i| format!("{i:05}|").into_bytes()).collect();
        let mut file = File::create(&path).await.unwrap();
        file.set_max_buf_size(4096);
        for i in 0..2000u32 {
            file.write_all(format!("{i:05}|").as_bytes()).await.unwrap();
        }
        drop(file);
        // Everything accepted is written in the background, in order.
        let mut contents = Vec::new();
        for _ in 0..1000 {
            contents = std::fs::read(&path).unwrap();
            if contents.len() >= expected.len() {
                break;
            }
            fs_support::pause_ms(5).await;
        }
        assert!(contents == expected, "{} bytes written, {} expected", contents.len(), expected.len());
    });
}

#[test]
fn small_reads_are_served_from_the_read_ahead() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("small");
        let data = pattern(100_000);
        std::fs::write(&path, &data).unwrap();
        let mut file = File::open(&path).await.unwrap();
        let mut back = Vec::new();
        let mut chunk = [0u8; 7];
        loop {
            let n = file.read(&mut chunk).await.unwrap();
            if n == 0 {
                break;
            }
            back.extend_from_slice(&chunk[..n]);
        }
        assert!(back == data);
    });
}

#[test]
fn seek_reports_positions_and_moves_the_cursor() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seek");
        std::fs::write(&path, b"0123456789abcdef").unwrap();
        let mut file = OpenOptions::new().read(true).write(true).open(&path).await.unwrap();

        assert_eq!(file.seek(SeekFrom::Start(10)).await.unwrap(), 10);
        let mut two = [0u8; 2];
        file.read_exact(&mut two).await.unwrap();
        assert_eq!(&two, b"ab");
        // The read fetched more than two bytes; the cursor is still at 12.
        assert_eq!(file.stream_position().await.unwrap(), 12);
        assert_eq!(file.seek(SeekFrom::Current(-4)).await.unwrap(), 8);
        file.read_exact(&mut two).await.unwrap();
        assert_eq!(&two, b"89");
        assert_eq!(file.seek(SeekFrom::End(-1)).await.unwrap(), 15);
        file.read_exact(&mut [0u8; 1]).await.unwrap();

        // A write after a read lands where the reader stands.
        file.seek(SeekFrom::Start(2)).await.unwrap();
        file.read_exact(&mut two).await.unwrap();
        file.write_all(b"XY").await.unwrap();
        file.flush().await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"0123XY6789abcdef");
        assert!(file.seek(SeekFrom::Current(-100)).await.is_err());
    });
}

#[test]
fn flush_reports_a_failed_background_write() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ro");
        std::fs::write(&path, b"x").unwrap();
        // Opened for reading only: the OS refuses every write.
        let mut file = File::open(&path).await.unwrap();
        let n = file.write(b"data").await.unwrap();
        assert_eq!(n, 4, "the write is accepted into the buffer");
        let err = file.flush().await.unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EBADF));
        // Reported once.
        file.flush().await.unwrap();

        // A run of writes: the failure shows in a later write or the flush.
        let mut failed = false;
        for _ in 0..50 {
            if file.write_all(&[1u8; 1000]).await.is_err() {
                failed = true;
                break;
            }
        }
        assert!(failed || file.flush().await.is_err(), "the failed writes were never reported");
    });
}

#[test]
fn open_options_and_constructors() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("opts");
        let mut file = File::create_new(&path).await.unwrap();
        file.write_all(b"one").await.unwrap();
        file.flush().await.unwrap();
        assert_eq!(File::create_new(&path).await.unwrap_err().kind(), ErrorKind::AlreadyExists);

        let mut append = File::options().append(true).open(&path).await.unwrap();
        append.write_all(b"two").await.unwrap();
        append.flush().await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"onetwo");

        let mut truncate = OpenOptions::new().write(true).truncate(true).open(&path).await.unwrap();
        truncate.write_all(b"3").await.unwrap();
        truncate.shutdown().await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"3");

        let moded = dir.path().join("moded");
        OpenOptions::new().write(true).create(true).mode(0o640).open(&moded).await.unwrap();
        assert_eq!(std::fs::metadata(&moded).unwrap().permissions().mode() & 0o777, 0o640);

        std::os::unix::fs::symlink(&path, dir.path().join("link")).unwrap();
        let err = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW)
            .open(dir.path().join("link"))
            .await
            .unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ELOOP));
        assert!(OpenOptions::new().as_std().clone().custom_flags(0).open(&path).is_err(), "no access mode set");
    });
}

#[test]
fn set_len_sync_metadata_and_permissions() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("len");
        let mut file = OpenOptions::new().read(true).write(true).create(true).open(&path).await.unwrap();
        file.write_all(&pattern(1000)).await.unwrap();
        file.sync_all().await.unwrap();
        assert_eq!(file.metadata().await.unwrap().len(), 1000);
        file.set_len(10).await.unwrap();
        file.sync_data().await.unwrap();
        assert_eq!(file.metadata().await.unwrap().len(), 10);
        file.set_len(4096).await.unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 4096);

        // set_len keeps the reader's place.
        file.seek(SeekFrom::Start(0)).await.unwrap();
        let mut three = [0u8; 3];
        file.read_exact(&mut three).await.unwrap();
        file.set_len(5).await.unwrap();
        assert_eq!(file.stream_position().await.unwrap(), 3);

        file.set_permissions(std::fs::Permissions::from_mode(0o600)).await.unwrap();
        assert_eq!(file.metadata().await.unwrap().permissions().mode() & 0o777, 0o600);

        let modified = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_234_567_890);
        let accessed = modified + std::time::Duration::from_secs(60);
        let times = std::fs::FileTimes::new().set_modified(modified).set_accessed(accessed);
        file.set_times(times).await.unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!((meta.modified().unwrap(), meta.accessed().unwrap()), (modified, accessed));

        assert_eq!(file.max_buf_size(), 2 * 1024 * 1024);
        file.set_max_buf_size(8192);
        assert_eq!(file.max_buf_size(), 8192);
    });
}

#[test]
fn std_conversions_and_clones() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("conv");
        std::fs::write(&path, b"abcdef").unwrap();

        let mut file = File::from_std(std::fs::File::open(&path).unwrap());
        let mut two = [0u8; 2];
        file.read_exact(&mut two).await.unwrap();
        // The std file continues where the async reader stopped.
        let mut std = file.into_std().await;
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut std, &mut rest).unwrap();
        assert_eq!(rest, "cdef");

        let mut file = File::open(&path).await.unwrap();
        file.read_exact(&mut two).await.unwrap();
        let clone = file.try_clone().await.unwrap();
        let std = match file.try_into_std() {
            Ok(std) => std,
            Err(_) => panic!("an idle file converts at once"),
        };
        // A clone shares the cursor.
        let mut clone_std = clone.into_std().await;
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut clone_std, &mut rest).unwrap();
        assert_eq!(rest, "cdef");
        drop(std);

        // A busy file does not convert.
        let mut file = File::create(dir.path().join("busy")).await.unwrap();
        file.set_max_buf_size(4);
        file.write_all(b"0123456789").await.unwrap();
        if let Err(file) = file.try_into_std() {
            drop(file.into_std().await);
        }
        assert_eq!(std::fs::read(dir.path().join("busy")).unwrap(), b"0123456789");
    });
}

#[test]
fn small_max_buf_size_still_moves_everything() {
    both(|| async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tiny");
        let data = pattern(10_000);
        let mut file = File::create(&path).await.unwrap();
        file.set_max_buf_size(100);
        file.write_all(&data).await.unwrap();
        file.flush().await.unwrap();
        let mut file = File::open(&path).await.unwrap();
        file.set_max_buf_size(64);
        let mut back = vec![0u8; 1000];
        let n = file.read(&mut back).await.unwrap();
        assert!(n <= 64, "a read moves at most the maximum buffer size, got {n}");
        let mut all = back[..n].to_vec();
        file.read_to_end(&mut all).await.unwrap();
        assert!(all == data);
    });
}
