//! A progress bar on stderr.

use std::io::{IsTerminal, Write};

/// Draws `[#####.....] done/total label` on stderr: redrawn in place on a
/// terminal, one line per step otherwise (CI logs).
#[derive(Debug)]
pub(super) struct Progress {
    total: usize,
    done: usize,
    tty: bool,
}

impl Progress {
    pub(super) fn new(total: usize) -> Progress {
        Progress { total: total.max(1), done: 0, tty: std::io::stderr().is_terminal() }
    }

    /// Shows that `label` is starting.
    pub(super) fn start(&self, label: &str) {
        const WIDTH: usize = 30;
        let filled = WIDTH * self.done / self.total;
        let bar = format!("{}{}", "#".repeat(filled), ".".repeat(WIDTH - filled));
        let mut err = std::io::stderr().lock();
        if self.tty {
            let _ = write!(err, "\r\x1b[2K[{bar}] {:>3}/{} {label}", self.done, self.total);
        } else {
            let _ = writeln!(err, "[{bar}] {:>3}/{} {label}", self.done, self.total);
        }
        let _ = err.flush();
    }

    /// Marks one step done.
    pub(super) fn step(&mut self) {
        self.done += 1;
    }

    /// Clears the bar.
    pub(super) fn finish(&self) {
        if self.tty {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}
