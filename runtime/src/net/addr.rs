//! Turning addresses and host names into socket addresses.

use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::vec;

use crate::task::JoinHandle;

/// Something that names one or more socket addresses: a [`SocketAddr`], an
/// IP address with a port as a tuple, a `"host:port"` string, a
/// `(host, port)` tuple, or a slice of socket addresses.
///
/// Addresses and literal IPs resolve at once. Host names resolve through
/// the operating system's resolver, which blocks, so weft runs it on the
/// blocking pool. The trait is sealed: weft's `bind` and `connect`
/// functions accept it, and nothing else needs to implement it.
///
/// # Examples
///
/// ```
/// use std::net::{Ipv4Addr, SocketAddr};
/// use weft::net::TcpListener;
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let _a = TcpListener::bind("127.0.0.1:0").await?;
///     let _b = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
///     let _c = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
///     let _d = TcpListener::bind(("localhost", 0)).await?;
///     Ok(())
/// }
/// ```
pub trait ToSocketAddrs: sealed::ToSocketAddrsPriv {}

pub(crate) mod sealed {
    use super::MaybeReady;

    // The supertrait of a public trait has to be nameable at the same
    // visibility; it lives in a private module so no one else can name it.
    #[allow(unreachable_pub)]
    pub trait ToSocketAddrsPriv {
        /// Starts resolving.
        fn to_socket_addrs(&self, _: Internal) -> MaybeReady;
    }

    /// Keeps callers outside this crate from calling the method.
    #[allow(unreachable_pub, missing_debug_implementations)]
    pub struct Internal;
}

use sealed::Internal;

/// The addresses a [`ToSocketAddrs`] resolved to, now or once the blocking
/// pool answers.
#[doc(hidden)]
#[allow(unreachable_pub)]
#[derive(Debug)]
pub enum MaybeReady {
    /// Resolved without blocking.
    Ready(Option<io::Result<vec::IntoIter<SocketAddr>>>),
    /// Resolving on the blocking pool.
    Blocking(JoinHandle<io::Result<vec::IntoIter<SocketAddr>>>),
}

impl Future for MaybeReady {
    type Output = io::Result<vec::IntoIter<SocketAddr>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            MaybeReady::Ready(result) => Poll::Ready(
                result
                    .take()
                    .expect("a resolved address future was polled after it completed"),
            ),
            MaybeReady::Blocking(task) => Pin::new(task).poll(cx).map(|joined| {
                joined.map_err(|error| {
                    io::Error::other(format!("resolving the host name failed: {error}"))
                })?
            }),
        }
    }
}

pub(crate) fn to_socket_addrs<T: ToSocketAddrs>(addr: T) -> MaybeReady {
    addr.to_socket_addrs(Internal)
}

fn ready_one(addr: SocketAddr) -> MaybeReady {
    MaybeReady::Ready(Some(Ok(vec![addr].into_iter())))
}

/// Resolves `host` ("name:port") on the blocking pool.
#[track_caller]
fn resolve_blocking(host: String) -> MaybeReady {
    let handle = crate::runtime::context::current();
    MaybeReady::Blocking(handle.spawn_blocking(move || {
        std::net::ToSocketAddrs::to_socket_addrs(&host)
            .map(|addrs| addrs.collect::<Vec<_>>().into_iter())
    }))
}

macro_rules! direct {
    ($($ty:ty => |$a:ident| $make:expr;)*) => {$(
        impl ToSocketAddrs for $ty {}
        impl sealed::ToSocketAddrsPriv for $ty {
            fn to_socket_addrs(&self, _: Internal) -> MaybeReady {
                let $a = *self;
                ready_one($make)
            }
        }
    )*};
}

direct! {
    SocketAddr => |a| a;
    SocketAddrV4 => |a| SocketAddr::V4(a);
    SocketAddrV6 => |a| SocketAddr::V6(a);
    (IpAddr, u16) => |a| SocketAddr::new(a.0, a.1);
    (Ipv4Addr, u16) => |a| SocketAddr::new(IpAddr::V4(a.0), a.1);
    (Ipv6Addr, u16) => |a| SocketAddr::new(IpAddr::V6(a.0), a.1);
    ([u8; 4], u16) => |a| SocketAddr::from(a);
    ([u16; 8], u16) => |a| SocketAddr::from(a);
}

impl ToSocketAddrs for &[SocketAddr] {}
impl sealed::ToSocketAddrsPriv for &[SocketAddr] {
    fn to_socket_addrs(&self, _: Internal) -> MaybeReady {
        let addrs: Vec<SocketAddr> = Vec::from(*self);
        MaybeReady::Ready(Some(Ok(addrs.into_iter())))
    }
}

impl ToSocketAddrs for str {}
impl sealed::ToSocketAddrsPriv for str {
    #[track_caller]
    fn to_socket_addrs(&self, _: Internal) -> MaybeReady {
        match self.parse::<SocketAddr>() {
            Ok(addr) => ready_one(addr),
            Err(_) => resolve_blocking(self.to_owned()),
        }
    }
}

impl ToSocketAddrs for (&str, u16) {}
impl sealed::ToSocketAddrsPriv for (&str, u16) {
    #[track_caller]
    fn to_socket_addrs(&self, _: Internal) -> MaybeReady {
        let (host, port) = *self;
        match host.parse::<IpAddr>() {
            Ok(ip) => ready_one(SocketAddr::new(ip, port)),
            // Brackets keep an IPv6 name apart from the port.
            Err(_) if host.contains(':') => resolve_blocking(format!("[{host}]:{port}")),
            Err(_) => resolve_blocking(format!("{host}:{port}")),
        }
    }
}

impl ToSocketAddrs for (String, u16) {}
impl sealed::ToSocketAddrsPriv for (String, u16) {
    #[track_caller]
    fn to_socket_addrs(&self, _: Internal) -> MaybeReady {
        (self.0.as_str(), self.1).to_socket_addrs(Internal)
    }
}

impl ToSocketAddrs for String {}
impl sealed::ToSocketAddrsPriv for String {
    #[track_caller]
    fn to_socket_addrs(&self, _: Internal) -> MaybeReady {
        self.as_str().to_socket_addrs(Internal)
    }
}

impl<T: ToSocketAddrs + ?Sized> ToSocketAddrs for &T {}
impl<T: ToSocketAddrs + ?Sized> sealed::ToSocketAddrsPriv for &T {
    #[track_caller]
    fn to_socket_addrs(&self, _: Internal) -> MaybeReady {
        (**self).to_socket_addrs(Internal)
    }
}

/// Resolves `host` to the socket addresses it names, with the host-name
/// lookup on the blocking pool.
///
/// # Errors
///
/// If the name does not resolve, or the string is not `"host:port"`.
///
/// # Examples
///
/// ```
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     for addr in weft::net::lookup_host("localhost:8080").await? {
///         assert_eq!(addr.port(), 8080);
///         assert!(addr.ip().is_loopback());
///     }
///     Ok(())
/// }
/// ```
pub async fn lookup_host<T: ToSocketAddrs>(
    host: T,
) -> io::Result<impl Iterator<Item = SocketAddr>> {
    to_socket_addrs(host).await
}

/// Tries `f` on each address `addr` names, returning the first success or
/// the last error.
pub(crate) async fn each_addr<A, T, F, Fut>(addr: A, mut f: F) -> io::Result<T>
where
    A: ToSocketAddrs,
    F: FnMut(SocketAddr) -> Fut,
    Fut: Future<Output = io::Result<T>>,
{
    let mut last = None;
    for addr in to_socket_addrs(addr).await? {
        match f(addr).await {
            Ok(value) => return Ok(value),
            Err(error) => last = Some(error),
        }
    }
    Err(last.unwrap_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "the address resolved to no socket addresses",
        )
    }))
}
