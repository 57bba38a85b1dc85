//! liburing's inline helpers as real symbols, for liburing-ffi.so.2.
//!
//! C programs get these helpers from the header as `static inline`
//! functions; languages that cannot compile C call these exports instead.
//! Each one has the C signature of liburing 2.15's helper of the same name
//! and does what that helper does, through the Rust layers (`prep`, `ring`,
//! `cq_iter`, `buf_ring`, `recvmsg`). `liburing-ffi.map` exports them;
//! `liburing.map` hides them from liburing.so.2.
//!
//! Where liburing would dereference a NULL pointer argument (an SQE, a ring,
//! a CQE), these return without effect (or return 0, false, NULL or
//! `-EINVAL` where a value is due) instead of crashing. Out-pointers that
//! liburing always writes are written when non-NULL.

use core::ffi::{c_char, c_int, c_uint, c_void};
use core::ptr;

use super::queue::deliver;
use super::{ring_or, ring_or_no_entry_check, NULL_RING};
use crate::check;
use crate::cq_iter::{self, io_uring_cqe_iter};
use crate::ring::io_uring;
use crate::sys::*;
use crate::{buf_ring, prep, recvmsg};

/// Exports prep helpers whose first C parameter is the SQE. A NULL SQE is
/// left alone.
macro_rules! prep_exports {
    ($( fn $name:ident => $imp:ident ( $($arg:ident : $ty:ty),* $(,)? ); )*) => {$(
        #[no_mangle]
        pub unsafe extern "C" fn $name(sqe: *mut io_uring_sqe $(, $arg: $ty)*) {
            // SAFETY: a non-NULL SQE pointer from C points to an SQE that the
            // caller owns for the duration of the call.
            if let Some(sqe) = unsafe { sqe.as_mut() } {
                prep::$imp(sqe $(, $arg)*);
            }
        }
    )*};
}

/// `io_uring_prep_rw` takes the opcode before the SQE.
#[no_mangle]
pub unsafe extern "C" fn io_uring_prep_rw(
    op: c_int,
    sqe: *mut io_uring_sqe,
    fd: c_int,
    addr: *const c_void,
    len: c_uint,
    offset: u64,
) {
    // SAFETY: as in `prep_exports!`.
    if let Some(sqe) = unsafe { sqe.as_mut() } {
        prep::prep_rw(op, sqe, fd, addr, len, offset);
    }
}

prep_exports! {
    fn io_uring_prep_splice => prep_splice(fd_in: c_int, off_in: i64, fd_out: c_int, off_out: i64,
        nbytes: c_uint, splice_flags: c_uint);
    fn io_uring_prep_tee => prep_tee(fd_in: c_int, fd_out: c_int, nbytes: c_uint, splice_flags: c_uint);
    fn io_uring_prep_readv => prep_readv(fd: c_int, iovecs: *const libc::iovec, nr_vecs: c_uint, offset: u64);
    fn io_uring_prep_readv2 => prep_readv2(fd: c_int, iovecs: *const libc::iovec, nr_vecs: c_uint, offset: u64,
        flags: c_int);
    fn io_uring_prep_read_fixed => prep_read_fixed(fd: c_int, buf: *mut c_void, nbytes: c_uint, offset: u64,
        buf_index: c_int);
    fn io_uring_prep_readv_fixed => prep_readv_fixed(fd: c_int, iovecs: *const libc::iovec, nr_vecs: c_uint,
        offset: u64, flags: c_int, buf_index: c_int);
    fn io_uring_prep_writev => prep_writev(fd: c_int, iovecs: *const libc::iovec, nr_vecs: c_uint, offset: u64);
    fn io_uring_prep_writev2 => prep_writev2(fd: c_int, iovecs: *const libc::iovec, nr_vecs: c_uint, offset: u64,
        flags: c_int);
    fn io_uring_prep_write_fixed => prep_write_fixed(fd: c_int, buf: *const c_void, nbytes: c_uint, offset: u64,
        buf_index: c_int);
    fn io_uring_prep_writev_fixed => prep_writev_fixed(fd: c_int, iovecs: *const libc::iovec, nr_vecs: c_uint,
        offset: u64, flags: c_int, buf_index: c_int);
    fn io_uring_prep_recvmsg => prep_recvmsg(fd: c_int, msg: *mut libc::msghdr, flags: c_uint);
    fn io_uring_prep_recvmsg_multishot => prep_recvmsg_multishot(fd: c_int, msg: *mut libc::msghdr, flags: c_uint);
    fn io_uring_prep_sendmsg => prep_sendmsg(fd: c_int, msg: *const libc::msghdr, flags: c_uint);
    fn io_uring_prep_poll_add => prep_poll_add(fd: c_int, poll_mask: c_uint);
    fn io_uring_prep_poll_multishot => prep_poll_multishot(fd: c_int, poll_mask: c_uint);
    fn io_uring_prep_poll_remove => prep_poll_remove(user_data: u64);
    fn io_uring_prep_poll_update => prep_poll_update(old_user_data: u64, new_user_data: u64, poll_mask: c_uint,
        flags: c_uint);
    fn io_uring_prep_fsync => prep_fsync(fd: c_int, fsync_flags: c_uint);
    fn io_uring_prep_nop => prep_nop();
    fn io_uring_prep_nop128 => prep_nop128();
    fn io_uring_prep_timeout => prep_timeout(ts: *const __kernel_timespec, count: c_uint, flags: c_uint);
    fn io_uring_prep_timeout_remove => prep_timeout_remove(user_data: u64, flags: c_uint);
    fn io_uring_prep_timeout_update => prep_timeout_update(ts: *const __kernel_timespec, user_data: u64,
        flags: c_uint);
    fn io_uring_prep_accept => prep_accept(fd: c_int, addr: *mut libc::sockaddr, addrlen: *mut libc::socklen_t,
        flags: c_int);
    fn io_uring_prep_accept_direct => prep_accept_direct(fd: c_int, addr: *mut libc::sockaddr,
        addrlen: *mut libc::socklen_t, flags: c_int, file_index: c_uint);
    fn io_uring_prep_multishot_accept => prep_multishot_accept(fd: c_int, addr: *mut libc::sockaddr,
        addrlen: *mut libc::socklen_t, flags: c_int);
    fn io_uring_prep_multishot_accept_direct => prep_multishot_accept_direct(fd: c_int, addr: *mut libc::sockaddr,
        addrlen: *mut libc::socklen_t, flags: c_int);
    fn io_uring_prep_cancel64 => prep_cancel64(user_data: u64, flags: c_int);
    fn io_uring_prep_cancel => prep_cancel(user_data: *const c_void, flags: c_int);
    fn io_uring_prep_cancel_fd => prep_cancel_fd(fd: c_int, flags: c_uint);
    fn io_uring_prep_link_timeout => prep_link_timeout(ts: *const __kernel_timespec, flags: c_uint);
    fn io_uring_prep_connect => prep_connect(fd: c_int, addr: *const libc::sockaddr, addrlen: libc::socklen_t);
    fn io_uring_prep_bind => prep_bind(fd: c_int, addr: *const libc::sockaddr, addrlen: libc::socklen_t);
    fn io_uring_prep_listen => prep_listen(fd: c_int, backlog: c_int);
    fn io_uring_prep_epoll_wait => prep_epoll_wait(fd: c_int, events: *mut libc::epoll_event, maxevents: c_int,
        flags: c_uint);
    fn io_uring_prep_files_update => prep_files_update(fds: *mut c_int, nr_fds: c_uint, offset: c_int);
    fn io_uring_prep_fallocate => prep_fallocate(fd: c_int, mode: c_int, offset: u64, len: u64);
    fn io_uring_prep_openat => prep_openat(dfd: c_int, path: *const c_char, flags: c_int, mode: libc::mode_t);
    fn io_uring_prep_openat_direct => prep_openat_direct(dfd: c_int, path: *const c_char, flags: c_int,
        mode: libc::mode_t, file_index: c_uint);
    fn io_uring_prep_open => prep_open(path: *const c_char, flags: c_int, mode: libc::mode_t);
    fn io_uring_prep_open_direct => prep_open_direct(path: *const c_char, flags: c_int, mode: libc::mode_t,
        file_index: c_uint);
    fn io_uring_prep_close => prep_close(fd: c_int);
    fn io_uring_prep_close_direct => prep_close_direct(file_index: c_uint);
    fn io_uring_prep_read => prep_read(fd: c_int, buf: *mut c_void, nbytes: c_uint, offset: u64);
    fn io_uring_prep_read_multishot => prep_read_multishot(fd: c_int, nbytes: c_uint, offset: u64,
        buf_group: c_int);
    fn io_uring_prep_write => prep_write(fd: c_int, buf: *const c_void, nbytes: c_uint, offset: u64);
    fn io_uring_prep_statx => prep_statx(dfd: c_int, path: *const c_char, flags: c_int, mask: c_uint,
        statxbuf: *mut c_void);
    fn io_uring_prep_fadvise => prep_fadvise(fd: c_int, offset: u64, len: u32, advice: c_int);
    fn io_uring_prep_madvise => prep_madvise(addr: *mut c_void, length: u32, advice: c_int);
    fn io_uring_prep_fadvise64 => prep_fadvise64(fd: c_int, offset: u64, len: libc::off_t, advice: c_int);
    fn io_uring_prep_madvise64 => prep_madvise64(addr: *mut c_void, length: libc::off_t, advice: c_int);
    fn io_uring_prep_send => prep_send(sockfd: c_int, buf: *const c_void, len: usize, flags: c_int);
    fn io_uring_prep_send_bundle => prep_send_bundle(sockfd: c_int, len: usize, flags: c_int);
    fn io_uring_prep_send_set_addr => prep_send_set_addr(dest_addr: *const libc::sockaddr, addr_len: u16);
    fn io_uring_prep_sendto => prep_sendto(sockfd: c_int, buf: *const c_void, len: usize, flags: c_int,
        addr: *const libc::sockaddr, addrlen: libc::socklen_t);
    fn io_uring_prep_send_zc => prep_send_zc(sockfd: c_int, buf: *const c_void, len: usize, flags: c_int,
        zc_flags: c_uint);
    fn io_uring_prep_send_zc_fixed => prep_send_zc_fixed(sockfd: c_int, buf: *const c_void, len: usize,
        flags: c_int, zc_flags: c_uint, buf_index: c_uint);
    fn io_uring_prep_sendmsg_zc => prep_sendmsg_zc(fd: c_int, msg: *const libc::msghdr, flags: c_uint);
    fn io_uring_prep_sendmsg_zc_fixed => prep_sendmsg_zc_fixed(fd: c_int, msg: *const libc::msghdr, flags: c_uint,
        buf_index: c_uint);
    fn io_uring_prep_recv => prep_recv(sockfd: c_int, buf: *mut c_void, len: usize, flags: c_int);
    fn io_uring_prep_recv_multishot => prep_recv_multishot(sockfd: c_int, buf: *mut c_void, len: usize,
        flags: c_int);
    fn io_uring_prep_openat2 => prep_openat2(dfd: c_int, path: *const c_char, how: *const c_void);
    fn io_uring_prep_openat2_direct => prep_openat2_direct(dfd: c_int, path: *const c_char, how: *const c_void,
        file_index: c_uint);
    fn io_uring_prep_epoll_ctl => prep_epoll_ctl(epfd: c_int, fd: c_int, op: c_int, ev: *const libc::epoll_event);
    fn io_uring_prep_provide_buffers => prep_provide_buffers(addr: *mut c_void, len: c_int, nr: c_int, bgid: c_int,
        bid: c_int);
    fn io_uring_prep_remove_buffers => prep_remove_buffers(nr: c_int, bgid: c_int);
    fn io_uring_prep_shutdown => prep_shutdown(fd: c_int, how: c_int);
    fn io_uring_prep_unlinkat => prep_unlinkat(dfd: c_int, path: *const c_char, flags: c_int);
    fn io_uring_prep_unlink => prep_unlink(path: *const c_char, flags: c_int);
    fn io_uring_prep_renameat => prep_renameat(olddfd: c_int, oldpath: *const c_char, newdfd: c_int,
        newpath: *const c_char, flags: c_uint);
    fn io_uring_prep_rename => prep_rename(oldpath: *const c_char, newpath: *const c_char);
    fn io_uring_prep_sync_file_range => prep_sync_file_range(fd: c_int, len: c_uint, offset: u64, flags: c_int);
    fn io_uring_prep_mkdirat => prep_mkdirat(dfd: c_int, path: *const c_char, mode: libc::mode_t);
    fn io_uring_prep_mkdir => prep_mkdir(path: *const c_char, mode: libc::mode_t);
    fn io_uring_prep_symlinkat => prep_symlinkat(target: *const c_char, newdirfd: c_int, linkpath: *const c_char);
    fn io_uring_prep_symlink => prep_symlink(target: *const c_char, linkpath: *const c_char);
    fn io_uring_prep_linkat => prep_linkat(olddfd: c_int, oldpath: *const c_char, newdfd: c_int,
        newpath: *const c_char, flags: c_int);
    fn io_uring_prep_link => prep_link(oldpath: *const c_char, newpath: *const c_char, flags: c_int);
    fn io_uring_prep_msg_ring_cqe_flags => prep_msg_ring_cqe_flags(fd: c_int, len: c_uint, data: u64,
        flags: c_uint, cqe_flags: c_uint);
    fn io_uring_prep_msg_ring => prep_msg_ring(fd: c_int, len: c_uint, data: u64, flags: c_uint);
    fn io_uring_prep_msg_ring_fd => prep_msg_ring_fd(fd: c_int, source_fd: c_int, target_fd: c_int, data: u64,
        flags: c_uint);
    fn io_uring_prep_msg_ring_fd_alloc => prep_msg_ring_fd_alloc(fd: c_int, source_fd: c_int, data: u64,
        flags: c_uint);
    fn io_uring_prep_getxattr => prep_getxattr(name: *const c_char, value: *mut c_char, path: *const c_char,
        len: c_uint);
    fn io_uring_prep_setxattr => prep_setxattr(name: *const c_char, value: *const c_char, path: *const c_char,
        flags: c_int, len: c_uint);
    fn io_uring_prep_fgetxattr => prep_fgetxattr(fd: c_int, name: *const c_char, value: *mut c_char, len: c_uint);
    fn io_uring_prep_fsetxattr => prep_fsetxattr(fd: c_int, name: *const c_char, value: *const c_char,
        flags: c_int, len: c_uint);
    fn io_uring_prep_socket => prep_socket(domain: c_int, type_: c_int, protocol: c_int, flags: c_uint);
    fn io_uring_prep_socket_direct => prep_socket_direct(domain: c_int, type_: c_int, protocol: c_int,
        file_index: c_uint, flags: c_uint);
    fn io_uring_prep_socket_direct_alloc => prep_socket_direct_alloc(domain: c_int, type_: c_int, protocol: c_int,
        flags: c_uint);
    fn io_uring_prep_uring_cmd => prep_uring_cmd(cmd_op: c_int, fd: c_int);
    fn io_uring_prep_uring_cmd128 => prep_uring_cmd128(cmd_op: c_int, fd: c_int);
    fn io_uring_prep_cmd_sock => prep_cmd_sock(cmd_op: c_int, fd: c_int, level: c_int, optname: c_int,
        optval: *mut c_void, optlen: c_int);
    fn io_uring_prep_cmd_getsockname => prep_cmd_getsockname(fd: c_int, sockaddr: *mut libc::sockaddr,
        sockaddr_len: *mut libc::socklen_t, peer: c_int);
    fn io_uring_prep_waitid => prep_waitid(idtype: libc::idtype_t, id: libc::id_t, infop: *mut libc::siginfo_t,
        options: c_int, flags: c_uint);
    fn io_uring_prep_futex_wake => prep_futex_wake(futex: *const u32, val: u64, mask: u64, futex_flags: u32,
        flags: c_uint);
    fn io_uring_prep_futex_wait => prep_futex_wait(futex: *const u32, val: u64, mask: u64, futex_flags: u32,
        flags: c_uint);
    fn io_uring_prep_futex_waitv => prep_futex_waitv(futex: *const c_void, nr_futex: u32, flags: c_uint);
    fn io_uring_prep_fixed_fd_install => prep_fixed_fd_install(fd: c_int, flags: c_uint);
    fn io_uring_prep_ftruncate => prep_ftruncate(fd: c_int, len: i64);
    fn io_uring_prep_cmd_discard => prep_cmd_discard(fd: c_int, offset: u64, nbytes: u64);
    fn io_uring_prep_pipe => prep_pipe(fds: *mut c_int, pipe_flags: c_int);
    fn io_uring_prep_pipe_direct => prep_pipe_direct(fds: *mut c_int, pipe_flags: c_int, file_index: c_uint);

    fn io_uring_sqe_set_data64 => sqe_set_data64(data: u64);
    fn io_uring_sqe_set_flags => sqe_set_flags(flags: c_uint);
    fn io_uring_sqe_set_buf_group => sqe_set_buf_group(bgid: c_int);
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_sqe_set_data(sqe: *mut io_uring_sqe, data: *mut c_void) {
    // SAFETY: as in `prep_exports!`.
    if let Some(sqe) = unsafe { sqe.as_mut() } {
        prep::sqe_set_data64(sqe, data as usize as u64);
    }
}

// ---- CQEs ----

#[no_mangle]
pub unsafe extern "C" fn io_uring_cqe_get_data(cqe: *const io_uring_cqe) -> *mut c_void {
    // SAFETY: a non-NULL CQE pointer from C points to a readable CQE.
    match unsafe { cqe.as_ref() } {
        Some(cqe) => cqe.user_data as usize as *mut c_void,
        None => ptr::null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_cqe_get_data64(cqe: *const io_uring_cqe) -> u64 {
    // SAFETY: as above.
    match unsafe { cqe.as_ref() } {
        Some(cqe) => cqe.user_data,
        None => 0,
    }
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_cqe_nr(cqe: *const io_uring_cqe) -> c_uint {
    if cqe.is_null() {
        return 0;
    }
    // SAFETY: non-NULL CQE pointer from C.
    unsafe { cq_iter::cqe_nr(cqe) }
}

/// Returned by value, as liburing does; a NULL ring gives an empty iterator.
#[no_mangle]
pub unsafe extern "C" fn io_uring_cqe_iter_init(ring: *const io_uring) -> io_uring_cqe_iter {
    check::hooked!(ring_call(ring), (ring: *const io_uring) -> io_uring_cqe_iter, {
        io_uring_cqe_iter::new(ring_or_no_entry_check!(ref ring, io_uring_cqe_iter::EMPTY))
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_cqe_iter_next(iter: *mut io_uring_cqe_iter, cqe: *mut *mut io_uring_cqe) -> bool {
    // SAFETY: a non-NULL iterator pointer from C points to an iterator that
    // io_uring_cqe_iter_init filled.
    let Some(iter) = (unsafe { iter.as_mut() }) else {
        return false;
    };
    // SAFETY: the iterator was filled by io_uring_cqe_iter_init on a ring
    // that the caller keeps set up.
    match unsafe { iter.next_cqe() } {
        Some(next) => {
            if !cqe.is_null() {
                // SAFETY: non-NULL out pointer from C.
                unsafe { *cqe = next };
            }
            true
        }
        None => false,
    }
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_cq_advance(ring: *mut io_uring, nr: c_uint) {
    check::hooked!(advancing(ring, nr), (
        ring: *mut io_uring,
        nr: c_uint,
    ) -> (), {
        ring_or_no_entry_check!(ring).cq_advance(nr);
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_cqe_seen(ring: *mut io_uring, cqe: *mut io_uring_cqe) {
    check::hooked!(seeing(ring, cqe), (
        ring: *mut io_uring,
        cqe: *mut io_uring_cqe,
    ) -> (), {
        let ring = ring_or_no_entry_check!(ring);
        if !cqe.is_null() {
            // SAFETY: non-NULL CQE pointer from C.
            ring.cq_advance(unsafe { cq_iter::cqe_nr(cqe) });
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_cq_ready(ring: *const io_uring) -> c_uint {
    check::hooked!(ring_call(ring), (ring: *const io_uring) -> c_uint, {
        ring_or_no_entry_check!(ref ring, 0).cq_ready()
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_cq_has_overflow(ring: *const io_uring) -> bool {
    check::hooked!(ring_call(ring), (ring: *const io_uring) -> bool, {
        ring_or_no_entry_check!(ref ring, false).cq_has_overflow()
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_cq_eventfd_enabled(ring: *const io_uring) -> bool {
    check::hooked!(ring_call(ring), (ring: *const io_uring) -> bool, {
        ring_or_no_entry_check!(ref ring, true).cq_eventfd_enabled()
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_cq_eventfd_toggle(ring: *mut io_uring, enabled: bool) -> c_int {
    ring_or!(ring, NULL_RING).cq_eventfd_toggle(enabled)
}

/// Stores the peeked CQE (NULL when there is none or an internal timeout
/// failed) and the number of ready CQ slots; returns 0 or that failure.
#[no_mangle]
pub unsafe extern "C" fn __io_uring_peek_cqe(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    nr_available: *mut c_uint,
) -> c_int {
    check::hooked!(consuming(ring), (
        ring: *mut io_uring,
        cqe_ptr: *mut *mut io_uring_cqe,
        nr_available: *mut c_uint,
    ) -> c_int, {
        let ring = ring_or_no_entry_check!(ring, NULL_RING);
        let (err, cqe, available) = ring.peek_cqe();
        if !cqe_ptr.is_null() {
            // SAFETY: non-NULL out pointer from C.
            unsafe { *cqe_ptr = cqe };
        }
        if !nr_available.is_null() {
            // SAFETY: non-NULL out pointer from C.
            unsafe { *nr_available = available };
        }
        err
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_wait_cqe_nr(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    wait_nr: c_uint,
) -> c_int {
    check::hooked!(waiting(ring), (
        ring: *mut io_uring,
        cqe_ptr: *mut *mut io_uring_cqe,
        wait_nr: c_uint,
    ) -> c_int, {
        let ring = ring_or_no_entry_check!(ring, NULL_RING);
        deliver(
            crate::complete::get_cqe_sigmask(ring, 0, wait_nr, ptr::null_mut()),
            cqe_ptr,
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_peek_cqe(ring: *mut io_uring, cqe_ptr: *mut *mut io_uring_cqe) -> c_int {
    check::hooked!(consuming(ring), (
        ring: *mut io_uring,
        cqe_ptr: *mut *mut io_uring_cqe,
    ) -> c_int, {
        deliver(crate::complete::peek_cqe(ring_or_no_entry_check!(ring, NULL_RING)), cqe_ptr)
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_wait_cqe(ring: *mut io_uring, cqe_ptr: *mut *mut io_uring_cqe) -> c_int {
    check::hooked!(waiting(ring), (
        ring: *mut io_uring,
        cqe_ptr: *mut *mut io_uring_cqe,
    ) -> c_int, {
        deliver(crate::complete::wait_cqe(ring_or_no_entry_check!(ring, NULL_RING)), cqe_ptr)
    })
}

// ---- SQ ----

#[no_mangle]
pub unsafe extern "C" fn io_uring_get_sqe128(ring: *mut io_uring) -> *mut io_uring_sqe {
    check::hooked!(getting_sqe(ring), (ring: *mut io_uring) -> *mut io_uring_sqe, {
        ring_or_no_entry_check!(ring, ptr::null_mut()).get_sqe128()
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_sq_ready(ring: *const io_uring) -> c_uint {
    check::hooked!(ring_call(ring), (ring: *const io_uring) -> c_uint, {
        ring_or_no_entry_check!(ref ring, 0).sq_ready()
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_sq_space_left(ring: *const io_uring) -> c_uint {
    check::hooked!(ring_call(ring), (ring: *const io_uring) -> c_uint, {
        ring_or_no_entry_check!(ref ring, 0).sq_space_left()
    })
}

/// With SQPOLL and a full SQ, waits until the SQ thread frees a slot.
#[no_mangle]
pub unsafe extern "C" fn io_uring_sqring_wait(ring: *mut io_uring) -> c_int {
    crate::submit::sqring_wait(ring_or!(ring, NULL_RING))
}

// ---- probe ----

#[no_mangle]
pub unsafe extern "C" fn io_uring_opcode_supported(p: *const io_uring_probe, op: c_int) -> c_int {
    if p.is_null() {
        return 0;
    }
    // SAFETY: a non-NULL probe from C was filled by io_uring_get_probe*.
    unsafe { crate::probe::opcode_supported(p, op) as c_int }
}

// ---- provided-buffer rings ----

#[no_mangle]
pub extern "C" fn io_uring_buf_ring_mask(ring_entries: u32) -> c_int {
    buf_ring::buf_ring_mask(ring_entries)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_buf_ring_init(br: *mut io_uring_buf_ring) {
    if !br.is_null() {
        // SAFETY: non-NULL buffer ring pointer from C.
        unsafe { buf_ring::buf_ring_init(br) };
    }
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_buf_ring_add(
    br: *mut io_uring_buf_ring,
    addr: *mut c_void,
    len: c_uint,
    bid: u16,
    mask: c_int,
    buf_offset: c_int,
) {
    if !br.is_null() {
        // SAFETY: non-NULL buffer ring pointer from C, with its mask.
        unsafe { buf_ring::buf_ring_add(br, addr, len, bid, mask, buf_offset) };
    }
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_buf_ring_advance(br: *mut io_uring_buf_ring, count: c_int) {
    if !br.is_null() {
        // SAFETY: non-NULL buffer ring pointer from C.
        unsafe { buf_ring::buf_ring_advance(br, count) };
    }
}

#[no_mangle]
pub unsafe extern "C" fn __io_uring_buf_ring_cq_advance(
    ring: *mut io_uring,
    br: *mut io_uring_buf_ring,
    cq_count: c_int,
    buf_count: c_int,
) {
    check::hooked!(advancing(ring, cq_count as u32), (
        ring: *mut io_uring,
        br: *mut io_uring_buf_ring,
        cq_count: c_int,
        buf_count: c_int,
    ) -> (), {
        // SAFETY: the arguments are passed on unchanged.
        unsafe { buf_ring_cq_advance_unchecked(ring, br, cq_count, buf_count) }
    })
}

#[inline(always)]
unsafe fn buf_ring_cq_advance_unchecked(
    ring: *mut io_uring,
    br: *mut io_uring_buf_ring,
    cq_count: c_int,
    buf_count: c_int,
) {
    let ring = ring_or_no_entry_check!(ring);
    if !br.is_null() {
        // SAFETY: non-NULL buffer ring pointer from C.
        unsafe { buf_ring::buf_ring_cq_advance(ring, br, cq_count, buf_count) };
    }
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_buf_ring_cq_advance(ring: *mut io_uring, br: *mut io_uring_buf_ring, count: c_int) {
    check::hooked!(advancing(ring, count as u32), (
        ring: *mut io_uring,
        br: *mut io_uring_buf_ring,
        count: c_int,
    ) -> (), {
        // SAFETY: the arguments are passed on unchanged.
        unsafe { buf_ring_cq_advance_unchecked(ring, br, count, count) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_buf_ring_available(
    ring: *mut io_uring,
    br: *mut io_uring_buf_ring,
    bgid: u16,
) -> c_int {
    let ring = ring_or!(ring, NULL_RING);
    if br.is_null() {
        return -libc::EINVAL;
    }
    // SAFETY: non-NULL buffer ring pointer from C.
    unsafe { buf_ring::buf_ring_available(ring, br, bgid) }
}

// ---- multishot recvmsg buffers ----

#[no_mangle]
pub unsafe extern "C" fn io_uring_recvmsg_validate(
    buf: *mut c_void,
    buf_len: c_int,
    msgh: *mut libc::msghdr,
) -> *mut io_uring_recvmsg_out {
    if msgh.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: non-NULL msghdr from C.
    unsafe { recvmsg::validate(buf, buf_len, msgh) }
}

#[no_mangle]
pub extern "C" fn io_uring_recvmsg_name(o: *mut io_uring_recvmsg_out) -> *mut c_void {
    recvmsg::name(o)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_recvmsg_cmsg_firsthdr(
    o: *mut io_uring_recvmsg_out,
    msgh: *mut libc::msghdr,
) -> *mut libc::cmsghdr {
    if o.is_null() || msgh.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: non-NULL pointers from C to the validated buffer and msghdr.
    unsafe { recvmsg::cmsg_firsthdr(o, msgh) }
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_recvmsg_cmsg_nexthdr(
    o: *mut io_uring_recvmsg_out,
    msgh: *mut libc::msghdr,
    cmsg: *mut libc::cmsghdr,
) -> *mut libc::cmsghdr {
    if o.is_null() || msgh.is_null() || cmsg.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: non-NULL pointers from C into the validated buffer.
    unsafe { recvmsg::cmsg_nexthdr(o, msgh, cmsg) }
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_recvmsg_payload(
    o: *mut io_uring_recvmsg_out,
    msgh: *mut libc::msghdr,
) -> *mut c_void {
    if msgh.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: non-NULL msghdr from C.
    unsafe { recvmsg::payload(o, msgh) }
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_recvmsg_payload_length(
    o: *mut io_uring_recvmsg_out,
    buf_len: c_int,
    msgh: *mut libc::msghdr,
) -> c_uint {
    if msgh.is_null() {
        return 0;
    }
    // SAFETY: non-NULL msghdr from C.
    unsafe { recvmsg::payload_length(o, buf_len, msgh) }
}
