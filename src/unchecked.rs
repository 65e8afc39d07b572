//! The hot path's unchecked operations: each one's checked form measured
//! slower on the plain path (bench/callgrind.sh), so this module keeps them,
//! each behind a safe function whose test shows the unchecked step sound
//! (`trunc`: clock.rs's `fast_rounding_matches_std`, with `floor`). A
//! departure from DESIGN.md's rule 1 (`unsafe` only in `ffi/` and OS calls),
//! as `sync.rs` is; nothing else outside those places may use `unsafe`.

/// Values this large are whole numbers already (2^52: no fraction bits).
const WHOLE: f64 = 4_503_599_627_370_496.0;

/// `x.trunc()`. The CPU baseline has no rounding instruction, so the library
/// call showed in profiles; a conversion to an integer and back is exact for
/// every value below 2^52. `as` would add a saturation check per call (five
/// instructions, 14 per record: 1,724 → 1,738 on the buffered workload).
#[inline]
pub fn trunc(x: f64) -> f64 {
    if x.abs() < WHOLE {
        // SAFETY: |x| < 2^52 is finite and fits an i64 (NaN fails the test).
        unsafe { x.to_int_unchecked::<i64>() as f64 }
    } else {
        x.trunc()
    }
}

/// `,%03d` of `msecs` truncated, in `buf`, when 0 <= msecs < 1000 (NaN is
/// not); None otherwise. The digits are ASCII by construction, so the text
/// needs no check: `std::str::from_utf8`'s check cost 84 instructions per
/// record on these four bytes, and a table of the 1,000 texts 4.
#[inline]
pub fn comma_msecs(msecs: f64, buf: &mut [u8; 4]) -> Option<&str> {
    if !(0.0..1000.0).contains(&msecs) {
        return None;
    }
    // SAFETY: 0 <= msecs < 1000 (finite) truncates to a u32.
    let ms: u32 = unsafe { msecs.to_int_unchecked() };
    *buf = [
        b',',
        b'0' + (ms / 100) as u8,
        b'0' + (ms / 10 % 10) as u8,
        b'0' + (ms % 10) as u8,
    ];
    // SAFETY: a comma and three ASCII digits (ms < 1000) are UTF-8.
    Some(unsafe { std::str::from_utf8_unchecked(buf) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msecs_text_like_percent_03d() {
        let mut buf = [0; 4];
        for ms in 0..1000u16 {
            let text = comma_msecs(f64::from(ms) + 0.75, &mut buf).map(str::to_owned);
            assert_eq!(text, Some(format!(",{ms:03}")));
        }
        for odd in [-0.5, 1000.0, f64::NAN, f64::INFINITY, -1e300] {
            assert_eq!(comma_msecs(odd, &mut buf), None, "{odd}");
        }
    }
}
