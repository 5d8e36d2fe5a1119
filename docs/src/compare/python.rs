//! Running the Python versions of the scenarios (`docs/python/`).

use std::path::PathBuf;
use std::process::Command;

/// Where the Python scripts are: `$WEFT_DOCS_PYTHON_DIR`, or the
/// `python/` directory of this package's source.
pub(super) fn script() -> PathBuf {
    let dir = std::env::var_os("WEFT_DOCS_PYTHON_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("python"));
    dir.join("compare.py")
}

/// The version of `python3` on the `PATH`, or why it cannot be used.
pub(super) fn available() -> Result<String, String> {
    let script = script();
    if !script.is_file() {
        return Err(format!("{} not found", script.display()));
    }
    match Command::new("python3").arg("--version").output() {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            let text = if text.is_empty() { String::from_utf8_lossy(&out.stderr).trim().to_owned() } else { text };
            Ok(text)
        }
        Ok(_) => Err("python3 --version failed".to_owned()),
        Err(_) => Err("python3 is not on the PATH".to_owned()),
    }
}

/// The command that runs one Python (scenario, model) pair.
pub(super) fn command(scenario: &str, model: &str, quick: bool) -> Command {
    let mut cmd = Command::new("python3");
    cmd.arg(script()).args(["--scenario", scenario, "--model", model]);
    if quick {
        cmd.arg("--quick");
    }
    cmd
}
