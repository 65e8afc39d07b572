//! Python's `DatagramHandler`: the same frame as `SocketHandler` (length
//! prefix included) as one UDP datagram per record. Nothing to connect, so
//! nothing to retry; a send that fails (no route, a frame too large for a
//! datagram) is counted as an error.

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use super::socket::{build_frame, NetOptions};
use super::{EmitError, Sink};
use crate::record::Record;

pub struct DatagramSink {
    options: NetOptions,
    socket: Option<(UdpSocket, SocketAddr)>,
    frame: Vec<u8>,
}

impl DatagramSink {
    /// The socket is made on the first record, as in CPython.
    pub fn new(options: NetOptions) -> DatagramSink {
        DatagramSink {
            options,
            socket: None,
            frame: Vec::with_capacity(1024),
        }
    }

    fn socket(&mut self) -> io::Result<&(UdpSocket, SocketAddr)> {
        if self.socket.is_none() {
            let addr = self.options.resolve(self.options.send_timeout)?[0];
            let local: SocketAddr = if addr.is_ipv4() {
                "0.0.0.0:0".parse().expect("literal")
            } else {
                "[::]:0".parse().expect("literal")
            };
            let socket = UdpSocket::bind(local)?;
            socket.set_write_timeout(Some(
                self.options.send_timeout.max(Duration::from_millis(1)),
            ))?;
            self.socket = Some((socket, addr));
        }
        Ok(self.socket.as_ref().expect("just made"))
    }
}

impl Sink for DatagramSink {
    fn kind(&self) -> &'static str {
        "DatagramHandler"
    }

    /// The record goes out as its dict, never as formatted text.
    fn needs_text(&self) -> bool {
        false
    }

    fn emit(&mut self, record: &Record<'_>, _text: &mut String) -> Result<(), EmitError> {
        let mut frame = std::mem::take(&mut self.frame);
        build_frame(record, self.options.encoding, &mut frame);
        let sent = self
            .socket()
            .and_then(|(socket, addr)| socket.send_to(&frame, addr));
        self.frame = frame;
        match sent {
            Ok(_) => Ok(()),
            Err(e) => {
                self.socket = None;
                Err(e.into())
            }
        }
    }

    fn close(&mut self) -> io::Result<()> {
        self.socket = None;
        Ok(())
    }

    fn after_fork(&mut self, interrupted: bool) {
        if interrupted {
            if let Some(socket) = self.socket.take() {
                std::mem::forget(socket);
            }
        }
    }
}
