//! The ring protocol model-checked under a weak memory model: the real ring
//! code (`ring.rs`, `buf_ring.rs`, `submit::sq_needs_enter`,
//! `complete::peek_batch_cqe`/`peek_cqe`, `cq_iter`) run by loom against a
//! model kernel thread that does what the kernel does, with the kernel's
//! orderings. Built only with `RUSTFLAGS="--cfg loom"` (`make test-ordering`,
//! `capi-tests/ordering/run.py`); `docs/ORDERING.md` maps every shared access
//! to the scenario here that covers it.
//!
//! How the real code meets loom: `crate::sync` names loom's atomics in this
//! build, and each scenario puts the addresses of loom atomics into the
//! `khead`/`ktail`/`kflags` fields of a `struct io_uring`, so the ring code's
//! `atomic_u32(self.cq.ktail)` lands on them. SQE, CQE and buffer contents are
//! plain memory, each slot paired with a `loom::cell::UnsafeCell<()>` that is
//! touched (read or written) exactly where the data is: loom reports a
//! causality violation when a read is not ordered after the write it may see,
//! or a write not after the read it may overwrite.
//!
//! The kernel's side, access by access (kernel sources: io_uring/io_uring.h,
//! io_uring/io_uring.c, io_uring/sqpoll.c, io_uring/kbuf.c):
//! - `io_sqring_entries`: smp_load_acquire of sq.tail, then READ_ONCE of the
//!   SQE fields (`io_init_req`), then `io_commit_sqring`: smp_store_release of
//!   sq.head;
//! - posting a CQE (`io_cqe_cache_refill`): READ_ONCE of cq.head, whose
//!   control dependency orders the CQE stores after it; C11 (and loom) has no
//!   control dependencies, so the model uses Acquire, which orders the same
//!   later stores (and, more than the kernel, later loads: the kernel does no
//!   loads of CQE memory);
//! - `io_commit_cqring`: smp_store_release of cq.tail;
//! - `io_sq_thread` before sleeping: atomic_or of IORING_SQ_NEED_WAKEUP,
//!   smp_mb__after_atomic, then `io_sqring_entries` again;
//! - `io_ring_buffer_select` (kbuf.c): smp_load_acquire of the buffer ring's
//!   tail, then READ_ONCE of the buffer's addr/len/bid.
//!
//! One application thread per side: when the SQ and the CQ are used from two
//! threads (`submitter_and_reaper`), each thread has its own copy of
//! `struct io_uring` pointing at the same kernel words, as two C threads
//! sharing one struct touch disjoint fields (the SQ side `sqe_head`/`sqe_tail`,
//! the CQ side only kernel words).

use std::cell::UnsafeCell as StdUnsafeCell;
use std::collections::VecDeque;
use std::ptr;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};

use loom::cell::UnsafeCell;
use loom::thread;

use crate::buf_ring::{buf_ring_add, buf_ring_advance, buf_ring_mask};
use crate::cq_iter::{cqe_nr, io_uring_cqe_iter};
use crate::ring::io_uring;
use crate::sync::{fence, register_u16, unregister_u16, AtomicU16, AtomicU32, Ordering};
use crate::sys::*;

/// Which data access was last checked: loom's causality message names no
/// cell, so the harness reports this label with it (model threads run one at
/// a time on one OS thread, so the last label is the failing access).
static LAST_ACCESS: Mutex<&str> = Mutex::new("");
/// Model executions explored, over every scenario run in this process.
pub static ITERATIONS: AtomicUsize = AtomicUsize::new(0);

/// Assertion labels, as docs/ORDERING.md names them.
pub const A_CQE_READ: &str = "the app never reads a CQE the kernel has not fully written";
pub const A_CQE_REUSE: &str = "the kernel never rewrites a CQE slot the app is still reading";
pub const A_SQE_READ: &str = "the kernel never reads an SQE before it is fully written";
pub const A_SQE_REUSE: &str = "the app never rewrites an SQE slot the kernel is still reading";
pub const A_BUF_READ: &str = "the kernel never sees a buffer before its address/length are written";

/// Events a scenario exists to reach, counted over its executions: the
/// harness fails a scenario none of whose executions reached its events.
static COVERED: Mutex<Vec<(&str, usize)>> = Mutex::new(Vec::new());

fn cover(event: &'static str) {
    let mut c = COVERED.lock().unwrap();
    match c.iter_mut().find(|(e, _)| *e == event) {
        Some((_, n)) => *n += 1,
        None => c.push((event, 1)),
    }
}

fn label(l: &'static str) {
    *LAST_ACCESS.lock().unwrap() = l;
}

pub fn last_access() -> &'static str {
    *LAST_ACCESS.lock().unwrap()
}

/// An array of `T` in plain memory with one loom cell per slot.
struct Slots<T> {
    mem: Box<[StdUnsafeCell<T>]>,
    cells: Vec<UnsafeCell<()>>,
}

impl<T: Default> Slots<T> {
    fn new(n: usize) -> Self {
        Slots {
            mem: (0..n).map(|_| StdUnsafeCell::new(T::default())).collect(),
            cells: (0..n).map(|_| UnsafeCell::new(())).collect(),
        }
    }

    fn base(&self) -> *mut T {
        // StdUnsafeCell<T> has the layout of T.
        self.mem.as_ptr().cast_mut().cast()
    }

    fn index_of(&self, p: *const T) -> usize {
        let i = (p as usize - self.base() as usize) / size_of::<T>();
        assert!(i < self.mem.len(), "model: a pointer outside the array");
        i
    }

    /// Reads slot `i` as a loom-tracked read.
    fn read<R>(&self, i: usize, what: &'static str, f: impl FnOnce(&T) -> R) -> R {
        label(what);
        // SAFETY: loom runs one model thread at a time; the cell records the
        // access and reports any that is not ordered with a write.
        self.cells[i].with(|_| f(unsafe { &*self.mem[i].get() }))
    }

    /// Writes slot `i` as a loom-tracked write.
    fn write<R>(&self, i: usize, what: &'static str, f: impl FnOnce(*mut T) -> R) -> R {
        label(what);
        self.cells[i].with_mut(|_| f(self.mem[i].get()))
    }
}

/// The memory an io_uring shares with the kernel, for one model execution.
struct Shared {
    /// SQ slots.
    entries: u32,
    /// CQ slots, and the CQ layout flags (`IORING_SETUP_CQE32`,
    /// `IORING_SETUP_CQE_MIXED` or 0).
    cq_entries: u32,
    cq_setup: u32,
    start: u32,
    sq_head: AtomicU32,
    sq_tail: AtomicU32,
    sq_flags: AtomicU32,
    cq_head: AtomicU32,
    cq_tail: AtomicU32,
    cq_flags: AtomicU32,
    sqes: Slots<io_uring_sqe>,
    cqes: Slots<io_uring_cqe>,
    /// The kernel's state where two kernel contexts share it (the scenarios
    /// with `io_uring_enter`), under its lock (`ctx->completion_lock`).
    k: loom::sync::Mutex<KState>,
}

/// The kernel's private ring state where several kernel contexts use it.
struct KState {
    /// `ctx->cached_sq_head`, `ctx->cached_cq_tail`.
    sq_head: u32,
    cq_tail: u32,
    /// Overflowed CQEs (`ctx->cq_overflow_list`) or queued task work
    /// (`ctx->work_llist` of a DEFER_TASKRUN ring), oldest first.
    list: VecDeque<u64>,
    /// Requests issued and not yet completed (DEFER_TASKRUN scenario).
    inflight: VecDeque<u64>,
}

// SAFETY: loom runs the model threads one at a time on one OS thread, and every
// access to the plain arrays goes through a loom cell that checks its ordering.
unsafe impl Sync for Shared {}
// SAFETY: as above.
unsafe impl Send for Shared {}

impl Shared {
    /// SQ and CQ of `entries` slots, every index starting at `start` (near
    /// u32::MAX, the indexes wrap as well as the slots).
    fn new(entries: u32, start: u32) -> Arc<Self> {
        Self::with_cq(entries, entries, 0, start)
    }

    /// An SQ of `entries` slots and a CQ of `cq_entries` with the layout of
    /// `cq_setup` (32-byte CQEs take two 16-byte units of the array).
    fn with_cq(entries: u32, cq_entries: u32, cq_setup: u32, start: u32) -> Arc<Self> {
        let units = cq_entries << crate::ring::cqe_shift_from_flags(cq_setup);
        Arc::new(Shared {
            entries,
            cq_entries,
            cq_setup,
            start,
            sq_head: AtomicU32::new(start),
            sq_tail: AtomicU32::new(start),
            sq_flags: AtomicU32::new(0),
            cq_head: AtomicU32::new(start),
            cq_tail: AtomicU32::new(start),
            cq_flags: AtomicU32::new(0),
            sqes: Slots::new(entries as usize),
            cqes: Slots::new(units as usize),
            k: loom::sync::Mutex::new(KState {
                sq_head: start,
                cq_tail: start,
                list: VecDeque::new(),
                inflight: VecDeque::new(),
            }),
        })
    }

    /// A `struct io_uring` as `io_uring_queue_init` would fill it in, its
    /// kernel-word pointers on this model's loom atomics.
    fn ring(&self, flags: u32) -> io_uring {
        fn word(a: &AtomicU32) -> *mut u32 {
            (a as *const AtomicU32).cast_mut().cast()
        }
        let mut r = io_uring::zeroed();
        r.set_setup_flags(flags | self.cq_setup);
        r.features = IORING_FEAT_EXT_ARG;
        r.sq.khead = word(&self.sq_head);
        r.sq.ktail = word(&self.sq_tail);
        r.sq.kflags = word(&self.sq_flags);
        r.sq.sqes = self.sqes.base();
        r.sq.ring_mask = self.entries - 1;
        r.sq.ring_entries = self.entries;
        r.sq.sqe_head = self.start;
        r.sq.sqe_tail = self.start;
        r.cq.khead = word(&self.cq_head);
        r.cq.ktail = word(&self.cq_tail);
        r.cq.kflags = word(&self.cq_flags);
        r.cq.cqes = self.cqes.base();
        r.cq.ring_mask = self.cq_entries - 1;
        r.cq.ring_entries = self.cq_entries;
        r
    }
}

/// What the model kernel writes into the CQE for the SQE with `user_data`:
/// every field derived from it, so a half-written CQE shows.
fn cqe_res(user_data: u64) -> i32 {
    (user_data as i32) ^ 0x5a5a
}

/// The kernel's private ring state (`ctx->cached_sq_head`,
/// `ctx->cached_cq_tail`).
struct Kernel {
    sq_head: u32,
    cq_tail: u32,
}

impl Kernel {
    fn new(sh: &Shared) -> Self {
        Kernel {
            sq_head: sh.start,
            cq_tail: sh.start,
        }
    }

    /// Takes the next SQE if one is published, as `io_submit_sqes` does.
    fn consume(&mut self, sh: &Shared) -> Option<u64> {
        // io_sqring_entries: smp_load_acquire(&rings->sq.tail).
        if sh.sq_tail.load(Ordering::Acquire) == self.sq_head {
            return None;
        }
        // io_init_req: READ_ONCE of the SQE's fields.
        let slot = (self.sq_head & (sh.entries - 1)) as usize;
        let user_data = sh.sqes.read(slot, A_SQE_READ, |sqe| sqe.user_data);
        self.sq_head = self.sq_head.wrapping_add(1);
        // io_commit_sqring: smp_store_release(&rings->sq.head).
        sh.sq_head.store(self.sq_head, Ordering::Release);
        Some(user_data)
    }

    /// Waits until `slots` CQ slots are free (io_cqe_cache_refill:
    /// READ_ONCE(rings->cq.head) + control dependency). The real kernel would
    /// overflow instead; waiting keeps the slots cycling.
    fn wait_room(&self, sh: &Shared, slots: u32) {
        while self
            .cq_tail
            .wrapping_add(slots)
            .wrapping_sub(sh.cq_head.load(Ordering::Acquire))
            > sh.cq_entries
        {
            thread::yield_now();
        }
    }

    /// Writes one CQE (both units of a 32-byte one) at the current tail.
    fn write_cqe(&mut self, sh: &Shared, user_data: u64, flags: u32, big: bool) {
        let shift = crate::ring::cqe_shift_from_flags(sh.cq_setup);
        let unit = ((self.cq_tail & (sh.cq_entries - 1)) << shift) as usize;
        sh.cqes.write(unit, A_CQE_REUSE, |cqe| {
            // SAFETY: the unit's cell is held for writing.
            unsafe {
                (*cqe).user_data = user_data;
                (*cqe).res = cqe_res(user_data);
                (*cqe).flags = flags;
            }
        });
        if big {
            // The big-CQE words (big_cqe[0..2]) in the second unit.
            sh.cqes.write(unit + 1, A_CQE_REUSE, |words| {
                // SAFETY: the unit's cell is held for writing.
                unsafe { (*words).user_data = !user_data }
            });
        }
    }

    /// Posts the CQE of `user_data`: 32 bytes on a CQE32 ring, and on a
    /// mixed ring for every request but the first (padded with a skip
    /// entry when it would straddle the end of the array).
    fn post(&mut self, sh: &Shared, user_data: u64) {
        let mixed = sh.cq_setup & IORING_SETUP_CQE_MIXED != 0;
        let big = sh.cq_setup & IORING_SETUP_CQE32 != 0 || (mixed && user_data != 0);
        let mut slots = 1;
        if mixed && big {
            slots = 2;
            if self.cq_tail & (sh.cq_entries - 1) == sh.cq_entries - 1 {
                self.wait_room(sh, 1);
                self.write_cqe(sh, u64::MAX, IORING_CQE_F_SKIP, false);
                self.cq_tail = self.cq_tail.wrapping_add(1);
            }
        }
        self.wait_room(sh, slots);
        let flags = if mixed && big { IORING_CQE_F_32 } else { 0 };
        self.write_cqe(sh, user_data, flags, big);
        self.cq_tail = self.cq_tail.wrapping_add(slots);
        // io_commit_cqring: smp_store_release(&rings->cq.tail).
        sh.cq_tail.store(self.cq_tail, Ordering::Release);
    }
}

/// The SQPOLL thread: consumes `n` SQEs one at a time and posts one CQE for
/// each.
fn kernel_sq_to_cq(sh: &Shared, n: u32) {
    let mut k = Kernel::new(sh);
    for _ in 0..n {
        let user_data = loop {
            match k.consume(sh) {
                Some(u) => break u,
                None => thread::yield_now(),
            }
        };
        k.post(sh, user_data);
    }
}

/// Gets an SQE with the real `get_sqe`, fills it, publishes it with the real
/// `flush_sq` and asks the real `sq_needs_enter` whether the SQ thread must be
/// woken (the kernel thread here never sleeps). False when the SQ is full.
fn submit_one(ring: &mut io_uring, sh: &Shared, user_data: u64) -> bool {
    let sqe = ring.get_sqe();
    if sqe.is_null() {
        return false;
    }
    let slot = sh.sqes.index_of(sqe);
    sh.sqes.write(slot, A_SQE_REUSE, |p| {
        // SAFETY: the slot's cell is held for writing; p is get_sqe's SQE.
        unsafe { (*p).user_data = user_data }
    });
    let submitted = ring.flush_sq();
    let mut flags = 0;
    crate::submit::sq_needs_enter(ring, submitted, &mut flags);
    true
}

/// Reads a reaped CQE as an application does, and checks it is the next
/// one, big-CQE words included; returns false for a skip entry (which only
/// the iterator hands out).
fn check_cqe(sh: &Shared, cqe: *mut io_uring_cqe, expect: &mut u64) -> bool {
    let unit = sh.cqes.index_of(cqe);
    let (user_data, res, flags) = sh.cqes.read(unit, A_CQE_READ, |c| (c.user_data, c.res, c.flags));
    if flags & IORING_CQE_F_SKIP != 0 {
        return false;
    }
    assert_eq!(user_data, *expect, "no CQE reaped twice or skipped");
    assert_eq!(res, cqe_res(user_data), "the app never reads a half-written CQE");
    if sh.cq_setup & IORING_SETUP_CQE32 != 0 || flags & IORING_CQE_F_32 != 0 {
        let words = sh.cqes.read(unit + 1, A_CQE_READ, |c| c.user_data);
        assert_eq!(words, !user_data, "the app never reads half-written big-CQE words");
    }
    *expect += 1;
    true
}

/// How the application reaps.
#[derive(Clone, Copy)]
pub enum Reap {
    /// `io_uring_peek_batch_cqe` + `io_uring_cq_advance`.
    PeekBatch,
    /// `io_uring_for_each_cqe` (the iterator) + `io_uring_cq_advance`.
    ForEach,
    /// `io_uring_peek_cqe` + `io_uring_cqe_seen`.
    PeekSeen,
    /// `io_uring_wait_cqe` + `io_uring_cqe_seen` (entering the kernel to
    /// wait when the CQ is empty).
    WaitSeen,
}

/// Reaps what is ready; returns how many CQEs.
fn reap(ring: &mut io_uring, sh: &Shared, how: Reap, expect: &mut u64) -> u32 {
    match how {
        Reap::PeekBatch => {
            let mut out = [ptr::null_mut(); 4];
            let n = crate::complete::peek_batch_cqe(ring, &mut out);
            let mut slots = 0;
            for &cqe in &out[..n as usize] {
                check_cqe(sh, cqe, expect);
                // SAFETY: cqe is one the batch returned.
                slots += unsafe { cqe_nr(cqe) };
            }
            // Slots, not CQEs: a 32-byte CQE of a mixed ring takes two.
            ring.cq_advance(slots);
            n
        }
        Reap::ForEach => {
            let mut it = io_uring_cqe_iter::new(ring);
            let (mut n, mut slots) = (0, 0);
            // SAFETY: the iterator comes from this ring, whose CQ lives.
            while let Some(cqe) = unsafe { it.next_cqe() } {
                n += check_cqe(sh, cqe, expect) as u32;
                // SAFETY: cqe is one the iterator returned.
                slots += unsafe { cqe_nr(cqe) };
            }
            ring.cq_advance(slots);
            n
        }
        Reap::PeekSeen | Reap::WaitSeen => {
            let (ret, cqe) = if matches!(how, Reap::WaitSeen) {
                crate::complete::wait_cqe(ring)
            } else {
                crate::complete::peek_cqe(ring)
            };
            if ret != 0 || cqe.is_null() {
                return 0;
            }
            check_cqe(sh, cqe, expect);
            // io_uring_cqe_seen.
            // SAFETY: cqe is the CQE just peeked.
            ring.cq_advance(unsafe { cqe_nr(cqe) });
            1
        }
    }
}

/// Runs `f` under loom with the harness's bounds, counting executions.
fn model(f: impl Fn() + Sync + Send + 'static) {
    let mut b = loom::model::Builder::new();
    if b.preemption_bound.is_none() {
        b.preemption_bound = Some(2);
    }
    // Spinning threads (each yield_now is a branch) run long with 3 threads.
    b.max_branches = 20_000;
    b.check(move || {
        ITERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        f()
    });
}

/// submit -> the kernel consumes -> posts CQEs -> the app reaps, one
/// application thread doing both sides against an SQPOLL kernel thread;
/// `n` requests through an SQ of `entries` slots and a CQ of `cq_entries`
/// with the layout of `cq_setup`, indexes from `start`.
pub fn roundtrip(how: Reap, cq_setup: u32, entries: u32, cq_entries: u32, start: u32, n: u32) {
    model(move || {
        let sh = Shared::with_cq(entries, cq_entries, cq_setup, start);
        let w = sh.clone();
        drop(crate::sync::set_enter_hook(Some(Arc::new(
            move |_, min_complete, flags| enter_wait(&w, min_complete, flags),
        ))));
        let k = sh.clone();
        let kernel = thread::spawn(move || kernel_sq_to_cq(&k, n));
        let mut ring = sh.ring(IORING_SETUP_SQPOLL);
        let (mut submitted, mut expect) = (0u64, 0u64);
        while expect < n as u64 {
            let mut progress = false;
            if submitted < n as u64 && submit_one(&mut ring, &sh, submitted) {
                submitted += 1;
                progress = true;
            }
            // Waiting needs a request in flight, or it would wait forever.
            let waits = matches!(how, Reap::WaitSeen);
            if (!waits || submitted > expect) && reap(&mut ring, &sh, how, &mut expect) != 0 {
                progress = true;
            }
            if !progress {
                thread::yield_now();
            }
        }
        kernel.join().unwrap();
        drop(crate::sync::set_enter_hook(None));
        let head = sh.cq_head.load(Ordering::Relaxed);
        let tail = sh.cq_tail.load(Ordering::Relaxed);
        assert_eq!(head, tail, "head/tail never pass each other: the head ends at the tail");
    });
}

/// `io_uring_enter(GETEVENTS, min_complete)` of `io_cqring_wait`: sleeps
/// until `min_complete` CQEs are ready (the model yields instead), reading
/// the CQ words as the kernel does (READ_ONCE: no ordering for the app).
fn enter_wait(sh: &Shared, min_complete: u32, flags: u32) -> i32 {
    if flags & IORING_ENTER_GETEVENTS != 0 {
        cover("waited in io_uring_enter");
        while sh
            .cq_tail
            .load(Ordering::Relaxed)
            .wrapping_sub(sh.cq_head.load(Ordering::Relaxed))
            < min_complete
        {
            thread::yield_now();
        }
    }
    0
}

/// Posts the CQEs of `list` while the CQ has room, under the kernel's lock:
/// `__io_cqring_overflow_flush`, or `__io_run_local_work` running queued
/// task work. Returns whether the list is empty.
fn flush_list(sh: &Shared, st: &mut KState) -> bool {
    while let Some(&user_data) = st.list.front() {
        // io_cqe_cache_refill: READ_ONCE(rings->cq.head) + control dependency.
        if st.cq_tail.wrapping_sub(sh.cq_head.load(Ordering::Acquire)) >= sh.cq_entries {
            break;
        }
        let mut k = Kernel {
            sq_head: st.sq_head,
            cq_tail: st.cq_tail,
        };
        k.write_cqe(sh, user_data, 0, false);
        st.cq_tail = k.cq_tail.wrapping_add(1);
        st.list.pop_front();
    }
    // io_commit_cqring: smp_store_release(&rings->cq.tail).
    sh.cq_tail.store(st.cq_tail, Ordering::Release);
    st.list.is_empty()
}

/// The app's side of the scenarios that submit and reap in one thread: until
/// all `n` CQEs are reaped (with the real `peek_batch_cqe`), submits the next
/// of the `n` SQEs with `submit` (which says whether the SQ took it) and
/// reaps, yielding when neither made progress.
fn submit_and_reap(ring: &mut io_uring, sh: &Shared, n: u32, mut submit: impl FnMut(&mut io_uring, u64) -> bool) {
    let (mut submitted, mut expect) = (0u64, 0u64);
    while expect < n as u64 {
        let mut progress = false;
        if submitted < n as u64 && submit(ring, submitted) {
            submitted += 1;
            progress = true;
        }
        if reap(ring, sh, Reap::PeekBatch, &mut expect) != 0 {
            progress = true;
        }
        if !progress {
            thread::yield_now();
        }
    }
}

/// CQ overflow: the SQ thread posts `n` CQEs into a CQ too small to hold
/// them; what does not fit goes to the overflow list and raises
/// `IORING_SQ_CQ_OVERFLOW`. The app reaps with the real `peek_batch_cqe`,
/// which enters the kernel (`io_uring_get_events`) when the CQ is empty and
/// the flag is set; the model kernel then flushes the list in the app's
/// thread. Every CQE is reaped once, in order.
pub fn cq_overflow(entries: u32, cq_entries: u32, n: u32) {
    model(move || {
        let sh = Shared::with_cq(entries, cq_entries, 0, 0);
        let f = sh.clone();
        drop(crate::sync::set_enter_hook(Some(Arc::new(move |_, _, flags| {
            if flags & IORING_ENTER_GETEVENTS != 0 {
                let mut st = f.k.lock().unwrap();
                if !st.list.is_empty() {
                    cover("overflow flushed by io_uring_get_events");
                }
                if flush_list(&f, &mut st) {
                    // __io_cqring_overflow_flush, list drained.
                    f.sq_flags.fetch_and(!IORING_SQ_CQ_OVERFLOW, Ordering::Relaxed);
                }
            }
            0
        }))));
        let k = sh.clone();
        let kernel = thread::spawn(move || {
            let mut sq = Kernel::new(&k);
            for _ in 0..n {
                let user_data = loop {
                    match sq.consume(&k) {
                        Some(u) => break u,
                        None => thread::yield_now(),
                    }
                };
                let mut st = k.k.lock().unwrap();
                let room = st.cq_tail.wrapping_sub(k.cq_head.load(Ordering::Acquire)) < k.cq_entries;
                if st.list.is_empty() && room {
                    st.list.push_back(user_data);
                    flush_list(&k, &mut st);
                } else {
                    // io_cqring_event_overflow.
                    cover("CQE overflowed");
                    if st.list.is_empty() {
                        k.sq_flags.fetch_or(IORING_SQ_CQ_OVERFLOW, Ordering::Relaxed);
                    }
                    st.list.push_back(user_data);
                }
            }
        });
        let mut ring = sh.ring(IORING_SETUP_SQPOLL);
        submit_and_reap(&mut ring, &sh, n, |ring, user_data| submit_one(ring, &sh, user_data));
        kernel.join().unwrap();
        drop(crate::sync::set_enter_hook(None));
    });
}

/// DEFER_TASKRUN: the app submits with the real `io_uring_submit` (the
/// model kernel takes the SQEs in its `io_uring_enter`); another kernel
/// context completes them and queues the completions as task work, raising
/// `IORING_SQ_TASKRUN`. The app reaps with the real `peek_batch_cqe`, which
/// enters the kernel when the CQ is empty and the flag is set; the task work
/// then posts the CQEs in the app's thread. Every CQE is reaped once.
pub fn taskrun(entries: u32, n: u32) {
    model(move || {
        let sh = Shared::with_cq(entries, entries, 0, 0);
        let e = sh.clone();
        drop(crate::sync::set_enter_hook(Some(Arc::new(
            move |to_submit, _, flags| {
                let mut st = e.k.lock().unwrap();
                // io_submit_sqes, in the submitting task.
                let mut sq = Kernel {
                    sq_head: st.sq_head,
                    cq_tail: st.cq_tail,
                };
                for _ in 0..to_submit {
                    let user_data = sq.consume(&e).expect("the SQE published before the enter");
                    st.inflight.push_back(user_data);
                }
                st.sq_head = sq.sq_head;
                if flags & IORING_ENTER_GETEVENTS != 0 {
                    // __io_run_local_work: clear the flag, run the queued work.
                    if !st.list.is_empty() {
                        cover("task work run by io_uring_enter(GETEVENTS)");
                    }
                    e.sq_flags.fetch_and(!IORING_SQ_TASKRUN, Ordering::Relaxed);
                    flush_list(&e, &mut st);
                }
                to_submit as i32
            },
        ))));
        let c = sh.clone();
        let completer = thread::spawn(move || {
            let mut done = 0;
            while done < n {
                let mut st = c.k.lock().unwrap();
                if let Some(user_data) = st.inflight.pop_front() {
                    // io_req_local_work_add: queue, atomic_or(IORING_SQ_TASKRUN).
                    st.list.push_back(user_data);
                    c.sq_flags.fetch_or(IORING_SQ_TASKRUN, Ordering::Relaxed);
                    done += 1;
                } else {
                    drop(st);
                    thread::yield_now();
                }
            }
        });
        let mut ring = sh.ring(0);
        submit_and_reap(&mut ring, &sh, n, |ring, user_data| {
            let sqe = ring.get_sqe();
            assert!(!sqe.is_null(), "the SQ has room after each submit");
            let slot = sh.sqes.index_of(sqe);
            sh.sqes.write(slot, A_SQE_REUSE, |p| {
                // SAFETY: the slot's cell is held for writing.
                unsafe { (*p).user_data = user_data }
            });
            assert_eq!(
                crate::submit::submit(ring, 0, false),
                1,
                "io_uring_submit submits the SQE"
            );
            true
        });
        completer.join().unwrap();
        drop(crate::sync::set_enter_hook(None));
    });
}

/// The founding report's pattern: one thread submits (`io_uring_submit`: the
/// kernel consumes the SQEs and posts their CQEs in that thread's
/// `io_uring_enter`), another reaps with `peek_batch_cqe` + `cq_advance`.
/// The submitting thread's SQ tail store is the non-SQPOLL one.
pub fn submitter_and_reaper(entries: u32, start: u32, n: u32) {
    model(move || {
        let sh = Shared::new(entries, start);
        let s = sh.clone();
        let submitter = thread::spawn(move || {
            let mut ring = s.ring(0);
            let mut kernel = Kernel::new(&s);
            for i in 0..n as u64 {
                assert!(submit_one(&mut ring, &s, i), "the SQ has room after each enter");
                // io_uring_enter(to_submit = 1) in this thread.
                let user_data = kernel.consume(&s).expect("the SQE published before the enter");
                kernel.post(&s, user_data);
            }
        });
        let mut ring = sh.ring(0);
        let mut expect = 0u64;
        while expect < n as u64 {
            if reap(&mut ring, &sh, Reap::PeekBatch, &mut expect) == 0 {
                thread::yield_now();
            }
        }
        submitter.join().unwrap();
    });
}

/// SQPOLL: the kernel thread goes to sleep (sets NEED_WAKEUP, full barrier,
/// looks at the SQ tail once more) while the application publishes an SQE and
/// decides with the real `sq_needs_enter` whether to wake it. No lost wakeup:
/// if the thread sleeps without having seen the SQE, the app must wake it.
pub fn sqpoll_need_wakeup() {
    model(|| {
        let sh = Shared::new(2, 0);
        let k = sh.clone();
        let kernel = thread::spawn(move || {
            // io_sq_thread, idle: atomic_or(IORING_SQ_NEED_WAKEUP, &sq_flags).
            k.sq_flags.fetch_or(IORING_SQ_NEED_WAKEUP, Ordering::Relaxed);
            // smp_mb__after_atomic().
            fence(Ordering::SeqCst);
            // io_sqring_entries: smp_load_acquire(&rings->sq.tail).
            let work = k.sq_tail.load(Ordering::Acquire) != k.start;
            if work {
                // atomic_andnot(IORING_SQ_NEED_WAKEUP): stays awake.
                k.sq_flags.fetch_and(!IORING_SQ_NEED_WAKEUP, Ordering::Relaxed);
            }
            !work
        });
        let mut ring = sh.ring(IORING_SETUP_SQPOLL);
        let sqe = ring.get_sqe();
        assert!(!sqe.is_null());
        let submitted = ring.flush_sq();
        let mut flags = 0;
        let enters = crate::submit::sq_needs_enter(&ring, submitted, &mut flags);
        let wakes = enters && flags & IORING_ENTER_SQ_WAKEUP != 0;
        let slept = kernel.join().unwrap();
        assert!(
            !slept || wakes,
            "no lost wakeup: the SQ thread sleeps with work pending and nobody wakes it"
        );
    });
}

/// Buffer ring: the app adds buffers with the real `buf_ring_add` and
/// publishes them with the real `buf_ring_advance`, reusing each slot once the
/// kernel reports it consumed; the kernel picks them as `io_ring_buffer_select`
/// does. `n` buffers through a ring of `entries` slots.
pub fn buf_ring(entries: u32, n: u32) {
    model(move || {
        struct Br {
            bufs: Slots<io_uring_buf>,
            tail: AtomicU16,
            /// Buffers the kernel has used: in reality a CQE per buffer
            /// (smp_store_release of cq.tail), here that release directly.
            used: AtomicU32,
        }
        // SAFETY: as for Shared: one model thread at a time, cells checked.
        unsafe impl Sync for Br {}
        // SAFETY: as above.
        unsafe impl Send for Br {}
        let br = Arc::new(Br {
            bufs: Slots::new(entries as usize),
            tail: AtomicU16::new(0),
            used: AtomicU32::new(0),
        });
        let ring_ptr = br.bufs.base().cast::<io_uring_buf_ring>();
        // SAFETY: the ring's tail field lies inside slot 0.
        let tail_addr = unsafe { ptr::addr_of_mut!((*ring_ptr).tail) };
        register_u16(tail_addr, &br.tail);
        let k = br.clone();
        let kernel = thread::spawn(move || {
            let mask = entries as u16 - 1;
            let mut head = 0u16;
            for i in 0..n {
                // io_ring_buffer_select: smp_load_acquire(&br->tail).
                while k.tail.load(Ordering::Acquire) == head {
                    thread::yield_now();
                }
                let (addr, len, bid) = k
                    .bufs
                    .read((head & mask) as usize, A_BUF_READ, |b| (b.addr, b.len, b.bid));
                assert_eq!((addr, len, bid), (0x1000 + i as u64, 64 + i, i as u16), "{A_BUF_READ}");
                head = head.wrapping_add(1);
                // The CQE that reports the buffer used.
                k.used.store(i + 1, Ordering::Release);
            }
        });
        let mask = buf_ring_mask(entries);
        for i in 0..n {
            while i >= entries && br.used.load(Ordering::Acquire) < i + 1 - entries {
                thread::yield_now();
            }
            // The slot buf_ring_add writes: (tail + 0) & mask.
            // SAFETY: tail_addr is registered.
            let tail = unsafe { crate::sync::read_app_u16(tail_addr) };
            let slot = (tail as u32 & mask as u32) as usize;
            br.bufs.write(slot, A_BUF_READ, |_| {
                // SAFETY: the ring has `entries` slots and mask is its mask.
                unsafe {
                    buf_ring_add(
                        ring_ptr,
                        (0x1000 + i as u64) as usize as *mut _,
                        64 + i,
                        i as u16,
                        mask,
                        0,
                    )
                }
            });
            // SAFETY: as above.
            unsafe { buf_ring_advance(ring_ptr, 1) };
        }
        kernel.join().unwrap();
        unregister_u16(tail_addr);
    });
}

/// Every scenario: its name (docs/ORDERING.md's "scenario" column) and body.
pub const SCENARIOS: &[(&str, fn())] = &[
    ("peek_batch_wrap2", || {
        roundtrip(Reap::PeekBatch, 0, 2, 2, u32::MAX - 1, 3)
    }),
    ("peek_batch_wrap4", || roundtrip(Reap::PeekBatch, 0, 4, 4, 2, 3)),
    ("for_each_cq_advance", || roundtrip(Reap::ForEach, 0, 2, 2, u32::MAX, 3)),
    ("peek_cqe_seen", || roundtrip(Reap::PeekSeen, 0, 2, 2, 1, 3)),
    ("cqe32_peek_batch", || {
        roundtrip(Reap::PeekBatch, IORING_SETUP_CQE32, 2, 2, u32::MAX, 3)
    }),
    ("mixed_peek_batch", || {
        roundtrip(Reap::PeekBatch, IORING_SETUP_CQE_MIXED, 2, 4, 0, 3)
    }),
    ("mixed_for_each", || {
        roundtrip(Reap::ForEach, IORING_SETUP_CQE_MIXED, 2, 4, 0, 3)
    }),
    ("mixed_peek_seen", || {
        roundtrip(Reap::PeekSeen, IORING_SETUP_CQE_MIXED, 2, 4, 0, 3)
    }),
    ("wait_cqe_seen", || roundtrip(Reap::WaitSeen, 0, 2, 2, u32::MAX, 3)),
    ("cq_overflow_flush", || cq_overflow(2, 1, 3)),
    ("taskrun_flush", || taskrun(2, 2)),
    ("submitter_and_reaper", || submitter_and_reaper(2, u32::MAX, 3)),
    ("sqpoll_need_wakeup", sqpoll_need_wakeup),
    ("buf_ring_add_advance", || buf_ring(2, 3)),
];

/// The events at least one execution of a scenario must reach (the others
/// reach theirs by construction: every request completes).
const MUST_REACH: &[(&str, &[&str])] = &[
    ("wait_cqe_seen", &["waited in io_uring_enter"]),
    (
        "cq_overflow_flush",
        &["CQE overflowed", "overflow flushed by io_uring_get_events"],
    ),
    ("taskrun_flush", &["task work run by io_uring_enter(GETEVENTS)"]),
];

/// Runs the scenarios named in `ORDERING_SCENARIOS` (comma-separated; all
/// when unset) with the access site in `LOOM_PLANT` (`file:line:op`) weakened,
/// and prints one line per scenario: `scenario NAME: pass, N executions` or
/// `scenario NAME: FAIL: <assertion>: <message>`. The driver
/// (capi-tests/ordering/run.py) reads these lines.
#[test]
fn ordering_model() {
    let plant = std::env::var("LOOM_PLANT").ok().filter(|s| !s.is_empty());
    let only = std::env::var("ORDERING_SCENARIOS").ok();
    crate::sync::set_plant(plant.clone());
    let prev_hook = std::panic::take_hook();
    let msg = Arc::new(Mutex::new(String::new()));
    let m = msg.clone();
    std::panic::set_hook(Box::new(move |info| {
        let text = if let Some(s) = info.payload().downcast_ref::<&str>() {
            s.to_string()
        } else if let Some(s) = info.payload().downcast_ref::<String>() {
            s.clone()
        } else {
            "panic".to_string()
        };
        let mut m = m.lock().unwrap();
        if m.is_empty() {
            *m = text;
        }
    }));
    let mut failed = Vec::new();
    for &(name, f) in SCENARIOS {
        if let Some(only) = &only {
            if !only.split(',').any(|s| s == name) {
                continue;
            }
        }
        msg.lock().unwrap().clear();
        COVERED.lock().unwrap().clear();
        label("");
        let before = ITERATIONS.load(std::sync::atomic::Ordering::Relaxed);
        let t0 = std::time::Instant::now();
        let r = std::panic::catch_unwind(f);
        // A failed execution left its hook (and loom objects) behind.
        std::mem::forget(crate::sync::set_enter_hook(None));
        let execs = ITERATIONS.load(std::sync::atomic::Ordering::Relaxed) - before;
        let secs = t0.elapsed().as_secs_f64();
        match r {
            Ok(()) => {
                let covered = COVERED.lock().unwrap().clone();
                let events = MUST_REACH.iter().find(|(s, _)| *s == name).map_or(&[][..], |(_, e)| *e);
                let missed: Vec<_> = events
                    .iter()
                    .filter(|e| !covered.iter().any(|(c, _)| c == *e))
                    .collect();
                let seen: Vec<_> = covered.iter().map(|(e, n)| format!("{e} ({n} times)")).collect();
                if missed.is_empty() {
                    let seen = if seen.is_empty() {
                        String::new()
                    } else {
                        format!("; reached: {}", seen.join(", "))
                    };
                    println!("scenario {name}: pass, {execs} executions, {secs:.1} s{seen}");
                } else {
                    println!("scenario {name}: FAIL after {execs} executions: coverage: never reached {missed:?}");
                    failed.push(name);
                }
            }
            Err(_) => {
                let text = msg.lock().unwrap().replace('\n', " ");
                // A causality violation is a data race on one of the cells:
                // the last cell access names the assertion it breaks.
                let what = if text.contains("Causality violation") {
                    last_access()
                } else {
                    "assertion"
                };
                println!("scenario {name}: FAIL after {execs} executions: {what}: {text}");
                failed.push(name);
            }
        }
    }
    std::panic::set_hook(prev_hook);
    if plant.is_some() {
        println!("plant site executed: {}", crate::sync::plant_hit());
    }
    println!(
        "executions explored: {}",
        ITERATIONS.load(std::sync::atomic::Ordering::Relaxed)
    );
    assert!(failed.is_empty(), "failed scenarios: {failed:?}");
}
