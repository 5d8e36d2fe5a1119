//! Starting a runtime from inside a running one (calling `asyncio.run`
//! inside a coroutine), and what weft says about it.

use crate::Output;

/// Calls [`Handle::block_on`](weft::runtime::Handle::block_on) from inside
/// a task, catches the panic that weft raises, and returns its message.
pub async fn run(out: &Output) -> String {
    let task = weft::spawn(async {
        let handle = weft::runtime::Handle::current();
        handle.block_on(async { 1 + 1 })
    });
    let err = match task.await {
        Ok(_) => unreachable!("weft allowed a nested block_on"),
        Err(err) => err,
    };
    assert!(err.is_panic(), "the task was cancelled, not stopped by a panic");
    let payload = err.into_panic();
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "<non-text panic>".to_owned());
    out.line(format!("weft refused: {message}"));
    out.line("fix: `.await` the future instead of blocking on it");
    message
}
