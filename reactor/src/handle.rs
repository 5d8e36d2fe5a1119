//! The shareable side of the driver: what sockets hold.

use std::fmt;
use std::io;

use mio::event::Source;

use crate::loom::sync::Arc;
use crate::slots::Slots;
use crate::Registration;

/// State shared by the driver, its handles and every registration.
pub(crate) struct Inner {
    pub(crate) registry: mio::Registry,
    pub(crate) waker: mio::Waker,
    pub(crate) slots: Slots,
}

/// A handle to an I/O [`Driver`](crate::Driver): registers sources, wakes a
/// blocked [`turn`](crate::Driver::turn) and shuts the driver down.
///
/// Cheap to clone; `Send + Sync`. Sockets keep one through their
/// [`Registration`].
///
/// # Examples
///
/// ```
/// use weft_reactor::Driver;
///
/// let driver = Driver::new()?;
/// let handle = driver.handle();
/// let mut socket = mio::net::UdpSocket::bind("127.0.0.1:0".parse().unwrap())?;
/// let registration = handle.register(&mut socket, mio::Interest::READABLE)?;
/// assert_eq!(handle.registration_count(), 1);
/// registration.deregister(&mut socket)?;
/// drop(registration);
/// assert_eq!(handle.registration_count(), 0);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone)]
pub struct Handle {
    pub(crate) inner: Arc<Inner>,
}

impl Handle {
    /// Registers `source` for readiness events of `interest` and returns the
    /// [`Registration`] through which its readiness is awaited. The source
    /// is deregistered from the OS by [`Registration::deregister`] (or when
    /// it is closed); the slot is freed when the `Registration` is dropped.
    ///
    /// # Errors
    ///
    /// The error "the weft runtime that owned this socket has shut down"
    /// after [`shutdown`](Self::shutdown); an `OutOfMemory` error when the
    /// driver already holds its maximum of 16 777 184 registrations; any
    /// error of `mio::Registry::register` (for example, the source is
    /// already registered).
    pub fn register<S>(&self, source: &mut S, interest: mio::Interest) -> io::Result<Registration>
    where
        S: Source + ?Sized,
    {
        let slot = self.inner.slots.allocate()?;
        if let Err(error) = self.inner.registry.register(source, slot.token(), interest) {
            self.inner.slots.release(&slot);
            return Err(error);
        }
        Ok(Registration::new(self.clone(), slot))
    }

    /// Makes the current or next [`Driver::turn`](crate::Driver::turn)
    /// return promptly, from any thread. An unpark while no turn is running
    /// is remembered by the OS until the next turn.
    ///
    /// # Panics
    ///
    /// If the OS refuses to signal the driver's wake-up descriptor, which
    /// only happens when the process is out of resources.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_reactor::Driver;
    ///
    /// let mut driver = Driver::new()?;
    /// driver.handle().unpark();
    /// // Without the unpark this would block forever.
    /// assert!(driver.turn(None));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn unpark(&self) {
        if let Err(error) = self.inner.waker.wake() {
            panic!("weft reactor: failed to wake the I/O driver: {error}");
        }
    }

    /// Shuts the driver down: every registration's pending and future
    /// readiness waits fail with the error "the weft runtime that owned
    /// this socket has shut down", their waiting tasks are woken, later
    /// [`register`](Self::register) calls fail the same way, and a blocked
    /// turn is woken. Calling it again does nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_reactor::Driver;
    ///
    /// let driver = Driver::new()?;
    /// let handle = driver.handle();
    /// handle.shutdown();
    /// assert!(handle.is_shutdown());
    /// let mut socket = mio::net::UdpSocket::bind("127.0.0.1:0".parse().unwrap())?;
    /// assert!(handle.register(&mut socket, mio::Interest::READABLE).is_err());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn shutdown(&self) {
        if self.inner.slots.shutdown() {
            // Best effort: the driver may already be gone with its poller.
            let _ = self.inner.waker.wake();
        }
    }

    /// `true` once the driver has shut down.
    pub fn is_shutdown(&self) -> bool {
        self.inner.slots.is_shutdown()
    }

    /// How many registrations are alive (registered and not yet dropped).
    pub fn registration_count(&self) -> usize {
        self.inner.slots.len()
    }

    /// `true` if both handles belong to the same driver.
    pub fn ptr_eq(&self, other: &Handle) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("registrations", &self.registration_count())
            .field("shutdown", &self.is_shutdown())
            .finish()
    }
}
