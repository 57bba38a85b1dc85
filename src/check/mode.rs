//! The mode (`LIBURING_CHECK`), read by an ELF constructor or on the first
//! hooked call, and the one-compare gate of the hooked exports.

use core::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

use crate::ring::io_uring;

pub(super) const MODE_OFF: u8 = 0;
pub(super) const MODE_ABORT: u8 = 1;
pub(super) const MODE_WARN: u8 = 2;
/// Before the environment has been read: treated as "maybe on", so the
/// first hooked call takes the cold path and reads it.
pub(super) const MODE_UNREAD: u8 = 0xff;

pub(super) static MODE: AtomicU8 = AtomicU8::new(MODE_UNREAD);

/// The highest ring address that must take a hook's out-of-line path: 0 when
/// checks are off (only a NULL ring goes there, to get its error), the
/// whole address space when they are on or the mode is not read yet.
pub(super) static SLOW_PATH_BELOW_OR_AT: AtomicUsize = AtomicUsize::new(usize::MAX);

pub(super) fn set_mode(m: u8) {
    // Relaxed: both words are written once (constructor or first call) and
    // every writer stores the same values; a stale gate only sends a call to
    // the out-of-line path, which reads MODE itself.
    MODE.store(m, Ordering::Relaxed);
    let gate = if m == MODE_OFF { 0 } else { usize::MAX };
    SLOW_PATH_BELOW_OR_AT.store(gate, Ordering::Relaxed);
}

/// Whether checks are on (or the mode is not read yet), for the exports
/// without a hook (`ring_or!`) and the set-up calls; hooked exports use
/// [`slow_path`] instead.
#[inline(always)]
pub(crate) fn active() -> bool {
    // Relaxed: MODE is written once (constructor or first call) and every
    // writer stores the same value.
    MODE.load(Ordering::Relaxed) != MODE_OFF
}

/// Whether a hooked export called with `ring` leaves its inline path: for a
/// NULL ring, or for every ring while checks are on. One compare against a
/// static word covers both, so the NULL test a C-ABI entry needs anyway is
/// also the whole cost of checked mode when it is off.
#[inline(always)]
pub(crate) fn slow_path(ring: *const io_uring) -> bool {
    // Relaxed: see set_mode.
    ring as usize <= SLOW_PATH_BELOW_OR_AT.load(Ordering::Relaxed)
}

/// The mode from the variable's value (`None`: unset).
pub fn parse_mode(value: Option<&[u8]>) -> u8 {
    match value {
        None | Some(b"" | b"0" | b"off") => MODE_OFF,
        Some(b"warn") => MODE_WARN,
        Some(_) => MODE_ABORT,
    }
}

/// The mode from `LIBURING_CHECK`, ignored (off) in a set-user-ID or
/// capability-raised process: see [`crate::os::with_secure_env`].
pub(super) fn mode_from_env() -> u8 {
    crate::os::with_secure_env(c"LIBURING_CHECK", parse_mode)
}

/// The current mode, reading the environment the first time.
#[cold]
pub(super) fn mode() -> u8 {
    let m = MODE.load(Ordering::Relaxed);
    if m != MODE_UNREAD {
        return m;
    }
    let m = mode_from_env();
    set_mode(m);
    m
}

extern "C" fn read_mode_at_load() {
    set_mode(mode_from_env());
}

/// Runs when the shared object is loaded (or a static program starts), so
/// that the mode is known before the first call.
#[used]
#[link_section = ".init_array"]
pub(super) static READ_MODE_AT_LOAD: extern "C" fn() = read_mode_at_load;
