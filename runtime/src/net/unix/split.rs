//! The halves of a split [`UnixStream`].

use super::{SocketAddr, UnixStream};

stream_halves!(UnixStream, SocketAddr, "Unix stream");
