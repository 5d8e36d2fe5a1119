//! The standard-library traits every registered socket type implements,
//! written once.
//!
//! A socket type opts in by holding its registered source in a field
//! `io: Evented<_>`; the descriptor and the `Debug` output are the
//! source's. Types made from a standard-library socket also get
//! `TryFrom` through their `from_std`.

/// Implements `AsRawFd`, `AsFd` and `Debug` for `$ty` by forwarding to
/// `self.io.get()`; with `from $arg: $std`, also `TryFrom<$std>` through
/// `$ty::from_std` (`$arg` names the parameter in the docs).
macro_rules! socket_traits {
    ($ty:ident) => {
        impl std::os::fd::AsRawFd for $ty {
            fn as_raw_fd(&self) -> std::os::fd::RawFd {
                std::os::fd::AsRawFd::as_raw_fd(self.io.get())
            }
        }

        impl std::os::fd::AsFd for $ty {
            fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
                std::os::fd::AsFd::as_fd(self.io.get())
            }
        }

        impl std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(self.io.get(), f)
            }
        }
    };
    ($ty:ident, from $arg:ident: $std:ty) => {
        socket_traits!($ty);

        impl TryFrom<$std> for $ty {
            type Error = std::io::Error;

            #[doc = concat!("The same as [`", stringify!($ty), "::from_std`].")]
            fn try_from($arg: $std) -> std::io::Result<$ty> {
                $ty::from_std($arg)
            }
        }
    };
}
