//! Where scenarios write their lines, and how they stamp them with time.

use std::fmt;
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// A line sink shared by every task of a scenario.
///
/// Every line is kept in memory (tests read them back with
/// [`lines`](Output::lines)) and, when the output was made with
/// [`Output::new`] or [`Output::stdout`], also written to that writer as it
/// arrives. Clones share the same sink, so a scenario hands one clone to
/// each task it spawns.
///
/// ```
/// use weft_docs::Output;
///
/// let out = Output::memory();
/// out.line("first");
/// out.clone().line(format!("second {}", 2));
/// assert_eq!(out.lines(), ["first", "second 2"]);
/// ```
#[derive(Clone)]
pub struct Output {
    inner: Arc<Mutex<Inner>>,
}

struct Inner {
    lines: Vec<String>,
    echo: Option<Box<dyn Write + Send>>,
}

impl Output {
    /// An output that keeps its lines and also writes each one to `writer`.
    pub fn new(writer: impl Write + Send + 'static) -> Output {
        Output::with_echo(Some(Box::new(writer)))
    }

    /// An output that keeps its lines and prints each one on stdout.
    pub fn stdout() -> Output {
        Output::new(std::io::stdout())
    }

    /// An output that only keeps its lines.
    pub fn memory() -> Output {
        Output::with_echo(None)
    }

    fn with_echo(echo: Option<Box<dyn Write + Send>>) -> Output {
        Output { inner: Arc::new(Mutex::new(Inner { lines: Vec::new(), echo })) }
    }

    /// Writes one line.
    pub fn line(&self, text: impl Into<String>) {
        let text = text.into();
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(echo) = inner.echo.as_mut() {
            // A closed stdout must not turn a teaching example into a panic.
            let _ = writeln!(echo, "{text}");
            let _ = echo.flush();
        }
        inner.lines.push(text);
    }

    /// Every line written so far, in order.
    pub fn lines(&self) -> Vec<String> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner).lines.clone()
    }
}

impl fmt::Debug for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("Output")
            .field("lines", &inner.lines.len())
            .field("echo", &inner.echo.is_some())
            .finish()
    }
}

/// Measures time since a scenario started, on weft's clock (so it is
/// virtual time when the runtime's clock is paused).
#[derive(Clone, Copy, Debug)]
pub struct Stopwatch {
    start: weft::time::Instant,
}

impl Stopwatch {
    /// Starts measuring now.
    ///
    /// # Panics
    ///
    /// Panics outside a weft runtime with time enabled.
    pub fn start() -> Stopwatch {
        Stopwatch { start: weft::time::Instant::now() }
    }

    /// Time since [`start`](Stopwatch::start).
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// `text` prefixed with the elapsed time in seconds, one decimal:
    /// `"[2.0s] done"`.
    pub fn stamp(&self, text: impl fmt::Display) -> String {
        format!("[{:.1}s] {text}", self.elapsed().as_secs_f64())
    }
}
