//! One-shot file system operations on paths: each is one trip to the
//! blocking pool running the `std::fs` function of the same name.

use super::asyncify;
use std::fs::{Metadata, Permissions};
use std::io;
use std::path::{Path, PathBuf};

/// Reads the whole file at `path` into a byte vector; see [`std::fs::read`].
///
/// # Errors
///
/// The operating system's error, unchanged: `NotFound` for a missing file,
/// `PermissionDenied`, and so on.
///
/// # Examples
///
/// ```
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let path = std::env::temp_dir().join(format!("weft-fs-read-{}", std::process::id()));
///     weft::fs::write(&path, [1u8, 2, 3]).await?;
///     assert_eq!(weft::fs::read(&path).await?, [1, 2, 3]);
///     weft::fs::remove_file(&path).await?;
///     assert_eq!(weft::fs::read(&path).await.unwrap_err().kind(), std::io::ErrorKind::NotFound);
///     Ok(())
/// }
/// ```
pub async fn read(path: impl AsRef<Path>) -> io::Result<Vec<u8>> {
    let path = path.as_ref().to_owned();
    asyncify(move || std::fs::read(path)).await
}

/// Reads the whole file at `path` into a string; see
/// [`std::fs::read_to_string`].
///
/// # Errors
///
/// The operating system's error, or `InvalidData` if the contents are not
/// UTF-8.
pub async fn read_to_string(path: impl AsRef<Path>) -> io::Result<String> {
    let path = path.as_ref().to_owned();
    asyncify(move || std::fs::read_to_string(path)).await
}

/// Writes `contents` to the file at `path`, creating it or truncating it
/// first; see [`std::fs::write`]. The contents are copied before the call
/// returns its future.
///
/// # Errors
///
/// The operating system's error.
pub async fn write(path: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> io::Result<()> {
    let path = path.as_ref().to_owned();
    let contents = contents.as_ref().to_owned();
    asyncify(move || std::fs::write(path, contents)).await
}

/// Copies the contents and permissions of `from` to `to` and returns the
/// number of bytes copied; see [`std::fs::copy`].
///
/// # Errors
///
/// The operating system's error, for example `NotFound` if `from` is
/// missing.
pub async fn copy(from: impl AsRef<Path>, to: impl AsRef<Path>) -> io::Result<u64> {
    let (from, to) = (from.as_ref().to_owned(), to.as_ref().to_owned());
    asyncify(move || std::fs::copy(from, to)).await
}

/// Renames `from` to `to`, replacing `to` if it exists; see
/// [`std::fs::rename`].
///
/// # Errors
///
/// The operating system's error.
pub async fn rename(from: impl AsRef<Path>, to: impl AsRef<Path>) -> io::Result<()> {
    let (from, to) = (from.as_ref().to_owned(), to.as_ref().to_owned());
    asyncify(move || std::fs::rename(from, to)).await
}

/// Removes a file; see [`std::fs::remove_file`].
///
/// # Errors
///
/// The operating system's error, for example `NotFound`.
pub async fn remove_file(path: impl AsRef<Path>) -> io::Result<()> {
    let path = path.as_ref().to_owned();
    asyncify(move || std::fs::remove_file(path)).await
}

/// Removes an empty directory; see [`std::fs::remove_dir`].
///
/// # Errors
///
/// The operating system's error, for example when the directory is not
/// empty.
pub async fn remove_dir(path: impl AsRef<Path>) -> io::Result<()> {
    let path = path.as_ref().to_owned();
    asyncify(move || std::fs::remove_dir(path)).await
}

/// Removes a directory and everything in it; see
/// [`std::fs::remove_dir_all`].
///
/// # Errors
///
/// The operating system's error.
pub async fn remove_dir_all(path: impl AsRef<Path>) -> io::Result<()> {
    let path = path.as_ref().to_owned();
    asyncify(move || std::fs::remove_dir_all(path)).await
}

/// Creates a directory whose parent exists; see [`std::fs::create_dir`].
///
/// # Errors
///
/// The operating system's error, for example `AlreadyExists`.
pub async fn create_dir(path: impl AsRef<Path>) -> io::Result<()> {
    let path = path.as_ref().to_owned();
    asyncify(move || std::fs::create_dir(path)).await
}

/// Creates a directory and any missing parents; see
/// [`std::fs::create_dir_all`].
///
/// # Errors
///
/// The operating system's error.
pub async fn create_dir_all(path: impl AsRef<Path>) -> io::Result<()> {
    let path = path.as_ref().to_owned();
    asyncify(move || std::fs::create_dir_all(path)).await
}

/// The metadata of `path`, following symbolic links; see
/// [`std::fs::metadata`].
///
/// # Errors
///
/// The operating system's error.
pub async fn metadata(path: impl AsRef<Path>) -> io::Result<Metadata> {
    let path = path.as_ref().to_owned();
    asyncify(move || std::fs::metadata(path)).await
}

/// The metadata of `path` itself, without following a symbolic link; see
/// [`std::fs::symlink_metadata`].
///
/// # Errors
///
/// The operating system's error.
pub async fn symlink_metadata(path: impl AsRef<Path>) -> io::Result<Metadata> {
    let path = path.as_ref().to_owned();
    asyncify(move || std::fs::symlink_metadata(path)).await
}

/// The absolute path of `path` with every symbolic link resolved; see
/// [`std::fs::canonicalize`].
///
/// # Errors
///
/// The operating system's error, for example `NotFound`.
pub async fn canonicalize(path: impl AsRef<Path>) -> io::Result<PathBuf> {
    let path = path.as_ref().to_owned();
    asyncify(move || std::fs::canonicalize(path)).await
}

/// The target of the symbolic link at `path`; see [`std::fs::read_link`].
///
/// # Errors
///
/// The operating system's error, for example `InvalidInput` when `path` is
/// not a link.
pub async fn read_link(path: impl AsRef<Path>) -> io::Result<PathBuf> {
    let path = path.as_ref().to_owned();
    asyncify(move || std::fs::read_link(path)).await
}

/// Creates a hard link `dst` to the file `src`; see [`std::fs::hard_link`].
///
/// # Errors
///
/// The operating system's error.
pub async fn hard_link(src: impl AsRef<Path>, dst: impl AsRef<Path>) -> io::Result<()> {
    let (src, dst) = (src.as_ref().to_owned(), dst.as_ref().to_owned());
    asyncify(move || std::fs::hard_link(src, dst)).await
}

/// Creates a symbolic link `dst` pointing at `src`; see
/// [`std::os::unix::fs::symlink`].
///
/// # Errors
///
/// The operating system's error.
#[cfg(unix)]
pub async fn symlink(src: impl AsRef<Path>, dst: impl AsRef<Path>) -> io::Result<()> {
    let (src, dst) = (src.as_ref().to_owned(), dst.as_ref().to_owned());
    asyncify(move || std::os::unix::fs::symlink(src, dst)).await
}

/// Changes the permissions of `path`; see [`std::fs::set_permissions`].
///
/// # Errors
///
/// The operating system's error.
pub async fn set_permissions(path: impl AsRef<Path>, perm: Permissions) -> io::Result<()> {
    let path = path.as_ref().to_owned();
    asyncify(move || std::fs::set_permissions(path, perm)).await
}

/// Whether `path` exists (following symbolic links): `Ok(false)` for a
/// missing path or a broken link, an error when existence cannot be
/// decided (for example, permission denied on a parent); see
/// [`std::fs::exists`].
///
/// # Errors
///
/// The operating system's error other than `NotFound`.
pub async fn try_exists(path: impl AsRef<Path>) -> io::Result<bool> {
    let path = path.as_ref().to_owned();
    asyncify(move || match std::fs::metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    })
    .await
}
