//! Checked mode: validation of what crosses the C ABI, for debugging
//! bindings and programs.
//!
//! `LIBURING_CHECK` in the environment selects the mode once per process:
//! unset, empty, `0` or `off`: no checks; `warn`: a misuse prints one line
//! on stderr and the call goes on as usual; anything else (`1`, `abort`):
//! the line is printed and the process aborts (SIGABRT). The variable is
//! read by an ELF constructor when the library is loaded, or on the first
//! hooked call if no constructor ran (a static link that dropped it).
//!
//! Cost when checks are off: each hooked export compares its ring pointer
//! with a static word ([`slow_path`]), which is also its NULL-ring test;
//! everything behind it is `#[cold]` and out of line (see [`hooked`]).
//!
//! What is checked (each with its own function below):
//! - the ring was set up by this library and not torn down since
//!   ([`ring_entry`], via a marker in the padding of `struct io_uring`);
//! - `io_uring_cq_advance`/`io_uring_cqe_seen` never move the CQ head past
//!   the kernel's tail;
//! - a CQE handed back to `io_uring_cqe_seen` points to a slot of this
//!   ring's CQ array;
//! - `io_uring_peek_batch_cqe` gets an array when it is asked to fill one;
//! - every SQE taken with `io_uring_get_sqe` was prepared before it is
//!   submitted (fresh SQEs carry a poison opcode until a prep helper
//!   overwrites it);
//! - no two threads consume completions of one ring at once, and none
//!   consumes while another waits (several may wait together).
//!
//! State lives in padding of `struct io_uring` that liburing never uses
//! (library-private, see docs/FFI.md; `pad[0]` is not checked mode's but
//! the submit path's, see `SETUP_SQPOLL_OR_REWIND` in ring.rs):
//! - `pad2`: [`RING_LIVE`] after a successful set-up, [`RING_DEAD`] after
//!   `io_uring_queue_exit`, anything else for a ring never set up;
//! - `cq.pad` (both words, as one 64-bit value): the thread id of the
//!   consumer inside a completion call and the number of threads waiting
//!   (`io_uring_resize_rings` replaces `cq` and so clears it, which is
//!   right: nobody may be completing during a resize).
//!
//! The report is assembled in a stack buffer and written with write(2): no
//! allocation, no stdio.

use core::ptr;

use crate::ring::io_uring;

/// `pad2` of a ring that a set-up call of this library filled in.
pub const RING_LIVE: u32 = 0x6c69_7665;
/// `pad2` of a ring after `io_uring_queue_exit`.
pub const RING_DEAD: u32 = 0x6465_6164;
/// Opcode written into every SQE that `io_uring_get_sqe` hands out in
/// checked mode; no kernel opcode has this value.
pub const SQE_POISON_OPCODE: u8 = 0xff;

mod completion;
mod mode;
mod report;
mod sqe_poison;
#[cfg(test)]
mod tests;

pub use completion::*;
pub use mode::*;
use report::*;
pub use sqe_poison::*;

/// The body of a hooked export: run inline on the fast path, or inside the
/// named `crate::check` hook, which checks around it, when [`slow_path`]
/// says so (a NULL ring, or checks on):
///
/// ```text
/// check::hooked!(advancing(ring, nr), (
///     ring: *mut io_uring,
///     nr: c_uint,
/// ) -> (), { ... })
/// ```
///
/// The first hook argument is the ring; the hook gets the export's name
/// after it (derived from the enclosing function, as `ring_or!` does), then
/// the other arguments. The parameter list repeats the export's, one
/// parameter per line when there are several. The body becomes an inline function of those parameters; the
/// checked path is a separate cold function that the export reaches with a
/// tail call (on i386 a call the compiler does not see, [`call_cold`]), so
/// the fast path needs no stack frame for it. The hooks are
/// inlined there around the body and do their checking in out-of-line
/// helpers, so each body exists twice (fast and checked), no more, and no
/// closure or vtable is left behind. `return` inside the body returns from
/// the body.
///
/// A second block after `checked:` replaces the body on the checked path
/// only: exports whose bodies inline the same large function call one
/// shared out-of-line copy of it there instead of carrying a copy each.
macro_rules! hooked {
    ($hook:ident($ring:expr $(, $arg:expr)* $(,)?), ($($p:ident: $t:ty),* $(,)?) -> $ret:ty, $body:block) => {
        $crate::check::hooked!($hook($ring $(, $arg)*), ($($p: $t),*) -> $ret, $body, checked: $body)
    };
    ($hook:ident($ring:expr $(, $arg:expr)* $(,)?), ($($p:ident: $t:ty),* $(,)?) -> $ret:ty, $body:block,
     checked: $checked_body:block) => {{
        #[inline(always)]
        unsafe fn body($($p: $t),*) -> $ret $body

        #[inline(always)]
        unsafe fn checked_body($($p: $t),*) -> $ret $checked_body

        // Of the C calling convention, as the export: where that has the
        // callee extend a 32-bit result (riscv64, s390x, powerpc64) the
        // export's tail call needs no extension after it, so no frame.
        #[cold]
        #[inline(never)]
        unsafe extern "C" fn checked($($p: $t),*) -> $ret {
            fn __here() {}
            let func = $crate::check::export_name(core::any::type_name_of_val(&__here));
            // SAFETY: a hook takes the export's own arguments and checks
            // them before it reads through them; the body uses them as the
            // export does on the fast path.
            unsafe { $crate::check::$hook($ring, func, $($arg,)* || checked_body($($p),*)) }
        }

        $crate::check::if_slow_path!($ring, {
            return $crate::check::call_cold!(checked, ($($p: $t),*) -> $ret);
        });
        // SAFETY: the export's own arguments, passed on.
        unsafe { body($($p),*) }
    }};
}
pub(crate) use hooked;

/// `unsafe { f(args) }` for the cold `checked` function of [`hooked`].
///
/// On i386 the call is made by an asm block, through a trampoline that
/// takes the arguments by address: LLVM loads the GOT pointer into ebx at
/// the entry of every position-independent function that makes a call
/// (other than a tail call, which it allows there with at most one register
/// argument), so a plain call on the cold path would cost the hot path two
/// instructions and a register. Elsewhere it is the plain (tail) call.
#[cfg(all(target_arch = "x86", not(loom)))]
macro_rules! call_cold {
    ($f:ident, ($($p:ident: $t:ty),*) -> $ret:ty) => {{
        unsafe extern "C" fn trampoline(args: *const ($($t,)*), ret: *mut $ret) {
            // SAFETY: the asm block below passes the address of its tuple of
            // the export's arguments and of its result's slot.
            unsafe {
                let ($($p,)*) = args.read();
                ret.write($f($($p),*));
            }
        }
        let args = ($($p,)*);
        let mut ret = core::mem::MaybeUninit::<$ret>::uninit();
        // SAFETY: a cdecl call of `trampoline` with two stack arguments, the
        // stack aligned to 16 bytes at the call (the block starts aligned,
        // as any asm block without `nostack`, and moves esp by 16 before it)
        // and restored after it; the C ABI's call-clobbered registers are
        // declared clobbered. `trampoline` writes `ret`.
        unsafe {
            core::arch::asm!(
                "sub esp, 8",
                "push {ret}",
                "push {args}",
                "call {f}",
                "add esp, 16",
                args = in(reg) &args,
                ret = in(reg) ret.as_mut_ptr(),
                f = sym trampoline,
                clobber_abi("C"),
            );
            ret.assume_init()
        }
    }};
}
#[cfg(not(all(target_arch = "x86", not(loom))))]
macro_rules! call_cold {
    ($f:ident, ($($p:ident: $t:ty),*) -> $ret:ty) => {
        // SAFETY: the export's own arguments, passed on.
        unsafe { $f($($p),*) }
    };
}
pub(crate) use call_cold;

// ---- ring state ----

fn ring_state(ring: *const io_uring) -> u32 {
    // SAFETY: the caller passes a non-NULL pointer to a struct io_uring.
    unsafe { ptr::addr_of!((*ring).pad2).read() }
}

/// Whether `ring` was set up by this library and not torn down; reports
/// otherwise. Further checks read ring memory only when this is true.
#[cold]
#[inline(never)]
fn ring_usable(ring: *const io_uring, func: &str) -> bool {
    if ring.is_null() {
        report(func, ring, &|l| {
            l.text("the ring pointer is NULL");
        });
        return false;
    }
    match ring_state(ring) {
        RING_LIVE => true,
        RING_DEAD => {
            report(func, ring, &|l| {
                l.text("ring used after io_uring_queue_exit tore it down");
            });
            false
        }
        other => {
            report(func, ring, &|l| {
                l.text("ring was never set up by io_uring_queue_init* (or its set-up failed); library-private marker ")
                    .hex(other as u64);
            });
            false
        }
    }
}

/// The exported function's name from the type name of a function item
/// declared inside it (`uring::capi::queue::io_uring_submit::{{closure}}::f`):
/// the first path segment that starts with `io_uring` or `__io_uring`.
///
/// Written without `str::split` or slicing that can panic: either would
/// pull core's panic and string-search code into liburing.a, whose objects
/// need an unwinding personality that a C program linking it statically
/// does not have.
///
/// Out of line: `hooked!` calls it in every export's cold checked path, and
/// inlined there it cost 1.8 KB of liburing.so (4 KB of liburing-ffi.so's
/// stripped file).
#[cold]
#[inline(never)]
pub fn export_name(type_name: &'static str) -> &'static str {
    let bytes = type_name.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let mut end = start;
        while end < bytes.len() && bytes.get(end) != Some(&b':') {
            end += 1;
        }
        if let Some(segment) = type_name.get(start..end) {
            if segment.starts_with("io_uring") || segment.starts_with("__io_uring") {
                return segment;
            }
        }
        start = end + 2;
    }
    type_name
}

/// Checks a ring on entry to an export (used by `ring_or!` and the hooks of
/// read-only helpers).
#[cold]
#[inline(never)]
pub unsafe fn ring_entry(ring: *const io_uring, func: &str) {
    if mode() != MODE_OFF {
        ring_usable(ring, func);
    }
}

/// Runs `body` after checking the ring (for exports without further checks).
///
/// Every hook is inlined into the export's cold `checked` function, around
/// the export's body; the checking itself happens in out-of-line helpers
/// that look at the mode first, so the body is compiled once per path.
#[inline(always)]
pub unsafe fn ring_call<R>(ring: *const io_uring, func: &str, body: impl FnOnce() -> R) -> R {
    // SAFETY: forwarded contract.
    unsafe { ring_entry(ring, func) };
    body()
}

/// Marks a ring that a set-up call just filled in as live.
#[cold]
#[inline(never)]
pub unsafe fn mark_live(ring: *mut io_uring) {
    if mode() == MODE_OFF || ring.is_null() {
        return;
    }
    // SAFETY: the set-up call succeeded on this non-NULL ring, which the
    // caller owns; padding is ours to write.
    unsafe {
        ptr::addr_of_mut!((*ring).pad2).write(RING_LIVE);
        ptr::addr_of_mut!((*ring).cq.pad).write([0; 2]);
    }
}

/// `io_uring_queue_exit`: the ring must be live; afterwards it is dead.
#[inline(always)]
pub unsafe fn exiting(ring: *mut io_uring, func: &str, body: impl FnOnce()) {
    let checking = exit_entry(ring, func);
    body();
    if checking {
        exit_done(ring);
    }
}

/// Checks a ring about to be torn down; whether checks are on.
#[cold]
#[inline(never)]
fn exit_entry(ring: *mut io_uring, func: &str) -> bool {
    if mode() == MODE_OFF {
        return false;
    }
    if !ring.is_null() && ring_state(ring) == RING_DEAD {
        report(func, ring, &|l| {
            l.text("io_uring_queue_exit called twice on the same ring");
        });
    } else {
        ring_usable(ring, func);
    }
    true
}

#[cold]
#[inline(never)]
fn exit_done(ring: *mut io_uring) {
    if !ring.is_null() {
        // SAFETY: non-NULL ring owned by the caller; padding is ours.
        unsafe { ptr::addr_of_mut!((*ring).pad2).write(RING_DEAD) };
    }
}
