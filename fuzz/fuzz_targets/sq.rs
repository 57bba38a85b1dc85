//! The submission side of the ring protocol against a reference model.
//!
//! The caller side runs get_sqe, get_sqe128 (SQE_MIXED rings, with the NOP
//! padding at the ring end), flush_sq, sq_ready, sq_space_left,
//! sq_needs_wakeup and sq_needs_enter (and their liburing-ffi exports) in
//! any order; a simulated kernel consumes published SQEs at arbitrary points
//! (with SQ_REWIND it reads them from slot 0 on every submit) and scribbles
//! over consumed slots. Checked: the SQE handed out is the model's slot and
//! lies inside the SQE array, get_sqe clears exactly the fields that prep
//! helpers may leave unset, the kernel finds exactly the SQEs the caller
//! prepared, in order, and all counts agree with the model.

#![no_main]

use std::collections::VecDeque;

use libfuzzer_sys::fuzz_target;
use liburing_rs_fuzz::{Input, SimRing, W_FLAGS, W_HEAD, W_TAIL};
use uring::sys::{
    io_uring_sqe, IORING_ENTER_SQ_WAKEUP, IORING_OP_NOP, IORING_SETUP_SQE128, IORING_SETUP_SQE_MIXED,
    IORING_SETUP_SQPOLL, IORING_SETUP_SQ_REWIND, IORING_SQ_CQ_OVERFLOW, IORING_SQ_NEED_WAKEUP, IORING_SQ_TASKRUN,
    IOSQE_CQE_SKIP_SUCCESS,
};

/// One queued submission as the kernel will see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Entry {
    /// A 64-byte SQE (or a 128-byte one on an SQE128 ring): one slot.
    Normal(u64),
    /// A 128-byte SQE of a mixed ring: two slots.
    Big(u64),
    /// The NOP get_sqe128 puts in the last slot so a big SQE does not wrap.
    Pad,
}

impl Entry {
    fn slots(self) -> u32 {
        if let Entry::Big(_) = self {
            2
        } else {
            1
        }
    }
}

/// The shared simulated ring (`uring::tests::sim`) and what this target
/// keeps beside it.
struct Harness {
    s: SimRing,
    entries: u32,
    rewind: bool,
    mixed: bool,
    /// Kernel head and tail as the model knows them.
    khead: u32,
    ktail: u32,
    /// The caller's handed-out index.
    tail: u32,
    /// Handed out and not yet published, in order.
    pending: VecDeque<Entry>,
    /// Published and not yet consumed, in order.
    published: VecDeque<Entry>,
    /// The byte the kernel last scribbled over each slot.
    stale: Vec<u8>,
    next_ud: u64,
}

/// Byte ranges of an SQE that get_sqe clears: flags, ioprio, op_flags,
/// buf_index, personality, file_index, addr3, __pad2[0].
const CLEARED: [(usize, usize); 5] = [(1, 4), (28, 32), (40, 48), (48, 56), (56, 64)];

impl Harness {
    fn mask(&self) -> u32 {
        self.entries - 1
    }

    /// Checks a fresh SQE at ring index `index` spanning `bytes`: the
    /// cleared fields are zero, everything else is what the slots held.
    fn check_fresh_sqe(&self, p: *mut io_uring_sqe, index: u32, bytes: usize) {
        assert!(
            self.s.sqes.contains(p as *const u8, bytes),
            "SQE {p:p} outside the SQE array"
        );
        assert_eq!(p as *mut u8, self.s.sq_slot(index), "not the tail slot");
        // SAFETY: checked to be inside the SQE array.
        let raw = unsafe { std::slice::from_raw_parts(p as *const u8, bytes) };
        let slot_bytes = self.s.sq_slot_bytes();
        for (i, &b) in raw.iter().enumerate() {
            let slot = (index as usize + i / slot_bytes) & self.mask() as usize;
            let cleared = i < 64 && CLEARED.iter().any(|&(a, e)| i >= a && i < e);
            let want = if cleared { 0 } else { self.stale[slot] };
            assert_eq!(b, want, "byte {i} of the new SQE is {b:#x}, expected {want:#x}");
        }
    }

    fn fill(&mut self, p: *mut io_uring_sqe, big: bool, inp: &mut Input) {
        self.next_ud += 1;
        // SAFETY: a checked SQE of the ring, ours until published.
        let sqe = unsafe { &mut *p };
        sqe.opcode = inp.u8() | 0x80; // never NOP, so a pad is recognisable
        sqe.fd = inp.u32() as i32;
        sqe.user_data = self.next_ud;
        self.pending.push_back(if big {
            Entry::Big(self.next_ud)
        } else {
            Entry::Normal(self.next_ud)
        });
    }

    /// The kernel reads the submission at ring index `index` (through the
    /// SQ array) and checks it is the one the caller queued next; returns
    /// how many slots it took.
    fn kernel_take(&mut self, index: u32, scribble: u8) -> u32 {
        let mask = self.mask();
        // SAFETY: the SQ array has `entries` words.
        let slot = unsafe { *self.s.ring.sq.array.add((index & mask) as usize) };
        assert_eq!(slot, index & mask, "the library changed the SQ array");
        let p = self.s.sq_slot(slot);
        // SAFETY: a slot of the SQE array.
        let sqe = unsafe { *(p as *const io_uring_sqe) };
        let want = self.published.pop_front().expect("kernel consumed past the tail");
        match want {
            Entry::Normal(ud) | Entry::Big(ud) => {
                assert_eq!(sqe.user_data, ud, "the kernel found SQEs out of order")
            }
            Entry::Pad => {
                assert_eq!(sqe.opcode, IORING_OP_NOP, "pad is not a NOP");
                assert_ne!(sqe.flags & IOSQE_CQE_SKIP_SUCCESS, 0, "pad NOP would post a CQE");
            }
        }
        for k in 0..want.slots() {
            let s = (slot + k) & mask;
            // SAFETY: the slot's bytes.
            unsafe { std::ptr::write_bytes(self.s.sq_slot(s), scribble, self.s.sq_slot_bytes()) };
            self.stale[s as usize] = scribble;
        }
        want.slots()
    }

    fn invariants(&self) {
        assert_eq!(self.s.ring.sq.sqe_tail, self.tail, "sqe_tail");
        assert_eq!(self.s.sq_word(W_HEAD), self.khead, "the library wrote the SQ head");
        assert_eq!(self.s.sq_word(W_TAIL), self.ktail, "SQ tail differs from the model");
        let ready = self.tail.wrapping_sub(self.khead);
        let space = self.entries.wrapping_sub(ready);
        assert_eq!(self.s.ring.sq_ready(), ready, "sq_ready");
        assert_eq!(self.s.ring.sq_space_left(), space, "sq_space_left");
        let r: *const uring::ring::io_uring = &self.s.ring;
        // SAFETY: a set-up (simulated) ring.
        unsafe {
            assert_eq!(uring::capi::io_uring_sq_ready(r), ready, "io_uring_sq_ready");
            assert_eq!(uring::capi::io_uring_sq_space_left(r), space, "io_uring_sq_space_left");
        }
    }

    fn op_get_sqe(&mut self, inp: &mut Input) {
        let n = 1 + inp.below(2 * self.entries + 1);
        let ffi = inp.bool();
        for _ in 0..n {
            let full = self.tail.wrapping_sub(self.khead) >= self.entries;
            let p = if ffi {
                // SAFETY: a set-up (simulated) ring.
                unsafe { uring::capi::io_uring_get_sqe(&mut self.s.ring) }
            } else {
                self.s.ring.get_sqe()
            };
            if full {
                assert!(p.is_null(), "get_sqe on a full SQ");
                break;
            }
            assert!(!p.is_null(), "get_sqe returned NULL with room left");
            self.check_fresh_sqe(p, self.tail, self.s.sq_slot_bytes());
            self.tail = self.tail.wrapping_add(1);
            self.fill(p, false, inp);
        }
    }

    fn op_get_sqe128(&mut self, inp: &mut Input) {
        let sqe128 = self.s.ring.flags & IORING_SETUP_SQE128 != 0;
        let head = self.khead;
        let mask = self.mask();
        // The model's answer: None, or (pad first?, index of the entry).
        let want = if sqe128 {
            (self.tail.wrapping_sub(head) < self.entries).then_some((false, self.tail))
        } else if !self.mixed {
            None
        } else if self.tail.wrapping_add(1) & mask == 0 {
            (self.tail.wrapping_add(2).wrapping_sub(head) < self.entries).then(|| (true, self.tail.wrapping_add(1)))
        } else {
            (self.tail.wrapping_add(1).wrapping_sub(head) < self.entries).then_some((false, self.tail))
        };
        // SAFETY: a set-up (simulated) ring.
        let p = unsafe { uring::capi::io_uring_get_sqe128(&mut self.s.ring) };
        let Some((pad, index)) = want else {
            assert!(p.is_null(), "get_sqe128 returned an SQE, the model says NULL");
            return;
        };
        assert!(!p.is_null(), "get_sqe128 returned NULL with room left");
        if pad {
            self.pending.push_back(Entry::Pad);
        }
        // Two 64-byte slots of a mixed ring, or one 128-byte slot.
        self.check_fresh_sqe(p, index, 128);
        self.tail = index.wrapping_add(if sqe128 { 1 } else { 2 });
        self.fill(p, !sqe128, inp);
    }

    fn op_flush(&mut self, inp: &mut Input) {
        let sq_flags = self.s.sq_word(W_FLAGS);
        let got = if inp.bool() {
            self.s.ring.flush_sq()
        } else {
            // io_uring_submit: the flush, then io_uring_enter when the SQ
            // thread must be woken, there is no SQ thread, or the CQ needs
            // a flush. The simulated ring's fd is -1, so entering fails
            // with -EBADF after the flush.
            let submitted = if self.rewind {
                self.tail
            } else {
                self.tail.wrapping_sub(self.khead)
            };
            let sqpoll = self.s.ring.flags & IORING_SETUP_SQPOLL != 0;
            let cq_flush = sq_flags & (IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN) != 0;
            let enter = (submitted != 0 && (!sqpoll || sq_flags & IORING_SQ_NEED_WAKEUP != 0)) || cq_flush;
            // SAFETY: a set-up (simulated) ring.
            let ret = unsafe { uring::capi::io_uring_submit(&mut self.s.ring) };
            let want = if enter { -libc::EBADF } else { submitted as i32 };
            assert_eq!(ret, want, "io_uring_submit");
            submitted
        };
        self.published.extend(self.pending.drain(..));
        if self.rewind {
            // Everything handed out is submitted from slot 0; the kernel
            // copies it inside io_uring_enter right away.
            assert_eq!(got, self.tail, "flush_sq (SQ_REWIND): count");
            let scribble = inp.u8();
            let mut i = 0;
            while i < got {
                i += self.kernel_take(i, scribble);
            }
            self.tail = 0;
        } else {
            self.ktail = self.tail;
            assert_eq!(got, self.tail.wrapping_sub(self.khead), "flush_sq: count");
            assert_eq!(self.s.ring.sq.sqe_head, self.tail, "flush_sq: sqe_head");
        }
    }

    fn op(&mut self, inp: &mut Input) {
        match inp.u8() % 9 {
            0..=2 => self.op_get_sqe(inp),
            3 => self.op_get_sqe128(inp),
            4 => self.op_flush(inp),
            5 if !self.rewind => {
                // The kernel (or the SQ thread) consumes some published SQEs.
                let k = inp.below(self.published.len() as u32 + 1);
                let scribble = inp.u8();
                for _ in 0..k {
                    let slots = self.kernel_take(self.khead, scribble);
                    self.khead = self.khead.wrapping_add(slots);
                    self.s.set_sq_word(W_HEAD, self.khead);
                }
            }
            6 => {
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
    match cfg & 0x21 {
        0x01 => flags |= IORING_SETUP_SQE128,
        0x20 | 0x21 => flags |= IORING_SETUP_SQE_MIXED,
        _ => {}
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
    let mut sim = Harness {
        s,
        entries,
        rewind,
        mixed: flags & IORING_SETUP_SQE_MIXED != 0,
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
