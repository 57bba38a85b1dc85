//! The report: one line assembled in a stack buffer and written to stderr
//! with write(2) (no allocation, no stdio), then abort unless in warn mode.

use core::ptr;

use super::*;
use crate::ring::io_uring;

/// One line of text in a fixed buffer; what does not fit is cut, and the
/// line always ends with a newline.
pub struct Line {
    buf: [u8; 480],
    len: usize,
}

impl Line {
    pub const fn new() -> Self {
        Line { buf: [0; 480], len: 0 }
    }

    #[inline(never)]
    pub fn text(&mut self, s: &str) -> &mut Self {
        for &b in s.as_bytes() {
            self.byte(b);
        }
        self
    }

    #[inline(never)]
    pub fn dec(&mut self, v: u64) -> &mut Self {
        // Digits from the right end of a buffer, then copied in order.
        let mut digits = [0u8; 20];
        let mut used = 0;
        let mut rest = v;
        for d in digits.iter_mut().rev() {
            *d = b'0' + (rest % 10) as u8;
            rest /= 10;
            used += 1;
            if rest == 0 {
                break;
            }
        }
        for &d in digits.iter().skip(digits.len().saturating_sub(used)) {
            self.byte(d);
        }
        self
    }

    #[inline(never)]
    pub fn signed(&mut self, v: i64) -> &mut Self {
        if v < 0 {
            self.byte(b'-');
        }
        self.dec(v.unsigned_abs())
    }

    #[inline(never)]
    pub fn hex(&mut self, v: u64) -> &mut Self {
        self.text("0x");
        // Significant digits only (at least one), most significant first;
        // a loop over a run-time count stays a loop (16 unrolled steps cost
        // 800 bytes of a library whose size is budgeted).
        let mut digits = (64 - v.leading_zeros()).div_ceil(4).max(1);
        while digits > 0 {
            digits -= 1;
            let nibble = ((v >> (digits * 4)) & 0xf) as u8;
            self.byte(if nibble < 10 { b'0' + nibble } else { b'a' + nibble - 10 });
        }
        self
    }

    /// Appends one byte, keeping the last byte of the buffer for the
    /// newline. (No indexing that could panic: the library must not pull
    /// in core's panic machinery, see `export_name`.)
    #[inline(never)]
    fn byte(&mut self, b: u8) {
        if self.len + 1 < self.buf.len() {
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
        }
    }

    /// The text with its final newline.
    #[inline(never)]
    pub fn finish(&mut self) -> &[u8] {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b'\n';
        }
        self.buf.get(..self.len + 1).unwrap_or(&[])
    }
}

impl Default for Line {
    fn default() -> Self {
        Self::new()
    }
}

/// Writes the whole of `bytes` to fd 2, leaving errno as it was (in warn
/// mode the caller's errno must not change behind its back).
#[cold]
#[inline(never)]
pub(super) fn write_stderr(mut bytes: &[u8]) {
    // SAFETY: __errno_location always returns this thread's errno.
    let errno = unsafe { libc::__errno_location() };
    // SAFETY: as above.
    let saved = unsafe { *errno };
    while !bytes.is_empty() {
        // SAFETY: bytes is a live buffer of bytes.len() bytes.
        let n = unsafe { libc::write(2, bytes.as_ptr().cast(), bytes.len()) };
        if n > 0 {
            bytes = bytes.get(n as usize..).unwrap_or(&[]);
        } else if n < 0 {
            // SAFETY: as above.
            if unsafe { *errno } != libc::EINTR {
                break;
            }
        } else {
            break;
        }
    }
    // SAFETY: as above.
    unsafe { *errno = saved };
}

/// Prints `liburing check: <func>: ring <addr> (fd <fd>): <problem>` and
/// aborts unless the mode is `warn`.
#[cold]
#[inline(never)]
pub(super) fn report(func: &str, ring: *const io_uring, problem: &dyn Fn(&mut Line)) {
    let mut line = Line::new();
    line.text("liburing check: ").text(func).text(": ring ");
    if ring.is_null() {
        line.text("NULL");
    } else {
        // SAFETY: a non-NULL ring pointer from the caller points to a struct
        // io_uring (set up or not, its fields are plain integers).
        let fd = unsafe { ptr::addr_of!((*ring).ring_fd).read() };
        line.hex(ring as u64).text(" (fd ").signed(fd as i64).text(")");
    }
    line.text(": ");
    problem(&mut line);
    write_stderr(line.finish());
    if mode() != MODE_WARN {
        // SAFETY: abort has no preconditions.
        unsafe { libc::abort() };
    }
}
