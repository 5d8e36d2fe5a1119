//! The ecosystem on weft sockets: tokio-util codecs and hyper 1.x, both
//! through the tokio I/O traits that weft re-exports.

mod net_support;

use std::convert::Infallible;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use net_support::*;
use tokio_util::codec::{Framed, LinesCodec};
use weft::net::{TcpListener, TcpStream};

#[test]
fn framed_lines_codec_over_a_weft_stream() {
    both("framed lines", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = weft::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            let mut lines = Framed::new(socket, LinesCodec::new());
            while let Some(line) = lines.next().await {
                let line = line.unwrap();
                lines.send(line.to_uppercase()).await.unwrap();
            }
        });
        let stream = TcpStream::connect(addr).await.unwrap();
        let mut lines = Framed::new(stream, LinesCodec::new());
        for word in ["alpha", "beta", "gamma"] {
            lines.send(word).await.unwrap();
            let reply = lines.next().await.unwrap().unwrap();
            assert_eq!(reply, word.to_uppercase());
        }
        drop(lines);
        server.await.unwrap();
    });
}

async fn hello(request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let body = format!("hello, {}", request.uri().path().trim_start_matches('/'));
    Ok(Response::new(Full::new(Bytes::from(body))))
}

#[test]
fn hyper_server_and_client_on_weft() {
    both("hyper", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = weft::spawn(async move {
            // Serve two connections, then stop.
            for _ in 0..2 {
                let (socket, _) = listener.accept().await.unwrap();
                weft::spawn(async move {
                    hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(socket), hyper::service::service_fn(hello))
                        .await
                        .unwrap();
                });
            }
        });

        for _ in 0..2 {
            let stream = TcpStream::connect(addr).await.unwrap();
            let (mut sender, connection) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream))
                    .await
                    .unwrap();
            let connection = weft::spawn(connection);
            for name in ["weft", "hyper", "world"] {
                let request = Request::builder()
                    .uri(format!("/{name}"))
                    .header("host", addr.to_string())
                    .body(Full::new(Bytes::new()))
                    .unwrap();
                let response = sender.send_request(request).await.unwrap();
                assert_eq!(response.status(), 200);
                let body = response.into_body().collect().await.unwrap().to_bytes();
                assert_eq!(body, format!("hello, {name}"));
            }
            drop(sender);
            connection.await.unwrap().unwrap();
        }
        server.await.unwrap();
    });
}
