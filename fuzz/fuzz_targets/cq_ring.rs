//! The completion side of the ring protocol against a reference model.
//!
//! A simulated kernel posts CQEs (16-byte, 32-byte, mixed with skip padding
//! at the ring end, overflow into a backlog when the ring is full) into a
//! ring in plain memory whose indexes may start near 2^32; the caller side
//! runs the library's cq_ready, peek_cqe, peek_batch, cq_advance, cqe_at and
//! liburing-ffi's io_uring_peek_cqe, io_uring_cqe_seen, io_uring_cq_advance,
//! io_uring_cq_ready and io_uring_cqe_iter_init/_next (the for-each walk) in
//! any order. Every result is compared with a model
//! that tracks which entries sit between head and tail: same entries, same
//! order, same counts, and no pointer outside the CQE array.

#![no_main]

use std::collections::VecDeque;

use libfuzzer_sys::fuzz_target;
use liburing_rs_fuzz::{read_cqe, write_cqe, Cqe, Input, SimRing, W_FLAGS, W_HEAD, W_TAIL};
use uring::ring::cqe_slots;
use uring::sys::{
    io_uring_cqe, IORING_CQE_F_32, IORING_CQE_F_SKIP, IORING_FEAT_EXT_ARG, IORING_SETUP_CQE32, IORING_SETUP_CQE_MIXED,
    IORING_SQ_CQ_OVERFLOW, IORING_SQ_TASKRUN, LIBURING_UDATA_TIMEOUT,
};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    /// 16-byte CQEs.
    Plain,
    /// IORING_SETUP_CQE32: every slot is 32 bytes.
    Big,
    /// IORING_SETUP_CQE_MIXED: 16-byte slots, 32-byte CQEs take two.
    Mixed,
}

#[derive(Clone, Debug)]
enum Entry {
    Real(Cqe),
    Skip,
}

impl Entry {
    fn slots(&self) -> u32 {
        match self {
            Entry::Skip => 1,
            Entry::Real(c) => cqe_slots(c.flags),
        }
    }
}

struct Model {
    mode: Mode,
    ext_arg: bool,
    entries: u32,
    head: u32,
    tail: u32,
    /// What lies between head and tail, in order.
    ring: VecDeque<Entry>,
    /// CQEs the kernel could not post yet (the overflow list).
    backlog: VecDeque<Cqe>,
    taskrun: bool,
    next_ud: u64,
}

/// The shared simulated ring (`uring::tests::sim`) and what this target
/// keeps beside it.
struct Harness {
    s: SimRing,
    m: Model,
}

impl Harness {
    fn sq_flags(&self) -> u32 {
        let mut f = self.s.sq_word(W_FLAGS) & !(IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN);
        if !self.m.backlog.is_empty() {
            f |= IORING_SQ_CQ_OVERFLOW;
        }
        if self.m.taskrun {
            f |= IORING_SQ_TASKRUN;
        }
        f
    }

    fn publish_flags(&self) {
        self.s.set_sq_word(W_FLAGS, self.sq_flags());
    }

    /// Slots the CQE needs now, counting a skip entry when a 32-byte CQE
    /// would otherwise wrap around the end of a mixed ring.
    fn slots_needed(&self, c: &Cqe) -> (u32, bool) {
        let slots = if self.m.mode == Mode::Mixed {
            cqe_slots(c.flags)
        } else {
            1
        };
        let pad = slots == 2 && self.m.tail & (self.m.entries - 1) == self.m.entries - 1;
        (slots + pad as u32, pad)
    }

    /// Posts `c` into the ring if it fits, as the kernel does.
    fn try_post(&mut self, c: &Cqe) -> bool {
        let (need, pad) = self.slots_needed(c);
        let used = self.m.tail.wrapping_sub(self.m.head);
        if need > self.m.entries - used {
            return false;
        }
        if pad {
            let skip = Cqe {
                user_data: 0,
                res: 0,
                flags: IORING_CQE_F_SKIP,
                big: None,
            };
            // SAFETY: a slot of the CQE array.
            unsafe { write_cqe(self.s.cq_slot(self.m.tail), &skip) };
            self.m.tail = self.m.tail.wrapping_add(1);
            self.m.ring.push_back(Entry::Skip);
        }
        // SAFETY: a 32-byte CQE of a mixed ring never starts in the last
        // slot (padded above); with CQE32 every slot is 32 bytes.
        unsafe { write_cqe(self.s.cq_slot(self.m.tail), c) };
        let slots = if self.m.mode == Mode::Mixed {
            cqe_slots(c.flags)
        } else {
            1
        };
        self.m.tail = self.m.tail.wrapping_add(slots);
        self.m.ring.push_back(Entry::Real(*c));
        // Release: the CQE contents before the tail, as the kernel does.
        self.s.set_cq_word(W_TAIL, self.m.tail);
        true
    }

    fn post(&mut self, c: Cqe) {
        if !self.m.backlog.is_empty() || !self.try_post(&c) {
            self.m.backlog.push_back(c);
        }
        self.publish_flags();
    }

    /// The kernel moves overflowed CQEs into the ring while they fit.
    fn flush_backlog(&mut self) {
        while let Some(c) = self.m.backlog.front().copied() {
            if !self.try_post(&c) {
                break;
            }
            self.m.backlog.pop_front();
        }
        self.publish_flags();
    }

    fn make_cqe(&mut self, inp: &mut Input) -> Cqe {
        let kind = inp.u8();
        self.m.next_ud += 1;
        let user_data = if kind & 0xf0 == 0xf0 {
            LIBURING_UDATA_TIMEOUT
        } else {
            self.m.next_ud
        };
        let res = match kind & 3 {
            0 => 0,
            1 => -62, // -ETIME
            2 => -(inp.u8() as i32),
            _ => inp.u32() as i32,
        };
        // Flags the kernel can report on any ring: BUFFER, MORE,
        // SOCK_NONEMPTY, NOTIF, BUF_MORE, and a buffer id in the upper half.
        let mut flags = (inp.u8() as u32 & 0x1f) | ((inp.u16() as u32) << 16);
        let big = match self.m.mode {
            Mode::Plain => None,
            Mode::Big => Some([self.m.next_ud ^ 0xb1b1, !self.m.next_ud]),
            Mode::Mixed => {
                if kind & 4 != 0 && self.m.entries >= 4 {
                    flags |= IORING_CQE_F_32;
                    Some([self.m.next_ud ^ 0xb1b1, !self.m.next_ud])
                } else {
                    None
                }
            }
        };
        Cqe {
            user_data,
            res,
            flags,
            big,
        }
    }

    fn slot_ptr(&self, index: u32) -> *mut io_uring_cqe {
        self.s.cq_slot(index) as *mut io_uring_cqe
    }

    /// Checks that `p` is a whole CQE of this ring and holds `want`.
    fn check_cqe(&self, p: *mut io_uring_cqe, want: &Cqe) {
        let bytes = if want.big.is_some() { 32 } else { 16 };
        assert!(
            self.s.is_cq_slot(p as *const u8, bytes),
            "CQE pointer {p:p} outside the ring"
        );
        // SAFETY: checked to be inside the CQE array.
        let got = unsafe { read_cqe(p as *const u8, want.big.is_some()) };
        assert_eq!(&got, want, "CQE contents differ from what the kernel posted");
    }

    /// Pops the entry at the head of the model.
    fn consume_front(&mut self) -> Entry {
        let e = self.m.ring.pop_front().expect("consume from an empty model");
        self.m.head = self.m.head.wrapping_add(e.slots());
        e
    }

    fn invariants(&self) {
        assert_eq!(self.s.cq_word(W_HEAD), self.m.head, "CQ head differs from the model");
        assert_eq!(self.s.cq_word(W_TAIL), self.m.tail, "the library wrote the CQ tail");
        assert_eq!(
            self.s.sq_word(W_FLAGS),
            self.sq_flags(),
            "the library wrote the SQ flags"
        );
        let used: u32 = self.m.ring.iter().map(Entry::slots).sum();
        assert_eq!(used, self.m.tail.wrapping_sub(self.m.head));
        assert_eq!(
            self.s.ring.cq_needs_flush(),
            !self.m.backlog.is_empty() || self.m.taskrun
        );
    }

    /// The model's peek: skip entries and (without EXT_ARG) internal
    /// timeouts at the head are consumed on the way; an internal timeout
    /// that failed ends the peek with its error. Also returns the slots that
    /// were available when the peek ended.
    fn model_peek(&mut self) -> (Result<Option<Cqe>, i32>, u32) {
        loop {
            let avail = self.m.tail.wrapping_sub(self.m.head);
            let Some(front) = self.m.ring.front().cloned() else {
                return (Ok(None), 0);
            };
            match front {
                Entry::Skip => {
                    self.consume_front();
                }
                Entry::Real(c) if !self.m.ext_arg && c.user_data == LIBURING_UDATA_TIMEOUT => {
                    self.consume_front();
                    if c.res < 0 {
                        return (Err(c.res), avail);
                    }
                }
                Entry::Real(c) => return (Ok(Some(c)), avail),
            }
        }
    }

    fn op_peek_cqe(&mut self, inp: &mut Input) {
        let (expect, expect_avail) = self.model_peek();
        let (p, c) = if inp.bool() {
            let (status, p, avail) = self.s.ring.peek_cqe();
            let got = if status < 0 { Err(status) } else { Ok(p) };
            assert_eq!(avail, expect_avail, "peek_cqe: available count");
            match (got, expect) {
                (Ok(p), Ok(None)) => {
                    assert!(p.is_null(), "peek_cqe returned a CQE from an empty ring");
                    return;
                }
                (Ok(p), Ok(Some(c))) => (p, c),
                (Err(e), Err(want)) => {
                    assert_eq!(e, want, "peek_cqe: internal timeout error");
                    return;
                }
                (got, want) => panic!("peek_cqe returned {got:?}, the model says {want:?}"),
            }
        } else {
            // liburing-ffi's io_uring_peek_cqe: when the first look finds
            // nothing (or a failed internal timeout) and the kernel may hold
            // completions, it goes through the wait path with wait_nr 0,
            // which looks again and then enters the kernel (here: fd -1).
            let needs_flush = !self.m.backlog.is_empty() || self.m.taskrun;
            let want = match expect {
                Ok(Some(c)) => Ok(c),
                Ok(None) if !needs_flush => Err(-libc::EAGAIN),
                _ => match self.model_peek().0 {
                    Ok(Some(c)) => Ok(c),
                    Err(e) => Err(e),
                    Ok(None) if needs_flush => Err(-libc::EBADF),
                    Ok(None) => Err(-libc::EAGAIN),
                },
            };
            let mut p = std::ptr::null_mut();
            // SAFETY: a set-up (simulated) ring and a valid out pointer.
            let ret = unsafe { uring::capi::io_uring_peek_cqe(&mut self.s.ring, &mut p) };
            match want {
                Ok(c) => {
                    assert_eq!(ret, 0, "io_uring_peek_cqe: the model has a CQE");
                    (p, c)
                }
                Err(e) => {
                    assert_eq!(ret, e, "io_uring_peek_cqe");
                    assert!(p.is_null(), "io_uring_peek_cqe failed but returned a CQE");
                    return;
                }
            }
        };
        assert_eq!(p, self.slot_ptr(self.m.head), "peek_cqe: not the head slot");
        self.check_cqe(p, &c);
        match inp.u8() % 3 {
            0 => {}
            1 => {
                // SAFETY: p is a checked CQE of the ring.
                let flags = unsafe { (*p).flags };
                self.s.ring.cq_advance(cqe_slots(flags));
                self.consume_front();
            }
            _ => {
                // SAFETY: a set-up (simulated) ring and one of its CQEs.
                unsafe { uring::capi::io_uring_cqe_seen(&mut self.s.ring, p) };
                self.consume_front();
            }
        }
    }

    fn op_peek_batch(&mut self, inp: &mut Input) {
        let count = inp.below(2 * self.m.entries + 3) as usize;
        // Model: which entries, at which indexes; skip entries at the head
        // of a mixed ring are consumed first.
        let mut want: Vec<(u32, Cqe)> = Vec::new();
        if self.m.mode == Mode::Mixed {
            let mut pos = self.m.head;
            let mut i = 0;
            while i < self.m.ring.len() && want.len() < count {
                match self.m.ring[i].clone() {
                    Entry::Skip => {
                        if !want.is_empty() {
                            break;
                        }
                        self.consume_front();
                        pos = self.m.head;
                        continue;
                    }
                    Entry::Real(c) => {
                        want.push((pos, c));
                        pos = pos.wrapping_add(cqe_slots(c.flags));
                    }
                }
                i += 1;
            }
        } else {
            for (i, e) in self.m.ring.iter().take(count).enumerate() {
                let Entry::Real(c) = e else { unreachable!() };
                want.push((self.m.head.wrapping_add(i as u32), *c));
            }
        }
        let mut out = vec![std::ptr::null_mut::<io_uring_cqe>(); count];
        let n = self.s.ring.peek_batch(&mut out).unwrap_or(0) as usize;
        assert_eq!(n, want.len(), "peek_batch: count");
        for (p, (idx, c)) in out[..n].iter().zip(&want) {
            assert_eq!(*p, self.slot_ptr(*idx), "peek_batch: wrong slot");
            self.check_cqe(*p, c);
        }
        assert!(out[n..].iter().all(|p| p.is_null()), "peek_batch wrote past its count");
        // Consume some of them: one by one (cqe_seen) or in one advance.
        let k = if n == 0 { 0 } else { inp.below(n as u32 + 1) as usize };
        if inp.bool() {
            for p in &out[..k] {
                // SAFETY: checked CQEs of the ring.
                self.s.ring.cq_advance(cqe_slots(unsafe { (**p).flags }));
                self.consume_front();
            }
        } else {
            let mut slots = 0u32;
            for _ in 0..k {
                slots += self.consume_front().slots();
            }
            self.s.ring.cq_advance(slots);
        }
    }

    /// io_uring_for_each_cqe as compiled programs run it: from the head to
    /// an acquired tail, each CQE's own size, skip entries included.
    /// io_uring_for_each_cqe through liburing-ffi's iterator
    /// (io_uring_cqe_iter_init / _next): from the head to an acquired tail,
    /// each CQE's own size, skip entries included; then the caller advances
    /// over some of them with io_uring_cq_advance.
    fn op_for_each(&mut self, inp: &mut Input) {
        let limit = inp.below(2 * self.m.entries + 2) as usize;
        // SAFETY: a set-up (simulated) ring.
        let mut it = unsafe { uring::capi::io_uring_cqe_iter_init(&self.s.ring) };
        let mut seen = Vec::new();
        let mut p = std::ptr::null_mut();
        // SAFETY: the iterator comes from this ring; p is a valid out pointer.
        while seen.len() < limit && unsafe { uring::capi::io_uring_cqe_iter_next(&mut it, &mut p) } {
            assert!(self.s.is_cq_slot(p as *const u8, 16), "iterator CQE outside the ring");
            seen.push(p);
        }
        let expected = self.m.ring.len().min(limit);
        assert_eq!(seen.len(), expected, "for_each: number of entries");
        let mut pos = self.m.head;
        for (p, e) in seen.iter().zip(self.m.ring.iter()) {
            assert_eq!(*p, self.slot_ptr(pos), "for_each: wrong slot");
            match e {
                Entry::Real(c) => self.check_cqe(*p, c),
                Entry::Skip => {
                    // SAFETY: inside the array.
                    assert_ne!(unsafe { (**p).flags } & IORING_CQE_F_SKIP, 0);
                }
            }
            pos = pos.wrapping_add(e.slots());
        }
        let k = if seen.is_empty() {
            0
        } else {
            inp.below(seen.len() as u32 + 1) as usize
        };
        let mut slots = 0u32;
        for _ in 0..k {
            slots += self.consume_front().slots();
        }
        // SAFETY: a set-up (simulated) ring.
        unsafe { uring::capi::io_uring_cq_advance(&mut self.s.ring, slots) };
    }

    fn op(&mut self, inp: &mut Input) {
        match inp.u8() % 12 {
            0..=2 => {
                let n = 1 + inp.below(8);
                for _ in 0..n {
                    let c = self.make_cqe(inp);
                    self.post(c);
                }
            }
            3 => self.flush_backlog(),
            4 => {
                self.m.taskrun = !self.m.taskrun;
                self.publish_flags();
            }
            5 => {
                let want = self.m.tail.wrapping_sub(self.m.head);
                assert_eq!(self.s.ring.cq_ready(), want, "cq_ready");
                // SAFETY: a set-up (simulated) ring.
                assert_eq!(
                    unsafe { uring::capi::io_uring_cq_ready(&self.s.ring) },
                    want,
                    "io_uring_cq_ready"
                );
            }
            6 | 7 => self.op_peek_cqe(inp),
            8 | 9 => self.op_peek_batch(inp),
            10 => self.op_for_each(inp),
            _ => {
                if inp.bool() {
                    self.s.ring.cq_advance(0);
                } else {
                    let i = inp.u32();
                    let p = self.s.ring.cqe_at(i);
                    assert_eq!(p, self.slot_ptr(i), "cqe_at");
                    assert!(self.s.is_cq_slot(p as *const u8, self.s.cq_slot_bytes()));
                }
            }
        }
        self.invariants();
    }
}

fuzz_target!(|data: &[u8]| {
    let mut inp = Input::new(data);
    let cfg = inp.u8();
    let mode = match cfg % 3 {
        0 => Mode::Plain,
        1 => Mode::Big,
        _ => Mode::Mixed,
    };
    let ext_arg = cfg & 0x10 != 0;
    let at_end = cfg & 0x20 == 0;
    let mut log2 = inp.below(11);
    if mode == Mode::Mixed {
        log2 = log2.max(2);
    }
    let entries = 1u32 << log2;
    let start = inp.ring_start();
    let flags = match mode {
        Mode::Plain => 0,
        Mode::Big => IORING_SETUP_CQE32,
        Mode::Mixed => IORING_SETUP_CQE_MIXED,
    };
    let features = if ext_arg { IORING_FEAT_EXT_ARG } else { 0 };
    let s = SimRing::new(1, entries, flags, features, 0, start, at_end);
    let m = Model {
        mode,
        ext_arg,
        entries,
        head: start,
        tail: start,
        ring: VecDeque::new(),
        backlog: VecDeque::new(),
        taskrun: false,
        next_ud: 0,
    };
    let mut sim = Harness { s, m };
    let mut steps = 0;
    while !inp.is_empty() && steps < 4096 {
        sim.op(&mut inp);
        steps += 1;
    }
    sim.s.check_canaries();
});
