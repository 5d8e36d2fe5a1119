//! `DirBuilder`: directory creation with options.

use super::asyncify;
use std::io;
use std::path::Path;

/// Creates directories with options: recursive creation and, on Unix, the
/// permission bits. The async counterpart of [`std::fs::DirBuilder`].
///
/// # Examples
///
/// ```
/// use weft::fs::DirBuilder;
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let root = std::env::temp_dir().join(format!("weft-dirbuilder-{}", std::process::id()));
///     DirBuilder::new().recursive(true).create(root.join("a/b/c")).await?;
///     assert!(weft::fs::metadata(root.join("a/b/c")).await?.is_dir());
///     weft::fs::remove_dir_all(&root).await?;
///     Ok(())
/// }
/// ```
#[derive(Debug, Default)]
pub struct DirBuilder {
    recursive: bool,
    #[cfg(unix)]
    mode: Option<u32>,
}

impl DirBuilder {
    /// A builder that creates one directory, with the default permissions.
    pub fn new() -> DirBuilder {
        DirBuilder::default()
    }

    /// Also creates missing parents, and succeeds if the directory already
    /// exists.
    pub fn recursive(&mut self, recursive: bool) -> &mut Self {
        self.recursive = recursive;
        self
    }

    /// The permission bits of created directories (before the umask).
    #[cfg(unix)]
    pub fn mode(&mut self, mode: u32) -> &mut Self {
        self.mode = Some(mode);
        self
    }

    /// Creates the directory at `path`.
    ///
    /// # Errors
    ///
    /// The operating system's error; `AlreadyExists` when the directory
    /// exists and the builder is not recursive.
    pub async fn create(&self, path: impl AsRef<Path>) -> io::Result<()> {
        let path = path.as_ref().to_owned();
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(self.recursive);
        #[cfg(unix)]
        if let Some(mode) = self.mode {
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, mode);
        }
        asyncify(move || builder.create(path)).await
    }
}
