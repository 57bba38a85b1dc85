//! The submission side: SQE poison. Every SQE `io_uring_get_sqe` hands out
//! carries an opcode no kernel knows until a prep helper overwrites it, and
//! the submit calls look for one that still does.

use super::*;
use crate::ring::io_uring;
use crate::sys::*;

/// How many 64-byte slots the SQE at `sqe` occupies on `ring`.
pub(super) fn sqe_slots(ring: &io_uring, opcode: u8) -> u32 {
    if ring.flags & IORING_SETUP_SQE_MIXED != 0 && (opcode == IORING_OP_NOP128 || opcode == IORING_OP_URING_CMD128) {
        2
    } else {
        1
    }
}

/// Reports the first SQE about to be published that still carries the
/// poison opcode of a fresh `io_uring_get_sqe`.
#[cold]
#[inline(never)]
pub(super) fn check_prepared(ring: *const io_uring, func: &str) {
    // SAFETY: called only for live rings, whose SQE array is mapped.
    let r = unsafe { &*ring };
    let (start, end) = if r.flags & IORING_SETUP_SQ_REWIND != 0 {
        (0, r.sq.sqe_tail)
    } else {
        (r.sq.sqe_head, r.sq.sqe_tail)
    };
    let pending = end.wrapping_sub(start);
    if pending > r.sq.ring_entries {
        report(func, ring, &|l| {
            l.text("SQ bookkeeping is corrupt: ")
                .dec(pending as u64)
                .text(" SQEs pending in a ring of ")
                .dec(r.sq.ring_entries as u64)
                .text(" (sqe_head ")
                .dec(r.sq.sqe_head as u64)
                .text(", sqe_tail ")
                .dec(r.sq.sqe_tail as u64)
                .text(")");
        });
        return;
    }
    let mut index = start;
    let mut left = pending;
    let mut first_bad = None;
    let mut bad = 0u32;
    while left > 0 {
        let slot = ((index & r.sq.ring_mask) as usize) << r.sqe_shift();
        // SAFETY: slot < ring_entries << shift, inside the SQE array.
        let opcode = unsafe { (*r.sq.sqes.add(slot)).opcode };
        if opcode == SQE_POISON_OPCODE {
            first_bad.get_or_insert(index & r.sq.ring_mask);
            bad += 1;
        }
        let step = sqe_slots(r, opcode).min(left);
        index = index.wrapping_add(step);
        left -= step;
    }
    if let Some(slot) = first_bad {
        report(func, ring, &|l| {
            l.text("submitting ")
                .dec(bad as u64)
                .text(" SQE(s) taken with io_uring_get_sqe but never prepared (first in slot ")
                .dec(slot as u64)
                .text(", opcode still checked mode's poison 0xff); prepare every SQE you take");
        });
    }
}

/// Calls that publish SQEs (`io_uring_submit*`); `completes` for those that
/// also reap a CQE (`io_uring_submit_and_wait_timeout` and friends).
#[inline(always)]
pub unsafe fn submitting<R>(ring: *mut io_uring, func: &str, completes: bool, body: impl FnOnce() -> R) -> R {
    around(ring, submit_entry(ring, func, completes), body)
}

#[cold]
#[inline(never)]
pub(super) fn submit_entry(ring: *mut io_uring, func: &str, completes: bool) -> Claim {
    if mode() == MODE_OFF {
        return Claim::None;
    }
    let live = ring_usable(ring, func);
    if live {
        check_prepared(ring, func);
    }
    if completes && live {
        claim(ring, func, false)
    } else {
        Claim::None
    }
}

/// `io_uring_get_sqe`/`io_uring_get_sqe128`: the SQE handed out carries the
/// poison opcode until it is prepared.
#[inline(always)]
pub unsafe fn getting_sqe(
    ring: *mut io_uring,
    func: &str,
    body: impl FnOnce() -> *mut io_uring_sqe,
) -> *mut io_uring_sqe {
    let checking = get_sqe_entry(ring, func);
    let sqe = body();
    if checking && !sqe.is_null() {
        // SAFETY: a fresh SQE slot that now belongs to the caller.
        unsafe { (*sqe).opcode = SQE_POISON_OPCODE };
    }
    sqe
}

#[cold]
#[inline(never)]
pub(super) fn get_sqe_entry(ring: *mut io_uring, func: &str) -> bool {
    if mode() == MODE_OFF {
        return false;
    }
    ring_usable(ring, func);
    true
}
