//! The ring helpers on simulated rings: plain memory standing in for the
//! kernel's mappings, with the test playing the kernel's part (posting CQEs,
//! moving the SQ head, setting flags). Exercised through the exported C
//! functions, so these also test the C ABI layer.

use core::ffi::{c_uint, c_void};
use core::ptr;

use super::sim::{SimRing, W_FLAGS, W_HEAD, W_TAIL};
use crate::cq_iter::io_uring_cqe_iter;
use crate::ring::io_uring;
use crate::sys::*;

/// A simulated ring of `sq` SQ and `cq` CQ entries (powers of two) with
/// setup `flags`, both queues starting at index `start`.
fn sim(sq: u32, cq: u32, flags: u32, start: u32) -> SimRing {
    let mut s = SimRing::new(sq, cq, flags, IORING_FEAT_EXT_ARG, start, start, false);
    // An fd number no process has open: syscalls on it fail with EBADF
    // (-1 would select the kernel's ring-less register operations).
    s.ring.ring_fd = 0x3fff_ffff;
    s
}

/// Safe wrappers around the exports under test.
macro_rules! wrap {
    ($($name:ident($($a:ident: $t:ty),*) -> $ret:ty;)*) => {$(
        fn $name($($a: $t),*) -> $ret {
            // SAFETY: these tests pass only pointers into live simulated
            // rings, their CQEs and SQEs, buffer rings, probes and locals.
            unsafe { crate::capi::$name($($a),*) }
        }
    )*};
}

wrap! {
    __io_uring_peek_cqe(r: *mut io_uring, c: *mut *mut io_uring_cqe, n: *mut c_uint) -> i32;
    io_uring_peek_cqe(r: *mut io_uring, c: *mut *mut io_uring_cqe) -> i32;
    io_uring_cqe_iter_init(r: *const io_uring) -> io_uring_cqe_iter;
    io_uring_cqe_iter_next(it: *mut io_uring_cqe_iter, c: *mut *mut io_uring_cqe) -> bool;
    io_uring_cq_ready(r: *const io_uring) -> c_uint;
    io_uring_peek_batch_cqe(r: *mut io_uring, c: *mut *mut io_uring_cqe, n: c_uint) -> c_uint;
    io_uring_cq_advance(r: *mut io_uring, nr: c_uint) -> ();
    io_uring_cqe_seen(r: *mut io_uring, c: *mut io_uring_cqe) -> ();
    io_uring_cqe_nr(c: *const io_uring_cqe) -> c_uint;
    io_uring_cqe_get_data(c: *const io_uring_cqe) -> *mut core::ffi::c_void;
    io_uring_cqe_get_data64(c: *const io_uring_cqe) -> u64;
    io_uring_cq_has_overflow(r: *const io_uring) -> bool;
    io_uring_cq_eventfd_enabled(r: *const io_uring) -> bool;
    io_uring_cq_eventfd_toggle(r: *mut io_uring, on: bool) -> i32;
    io_uring_get_sqe(r: *mut io_uring) -> *mut io_uring_sqe;
    io_uring_get_sqe128(r: *mut io_uring) -> *mut io_uring_sqe;
    io_uring_sq_ready(r: *const io_uring) -> c_uint;
    io_uring_sq_space_left(r: *const io_uring) -> c_uint;
    io_uring_sqring_wait(r: *mut io_uring) -> i32;
    io_uring_buf_ring_init(br: *mut io_uring_buf_ring) -> ();
    io_uring_buf_ring_add(br: *mut io_uring_buf_ring, a: *mut c_void, l: c_uint, b: u16, m: i32, o: i32) -> ();
    io_uring_buf_ring_advance(br: *mut io_uring_buf_ring, n: i32) -> ();
    io_uring_buf_ring_cq_advance(r: *mut io_uring, br: *mut io_uring_buf_ring, n: i32) -> ();
    __io_uring_buf_ring_cq_advance(r: *mut io_uring, br: *mut io_uring_buf_ring, c: i32, b: i32) -> ();
    io_uring_buf_ring_available(r: *mut io_uring, br: *mut io_uring_buf_ring, g: u16) -> i32;
    io_uring_opcode_supported(p: *const io_uring_probe, op: i32) -> i32;
    io_uring_sqe_set_data(s: *mut io_uring_sqe, d: *mut core::ffi::c_void) -> ();
    io_uring_sqe_set_data64(s: *mut io_uring_sqe, d: u64) -> ();
    io_uring_sqe_set_flags(s: *mut io_uring_sqe, f: c_uint) -> ();
    io_uring_sqe_set_buf_group(s: *mut io_uring_sqe, g: i32) -> ();
}

use crate::capi::io_uring_buf_ring_mask;

/// Fields of a CQE the exports handed out (always inside a live ring).
fn ud(c: *mut io_uring_cqe) -> u64 {
    io_uring_cqe_get_data64(c)
}

fn res(c: *mut io_uring_cqe) -> i32 {
    // SAFETY: only CQEs inside live simulated rings are passed.
    unsafe { (*c).res }
}

fn peek(r: *mut io_uring) -> (i32, *mut io_uring_cqe, c_uint) {
    let mut cqe = ptr::null_mut();
    let mut avail = 0;
    let ret = __io_uring_peek_cqe(r, &mut cqe, &mut avail);
    (ret, cqe, avail)
}

fn iter_all(r: *mut io_uring) -> Vec<*mut io_uring_cqe> {
    let mut it: io_uring_cqe_iter = io_uring_cqe_iter_init(r);
    let mut out = Vec::new();
    let mut cqe = ptr::null_mut();
    while io_uring_cqe_iter_next(&mut it, &mut cqe) {
        out.push(cqe);
    }
    out
}

#[test]
fn cq_wraps_around_32_bit_index() {
    let start = u32::MAX - 2;
    let mut s = sim(8, 8, 0, start);
    let r = s.rp();
    for i in 0..6 {
        s.post(100 + i, i as i32, 0);
    }
    assert_eq!(s.cq_word(W_TAIL), start.wrapping_add(6));
    assert_eq!(io_uring_cq_ready(r), 6);
    let all = iter_all(r);
    assert_eq!(all.len(), 6);
    for (i, &c) in all.iter().enumerate() {
        assert_eq!(s.unit_of(c), (start.wrapping_add(i as u32) & 7) as usize);
        assert_eq!(io_uring_cqe_get_data64(c), 100 + i as u64);
    }
    // Iterating consumed nothing.
    assert_eq!(s.cq_word(W_HEAD), start);
    for i in 0..6u64 {
        let (ret, cqe, avail) = peek(r);
        assert_eq!((ret, avail as u64), (0, 6 - i));
        assert_eq!(ud(cqe), 100 + i);
        io_uring_cqe_seen(r, cqe);
    }
    assert_eq!(s.cq_word(W_HEAD), start.wrapping_add(6));
    assert_eq!(s.cq_word(W_HEAD), 3);
    let (ret, cqe, avail) = peek(r);
    assert_eq!((ret, cqe, avail), (0, ptr::null_mut(), 0));
    // Empty CQ, no overflow or task work: -EAGAIN without a kernel entry.
    let mut c = ptr::null_mut();
    assert_eq!(io_uring_peek_cqe(r, &mut c), -libc::EAGAIN);
    // cq_advance by a batch across the wrap.
    s.set_cq_word(W_HEAD, u32::MAX);
    s.set_cq_word(W_TAIL, u32::MAX);
    for i in 0..4 {
        s.post(i, 0, 0);
    }
    assert_eq!(io_uring_cq_ready(r), 4);
    io_uring_cq_advance(r, 4);
    assert_eq!(s.cq_word(W_HEAD), 3);
    io_uring_cq_advance(r, 0);
    assert_eq!(s.cq_word(W_HEAD), 3);
    assert_eq!(io_uring_cq_ready(r), 0);
}

#[test]
fn cqe32_ring_indexes_two_units_per_slot() {
    let start = u32::MAX - 1;
    let mut s = sim(4, 4, IORING_SETUP_CQE32, start);
    let r = s.rp();
    for i in 0..4 {
        s.post(i, 0, 0);
    }
    let all = iter_all(r);
    assert_eq!(all.len(), 4);
    for (i, &c) in all.iter().enumerate() {
        assert_eq!(s.unit_of(c), ((start.wrapping_add(i as u32) & 3) as usize) * 2);
    }
    let (_, cqe, avail) = peek(r);
    assert_eq!(avail, 4);
    assert_eq!(s.unit_of(cqe), ((start & 3) as usize) * 2);
    // A CQE32 ring's entries carry no IORING_CQE_F_32: one slot each.
    assert_eq!(io_uring_cqe_nr(cqe), 1);
    io_uring_cqe_seen(r, cqe);
    assert_eq!(s.cq_word(W_HEAD), start.wrapping_add(1));
}

#[test]
fn mixed_cqes_and_skip_entries() {
    let start = 5;
    let mut s = sim(8, 8, IORING_SETUP_CQE_MIXED, start);
    let r = s.rp();
    s.post(1, 0, 0); // slot 5
    s.post(2, 0, IORING_CQE_F_32); // slots 6, 7
    s.post(3, 0, IORING_CQE_F_SKIP); // slot 0 (as if padding)
    s.post(4, 0, IORING_CQE_F_32); // slots 1, 2
    s.post(5, 0, 0); // slot 3
    assert_eq!(io_uring_cq_ready(r), 7);
    // The iterator steps over the second half of big CQEs and returns
    // skip entries like any other.
    let datas: Vec<u64> = iter_all(r).iter().map(|&c| ud(c)).collect();
    assert_eq!(datas, [1, 2, 3, 4, 5]);
    let (_, c1, _) = peek(r);
    assert_eq!(ud(c1), 1);
    io_uring_cqe_seen(r, c1);
    let (_, c2, avail) = peek(r);
    assert_eq!((ud(c2), avail), (2, 6));
    assert_eq!(io_uring_cqe_nr(c2), 2);
    io_uring_cqe_seen(r, c2);
    assert_eq!(s.cq_word(W_HEAD), 8);
    // The skip entry is consumed by the peek itself.
    let (_, c4, avail) = peek(r);
    assert_eq!((ud(c4), avail), (4, 3));
    assert_eq!(s.cq_word(W_HEAD), 9);
    assert_eq!(s.unit_of(c4), 1);
    io_uring_cqe_seen(r, c4);
    let (_, c5, _) = peek(r);
    assert_eq!(ud(c5), 5);
    io_uring_cqe_seen(r, c5);
    assert_eq!(s.cq_word(W_HEAD), s.cq_word(W_TAIL));
    // A lone skip entry: peek consumes it and finds nothing.
    s.post(6, 0, IORING_CQE_F_SKIP);
    let (ret, c, avail) = peek(r);
    assert_eq!((ret, c, avail), (0, ptr::null_mut(), 0));
    assert_eq!(s.cq_word(W_HEAD), s.cq_word(W_TAIL));
}

#[test]
fn internal_timeout_cqes_are_consumed() {
    let mut s = sim(4, 4, 0, 0);
    s.ring.features = 0; // no EXT_ARG: the library queues its own timeouts
    let r = s.rp();
    s.post(LIBURING_UDATA_TIMEOUT, 0, 0);
    s.post(7, 0, 0);
    let (ret, c, _) = peek(r);
    assert_eq!((ret, ud(c)), (0, 7));
    assert_eq!(s.cq_word(W_HEAD), 1);
    io_uring_cqe_seen(r, c);
    // A timeout that fired (or failed) reports its error; it is consumed.
    s.post(LIBURING_UDATA_TIMEOUT, -libc::ETIME, 0);
    s.post(8, 0, 0);
    let (ret, c, avail) = peek(r);
    assert_eq!((ret, c, avail), (-libc::ETIME, ptr::null_mut(), 2));
    assert_eq!(s.cq_word(W_HEAD), 3);
    // With EXT_ARG the same user_data is an ordinary CQE.
    s.ring.features = IORING_FEAT_EXT_ARG;
    s.post(LIBURING_UDATA_TIMEOUT, -libc::ETIME, 0);
    let (_, c, _) = peek(r);
    assert_eq!(ud(c), 8);
    io_uring_cqe_seen(r, c);
    let (_, c, _) = peek(r);
    assert_eq!(res(c), -libc::ETIME);
}

#[test]
fn overflow_and_eventfd_flags() {
    let mut s = sim(4, 4, 0, 0);
    let r = s.rp();
    assert!(!io_uring_cq_has_overflow(r));
    s.set_sq_word(W_FLAGS, IORING_SQ_CQ_OVERFLOW);
    assert!(io_uring_cq_has_overflow(r));
    // With overflowed CQEs an empty peek must go to the kernel (here an
    // invalid fd, so the kernel's answer is EBADF rather than EAGAIN).
    let mut c = ptr::null_mut();
    assert_eq!(io_uring_peek_cqe(r, &mut c), -libc::EBADF);
    s.set_sq_word(W_FLAGS, IORING_SQ_TASKRUN);
    assert!(!io_uring_cq_has_overflow(r));
    assert_eq!(io_uring_peek_cqe(r, &mut c), -libc::EBADF);
    s.set_sq_word(W_FLAGS, 0);
    assert_eq!(io_uring_peek_cqe(r, &mut c), -libc::EAGAIN);

    assert!(io_uring_cq_eventfd_enabled(r));
    assert_eq!(io_uring_cq_eventfd_toggle(r, false), 0);
    assert_eq!(s.cq_word(W_FLAGS), IORING_CQ_EVENTFD_DISABLED);
    assert!(!io_uring_cq_eventfd_enabled(r));
    assert_eq!(io_uring_cq_eventfd_toggle(r, false), 0);
    s.set_cq_word(W_FLAGS, s.cq_word(W_FLAGS) | 0x80);
    assert_eq!(io_uring_cq_eventfd_toggle(r, true), 0);
    assert_eq!(s.cq_word(W_FLAGS), 0x80);
    // Kernels without the CQ flags word: always enabled, cannot disable.
    s.ring.cq.kflags = ptr::null_mut();
    assert!(io_uring_cq_eventfd_enabled(r));
    assert_eq!(io_uring_cq_eventfd_toggle(r, true), 0);
    assert_eq!(io_uring_cq_eventfd_toggle(r, false), -libc::EOPNOTSUPP);
}

#[test]
fn get_sqe_until_full_across_wrap() {
    let start = u32::MAX - 5;
    let mut s = sim(8, 16, 0, start);
    let r = s.rp();
    assert_eq!(io_uring_sq_space_left(r), 8);
    let mut got = Vec::new();
    for i in 0..8u32 {
        let sqe = io_uring_get_sqe(r);
        assert!(!sqe.is_null());
        assert_eq!(s.sqe_index(sqe), (start.wrapping_add(i) & 7) as usize);
        got.push(sqe);
        assert_eq!(io_uring_sq_ready(r), i + 1);
        assert_eq!(io_uring_sq_space_left(r), 7 - i);
    }
    assert!(io_uring_get_sqe(r).is_null());
    assert_eq!(s.ring.sq.sqe_tail, start.wrapping_add(8));
    // SQPOLL ring that is full: sqring_wait enters the kernel (EBADF here).
    s.ring.set_setup_flags(s.ring.flags | IORING_SETUP_SQPOLL);
    assert_eq!(io_uring_sqring_wait(r), -libc::EBADF);
    // The kernel consumes three: three slots free again, reused in order.
    s.set_sq_word(W_HEAD, start.wrapping_add(3));
    assert_eq!(io_uring_sq_space_left(r), 3);
    assert_eq!(io_uring_sqring_wait(r), 0);
    s.ring.flags &= !IORING_SETUP_SQPOLL;
    let sqe = io_uring_get_sqe(r);
    assert_eq!(sqe, got[0]);
    assert_eq!(io_uring_sq_ready(r), 6);
    // A full non-SQPOLL ring: sqring_wait has nothing to wait for.
    assert_eq!(io_uring_sqring_wait(r), 0);
}

#[test]
fn get_sqe_clears_stale_fields() {
    let mut s = sim(2, 4, 0, 0);
    let r = s.rp();
    let stale = io_uring_sqe {
        opcode: 9,
        flags: 0xff,
        ioprio: 0xffff,
        fd: 3,
        off: 4,
        addr: 5,
        len: 6,
        op_flags: 7,
        user_data: 8,
        buf_index: 9,
        personality: 10,
        file_index: 11,
        addr3: 12,
        __pad2: [13],
    };
    s.sqes_mut()[0] = stale;
    let sqe = io_uring_get_sqe(r);
    assert_eq!(s.sqe_index(sqe), 0);
    let got = s.sqes()[0];
    let mut want = stale;
    want.flags = 0;
    want.ioprio = 0;
    want.op_flags = 0;
    want.buf_index = 0;
    want.personality = 0;
    want.file_index = 0;
    want.addr3 = 0;
    want.__pad2 = [0];
    assert_eq!(got, want);
}

#[test]
fn get_sqe128_on_mixed_and_big_rings() {
    // Not a 128-byte capable ring.
    let mut plain = sim(8, 16, 0, 0);
    assert!(io_uring_get_sqe128(plain.rp()).is_null());

    // SQE128: every SQE is 128 bytes, indexes shifted by one.
    let mut big = sim(4, 8, IORING_SETUP_SQE128, 3);
    let sqe = io_uring_get_sqe128(big.rp());
    assert_eq!(big.sqe_index(sqe), 6);
    assert_eq!(big.ring.sq.sqe_tail, 4);

    // SQE_MIXED: two adjacent 64-byte slots.
    let start = u32::MAX - 3; // slot 4 of 8
    let mut s = sim(8, 16, IORING_SETUP_SQE_MIXED, start);
    let r = s.rp();
    let a = io_uring_get_sqe128(r);
    assert_eq!(s.sqe_index(a), 4);
    assert_eq!(s.ring.sq.sqe_tail, start.wrapping_add(2));
    let b = io_uring_get_sqe(r); // slot 6
    assert_eq!(s.sqe_index(b), 6);
    // Tail at slot 7, the last: a NOP fills it, the big SQE takes 0 and 1.
    s.sqes_mut()[7] = io_uring_sqe {
        opcode: 0x77,
        flags: 0x80,
        ioprio: 1,
        fd: 5,
        off: 6,
        addr: 7,
        len: 8,
        user_data: 0x1234,
        ..Default::default()
    };
    s.sqes_mut()[0].flags = 0xff;
    let c = io_uring_get_sqe128(r);
    assert_eq!(s.sqe_index(c), 0);
    assert_eq!(s.ring.sq.sqe_tail, start.wrapping_add(6));
    let nop = s.sqes()[7];
    assert_eq!(
        (nop.opcode, nop.fd, nop.off, nop.addr, nop.len),
        (IORING_OP_NOP, -1, 0, 0, 0)
    );
    assert_eq!(nop.flags, IOSQE_CQE_SKIP_SUCCESS);
    assert_eq!(nop.ioprio, 0);
    // user_data is not an initialized field: it keeps what was there.
    assert_eq!(nop.user_data, 0x1234);
    assert_eq!(s.sqes()[0].flags, 0);
    assert_eq!(io_uring_sq_ready(r), 6);
    // Two slots left (2, 3): one big SQE fits, then nothing.
    let d = io_uring_get_sqe128(r);
    assert_eq!(s.sqe_index(d), 2);
    assert!(io_uring_get_sqe128(r).is_null());
    assert!(io_uring_get_sqe(r).is_null());
    assert_eq!(io_uring_sq_space_left(r), 0);

    // Wrapping needs three free slots: with exactly two at the end of the
    // ring, no SQE is handed out and nothing changes.
    let mut t = sim(4, 8, IORING_SETUP_SQE_MIXED, 0);
    let r = t.rp();
    t.ring.sq.sqe_tail = 3;
    t.set_sq_word(W_HEAD, 1); // slots 3 and 0 free
    assert!(io_uring_get_sqe128(r).is_null());
    assert_eq!(t.ring.sq.sqe_tail, 3);
    t.set_sq_word(W_HEAD, 2); // slots 3, 0, 1 free
    let e = io_uring_get_sqe128(r);
    assert_eq!(t.sqe_index(e), 0);
    assert_eq!(t.ring.sq.sqe_tail, 6);
    assert_eq!(t.sqes()[3].opcode, IORING_OP_NOP);
}

#[test]
fn buffer_ring_add_and_advance() {
    let mut bufs = vec![io_uring_buf::default(); 8];
    let br = bufs.as_mut_ptr().cast::<io_uring_buf_ring>();
    let mask = io_uring_buf_ring_mask(8);
    assert_eq!(mask, 7);
    io_uring_buf_ring_init(br);
    assert_eq!(bufs[0].resv, 0);
    bufs[0].resv = u16::MAX - 1; // the ring's tail
    for i in 0..4u16 {
        io_uring_buf_ring_add(
            br,
            (0x1000 * (i as usize + 1)) as *mut _,
            100 + i as u32,
            i,
            mask,
            i as i32,
        );
    }
    // Slots (65534 + i) & 7 = 6, 7, 0, 1; slot 0's resv is the tail and must
    // survive the add into slot 0.
    assert_eq!(bufs[6].addr, 0x1000);
    assert_eq!(bufs[7].bid, 1);
    assert_eq!((bufs[0].addr, bufs[0].len, bufs[0].bid), (0x3000, 102, 2));
    assert_eq!(bufs[0].resv, u16::MAX - 1);
    assert_eq!(bufs[1].len, 103);
    let mut s = sim(4, 8, 0, 0);
    let r = s.rp();
    s.post(1, 0, 0);
    s.post(2, 0, 0);
    io_uring_buf_ring_cq_advance(r, br, 2);
    assert_eq!(bufs[0].resv, 0);
    assert_eq!(s.cq_word(W_HEAD), 2);
    __io_uring_buf_ring_cq_advance(r, br, 0, 2);
    assert_eq!(bufs[0].resv, 2);
    assert_eq!(s.cq_word(W_HEAD), 2);
    io_uring_buf_ring_advance(br, -3);
    assert_eq!(bufs[0].resv, u16::MAX);
    // Asking the kernel for the head of a group on a ring that is not
    // there reports the kernel's error.
    assert_eq!(io_uring_buf_ring_available(r, br, 0), -libc::EBADF);
}

#[test]
fn probe_and_data_helpers() {
    #[repr(C)]
    struct Probe {
        hdr: io_uring_probe,
        ops: [io_uring_probe_op; 4],
    }
    let mut p = Probe {
        hdr: io_uring_probe::default(),
        ops: [io_uring_probe_op::default(); 4],
    };
    p.hdr.last_op = 2;
    p.ops[1].flags = 1;
    p.ops[2].flags = 2;
    p.ops[3].flags = 1;
    let pp = &p.hdr as *const io_uring_probe;
    let sup = |op| io_uring_opcode_supported(pp, op);
    assert_eq!((sup(-1), sup(0), sup(1), sup(2), sup(3)), (0, 0, 1, 0, 0));

    let mut sqe = io_uring_sqe::default();
    io_uring_sqe_set_data(&mut sqe, 0x1234 as *mut _);
    assert_eq!(sqe.user_data, 0x1234);
    io_uring_sqe_set_data64(&mut sqe, u64::MAX);
    io_uring_sqe_set_flags(&mut sqe, 0x1_41);
    io_uring_sqe_set_buf_group(&mut sqe, 0x1_0005);
    assert_eq!((sqe.user_data, sqe.flags, sqe.buf_index), (u64::MAX, 0x41, 5));
    let cqe = io_uring_cqe {
        user_data: 0xdead_beef,
        res: 0,
        flags: 0,
        ..Default::default()
    };
    assert_eq!(io_uring_cqe_get_data(&cqe) as usize, 0xdead_beef);
}

/// Every way `io_uring_peek_batch_cqe` can fill an array (short scalar
/// batches, long runs split where the index wraps, tails claiming more than
/// the ring holds), against the plain definition: entry i is slot
/// `(head + i) & mask`, shifted for CQE32; nothing past the batch is written.
#[test]
fn peek_batch_pointers_match_the_slot_formula() {
    // Through the C export (this target's choice of filling), then through
    // each choice of PEEK_BATCH_INLINE_UNWRAPPED directly, so that both are
    // tested whatever the host.
    check_peek_batch_pointers(|sim, out| {
        io_uring_peek_batch_cqe(sim.rp(), out.as_mut_ptr(), out.len() as c_uint) as usize
    });
    // SAFETY (both): rp() is the simulated ring, live for the call.
    check_peek_batch_pointers(|sim, out| unsafe { &mut *sim.rp() }.peek_batch_in::<true>(out).unwrap_or(0) as usize);
    check_peek_batch_pointers(|sim, out| unsafe { &mut *sim.rp() }.peek_batch_in::<false>(out).unwrap_or(0) as usize);
}

fn check_peek_batch_pointers(peek: impl Fn(&mut SimRing, &mut [*mut io_uring_cqe]) -> usize) {
    for flags in [0, IORING_SETUP_CQE32] {
        for entries in [1u32, 2, 8, 16, 64] {
            for head in [0u32, 1, entries - 1, entries / 2, u32::MAX - 3, u32::MAX] {
                for ready in [1u32, 2, 7, 8, 9, entries, entries + 5, 3 * entries + 1, 1000] {
                    for count in [1usize, 3, 8, 9, 33, 200, 1200] {
                        let mut sim = sim(entries, entries, flags, head);
                        sim.set_cq_word(W_TAIL, head.wrapping_add(ready));
                        let mut out = vec![ptr::null_mut(); count];
                        let n = peek(&mut sim, &mut out);
                        assert_eq!(n, count.min(ready as usize));
                        let shift = crate::ring::cqe_shift_from_flags(flags);
                        for (i, &p) in out.iter().enumerate() {
                            if i < n {
                                let slot = (head.wrapping_add(i as u32) & (entries - 1)) << shift;
                                assert_eq!(sim.unit_of(p), slot as usize);
                            } else {
                                assert!(p.is_null(), "wrote past the batch");
                            }
                        }
                    }
                }
            }
        }
    }
}
