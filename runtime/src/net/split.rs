//! What TCP and Unix streams share: their `AsyncRead`/`AsyncWrite`
//! implementations and their split halves, written once as macros.
//!
//! A stream type opts in by holding its registered source in a field
//! `io: Evented<_>` that its halves' module can see, and by having
//! `shutdown_write(&self) -> io::Result<()>`. The trait impls forward
//! reads and writes straight to [`Evented`](crate::io::evented::Evented),
//! all on `&self` so that halves can share the stream.
//!
//! Reads and writes use different waker slots of the stream's
//! registration, so one task may read while another writes.

/// Implements tokio's `AsyncRead` and `AsyncWrite` (and the `futures-io`
/// traits with that feature) for `$ty` by forwarding to the stream's
/// `Evented`, which `$io` reaches from `$this` (a `&$ty`).
macro_rules! stream_io_impls {
    ($ty:ty, |$this:ident| $io:expr) => {
        impl tokio::io::AsyncRead for $ty {
            fn poll_read(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
                buf: &mut tokio::io::ReadBuf<'_>,
            ) -> std::task::Poll<std::io::Result<()>> {
                let $this = &*self;
                $io.poll_read(cx, buf)
            }
        }

        #[cfg(feature = "futures-io")]
        impl futures_io::AsyncRead for $ty {
            fn poll_read(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
                buf: &mut [u8],
            ) -> std::task::Poll<std::io::Result<usize>> {
                let $this = &*self;
                let mut buf = tokio::io::ReadBuf::new(buf);
                std::task::ready!($io.poll_read(cx, &mut buf))?;
                std::task::Poll::Ready(Ok(buf.filled().len()))
            }
        }
    };
    (write $ty:ty, |$this:ident| $io:expr, |$mut_this:ident| $on_shutdown:expr) => {
        impl tokio::io::AsyncWrite for $ty {
            stream_io_impls!(@write poll_shutdown, |$this| $io, |$mut_this| $on_shutdown);

            fn is_write_vectored(&self) -> bool {
                true
            }
        }

        #[cfg(feature = "futures-io")]
        impl futures_io::AsyncWrite for $ty {
            stream_io_impls!(@write poll_close, |$this| $io, |$mut_this| $on_shutdown);
        }
    };
    // The methods both `AsyncWrite` traits have; they differ only in the
    // name of the one that shuts the write direction down.
    (@write $shutdown:ident, |$this:ident| $io:expr, |$mut_this:ident| $on_shutdown:expr) => {
        fn poll_write(
            self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
            buf: &[u8],
        ) -> std::task::Poll<std::io::Result<usize>> {
            let $this = &*self;
            $io.poll_write(cx, buf)
        }

        fn poll_write_vectored(
            self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
            bufs: &[std::io::IoSlice<'_>],
        ) -> std::task::Poll<std::io::Result<usize>> {
            let $this = &*self;
            $io.poll_write_vectored(cx, bufs)
        }

        fn poll_flush(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<std::io::Result<()>> {
            // Bytes go straight to the socket; there is nothing to flush.
            std::task::Poll::Ready(Ok(()))
        }

        fn $shutdown(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<std::io::Result<()>> {
            let $mut_this = self.get_mut();
            std::task::Poll::Ready($on_shutdown)
        }
    };
}

/// Defines `ReadHalf`, `WriteHalf`, `OwnedReadHalf`, `OwnedWriteHalf` and
/// `ReuniteError` for the stream type `$stream`, whose addresses are
/// `$addr`, plus the `split_impl` and `into_split_impl` functions its
/// `split` and `into_split` methods call.
macro_rules! stream_halves {
    ($stream:ident, $addr:ty, $kind:literal) => {
        use std::fmt;
        use std::io;
        use std::task::{Context, Poll};

        use tokio::io::ReadBuf;

        use crate::io::{Interest, Ready};
        use crate::loom::sync::Arc;

        #[doc = concat!("The reading half of a borrowed ", $kind, ", made by `", stringify!($stream), "::split`.")]
        ///
        /// Reads go to the stream; the writing half may be used from
        /// another task at the same time.
        #[derive(Debug)]
        pub struct ReadHalf<'a>(&'a $stream);

        #[doc = concat!("The writing half of a borrowed ", $kind, ", made by `", stringify!($stream), "::split`.")]
        ///
        /// `shutdown` (from `AsyncWriteExt`) shuts down the write direction of
        /// the stream: the peer reads end-of-stream.
        #[derive(Debug)]
        pub struct WriteHalf<'a>(&'a $stream);

        #[doc = concat!("The reading half of a ", $kind, ", made by `", stringify!($stream), "::into_split`.")]
        ///
        /// Owned, so it can move into another task; rejoin it with its
        /// writing half by [`reunite`](Self::reunite).
        #[derive(Debug)]
        pub struct OwnedReadHalf {
            inner: Arc<$stream>,
        }

        #[doc = concat!("The writing half of a ", $kind, ", made by `", stringify!($stream), "::into_split`.")]
        ///
        /// Dropping it shuts down the write direction of the stream (the
        /// peer reads end-of-stream), unless [`forget`](Self::forget) is
        /// used instead.
        #[derive(Debug)]
        pub struct OwnedWriteHalf {
            inner: Arc<$stream>,
            shutdown_on_drop: bool,
        }

        /// Returned by `reunite` when the two halves came from different
        /// streams; holds both halves, unchanged.
        #[derive(Debug)]
        pub struct ReuniteError(pub OwnedReadHalf, pub OwnedWriteHalf);

        impl fmt::Display for ReuniteError {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "these halves came from two different {}s and cannot be reunited", $kind)
            }
        }

        impl std::error::Error for ReuniteError {}

        pub(crate) fn split_impl(stream: &mut $stream) -> (ReadHalf<'_>, WriteHalf<'_>) {
            (ReadHalf(&*stream), WriteHalf(&*stream))
        }

        pub(crate) fn into_split_impl(stream: $stream) -> (OwnedReadHalf, OwnedWriteHalf) {
            let inner = Arc::new(stream);
            (OwnedReadHalf { inner: inner.clone() }, OwnedWriteHalf { inner, shutdown_on_drop: true })
        }

        fn reunite_impl(read: OwnedReadHalf, write: OwnedWriteHalf) -> Result<$stream, ReuniteError> {
            if !Arc::ptr_eq(&read.inner, &write.inner) {
                return Err(ReuniteError(read, write));
            }
            let mut write = write;
            write.shutdown_on_drop = false;
            let inner = write.inner.clone();
            drop(write);
            drop(read);
            Ok(Arc::try_unwrap(inner).unwrap_or_else(|_| unreachable!("both halves were just dropped")))
        }

        // The methods both kinds of half have, on the stream `$get`
        // reaches from `$this`.
        macro_rules! either_side {
            ($this:ident => $get:expr) => {
                /// Waits for any of `interest` and returns the readiness seen.
                ///
                /// # Errors
                ///
                /// The shutdown error once the runtime is gone.
                pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
                    let $this = self;
                    $get.ready(interest).await
                }

                /// The address of the remote end.
                ///
                /// # Errors
                ///
                /// Any error of the socket.
                pub fn peer_addr(&self) -> io::Result<$addr> {
                    let $this = self;
                    $get.peer_addr()
                }

                /// The address of the local end.
                ///
                /// # Errors
                ///
                /// Any error of the socket.
                pub fn local_addr(&self) -> io::Result<$addr> {
                    let $this = self;
                    $get.local_addr()
                }
            };
        }

        macro_rules! read_side {
            ($this:ident => $get:expr) => {
                /// Receives bytes without removing them from the socket.
                ///
                /// # Errors
                ///
                /// Any error of the socket; the shutdown error once the runtime is gone.
                pub async fn peek(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                    let $this = &*self;
                    $get.peek(buf).await
                }

                /// Polls to receive bytes without removing them from the socket.
                ///
                /// # Errors
                ///
                /// As for [`peek`](Self::peek).
                pub fn poll_peek(&mut self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<usize>> {
                    let $this = &*self;
                    $get.poll_peek(cx, buf)
                }

                /// Waits until the stream is readable.
                ///
                /// # Errors
                ///
                /// The shutdown error once the runtime is gone.
                pub async fn readable(&self) -> io::Result<()> {
                    let $this = self;
                    $get.readable().await
                }

                /// Reads what is available now, without waiting.
                ///
                /// # Errors
                ///
                /// `WouldBlock` when nothing is available; any error of the socket.
                pub fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
                    let $this = self;
                    $get.try_read(buf)
                }

                /// Reads into several buffers what is available now.
                ///
                /// # Errors
                ///
                /// As for [`try_read`](Self::try_read).
                pub fn try_read_vectored(&self, bufs: &mut [io::IoSliceMut<'_>]) -> io::Result<usize> {
                    let $this = self;
                    $get.try_read_vectored(bufs)
                }

                /// Reads what is available now into the spare capacity of
                /// `buf` (a `Vec<u8>`, a `BytesMut`, any `BufMut`), without
                /// waiting or zeroing it first, and advances `buf` by the
                /// count returned.
                ///
                /// # Errors
                ///
                /// As for [`try_read`](Self::try_read); `buf` is unchanged then.
                pub fn try_read_buf<B: bytes::BufMut>(&self, buf: &mut B) -> io::Result<usize> {
                    let $this = self;
                    $get.try_read_buf(buf)
                }

                either_side!($this => $get);
            };
        }

        macro_rules! write_side {
            ($this:ident => $get:expr) => {
                /// Waits until the stream is writable.
                ///
                /// # Errors
                ///
                /// The shutdown error once the runtime is gone.
                pub async fn writable(&self) -> io::Result<()> {
                    let $this = self;
                    $get.writable().await
                }

                /// Writes what fits now, without waiting.
                ///
                /// # Errors
                ///
                /// `WouldBlock` when the socket's buffer is full; any error of the socket.
                pub fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
                    let $this = self;
                    $get.try_write(buf)
                }

                /// Writes from several buffers what fits now.
                ///
                /// # Errors
                ///
                /// As for [`try_write`](Self::try_write).
                pub fn try_write_vectored(&self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
                    let $this = self;
                    $get.try_write_vectored(bufs)
                }

                either_side!($this => $get);
            };
        }

        impl ReadHalf<'_> {
            read_side!(this => this.0);
        }

        impl WriteHalf<'_> {
            write_side!(this => this.0);
        }

        impl OwnedReadHalf {
            read_side!(this => this.inner);

            /// Rejoins the two halves into the stream they came from.
            ///
            /// # Errors
            ///
            /// [`ReuniteError`], holding both halves, if they came from
            /// different streams.
            pub fn reunite(self, other: OwnedWriteHalf) -> Result<$stream, ReuniteError> {
                reunite_impl(self, other)
            }
        }

        impl OwnedWriteHalf {
            write_side!(this => this.inner);

            /// Rejoins the two halves into the stream they came from.
            ///
            /// # Errors
            ///
            /// [`ReuniteError`], holding both halves, if they came from
            /// different streams.
            pub fn reunite(self, other: OwnedReadHalf) -> Result<$stream, ReuniteError> {
                reunite_impl(other, self)
            }

            /// Drops the half without shutting down the write direction.
            pub fn forget(mut self) {
                self.shutdown_on_drop = false;
            }
        }

        impl Drop for OwnedWriteHalf {
            fn drop(&mut self) {
                if self.shutdown_on_drop {
                    // The peer may be gone already; there is no one to tell.
                    let _ = self.inner.shutdown_write();
                }
            }
        }

        impl AsRef<$stream> for ReadHalf<'_> {
            fn as_ref(&self) -> &$stream {
                self.0
            }
        }

        impl AsRef<$stream> for WriteHalf<'_> {
            fn as_ref(&self) -> &$stream {
                self.0
            }
        }

        impl AsRef<$stream> for OwnedReadHalf {
            fn as_ref(&self) -> &$stream {
                &self.inner
            }
        }

        impl AsRef<$stream> for OwnedWriteHalf {
            fn as_ref(&self) -> &$stream {
                &self.inner
            }
        }

        stream_io_impls!(ReadHalf<'_>, |this| this.0.io);
        stream_io_impls!(OwnedReadHalf, |this| this.inner.io);
        stream_io_impls!(write WriteHalf<'_>, |this| this.0.io, |this| this.0.shutdown_write());
        stream_io_impls!(write OwnedWriteHalf, |this| this.inner.io, |this| {
            let result = this.inner.shutdown_write();
            this.shutdown_on_drop = false;
            result
        });
    };
}
