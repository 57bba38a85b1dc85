//! The completion side: one consumer at a time, or any number of waiters.

use core::sync::atomic::{AtomicU64, Ordering};

use super::*;
use crate::ring::io_uring;
use crate::sys::*;

// Two kinds of completion calls:
// - consumers look at or move the CQ head (peek, peek_batch, seen,
//   advance): one thread at a time, and not while another thread waits,
//   since the waiter would then return CQEs the consumer takes;
// - waiters block until completions arrive (wait_cqe*, __io_uring_get_cqe,
//   submit_and_wait_timeout ...): several may wait at once (the kernel wakes
//   them all), but not while another thread consumes.
// The state is one 64-bit word over `cq.pad` (8-byte aligned: offset 184 of
// struct io_uring): the consumer's thread id in the low half (0: none), the
// number of threads waiting in the high half.

pub(super) const WAITER: u64 = 1 << 32;
pub(super) const OWNER_MASK: u64 = WAITER - 1;

pub(super) fn current_thread() -> u32 {
    // SAFETY: gettid has no preconditions.
    (unsafe { libc::syscall(libc::SYS_gettid) }) as u32
}

/// The completion-side state word of a ring.
///
/// # Safety
/// `ring` must be a non-NULL pointer to a live ring.
pub(super) unsafe fn completion_word<'a>(ring: *mut io_uring) -> &'a AtomicU64 {
    // SAFETY: cq.pad is 8 bytes at offset 184 of an 8-byte aligned struct,
    // inside the caller's ring; every access to it goes through this atomic.
    unsafe { AtomicU64::from_ptr(ptr::addr_of_mut!((*ring).cq.pad).cast::<u64>()) }
}

/// What a completion hook did on entry, to undo on the way out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Claim {
    /// Nothing to undo: checks off, ring not live, a nested call, or a
    /// conflict that was reported.
    None,
    Consumer,
    Waiter,
}

#[cold]
#[inline(never)]
pub(super) fn report_conflict(ring: *mut io_uring, func: &str, me: u32, state: u64, consuming: bool) {
    let owner = (state & OWNER_MASK) as u32;
    let waiters = state >> 32;
    report(func, ring, &|l| {
        l.text("thread ").dec(me as u64);
        l.text(if consuming {
            " consumes completions"
        } else {
            " waits for completions"
        });
        if owner != 0 {
            l.text(" while thread ")
                .dec(owner as u64)
                .text(" is inside a completion call");
        } else {
            l.text(" while ")
                .dec(waiters)
                .text(" other thread(s) wait for completions");
        }
        l.text(" on the same ring; the CQ side (peek, wait, seen, advance) must be used by one thread at a time");
    });
}

/// Takes the completion side of a live ring for this thread, as a consumer
/// or as one more waiter; reports a conflicting thread.
pub(super) fn claim(ring: *mut io_uring, func: &str, consuming: bool) -> Claim {
    let me = current_thread();
    // SAFETY: called only for live rings.
    let word = unsafe { completion_word(ring) };
    // Acquire/Release on this word pair the claims of threads with each
    // other (it is padding only the library touches, not kernel memory).
    let mut state = word.load(Ordering::Relaxed);
    loop {
        let owner = (state & OWNER_MASK) as u32;
        if owner == me {
            // A nested call of the thread that already consumes.
            return Claim::None;
        }
        let conflict = owner != 0 || (consuming && state >> 32 != 0);
        if conflict {
            report_conflict(ring, func, me, state, consuming);
            return Claim::None;
        }
        let next = if consuming { state | me as u64 } else { state + WAITER };
        match word.compare_exchange_weak(state, next, Ordering::Acquire, Ordering::Relaxed) {
            Ok(_) => return if consuming { Claim::Consumer } else { Claim::Waiter },
            Err(now) => state = now,
        }
    }
}

pub(super) fn release(ring: *mut io_uring, claim: Claim) {
    // SAFETY: the ring was live when the claim was made.
    let word = unsafe { completion_word(ring) };
    match claim {
        Claim::None => {}
        // Release pairs with the next claimer's Acquire.
        Claim::Consumer => {
            word.fetch_and(!OWNER_MASK, Ordering::Release);
        }
        Claim::Waiter => {
            word.fetch_sub(WAITER, Ordering::Release);
        }
    }
}

/// What a completion hook found on entry.
pub(super) struct Entry {
    live: bool,
    claim: Claim,
}

#[cold]
#[inline(never)]
pub(super) fn enter_completion(ring: *mut io_uring, func: &str, consuming: bool) -> Entry {
    if mode() == MODE_OFF {
        return Entry {
            live: false,
            claim: Claim::None,
        };
    }
    let live = ring_usable(ring, func);
    let claim = if live {
        claim(ring, func, consuming)
    } else {
        Claim::None
    };
    Entry { live, claim }
}

/// Runs a hooked call's body after its entry checks (already made, the
/// argument), then releases what they claimed.
#[inline(always)]
pub(super) fn around<R>(ring: *mut io_uring, claim: Claim, body: impl FnOnce() -> R) -> R {
    let r = body();
    if claim != Claim::None {
        release(ring, claim);
    }
    r
}

/// Runs a consuming call that has no further checks (`io_uring_peek_cqe`,
/// `__io_uring_peek_cqe`) as the ring's one consumer.
#[inline(always)]
pub unsafe fn consuming<R>(ring: *mut io_uring, func: &str, body: impl FnOnce() -> R) -> R {
    around(ring, enter_completion(ring, func, true).claim, body)
}

/// Runs a waiting call (`io_uring_wait_cqe*`, `__io_uring_get_cqe`) as one
/// of the ring's waiters.
#[inline(always)]
pub unsafe fn waiting<R>(ring: *mut io_uring, func: &str, body: impl FnOnce() -> R) -> R {
    around(ring, enter_completion(ring, func, false).claim, body)
}

/// Reports an advance of the CQ head by `nr` slots beyond the kernel's tail.
#[cold]
#[inline(never)]
pub(super) fn check_advance(ring: *const io_uring, nr: u32, func: &str) {
    // SAFETY: called only for live rings, whose CQ is mapped.
    let r = unsafe { &*ring };
    let head = r.load_cq_head();
    let tail = r.load_cq_tail();
    let posted = tail.wrapping_sub(head);
    if nr > posted {
        report(func, ring, &|l| {
            l.text("advancing the CQ by ")
                .dec(nr as u64)
                .text(" but the kernel has posted only ")
                .dec(posted as u64)
                .text(" unconsumed CQE slots (head ")
                .dec(head as u64)
                .text(", tail ")
                .dec(tail as u64)
                .text(")");
        });
    }
}

/// `io_uring_cq_advance` and the buffer-ring forms that advance the CQ.
#[inline(always)]
pub unsafe fn advancing(ring: *mut io_uring, func: &str, nr: u32, body: impl FnOnce()) {
    around(ring, advance_entry(ring, nr, func).claim, body)
}

#[cold]
#[inline(never)]
pub(super) fn advance_entry(ring: *mut io_uring, nr: u32, func: &str) -> Entry {
    let entry = enter_completion(ring, func, true);
    if entry.live {
        check_advance(ring, nr, func);
    }
    entry
}

/// Whether `cqe` points to the start of a slot of `ring`'s CQ array;
/// reports otherwise.
#[cold]
#[inline(never)]
pub(super) fn cqe_in_ring(ring: *const io_uring, cqe: *const io_uring_cqe, func: &str) -> bool {
    // SAFETY: called only for live rings.
    let r = unsafe { &*ring };
    let base = r.cq.cqes as u64;
    let slot = core::mem::size_of::<io_uring_cqe>() as u64;
    let end = base + ((r.cq.ring_entries as u64) << r.cqe_shift()) * slot;
    let p = cqe as u64;
    if p < base || p >= end {
        report(func, ring, &|l| {
            l.text("CQE pointer ")
                .hex(p)
                .text(" is not inside this ring's CQ array [")
                .hex(base)
                .text(", ")
                .hex(end)
                .text("); pass the pointer the library returned, not a copy of the CQE");
        });
        return false;
    }
    // Mixed rings have 16-byte slots; CQE32 rings 32-byte entries.
    let stride = if r.flags & IORING_SETUP_CQE_MIXED != 0 {
        slot
    } else {
        slot << r.cqe_shift()
    };
    if !(p - base).is_multiple_of(stride) {
        report(func, ring, &|l| {
            l.text("CQE pointer ")
                .hex(p)
                .text(" is not at the start of a CQ slot (")
                .dec(stride)
                .text("-byte CQEs from ")
                .hex(base)
                .text(")");
        });
        return false;
    }
    true
}

/// `io_uring_cqe_seen`: the CQE must be one of this ring's, and marking it
/// seen must not pass the kernel's tail.
#[inline(always)]
pub unsafe fn seeing(ring: *mut io_uring, func: &str, cqe: *const io_uring_cqe, body: impl FnOnce()) {
    around(ring, seen_entry(ring, cqe, func).claim, body)
}

#[cold]
#[inline(never)]
pub(super) fn seen_entry(ring: *mut io_uring, cqe: *const io_uring_cqe, func: &str) -> Entry {
    let entry = enter_completion(ring, func, true);
    if entry.live && !cqe.is_null() && cqe_in_ring(ring, cqe, func) {
        // SAFETY: cqe is inside this ring's CQ array.
        let nr = unsafe { crate::cq_iter::cqe_nr(cqe) };
        check_advance(ring, nr, func);
    }
    entry
}

/// `io_uring_peek_batch_cqe`: an array is needed whenever `count` is not 0.
#[inline(always)]
pub unsafe fn peeking_batch<R>(
    ring: *mut io_uring,
    func: &str,
    cqes: *mut *mut io_uring_cqe,
    count: u32,
    body: impl FnOnce() -> R,
) -> R {
    around(ring, peek_batch_entry(ring, cqes, count, func).claim, body)
}

#[cold]
#[inline(never)]
pub(super) fn peek_batch_entry(ring: *mut io_uring, cqes: *mut *mut io_uring_cqe, count: u32, func: &str) -> Entry {
    let entry = enter_completion(ring, func, true);
    if entry.live && cqes.is_null() && count != 0 {
        report(func, ring, &|l| {
            l.text("cqes is NULL but count is ")
                .dec(count as u64)
                .text(": pass an array of count struct io_uring_cqe pointers");
        });
    }
    entry
}
