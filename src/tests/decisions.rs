//! The choices the C layer leaves to the layers below, tested where they
//! are made: feature tests, flags the exports add, what a NULL gets.

use core::ptr;

use crate::complete;
use crate::cq_iter::io_uring_cqe_iter;
use crate::register;
use crate::ring::*;
use crate::sys::*;

/// Without `IORING_FEAT_MIN_TIMEOUT` both min-timeout waits refuse with
/// -EINVAL before they touch the ring (a zeroed ring has no mapping to read).
#[test]
fn min_timeout_needs_the_kernel_feature() {
    let mut ring = io_uring::zeroed();
    let ts = ptr::null_mut();
    let sig = ptr::null_mut();
    assert_eq!(
        complete::wait_cqes_min_timeout(&mut ring, 1, ts, 10, sig).err(),
        Some(-libc::EINVAL)
    );
    assert_eq!(
        complete::submit_and_wait_min_timeout(&mut ring, 1, ts, 10, sig).err(),
        Some(-libc::EINVAL)
    );
}

/// `IORING_REGISTER_SRC_REGISTERED` names the source ring by its registered
/// index only when it has one; otherwise its plain fd goes, without the flag.
#[test]
fn clone_buffers_names_the_source_by_its_registered_fd_when_it_has_one() {
    let mut src = io_uring::zeroed();
    src.ring_fd = 7;
    src.enter_ring_fd = 3;
    let other = IORING_REGISTER_DST_REPLACE;

    let arg = register::clone_buffers_arg(&src, 1, 2, 4, IORING_REGISTER_SRC_REGISTERED | other);
    assert_eq!(
        (arg.src_fd, arg.flags),
        (7, other),
        "no registered fd: plain fd, flag dropped"
    );
    assert_eq!((arg.dst_off, arg.src_off, arg.nr), (1, 2, 4));

    src.int_flags |= INT_FLAG_REG_REG_RING;
    let arg = register::clone_buffers_arg(&src, 0, 0, 0, IORING_REGISTER_SRC_REGISTERED | other);
    assert_eq!((arg.src_fd, arg.flags), (3, IORING_REGISTER_SRC_REGISTERED | other));

    let arg = register::clone_buffers_arg(&src, 0, 0, 0, other);
    assert_eq!((arg.src_fd, arg.flags), (7, other), "without the flag: plain fd");
}

/// The iterator a NULL ring gets yields nothing.
#[test]
fn the_empty_cqe_iterator_yields_nothing() {
    let mut iter = io_uring_cqe_iter::EMPTY;
    // SAFETY: head == tail: nothing is read through the NULL array.
    assert!(unsafe { iter.next_cqe() }.is_none());
}

/// The two ways of filling a run of CQE pointers (plain on x86, eight at a
/// time elsewhere; `ring::fill_run`) give the same pointers for every
/// length around the chunk size and both CQE sizes, so that the one this
/// host does not run is still checked here.
#[test]
fn fill_run_by_eight_matches_plain() {
    use crate::ring::{fill_run_by_eight, fill_run_plain};
    use crate::sys::io_uring_cqe;
    let base = 0x1000 as *mut io_uring_cqe;
    for stride in [1usize, 2] {
        for len in 0..40 {
            let mut plain = vec![core::ptr::null_mut(); len];
            let mut by_eight = vec![core::ptr::null_mut(); len];
            fill_run_plain(&mut plain, base, stride);
            fill_run_by_eight(&mut by_eight, base, stride);
            assert_eq!(plain, by_eight, "len {len}, stride {stride}");
            for (i, p) in plain.iter().enumerate() {
                assert_eq!(*p, base.wrapping_add(i * stride));
            }
        }
    }
}

/// The set-up flags' copy that the submit path tests lives in `pad[0]`:
/// `int_flags` after set-up holds only the bits upstream's library sets, and
/// the enter flags are the two enter bits of `int_flags` whatever `pad[0]`
/// holds (both bytes are read as one 16-bit word, in native byte order).
#[test]
fn the_setup_flags_copy_leaves_int_flags_as_upstream_sets_them() {
    for flags in [
        0,
        IORING_SETUP_SQPOLL,
        IORING_SETUP_SQ_REWIND,
        IORING_SETUP_SQPOLL | IORING_SETUP_CQSIZE,
    ] {
        let mut ring = io_uring::zeroed();
        ring.int_flags = INT_FLAG_REG_RING | INT_FLAG_APP_MEM;
        ring.set_setup_flags(flags);
        let expected = flags & (IORING_SETUP_SQPOLL | IORING_SETUP_SQ_REWIND) != 0;
        assert_eq!(ring.sq_rewind_or_sqpoll(), expected, "flags {flags:#x}");
        assert_eq!(ring.int_flags, INT_FLAG_REG_RING | INT_FLAG_APP_MEM, "flags {flags:#x}");
        assert_eq!(ring.enter_flags(), IORING_ENTER_REGISTERED_RING, "flags {flags:#x}");
        assert_eq!(ring.pad[1..], [0, 0]);
    }
    let mut ring = io_uring::zeroed();
    ring.pad[0] = 0xff;
    assert_eq!(ring.enter_flags(), 0, "pad[0] never leaks into the enter flags");
    ring.int_flags = INT_FLAG_NO_IOWAIT;
    assert_eq!(ring.enter_flags(), IORING_ENTER_NO_IOWAIT);
}
