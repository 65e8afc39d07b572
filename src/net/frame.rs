//! Frames: a 4-byte big-endian length, then the body (CPython's
//! `SocketHandler`; `DatagramHandler` sends the same bytes as one datagram).

use std::io::{self, Read};

use super::FrameError;

/// The default largest body accepted (1 MiB).
pub const DEFAULT_MAX_FRAME: usize = 1 << 20;

/// Appends a frame holding `body` to `out`.
pub fn write_frame(body: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    out.extend_from_slice(body);
}

/// Checks a frame's announced length against `max` before anything is
/// allocated for it.
pub fn check_length(prefix: [u8; 4], max: usize) -> Result<usize, FrameError> {
    let len = u32::from_be_bytes(prefix) as usize;
    if len == 0 {
        return Err(FrameError("empty frame".into()));
    }
    if len > max {
        return Err(FrameError(format!(
            "frame of {len} bytes exceeds the limit of {max}"
        )));
    }
    Ok(len)
}

/// The body of a datagram: the length prefix must match the datagram's size.
pub fn datagram_body(datagram: &[u8], max: usize) -> Result<&[u8], FrameError> {
    if datagram.len() < 4 {
        return Err(FrameError("datagram shorter than its length prefix".into()));
    }
    let len = check_length(datagram[..4].try_into().expect("4 bytes"), max)?;
    if len != datagram.len() - 4 {
        return Err(FrameError(format!(
            "datagram announces {len} bytes but carries {}",
            datagram.len() - 4
        )));
    }
    Ok(&datagram[4..])
}

/// What reading one frame from a stream gave.
pub enum Read1 {
    /// A frame's body is in the buffer.
    Frame,
    /// The peer closed the connection cleanly between frames.
    Closed,
}

/// Reads one frame from `input` into `body` (resized to the frame). A
/// connection closed in the middle of a frame, or a bad length, is an error.
pub fn read_frame(input: &mut impl Read, body: &mut Vec<u8>, max: usize) -> io::Result<Read1> {
    let mut prefix = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match input.read(&mut prefix[got..]) {
            Ok(0) if got == 0 => return Ok(Read1::Closed),
            Ok(0) => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "truncated frame",
                ))
            }
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let len =
        check_length(prefix, max).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.0))?;
    body.clear();
    body.resize(len, 0);
    input.read_exact(body).map_err(|e| {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            io::Error::new(io::ErrorKind::UnexpectedEof, "truncated frame")
        } else {
            e
        }
    })?;
    Ok(Read1::Frame)
}
