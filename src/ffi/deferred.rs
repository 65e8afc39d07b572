//! The library side of the C macros' deferred path (src/ffi/deferred.c):
//! the shim asks here which queue a logger's records may go to and for its
//! thread's ring, and the listener decodes the shim's entries here (the
//! message is formatted by the shim's `sawmill_deferred_format`).
//!
//! Entry words (after the header word): the call site, the logger, the
//! level with the time stamp's kind, the time stamp, then the arguments.

use std::borrow::Cow;
use std::cell::Cell;
use std::ffi::{c_char, c_int, c_void};

use super::logger::{line_number, logger_ref, sawmill_logger};
use super::{boundary, check_not_null, lossy_bytes, lossy_str, pointer_call};
use crate::handler::queue::{self, Decoded, Port, ThreadRing};

/// The C site struct of the header's trailer (`sawmill_site_`).
#[repr(C)]
struct Site {
    file: *const c_char,
    func: *const c_char,
    line: c_int,
    layout: *mut c_void,
}

extern "C" {
    /// Formats an entry's arguments with the site's cached layout into
    /// `out` (`cap` bytes); returns the length the message needs (as
    /// snprintf), or -1 when the entry does not match the layout.
    fn sawmill_deferred_format(
        layout: *const c_void,
        args: *const u64,
        n_words: usize,
        out: *mut c_char,
        cap: usize,
    ) -> isize;
}

/// For the shim only (absent from the header): the logger's deferred-path
/// answer for the current configuration, recomputed: the address of the
/// QueueHandler's port, or NULL (not eligible, or NULL `l`).
#[no_mangle]
pub unsafe extern "C" fn sawmill_internal_deferred_refresh(l: *mut sawmill_logger) -> *mut c_void {
    pointer_call(|| {
        // SAFETY: checked handle.
        let logger = unsafe { logger_ref(l) }?;
        Ok(queue::refresh_deferred(logger) as *mut c_void)
    })
}

/// For the shim only: the address of the configuration epoch (see
/// `logger::config_epoch`).
#[no_mangle]
pub extern "C" fn sawmill_internal_config_epoch_address() -> *const u64 {
    boundary(
        |_| std::ptr::null(),
        || Ok(crate::logger::config_epoch_address() as *const u64),
    )
}

/// For the shim only: the calling thread's ring for `port` (made on first
/// use, or a drained one of an ended thread), marked as `owner`'s (the
/// thread's token); NULL when this thread must take the synchronous path.
#[no_mangle]
pub unsafe extern "C" fn sawmill_internal_deferred_ring(
    port: *const c_void,
    owner: u64,
) -> *mut ThreadRing {
    pointer_call(|| {
        check_not_null(port, "port")?;
        // SAFETY: the shim passes a port address it read from a
        // DeferredCache; ports are never freed.
        let port: &'static Port = unsafe { &*(port as *const Port) };
        // The TSC's rate is measured by the consumer (tsc_to_ns), never
        // here: its 2 ms would fall on this thread's first logging call.
        Ok(port
            .ring_for_this_thread(owner)
            .map_or(std::ptr::null_mut(), |r| {
                r as *const ThreadRing as *mut ThreadRing
            }))
    })
}

/// For the shim only: `ring` is full. 1: try again; 0: the record was
/// dropped and counted (the overflow policy).
#[no_mangle]
pub unsafe extern "C" fn sawmill_internal_deferred_full(ring: *const c_void) -> c_int {
    boundary(
        |_| 0,
        || {
            check_not_null(ring, "ring")?;
            // SAFETY: rings are never freed; the shim passes its own.
            let ring: &ThreadRing = unsafe { &*(ring as *const ThreadRing) };
            // SAFETY: a ring's port address is a live, never freed Port.
            let port: &Port = unsafe { &*(ring.header.port as *const Port) };
            Ok(match port.shared() {
                Some(shared) => c_int::from(shared.ring_full(ring)),
                None => 0,
            })
        },
    )
}

/// The time stamp's kinds (the shim's `ts_kind`).
const STAMP_TSC: u64 = 1;

/// The TSC calibration: a first pair, and nanoseconds per tick.
struct Calibration {
    tsc0: u64,
    ns0: i64,
    ns_per_tick: f64,
}

static CALIBRATION: crate::sync::ForkOnce<Calibration> = crate::sync::ForkOnce::new();

fn realtime_ns() -> i64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid out-pointer; CLOCK_REALTIME always exists.
    unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut ts) };
    ts.tv_sec * 1_000_000_000 + ts.tv_nsec
}

#[cfg(target_arch = "x86_64")]
fn tsc() -> u64 {
    // SAFETY: rdtsc has no preconditions on x86_64.
    unsafe { core::arch::x86_64::_rdtsc() }
}

#[cfg(not(target_arch = "x86_64"))]
fn tsc() -> u64 {
    0
}

/// Measures the TSC's rate once (2 ms), on the first conversion (the
/// listener's thread); stamps taken before it convert the same way.
fn calibrate() -> &'static Calibration {
    CALIBRATION.get_or_init(|| {
        let (tsc0, ns0) = (tsc(), realtime_ns());
        let until = ns0 + 2_000_000;
        let mut pair = (tsc0, ns0);
        while pair.1 < until {
            pair = (tsc(), realtime_ns());
        }
        let ticks = pair.0.wrapping_sub(tsc0).max(1);
        Calibration {
            tsc0,
            ns0,
            ns_per_tick: (pair.1 - ns0) as f64 / ticks as f64,
        }
    })
}

thread_local! {
    /// The consuming thread's latest (tsc, realtime ns) pair and rate.
    static ANCHOR: Cell<(u64, i64, f64)> = const { Cell::new((0, 0, 0.0)) };
}

/// Ticks after which a consumer takes a new anchor pair (about 1 ms).
const ANCHOR_TICKS: u64 = 2_000_000;

/// A TSC stamp as realtime nanoseconds: from the consumer's anchor pair,
/// taken at most about a millisecond ago, with the rate measured over
/// everything since the first calibration.
fn tsc_to_ns(stamp: u64) -> i64 {
    let cal = calibrate();
    ANCHOR
        .try_with(|anchor| {
            let (mut t, mut ns, mut rate) = anchor.get();
            if rate == 0.0 || stamp.wrapping_sub(t) as i64 > ANCHOR_TICKS as i64 {
                t = tsc();
                ns = realtime_ns();
                let ticks = t.wrapping_sub(cal.tsc0);
                rate = if ticks > ANCHOR_TICKS {
                    (ns - cal.ns0) as f64 / ticks as f64
                } else {
                    cal.ns_per_tick
                };
                anchor.set((t, ns, rate));
            }
            let delta = stamp.wrapping_sub(t) as i64;
            ns + (delta as f64 * rate) as i64
        })
        .unwrap_or_else(|_| realtime_ns())
}

/// The decoder the listener calls for each deferred entry (see
/// `queue::set_deferred_decoder`).
fn decode(words: &[u64], text: &mut String) -> Option<Decoded> {
    if words.len() < 5 {
        return None;
    }
    let site = words[1] as usize as *const Site;
    let logger = words[2] as usize as *const crate::logger::Logger;
    let level = words[3] as u32 as i32;
    let stamp = words[4];
    let created_ns = if words[3] >> 32 == STAMP_TSC {
        tsc_to_ns(stamp)
    } else {
        stamp as i64
    };
    // SAFETY: the shim wrote the address of a live call site (static in
    // the caller, or one the caller keeps while it logs) and of a logger
    // (never freed).
    let (site, logger) = unsafe { (&*site, &*logger) };
    let args = &words[5..];
    let mut buffer = [0u8; 1024];
    // SAFETY: the layout belongs to the site; `args` and `buffer` are valid
    // for the lengths given.
    let need = unsafe {
        sawmill_deferred_format(
            site.layout,
            args.as_ptr(),
            args.len(),
            buffer.as_mut_ptr().cast(),
            buffer.len(),
        )
    };
    let need = usize::try_from(need).ok()?;
    if need < buffer.len() {
        text.push_str(&lossy_bytes(&buffer[..need]));
    } else {
        let mut big = vec![0u8; need + 1];
        // SAFETY: as above, with a buffer large enough.
        let again = unsafe {
            sawmill_deferred_format(
                site.layout,
                args.as_ptr(),
                args.len(),
                big.as_mut_ptr().cast(),
                big.len(),
            )
        };
        let again = usize::try_from(again).ok()?.min(need);
        text.push_str(&lossy_bytes(&big[..again]));
    }
    // SAFETY: the call site's strings (or NULL), which live as long as the
    // site: string literals in the macro's static site.
    let (file, func): (Option<Cow<'static, str>>, Option<Cow<'static, str>>) =
        unsafe { (lossy_str(site.file), lossy_str(site.func)) };
    Some(Decoded {
        name: logger.name(),
        level,
        pathname: file,
        lineno: line_number(site.line),
        func_name: func,
        created: crate::clock::seconds_of_nanos(created_ns),
    })
}

/// At library load (see `ffi::install`).
pub(crate) fn install() {
    queue::set_deferred_decoder(decode);
}
