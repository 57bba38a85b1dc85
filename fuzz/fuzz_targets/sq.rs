//! The submission side of the ring protocol against a reference model.
//!
//! The caller side runs get_sqe, flush_sq, sq_ready, sq_space_left,
//! sq_needs_wakeup and sq_needs_enter in any order; a simulated kernel
//! consumes published SQEs at arbitrary points (with SQ_REWIND it reads them
//! from slot 0 on every submit) and scribbles over consumed slots. Checked:
//! the SQE handed out is the model's slot and lies inside the SQE array,
//! get_sqe clears exactly the fields that prep helpers may leave unset, the
//! kernel finds exactly the SQEs the caller prepared in order, and all
//! counts agree with the model.

#![no_main]

use std::collections::VecDeque;

use libfuzzer_sys::fuzz_target;
use liburing_rs_fuzz::{Input, SimRing, W_FLAGS, W_HEAD, W_TAIL};
use uring::sys::{
    io_uring_sqe, IORING_ENTER_SQ_WAKEUP, IORING_SETUP_SQE128, IORING_SETUP_SQPOLL, IORING_SETUP_SQ_REWIND,
    IORING_SQ_NEED_WAKEUP,
};

struct Sim {
    s: SimRing,
    entries: u32,
    rewind: bool,
    /// Kernel head and tail as the model knows them.
    khead: u32,
    ktail: u32,
    /// The caller's handed-out index.
    tail: u32,
    /// user_data of SQEs handed out and not yet published, in order.
    pending: VecDeque<u64>,
    /// user_data of SQEs published and not yet consumed, in order.
    published: VecDeque<u64>,
    /// The byte the kernel last scribbled over each slot.
    stale: Vec<u8>,
    next_ud: u64,
}

/// Byte ranges of an SQE that get_sqe clears: flags, ioprio, op_flags,
/// buf_index, personality, file_index, addr3, __pad2[0].
const CLEARED: [(usize, usize); 5] = [(1, 4), (28, 32), (40, 48), (48, 56), (56, 64)];

impl Sim {
    fn check_fresh_sqe(&self, p: *mut io_uring_sqe, slot: u32) {
        let bytes = self.s.sq_slot_bytes();
        assert!(
            self.s.sqes.contains(p as *const u8, bytes),
            "SQE {p:p} outside the SQE array"
        );
        assert_eq!(p as *mut u8, self.s.sq_slot(slot), "get_sqe: not the tail slot");
        // SAFETY: checked to be inside the SQE array.
        let raw = unsafe { std::slice::from_raw_parts(p as *const u8, bytes) };
        let stale = self.stale[(slot & (self.entries - 1)) as usize];
        for (i, &b) in raw.iter().enumerate() {
            let cleared = i < 64 && CLEARED.iter().any(|&(a, e)| i >= a && i < e);
            let want = if cleared { 0 } else { stale };
            assert_eq!(b, want, "get_sqe: byte {i} of the SQE is {b:#x}, expected {want:#x}");
        }
    }

    fn fill(&mut self, p: *mut io_uring_sqe, inp: &mut Input) {
        self.next_ud += 1;
        // SAFETY: a checked SQE of the ring, ours until published.
        let sqe = unsafe { &mut *p };
        sqe.opcode = inp.u8();
        sqe.fd = inp.u32() as i32;
        sqe.user_data = self.next_ud;
        self.pending.push_back(self.next_ud);
    }

    /// The kernel reads the SQE at `index` (through the SQ array when the
    /// ring has one) and checks it is the one the caller queued next.
    fn kernel_take(&mut self, index: u32, scribble: u8) {
        let mask = self.entries - 1;
        // SAFETY: the SQ array has `entries` words.
        let slot = unsafe { *self.s.ring.sq.array.add((index & mask) as usize) };
        assert_eq!(slot, index & mask, "the library changed the SQ array");
        let p = self.s.sq_slot(slot);
        // SAFETY: a slot of the SQE array.
        let ud = unsafe { (*(p as *const io_uring_sqe)).user_data };
        let want = self.published.pop_front().expect("kernel consumed past the tail");
        assert_eq!(ud, want, "the kernel found SQEs out of order");
        // SAFETY: the slot's bytes.
        unsafe { std::ptr::write_bytes(p, scribble, self.s.sq_slot_bytes()) };
        self.stale[slot as usize] = scribble;
    }

    fn invariants(&self) {
        assert_eq!(self.s.ring.sq.sqe_tail, self.tail, "sqe_tail");
        assert_eq!(self.s.sq_word(W_HEAD), self.khead, "the library wrote the SQ head");
        assert_eq!(self.s.sq_word(W_TAIL), self.ktail, "SQ tail differs from the model");
        let ready = self.tail.wrapping_sub(self.khead);
        assert_eq!(self.s.ring.sq_ready(), ready, "sq_ready");
        assert_eq!(
            self.s.ring.sq_space_left(),
            self.entries.wrapping_sub(ready),
            "sq_space_left"
        );
    }

    fn op(&mut self, inp: &mut Input) {
        match inp.u8() % 8 {
            0..=2 => {
                let n = 1 + inp.below(2 * self.entries + 1);
                for _ in 0..n {
                    let full = self.tail.wrapping_sub(self.khead) >= self.entries;
                    let p = self.s.ring.get_sqe();
                    if full {
                        assert!(p.is_null(), "get_sqe on a full SQ");
                        break;
                    }
                    assert!(!p.is_null(), "get_sqe returned NULL with room left");
                    self.check_fresh_sqe(p, self.tail);
                    self.tail = self.tail.wrapping_add(1);
                    self.fill(p, inp);
                }
            }
            3 => {
                let got = self.s.ring.flush_sq();
                if self.rewind {
                    // Everything handed out is submitted from slot 0; the
                    // kernel copies it inside io_uring_enter right away.
                    assert_eq!(got, self.tail, "flush_sq (SQ_REWIND): count");
                    self.published.extend(self.pending.drain(..));
                    let scribble = inp.u8();
                    for i in 0..got {
                        self.kernel_take(i, scribble);
                    }
                    self.tail = 0;
                } else {
                    self.published.extend(self.pending.drain(..));
                    self.ktail = self.tail;
                    assert_eq!(got, self.tail.wrapping_sub(self.khead), "flush_sq: count");
                    assert_eq!(self.s.ring.sq.sqe_head, self.tail, "flush_sq: sqe_head");
                }
            }
            4 if !self.rewind => {
                // The kernel (or the SQ thread) consumes some published SQEs.
                let avail = self.ktail.wrapping_sub(self.khead);
                let k = inp.below(avail + 1);
                let scribble = inp.u8();
                for _ in 0..k {
                    self.kernel_take(self.khead, scribble);
                    self.khead = self.khead.wrapping_add(1);
                    self.s.set_sq_word(W_HEAD, self.khead);
                }
            }
            5 => {
                let wake = inp.bool();
                let f = if wake { IORING_SQ_NEED_WAKEUP } else { 0 } | (inp.u32() & !IORING_SQ_NEED_WAKEUP);
                self.s.set_sq_word(W_FLAGS, f);
                assert_eq!(self.s.ring.sq_needs_wakeup(), wake, "sq_needs_wakeup");
                assert_eq!(self.s.ring.load_sq_flags(), f);
                let submit = inp.below(4);
                let mut flags = 0;
                let need = uring::submit::sq_needs_enter(&self.s.ring, submit, &mut flags);
                let sqpoll = self.s.ring.flags & IORING_SETUP_SQPOLL != 0;
                let want = submit != 0 && (!sqpoll || wake);
                assert_eq!(need, want, "sq_needs_enter");
                let want_flags = if submit != 0 && sqpoll && wake {
                    IORING_ENTER_SQ_WAKEUP
                } else {
                    0
                };
                assert_eq!(flags, want_flags, "sq_needs_enter flags");
            }
            _ => {
                // Queries only; the invariants below compare them.
            }
        }
        self.invariants();
    }
}

fuzz_target!(|data: &[u8]| {
    let mut inp = Input::new(data);
    let cfg = inp.u8();
    let mut flags = 0;
    if cfg & 1 != 0 {
        flags |= IORING_SETUP_SQE128;
    }
    if cfg & 2 != 0 {
        flags |= IORING_SETUP_SQPOLL;
    }
    let rewind = cfg & 0x0c == 0x0c;
    if rewind {
        flags |= IORING_SETUP_SQ_REWIND;
    }
    let at_end = cfg & 0x10 == 0;
    let entries = 1u32 << inp.below(11);
    let start = if rewind { 0 } else { inp.ring_start() };
    let s = SimRing::new(entries, 1, flags, 0, start, 0, at_end);
    let mut sim = Sim {
        s,
        entries,
        rewind,
        khead: start,
        ktail: start,
        tail: start,
        pending: VecDeque::new(),
        published: VecDeque::new(),
        stale: vec![0; entries as usize],
        next_ud: 0,
    };
    let mut steps = 0;
    while !inp.is_empty() && steps < 4096 {
        sim.op(&mut inp);
        steps += 1;
    }
    sim.s.check_canaries();
});
