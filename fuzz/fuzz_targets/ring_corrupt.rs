//! Ring memory that a buggy kernel, a stray write or a hostile process made
//! nonsense: arbitrary values in the shared head, tail and flags words and
//! arbitrary bytes in CQEs, between calls of the library's ring-protocol
//! functions. Counts may then be nonsense, but the library must never read
//! or write outside the ring: every array sits between PROT_NONE guard pages
//! (an access past the near edge faults) with canaries in the slack on the
//! other side, and every pointer the library returns is checked to be a
//! whole slot of its array.

#![no_main]

use libfuzzer_sys::fuzz_target;
use liburing_rs_fuzz::{Input, SimRing, W_FLAGS, W_HEAD, W_TAIL};
use uring::ring::cqe_slots;
use uring::sys::{
    io_uring_cqe, IORING_CQE_F_32, IORING_CQE_F_SKIP, IORING_FEAT_EXT_ARG, IORING_SETUP_CQE32, IORING_SETUP_CQE_MIXED,
    IORING_SETUP_SQE128, IORING_SETUP_SQE_MIXED, IORING_SETUP_SQPOLL, LIBURING_UDATA_TIMEOUT,
};

/// peek_cqe and peek_batch step over skip entries (and internal timeouts)
/// one at a time until they reach the tail. On memory where tail - head is
/// near 2^32 and the slots are all skip entries that is billions of steps:
/// finite and in bounds, the same as upstream, but too slow to fuzz. Calls
/// that would step more than this (four laps of the largest CQ built here:
/// anything longer goes round and round a ring of skip entries) are left
/// out; how many is printed at each power of two.
const STEP_LIMIT: u32 = 4 * 1024;

static SKIPPED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn note_skipped() {
    let n = SKIPPED.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
    if n.is_power_of_two() {
        eprintln!("ring_corrupt: {n} calls left out (more than {STEP_LIMIT} skip steps)");
    }
}

/// The shared simulated ring (`uring::tests::sim`) and what this target
/// keeps beside it.
struct Harness {
    s: SimRing,
    mixed: bool,
}

impl Harness {
    fn flags_at(&self, index: u32) -> (u32, u64, i32) {
        // SAFETY: a slot of the CQE array.
        let c = unsafe { &*(self.s.cq_slot(index) as *const io_uring_cqe) };
        (c.flags, c.user_data, c.res)
    }

    /// How many entries peek_cqe steps over, or None if more than STEP_LIMIT.
    fn peek_cqe_steps(&self) -> Option<u32> {
        let tail = self.s.cq_word(W_TAIL);
        let mut head = self.s.cq_word(W_HEAD);
        let ext = self.s.ring.features & IORING_FEAT_EXT_ARG != 0;
        for step in 0..STEP_LIMIT {
            if tail == head {
                return Some(step);
            }
            let (flags, ud, res) = self.flags_at(head);
            let skip = flags & IORING_CQE_F_SKIP != 0;
            let timeout = !ext && ud == LIBURING_UDATA_TIMEOUT;
            if !skip && (!timeout || res < 0) {
                return Some(step);
            }
            head = head.wrapping_add(cqe_slots(flags));
        }
        None
    }

    /// How many skip entries peek_batch consumes at the head, or None.
    fn peek_batch_steps(&self, count: usize) -> Option<u32> {
        if !self.mixed || count == 0 {
            return Some(0);
        }
        let tail = self.s.cq_word(W_TAIL);
        let mut head = self.s.cq_word(W_HEAD);
        for step in 0..STEP_LIMIT {
            if head == tail || self.flags_at(head).0 & IORING_CQE_F_SKIP == 0 {
                return Some(step);
            }
            head = head.wrapping_add(1);
        }
        None
    }

    fn check_cqe_ptr(&self, p: *mut io_uring_cqe) {
        // A CQE32 slot is 32 bytes; in a mixed ring the library only reads
        // the 16-byte header (a 32-byte CQE claimed in the last slot is the
        // caller's to check against the ring size).
        let bytes = self.s.cq_slot_bytes();
        assert!(
            self.s.is_cq_slot(p as *const u8, bytes),
            "CQE pointer {p:p} outside the ring"
        );
    }

    fn op(&mut self, inp: &mut Input) {
        match inp.u8() % 16 {
            // Corruption.
            0 => self.s.set_cq_word(W_HEAD, inp.ring_start()),
            1 => self.s.set_cq_word(W_TAIL, inp.ring_start()),
            2 => {
                let d = inp.u16() as u32;
                let h = self.s.cq_word(W_HEAD);
                self.s.set_cq_word(W_TAIL, h.wrapping_add(d));
            }
            3 => self.s.set_sq_word(W_HEAD, inp.ring_start()),
            4 => {
                self.s.set_sq_word(W_FLAGS, inp.u32());
                self.s.set_cq_word(W_FLAGS, inp.u32());
            }
            5 => {
                // Arbitrary bytes into one CQ slot.
                let p = self.s.cq_slot(inp.u32());
                for i in 0..self.s.cq_slot_bytes() {
                    // SAFETY: the bytes of one slot.
                    unsafe { *p.add(i) = inp.u8() };
                }
            }
            6 => {
                // The same flags word (skip, 32-byte, both, or any) in every slot.
                let f = match inp.u8() % 4 {
                    0 => IORING_CQE_F_SKIP,
                    1 => IORING_CQE_F_32,
                    2 => IORING_CQE_F_SKIP | IORING_CQE_F_32,
                    _ => inp.u32(),
                };
                let ud = if inp.bool() { LIBURING_UDATA_TIMEOUT } else { 7 };
                for i in 0..self.s.ring.cq.ring_entries {
                    // SAFETY: a slot of the CQE array.
                    let c = unsafe { &mut *(self.s.cq_slot(i) as *mut io_uring_cqe) };
                    c.flags = f;
                    c.user_data = ud;
                    c.res = inp.u8() as i8 as i32;
                }
            }
            // The library.
            7 | 8 => {
                if self.peek_cqe_steps().is_none() {
                    note_skipped();
                    return;
                }
                let (status, p, _avail) = self.s.ring.peek_cqe();
                if status == 0 && !p.is_null() {
                    self.check_cqe_ptr(p);
                    if inp.bool() {
                        // SAFETY: checked above.
                        self.s.ring.cq_advance(cqe_slots(unsafe { (*p).flags }));
                    }
                }
            }
            9 | 10 => {
                let count = inp.below(4096) as usize;
                if self.peek_batch_steps(count).is_none() {
                    note_skipped();
                    return;
                }
                let mut out = vec![std::ptr::null_mut::<io_uring_cqe>(); count];
                let n = self.s.ring.peek_batch(&mut out).unwrap_or(0) as usize;
                assert!(n <= count, "peek_batch returned more than asked");
                for &p in &out[..n] {
                    self.check_cqe_ptr(p);
                }
                assert!(out[n..].iter().all(|p| p.is_null()), "peek_batch wrote past its count");
            }
            11 => {
                let _ = self.s.ring.cq_ready();
                let _ = self.s.ring.cq_needs_flush();
                self.s.ring.cq_advance(inp.u32());
            }
            12 => {
                // The for-each walk (liburing-ffi's iterator), bounded by
                // what the caller takes.
                // SAFETY: a set-up (simulated) ring.
                let mut it = unsafe { uring::capi::io_uring_cqe_iter_init(&self.s.ring) };
                let mut p = std::ptr::null_mut();
                let mut n = inp.below(4096);
                // SAFETY: the iterator comes from this ring.
                while n > 0 && unsafe { uring::capi::io_uring_cqe_iter_next(&mut it, &mut p) } {
                    self.check_cqe_ptr(p);
                    n -= 1;
                }
            }
            13 => {
                let p = self.s.ring.cqe_at(inp.u32());
                self.check_cqe_ptr(p);
            }
            14 => {
                let big = inp.bool();
                for _ in 0..inp.below(64) {
                    let (p, bytes) = if big {
                        // SAFETY: a set-up (simulated) ring.
                        (unsafe { uring::capi::io_uring_get_sqe128(&mut self.s.ring) }, 128)
                    } else {
                        (self.s.ring.get_sqe(), self.s.sq_slot_bytes())
                    };
                    if p.is_null() {
                        break;
                    }
                    assert!(
                        self.s.sqes.contains(p as *const u8, bytes),
                        "SQE {p:p} outside the SQE array"
                    );
                    // SAFETY: checked above.
                    unsafe { (*p).user_data = 1 };
                }
            }
            _ => {
                let _ = self.s.ring.flush_sq();
                let _ = self.s.ring.sq_ready();
                let _ = self.s.ring.sq_space_left();
                let _ = self.s.ring.sq_needs_wakeup();
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut inp = Input::new(data);
    let cfg = inp.u8();
    let mut flags = match cfg % 3 {
        0 => 0,
        1 => IORING_SETUP_CQE32,
        _ => IORING_SETUP_CQE_MIXED,
    };
    let cfg2 = inp.u8();
    if cfg & 0x10 != 0 {
        flags |= IORING_SETUP_SQE128;
    } else if cfg2 & 1 != 0 {
        flags |= IORING_SETUP_SQE_MIXED;
    }
    if cfg & 0x20 != 0 {
        flags |= IORING_SETUP_SQPOLL;
    }
    let features = if cfg & 0x40 != 0 { IORING_FEAT_EXT_ARG } else { 0 };
    let at_end = cfg & 0x80 == 0;
    let sq_entries = 1u32 << inp.below(9);
    let cq_entries = 1u32 << inp.below(11);
    let sq_start = inp.ring_start();
    let cq_start = inp.ring_start();
    let s = SimRing::new(sq_entries, cq_entries, flags, features, sq_start, cq_start, at_end);
    let mut sim = Harness {
        s,
        mixed: flags & IORING_SETUP_CQE_MIXED != 0,
    };
    let mut steps = 0;
    while !inp.is_empty() && steps < 4096 {
        sim.op(&mut inp);
        steps += 1;
    }
    sim.s.check_canaries();
});
