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
pub(crate) static SLOW_PATH_BELOW_OR_AT: AtomicUsize = AtomicUsize::new(usize::MAX);

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
#[cfg_attr(all(target_arch = "x86", not(loom)), allow(dead_code))] // if_slow_path's asm there
pub(crate) fn slow_path(ring: *const io_uring) -> bool {
    // Relaxed: see set_mode.
    ring as usize <= SLOW_PATH_BELOW_OR_AT.load(Ordering::Relaxed)
}

/// `if slow_path(ring) { slow }`, as the hooked exports spell their gate.
///
/// On i386 the gate is written in assembly: position-independent code there
/// has no PC-relative data addressing, and LLVM spends six instructions on
/// it (`call`/`pop` to learn the PC, `add` to reach the GOT, a load, the
/// compare and the branch), against upstream's none. Here the PC comes from
/// the same `call`/`pop` and the compare reads the gate word at its offset
/// from that PC (a link-time constant: a `R_386_PC32` relocation against a
/// symbol of this object, no GOT, no text relocation): four instructions
/// (three as callgrind counts them: it takes `call`/`pop` for one), and the
/// branch goes straight to `slow`, which must reach the cold path without
/// a call LLVM can see ([`crate::check::call_cold`]). Elsewhere
/// [`slow_path`] compiles to a load, a compare and a branch already (x86_64
/// folds the load into the compare).
#[cfg(all(target_arch = "x86", not(loom)))]
macro_rules! if_slow_path {
    ($ring:expr, $slow:block) => {
        let ring: *const $crate::ring::io_uring = $ring;
        // SAFETY: the block pushes the return address of its `call` and pops
        // it again, and reads the aligned gate word, which is one atomic
        // 32-bit load on x86, as the Relaxed load of `slow_path` (see
        // `set_mode` for why Relaxed is enough). Nothing else is touched.
        unsafe {
            core::arch::asm!(
                "call 2f",
                "2: pop {pc}",
                "cmp {gate} - 2b({pc}), {ring}",
                "jbe {slow}",
                ring = in(reg) ring,
                pc = out(reg) _,
                gate = sym $crate::check::SLOW_PATH_BELOW_OR_AT,
                slow = label $slow,
                options(att_syntax),
            )
        }
        // SAFETY: the block falls through only for a ring above the gate
        // word, which is at least 0, so not for NULL.
        unsafe { core::hint::assert_unchecked(!ring.is_null()) }
    };
}
#[cfg(not(all(target_arch = "x86", not(loom))))]
macro_rules! if_slow_path {
    ($ring:expr, $slow:block) => {
        if $crate::check::slow_path($ring) $slow
    };
}
pub(crate) use if_slow_path;

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
