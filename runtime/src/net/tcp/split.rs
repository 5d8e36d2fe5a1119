//! The halves of a split [`TcpStream`].

use super::TcpStream;
use std::net::SocketAddr;

stream_halves!(TcpStream, SocketAddr, "TCP stream");
