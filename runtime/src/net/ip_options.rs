//! The IP-level socket options that [`TcpSocket`](super::TcpSocket) and
//! [`UdpSocket`](super::UdpSocket) share (type of service, IPv6 traffic
//! class, the bound network interface), written once.
//!
//! Each option exists only on the platforms where socket2 offers it, as
//! in tokio, so the `cfg` lists live here too.

/// Adds the shared IP options to `$ty`, reaching the socket through
/// `$sock` (an expression over `$this: &$ty` that gives something with
/// socket2's option methods: a `socket2::Socket` or a `SockRef`).
/// `$what` names what the socket sends ("packets", "datagrams") in the
/// docs, and `$example` is the body of `set_tos_v4`'s doc example.
macro_rules! ip_options {
    ($ty:ident, |$this:ident| $sock:expr, $what:literal, $example:literal) => {
        impl $ty {
            #[doc = concat!("The traffic class of outgoing IPv6 ", $what, " (`IPV6_TCLASS`).")]
            ///
            /// # Errors
            ///
            /// If the option cannot be read (on an IPv4 socket, for instance).
            #[cfg(any(
                target_os = "android",
                target_os = "dragonfly",
                target_os = "freebsd",
                target_os = "fuchsia",
                target_os = "linux",
                target_os = "macos",
                target_os = "netbsd",
                target_os = "openbsd",
                target_os = "cygwin",
            ))]
            pub fn tclass_v6(&self) -> std::io::Result<u32> {
                let $this = self;
                $sock.tclass_v6()
            }

            #[doc = concat!("Sets the traffic class of outgoing IPv6 ", $what, " (`IPV6_TCLASS`):")]
            /// the IPv6 counterpart of [`set_tos_v4`](Self::set_tos_v4).
            ///
            /// # Errors
            ///
            /// If the option cannot be set (on an IPv4 socket, for instance).
            #[cfg(any(
                target_os = "android",
                target_os = "dragonfly",
                target_os = "freebsd",
                target_os = "fuchsia",
                target_os = "linux",
                target_os = "macos",
                target_os = "netbsd",
                target_os = "openbsd",
                target_os = "cygwin",
            ))]
            pub fn set_tclass_v6(&self, tclass: u32) -> std::io::Result<()> {
                let $this = self;
                $sock.set_tclass_v6(tclass)
            }

            #[doc = concat!("The type-of-service byte of outgoing IPv4 ", $what, " (`IP_TOS`).")]
            ///
            /// # Errors
            ///
            /// If the option cannot be read.
            #[cfg(not(any(
                target_os = "fuchsia",
                target_os = "redox",
                target_os = "solaris",
                target_os = "illumos",
                target_os = "haiku",
                target_os = "wasi",
            )))]
            pub fn tos_v4(&self) -> std::io::Result<u32> {
                let $this = self;
                $sock.tos_v4()
            }

            #[doc = concat!("Sets the type-of-service byte of outgoing IPv4 ", $what, " (`IP_TOS`):")]
            /// the DSCP and ECN bits routers may act on. It has no effect on
            /// IPv6 traffic; see [`set_tclass_v6`](Self::set_tclass_v6) for
            /// that.
            ///
            /// # Errors
            ///
            /// If the option cannot be set.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n", $example, "\n```")]
            #[cfg(not(any(
                target_os = "fuchsia",
                target_os = "redox",
                target_os = "solaris",
                target_os = "illumos",
                target_os = "haiku",
                target_os = "wasi",
            )))]
            pub fn set_tos_v4(&self, tos: u32) -> std::io::Result<()> {
                let $this = self;
                $sock.set_tos_v4(tos)
            }

            /// The old name of [`tos_v4`](Self::tos_v4).
            ///
            /// # Errors
            ///
            /// As for [`tos_v4`](Self::tos_v4).
            #[deprecated(note = "`IP_TOS` is IPv4-only: use `tos_v4` instead")]
            #[doc(hidden)]
            #[cfg(not(any(
                target_os = "fuchsia",
                target_os = "redox",
                target_os = "solaris",
                target_os = "illumos",
                target_os = "haiku",
                target_os = "wasi",
            )))]
            pub fn tos(&self) -> std::io::Result<u32> {
                self.tos_v4()
            }

            /// The old name of [`set_tos_v4`](Self::set_tos_v4).
            ///
            /// # Errors
            ///
            /// As for [`set_tos_v4`](Self::set_tos_v4).
            #[deprecated(note = "`IP_TOS` is IPv4-only: use `set_tos_v4` instead")]
            #[doc(hidden)]
            #[cfg(not(any(
                target_os = "fuchsia",
                target_os = "redox",
                target_os = "solaris",
                target_os = "illumos",
                target_os = "haiku",
                target_os = "wasi",
            )))]
            pub fn set_tos(&self, tos: u32) -> std::io::Result<()> {
                self.set_tos_v4(tos)
            }

            /// The name of the network interface the socket is bound to
            /// (`SO_BINDTODEVICE`), or `None` when it is not bound to one.
            ///
            /// # Errors
            ///
            /// If the option cannot be read.
            #[cfg(any(target_os = "android", target_os = "fuchsia", target_os = "linux"))]
            pub fn device(&self) -> std::io::Result<Option<Vec<u8>>> {
                let $this = self;
                $sock.device()
            }

            /// Binds the socket to the network interface named `interface`
            /// (such as `b"eth0"`), so that it only sends and receives
            /// through that interface (`SO_BINDTODEVICE`); `None` or an
            /// empty name removes the binding.
            ///
            /// # Errors
            ///
            /// `PermissionDenied` when binding to an interface without the
            /// privilege to (`CAP_NET_RAW` on Linux); the OS error `ENODEV`
            /// for an interface that does not exist.
            #[cfg(any(target_os = "android", target_os = "fuchsia", target_os = "linux"))]
            pub fn bind_device(&self, interface: Option<&[u8]>) -> std::io::Result<()> {
                let $this = self;
                $sock.bind_device(interface)
            }
        }
    };
}
