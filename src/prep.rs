//! Preparing SQEs: the Rust side of liburing's `io_uring_prep_*` helpers.
//!
//! Each function writes exactly the SQE fields that liburing 2.15's inline
//! helper of the same name writes, with the same C conversions (truncation,
//! sign or zero extension), and leaves every other byte alone: the SQE came
//! from `io_uring_get_sqe`, which already cleared the fields that not every
//! request sets. Helpers that OR into a field (`ioprio |= ...`) keep what was
//! there. The differential test in `capi-tests/ffi/diff/` holds this to the byte
//! against the C header.
//!
//! Parameters keep liburing's C types (`c_int` vs `c_uint`, `u64`, raw
//! pointers that are stored as addresses and never dereferenced), so the C
//! ABI layer only has to turn the SQE pointer into a reference.

use core::ffi::{c_char, c_int, c_uint, c_void};

use crate::sys::*;

/// `AT_FDCWD`: resolve paths relative to the working directory.
const AT_FDCWD: c_int = libc::AT_FDCWD;

/// The block layer's discard command, `_IO(0x12, 0)` (from `<linux/fs.h>`,
/// not part of the io_uring uapi).
const BLOCK_URING_CMD_DISCARD: u32 = 0x12 << 8;

/// Size of the kernel's `struct open_how` (three `__u64`).
const OPEN_HOW_SIZE: u32 = 24;

/// A pointer as the 64-bit address the kernel reads.
#[inline(always)]
fn addr_of<T: ?Sized>(p: *const T) -> u64 {
    p.cast::<u8>() as usize as u64
}

/// The two 32-bit halves of a 64-bit SQE field, in memory order (C's
/// `{cmd_op, __pad1}` over `off`, `{level, optname}` over `addr`).
#[inline(always)]
fn halves32(v: &mut u64) -> &mut [u32; 2] {
    // SAFETY: [u32; 2] has the size of u64 and a weaker alignment; the
    // borrow of `v` is moved into the result, so nothing else aliases it.
    unsafe { &mut *(v as *mut u64).cast::<[u32; 2]>() }
}

/// The two 16-bit halves of a 32-bit SQE field, in memory order (C's
/// `{addr_len, __pad3[0]}` over `file_index`).
#[inline(always)]
fn halves16(v: &mut u32) -> &mut [u16; 2] {
    // SAFETY: as in `halves32`.
    unsafe { &mut *(v as *mut u32).cast::<[u16; 2]>() }
}

/// The kernel reads `poll32_events` as two swapped 16-bit halves on
/// big-endian machines.
#[inline(always)]
fn poll_mask(mask: u32) -> u32 {
    if cfg!(target_endian = "big") {
        mask.rotate_left(16)
    } else {
        mask
    }
}

/// Direct-descriptor slots are stored as `index + 1` (0 means none); the
/// "allocate a slot" value `IORING_FILE_INDEX_ALLOC` stays all ones.
#[inline(always)]
fn set_target_fixed_file(sqe: &mut io_uring_sqe, file_index: u32) {
    sqe.file_index = file_index.wrapping_add(1);
}

#[inline(always)]
fn alloc_adjusted(file_index: u32) -> u32 {
    if file_index == IORING_FILE_INDEX_ALLOC {
        file_index - 1
    } else {
        file_index
    }
}

/// The five fields every request has: opcode, fd, offset, address, length.
#[inline(always)]
pub fn prep_rw(op: c_int, sqe: &mut io_uring_sqe, fd: c_int, addr: *const c_void, len: c_uint, offset: u64) {
    sqe.opcode = op as u8;
    sqe.fd = fd;
    sqe.off = offset;
    sqe.addr = addr_of(addr);
    sqe.len = len;
}

#[inline(always)]
fn rw(op: u8, sqe: &mut io_uring_sqe, fd: c_int, addr: u64, len: u32, offset: u64) {
    sqe.opcode = op;
    sqe.fd = fd;
    sqe.off = offset;
    sqe.addr = addr;
    sqe.len = len;
}

// ---- splice, tee ----

#[inline(always)]
pub fn prep_splice(
    sqe: &mut io_uring_sqe,
    fd_in: c_int,
    off_in: i64,
    fd_out: c_int,
    off_out: i64,
    nbytes: c_uint,
    splice_flags: c_uint,
) {
    rw(IORING_OP_SPLICE, sqe, fd_out, 0, nbytes, off_out as u64);
    sqe.addr = off_in as u64; // splice_off_in
    sqe.file_index = fd_in as u32; // splice_fd_in
    sqe.op_flags = splice_flags;
}

#[inline(always)]
pub fn prep_tee(sqe: &mut io_uring_sqe, fd_in: c_int, fd_out: c_int, nbytes: c_uint, splice_flags: c_uint) {
    rw(IORING_OP_TEE, sqe, fd_out, 0, nbytes, 0);
    sqe.addr = 0; // splice_off_in
    sqe.file_index = fd_in as u32; // splice_fd_in
    sqe.op_flags = splice_flags;
}

// ---- read / write ----

#[inline(always)]
pub fn prep_readv(sqe: &mut io_uring_sqe, fd: c_int, iovecs: *const libc::iovec, nr_vecs: c_uint, offset: u64) {
    rw(IORING_OP_READV, sqe, fd, addr_of(iovecs), nr_vecs, offset);
}

#[inline(always)]
pub fn prep_readv2(
    sqe: &mut io_uring_sqe,
    fd: c_int,
    iovecs: *const libc::iovec,
    nr_vecs: c_uint,
    offset: u64,
    flags: c_int,
) {
    prep_readv(sqe, fd, iovecs, nr_vecs, offset);
    sqe.op_flags = flags as u32; // rw_flags
}

#[inline(always)]
pub fn prep_read_fixed(
    sqe: &mut io_uring_sqe,
    fd: c_int,
    buf: *mut c_void,
    nbytes: c_uint,
    offset: u64,
    buf_index: c_int,
) {
    rw(IORING_OP_READ_FIXED, sqe, fd, addr_of(buf), nbytes, offset);
    sqe.buf_index = buf_index as u16;
}

#[inline(always)]
pub fn prep_readv_fixed(
    sqe: &mut io_uring_sqe,
    fd: c_int,
    iovecs: *const libc::iovec,
    nr_vecs: c_uint,
    offset: u64,
    flags: c_int,
    buf_index: c_int,
) {
    prep_readv2(sqe, fd, iovecs, nr_vecs, offset, flags);
    sqe.opcode = IORING_OP_READV_FIXED;
    sqe.buf_index = buf_index as u16;
}

#[inline(always)]
pub fn prep_writev(sqe: &mut io_uring_sqe, fd: c_int, iovecs: *const libc::iovec, nr_vecs: c_uint, offset: u64) {
    rw(IORING_OP_WRITEV, sqe, fd, addr_of(iovecs), nr_vecs, offset);
}

#[inline(always)]
pub fn prep_writev2(
    sqe: &mut io_uring_sqe,
    fd: c_int,
    iovecs: *const libc::iovec,
    nr_vecs: c_uint,
    offset: u64,
    flags: c_int,
) {
    prep_writev(sqe, fd, iovecs, nr_vecs, offset);
    sqe.op_flags = flags as u32; // rw_flags
}

#[inline(always)]
pub fn prep_write_fixed(
    sqe: &mut io_uring_sqe,
    fd: c_int,
    buf: *const c_void,
    nbytes: c_uint,
    offset: u64,
    buf_index: c_int,
) {
    rw(IORING_OP_WRITE_FIXED, sqe, fd, addr_of(buf), nbytes, offset);
    sqe.buf_index = buf_index as u16;
}

#[inline(always)]
pub fn prep_writev_fixed(
    sqe: &mut io_uring_sqe,
    fd: c_int,
    iovecs: *const libc::iovec,
    nr_vecs: c_uint,
    offset: u64,
    flags: c_int,
    buf_index: c_int,
) {
    prep_writev2(sqe, fd, iovecs, nr_vecs, offset, flags);
    sqe.opcode = IORING_OP_WRITEV_FIXED;
    sqe.buf_index = buf_index as u16;
}

#[inline(always)]
pub fn prep_read(sqe: &mut io_uring_sqe, fd: c_int, buf: *mut c_void, nbytes: c_uint, offset: u64) {
    rw(IORING_OP_READ, sqe, fd, addr_of(buf), nbytes, offset);
}

#[inline(always)]
pub fn prep_read_multishot(sqe: &mut io_uring_sqe, fd: c_int, nbytes: c_uint, offset: u64, buf_group: c_int) {
    rw(IORING_OP_READ_MULTISHOT, sqe, fd, 0, nbytes, offset);
    sqe.buf_index = buf_group as u16; // buf_group
    sqe.flags = IOSQE_BUFFER_SELECT;
}

#[inline(always)]
pub fn prep_write(sqe: &mut io_uring_sqe, fd: c_int, buf: *const c_void, nbytes: c_uint, offset: u64) {
    rw(IORING_OP_WRITE, sqe, fd, addr_of(buf), nbytes, offset);
}

// ---- messages ----

#[inline(always)]
pub fn prep_recvmsg(sqe: &mut io_uring_sqe, fd: c_int, msg: *mut libc::msghdr, flags: c_uint) {
    rw(IORING_OP_RECVMSG, sqe, fd, addr_of(msg), 1, 0);
    sqe.op_flags = flags; // msg_flags
}

#[inline(always)]
pub fn prep_recvmsg_multishot(sqe: &mut io_uring_sqe, fd: c_int, msg: *mut libc::msghdr, flags: c_uint) {
    prep_recvmsg(sqe, fd, msg, flags);
    sqe.ioprio |= IORING_RECV_MULTISHOT;
}

#[inline(always)]
pub fn prep_sendmsg(sqe: &mut io_uring_sqe, fd: c_int, msg: *const libc::msghdr, flags: c_uint) {
    rw(IORING_OP_SENDMSG, sqe, fd, addr_of(msg), 1, 0);
    sqe.op_flags = flags; // msg_flags
}

#[inline(always)]
pub fn prep_sendmsg_zc(sqe: &mut io_uring_sqe, fd: c_int, msg: *const libc::msghdr, flags: c_uint) {
    prep_sendmsg(sqe, fd, msg, flags);
    sqe.opcode = IORING_OP_SENDMSG_ZC;
}

#[inline(always)]
pub fn prep_sendmsg_zc_fixed(
    sqe: &mut io_uring_sqe,
    fd: c_int,
    msg: *const libc::msghdr,
    flags: c_uint,
    buf_index: c_uint,
) {
    prep_sendmsg_zc(sqe, fd, msg, flags);
    sqe.ioprio |= IORING_RECVSEND_FIXED_BUF;
    sqe.buf_index = buf_index as u16;
}

#[inline(always)]
pub fn prep_send(sqe: &mut io_uring_sqe, sockfd: c_int, buf: *const c_void, len: usize, flags: c_int) {
    rw(IORING_OP_SEND, sqe, sockfd, addr_of(buf), len as u32, 0);
    sqe.op_flags = flags as u32; // msg_flags
}

#[inline(always)]
pub fn prep_send_bundle(sqe: &mut io_uring_sqe, sockfd: c_int, len: usize, flags: c_int) {
    prep_send(sqe, sockfd, core::ptr::null(), len, flags);
    sqe.ioprio |= IORING_RECVSEND_BUNDLE;
}

/// Adds a destination address to a send: `addr2` and `addr_len` only.
#[inline(always)]
pub fn prep_send_set_addr(sqe: &mut io_uring_sqe, dest_addr: *const libc::sockaddr, addr_len: u16) {
    sqe.off = addr_of(dest_addr); // addr2
    halves16(&mut sqe.file_index)[0] = addr_len; // addr_len
}

#[inline(always)]
pub fn prep_sendto(
    sqe: &mut io_uring_sqe,
    sockfd: c_int,
    buf: *const c_void,
    len: usize,
    flags: c_int,
    addr: *const libc::sockaddr,
    addrlen: libc::socklen_t,
) {
    prep_send(sqe, sockfd, buf, len, flags);
    prep_send_set_addr(sqe, addr, addrlen as u16);
}

#[inline(always)]
pub fn prep_send_zc(
    sqe: &mut io_uring_sqe,
    sockfd: c_int,
    buf: *const c_void,
    len: usize,
    flags: c_int,
    zc_flags: c_uint,
) {
    rw(IORING_OP_SEND_ZC, sqe, sockfd, addr_of(buf), len as u32, 0);
    sqe.op_flags = flags as u32; // msg_flags
    sqe.ioprio = zc_flags as u16;
}

#[inline(always)]
pub fn prep_send_zc_fixed(
    sqe: &mut io_uring_sqe,
    sockfd: c_int,
    buf: *const c_void,
    len: usize,
    flags: c_int,
    zc_flags: c_uint,
    buf_index: c_uint,
) {
    prep_send_zc(sqe, sockfd, buf, len, flags, zc_flags);
    sqe.ioprio |= IORING_RECVSEND_FIXED_BUF;
    sqe.buf_index = buf_index as u16;
}

#[inline(always)]
pub fn prep_recv(sqe: &mut io_uring_sqe, sockfd: c_int, buf: *mut c_void, len: usize, flags: c_int) {
    rw(IORING_OP_RECV, sqe, sockfd, addr_of(buf), len as u32, 0);
    sqe.op_flags = flags as u32; // msg_flags
}

#[inline(always)]
pub fn prep_recv_multishot(sqe: &mut io_uring_sqe, sockfd: c_int, buf: *mut c_void, len: usize, flags: c_int) {
    prep_recv(sqe, sockfd, buf, len, flags);
    sqe.ioprio |= IORING_RECV_MULTISHOT;
}

// ---- poll ----

#[inline(always)]
pub fn prep_poll_add(sqe: &mut io_uring_sqe, fd: c_int, poll_mask_: c_uint) {
    rw(IORING_OP_POLL_ADD, sqe, fd, 0, 0, 0);
    sqe.op_flags = poll_mask(poll_mask_); // poll32_events
}

#[inline(always)]
pub fn prep_poll_multishot(sqe: &mut io_uring_sqe, fd: c_int, poll_mask_: c_uint) {
    prep_poll_add(sqe, fd, poll_mask_);
    sqe.len = IORING_POLL_ADD_MULTI;
}

#[inline(always)]
pub fn prep_poll_remove(sqe: &mut io_uring_sqe, user_data: u64) {
    rw(IORING_OP_POLL_REMOVE, sqe, -1, 0, 0, 0);
    sqe.addr = user_data;
}

#[inline(always)]
pub fn prep_poll_update(
    sqe: &mut io_uring_sqe,
    old_user_data: u64,
    new_user_data: u64,
    poll_mask_: c_uint,
    flags: c_uint,
) {
    rw(IORING_OP_POLL_REMOVE, sqe, -1, 0, flags, new_user_data);
    sqe.addr = old_user_data;
    sqe.op_flags = poll_mask(poll_mask_); // poll32_events
}

// ---- sync, nop, timeouts ----

#[inline(always)]
pub fn prep_fsync(sqe: &mut io_uring_sqe, fd: c_int, fsync_flags: c_uint) {
    rw(IORING_OP_FSYNC, sqe, fd, 0, 0, 0);
    sqe.op_flags = fsync_flags;
}

#[inline(always)]
pub fn prep_nop(sqe: &mut io_uring_sqe) {
    rw(IORING_OP_NOP, sqe, -1, 0, 0, 0);
}

#[inline(always)]
pub fn prep_nop128(sqe: &mut io_uring_sqe) {
    rw(IORING_OP_NOP128, sqe, -1, 0, 0, 0);
}

/// A timeout that fires after `ts` or after `count` completions.
#[inline(always)]
pub fn prep_timeout(sqe: &mut io_uring_sqe, ts: *const __kernel_timespec, count: c_uint, flags: c_uint) {
    rw(IORING_OP_TIMEOUT, sqe, -1, addr_of(ts), 1, count as u64);
    sqe.op_flags = flags; // timeout_flags
}

#[inline(always)]
pub fn prep_timeout_remove(sqe: &mut io_uring_sqe, user_data: u64, flags: c_uint) {
    rw(IORING_OP_TIMEOUT_REMOVE, sqe, -1, 0, 0, 0);
    sqe.addr = user_data;
    sqe.op_flags = flags; // timeout_flags
}

#[inline(always)]
pub fn prep_timeout_update(sqe: &mut io_uring_sqe, ts: *const __kernel_timespec, user_data: u64, flags: c_uint) {
    rw(IORING_OP_TIMEOUT_REMOVE, sqe, -1, 0, 0, addr_of(ts));
    sqe.addr = user_data;
    sqe.op_flags = flags | IORING_TIMEOUT_UPDATE; // timeout_flags
}

#[inline(always)]
pub fn prep_link_timeout(sqe: &mut io_uring_sqe, ts: *const __kernel_timespec, flags: c_uint) {
    rw(IORING_OP_LINK_TIMEOUT, sqe, -1, addr_of(ts), 1, 0);
    sqe.op_flags = flags; // timeout_flags
}

// ---- sockets ----

#[inline(always)]
pub fn prep_accept(
    sqe: &mut io_uring_sqe,
    fd: c_int,
    addr: *mut libc::sockaddr,
    addrlen: *mut libc::socklen_t,
    flags: c_int,
) {
    rw(IORING_OP_ACCEPT, sqe, fd, addr_of(addr), 0, addr_of(addrlen));
    sqe.op_flags = flags as u32; // accept_flags
}

#[inline(always)]
pub fn prep_accept_direct(
    sqe: &mut io_uring_sqe,
    fd: c_int,
    addr: *mut libc::sockaddr,
    addrlen: *mut libc::socklen_t,
    flags: c_int,
    file_index: c_uint,
) {
    prep_accept(sqe, fd, addr, addrlen, flags);
    set_target_fixed_file(sqe, alloc_adjusted(file_index));
}

#[inline(always)]
pub fn prep_multishot_accept(
    sqe: &mut io_uring_sqe,
    fd: c_int,
    addr: *mut libc::sockaddr,
    addrlen: *mut libc::socklen_t,
    flags: c_int,
) {
    prep_accept(sqe, fd, addr, addrlen, flags);
    sqe.ioprio |= IORING_ACCEPT_MULTISHOT;
}

#[inline(always)]
pub fn prep_multishot_accept_direct(
    sqe: &mut io_uring_sqe,
    fd: c_int,
    addr: *mut libc::sockaddr,
    addrlen: *mut libc::socklen_t,
    flags: c_int,
) {
    prep_multishot_accept(sqe, fd, addr, addrlen, flags);
    set_target_fixed_file(sqe, IORING_FILE_INDEX_ALLOC - 1);
}

#[inline(always)]
pub fn prep_connect(sqe: &mut io_uring_sqe, fd: c_int, addr: *const libc::sockaddr, addrlen: libc::socklen_t) {
    rw(IORING_OP_CONNECT, sqe, fd, addr_of(addr), 0, addrlen as u64);
}

#[inline(always)]
pub fn prep_bind(sqe: &mut io_uring_sqe, fd: c_int, addr: *const libc::sockaddr, addrlen: libc::socklen_t) {
    rw(IORING_OP_BIND, sqe, fd, addr_of(addr), 0, addrlen as u64);
}

#[inline(always)]
pub fn prep_listen(sqe: &mut io_uring_sqe, fd: c_int, backlog: c_int) {
    rw(IORING_OP_LISTEN, sqe, fd, 0, backlog as u32, 0);
}

#[inline(always)]
pub fn prep_shutdown(sqe: &mut io_uring_sqe, fd: c_int, how: c_int) {
    rw(IORING_OP_SHUTDOWN, sqe, fd, 0, how as u32, 0);
}

#[inline(always)]
pub fn prep_socket(sqe: &mut io_uring_sqe, domain: c_int, type_: c_int, protocol: c_int, flags: c_uint) {
    rw(IORING_OP_SOCKET, sqe, domain, 0, protocol as u32, type_ as i64 as u64);
    sqe.op_flags = flags; // rw_flags
}

#[inline(always)]
pub fn prep_socket_direct(
    sqe: &mut io_uring_sqe,
    domain: c_int,
    type_: c_int,
    protocol: c_int,
    file_index: c_uint,
    flags: c_uint,
) {
    prep_socket(sqe, domain, type_, protocol, flags);
    set_target_fixed_file(sqe, alloc_adjusted(file_index));
}

#[inline(always)]
pub fn prep_socket_direct_alloc(sqe: &mut io_uring_sqe, domain: c_int, type_: c_int, protocol: c_int, flags: c_uint) {
    prep_socket(sqe, domain, type_, protocol, flags);
    set_target_fixed_file(sqe, IORING_FILE_INDEX_ALLOC - 1);
}

// ---- cancel ----

#[inline(always)]
pub fn prep_cancel64(sqe: &mut io_uring_sqe, user_data: u64, flags: c_int) {
    rw(IORING_OP_ASYNC_CANCEL, sqe, -1, 0, 0, 0);
    sqe.addr = user_data;
    sqe.op_flags = flags as u32; // cancel_flags
}

#[inline(always)]
pub fn prep_cancel(sqe: &mut io_uring_sqe, user_data: *const c_void, flags: c_int) {
    prep_cancel64(sqe, addr_of(user_data), flags);
}

#[inline(always)]
pub fn prep_cancel_fd(sqe: &mut io_uring_sqe, fd: c_int, flags: c_uint) {
    rw(IORING_OP_ASYNC_CANCEL, sqe, fd, 0, 0, 0);
    sqe.op_flags = flags | IORING_ASYNC_CANCEL_FD; // cancel_flags
}

// ---- epoll ----

#[inline(always)]
pub fn prep_epoll_ctl(sqe: &mut io_uring_sqe, epfd: c_int, fd: c_int, op: c_int, ev: *const libc::epoll_event) {
    // The fd travels in `off` zero-extended from 32 bits.
    rw(IORING_OP_EPOLL_CTL, sqe, epfd, addr_of(ev), op as u32, fd as u32 as u64);
}

#[inline(always)]
pub fn prep_epoll_wait(
    sqe: &mut io_uring_sqe,
    fd: c_int,
    events: *mut libc::epoll_event,
    maxevents: c_int,
    flags: c_uint,
) {
    rw(IORING_OP_EPOLL_WAIT, sqe, fd, addr_of(events), maxevents as u32, 0);
    sqe.op_flags = flags; // rw_flags
}

// ---- files ----

#[inline(always)]
pub fn prep_files_update(sqe: &mut io_uring_sqe, fds: *mut c_int, nr_fds: c_uint, offset: c_int) {
    rw(
        IORING_OP_FILES_UPDATE,
        sqe,
        -1,
        addr_of(fds),
        nr_fds,
        offset as i64 as u64,
    );
}

#[inline(always)]
pub fn prep_fallocate(sqe: &mut io_uring_sqe, fd: c_int, mode: c_int, offset: u64, len: u64) {
    rw(IORING_OP_FALLOCATE, sqe, fd, 0, mode as u32, offset);
    sqe.addr = len;
}

#[inline(always)]
pub fn prep_openat(sqe: &mut io_uring_sqe, dfd: c_int, path: *const c_char, flags: c_int, mode: libc::mode_t) {
    rw(IORING_OP_OPENAT, sqe, dfd, addr_of(path), mode, 0);
    sqe.op_flags = flags as u32; // open_flags
}

#[inline(always)]
pub fn prep_openat_direct(
    sqe: &mut io_uring_sqe,
    dfd: c_int,
    path: *const c_char,
    flags: c_int,
    mode: libc::mode_t,
    file_index: c_uint,
) {
    prep_openat(sqe, dfd, path, flags, mode);
    set_target_fixed_file(sqe, alloc_adjusted(file_index));
}

#[inline(always)]
pub fn prep_open(sqe: &mut io_uring_sqe, path: *const c_char, flags: c_int, mode: libc::mode_t) {
    prep_openat(sqe, AT_FDCWD, path, flags, mode);
}

#[inline(always)]
pub fn prep_open_direct(
    sqe: &mut io_uring_sqe,
    path: *const c_char,
    flags: c_int,
    mode: libc::mode_t,
    file_index: c_uint,
) {
    prep_openat_direct(sqe, AT_FDCWD, path, flags, mode, file_index);
}

/// `how` points to a `struct open_how`; only its address and size are stored.
#[inline(always)]
pub fn prep_openat2(sqe: &mut io_uring_sqe, dfd: c_int, path: *const c_char, how: *const c_void) {
    rw(IORING_OP_OPENAT2, sqe, dfd, addr_of(path), OPEN_HOW_SIZE, addr_of(how));
}

#[inline(always)]
pub fn prep_openat2_direct(
    sqe: &mut io_uring_sqe,
    dfd: c_int,
    path: *const c_char,
    how: *const c_void,
    file_index: c_uint,
) {
    prep_openat2(sqe, dfd, path, how);
    set_target_fixed_file(sqe, alloc_adjusted(file_index));
}

#[inline(always)]
pub fn prep_close(sqe: &mut io_uring_sqe, fd: c_int) {
    rw(IORING_OP_CLOSE, sqe, fd, 0, 0, 0);
}

#[inline(always)]
pub fn prep_close_direct(sqe: &mut io_uring_sqe, file_index: c_uint) {
    prep_close(sqe, 0);
    set_target_fixed_file(sqe, file_index);
}

/// `statxbuf` points to a `struct statx`; only its address is stored.
#[inline(always)]
pub fn prep_statx(
    sqe: &mut io_uring_sqe,
    dfd: c_int,
    path: *const c_char,
    flags: c_int,
    mask: c_uint,
    statxbuf: *mut c_void,
) {
    rw(IORING_OP_STATX, sqe, dfd, addr_of(path), mask, addr_of(statxbuf));
    sqe.op_flags = flags as u32; // statx_flags
}

#[inline(always)]
pub fn prep_fadvise(sqe: &mut io_uring_sqe, fd: c_int, offset: u64, len: u32, advice: c_int) {
    rw(IORING_OP_FADVISE, sqe, fd, 0, len, offset);
    sqe.op_flags = advice as u32; // fadvise_advice
}

#[inline(always)]
pub fn prep_madvise(sqe: &mut io_uring_sqe, addr: *mut c_void, length: u32, advice: c_int) {
    rw(IORING_OP_MADVISE, sqe, -1, addr_of(addr), length, 0);
    sqe.op_flags = advice as u32; // fadvise_advice
}

#[inline(always)]
pub fn prep_fadvise64(sqe: &mut io_uring_sqe, fd: c_int, offset: u64, len: libc::off_t, advice: c_int) {
    rw(IORING_OP_FADVISE, sqe, fd, 0, 0, offset);
    sqe.addr = len as u64;
    sqe.op_flags = advice as u32; // fadvise_advice
}

#[inline(always)]
pub fn prep_madvise64(sqe: &mut io_uring_sqe, addr: *mut c_void, length: libc::off_t, advice: c_int) {
    rw(IORING_OP_MADVISE, sqe, -1, addr_of(addr), 0, length as u64);
    sqe.op_flags = advice as u32; // fadvise_advice
}

#[inline(always)]
pub fn prep_sync_file_range(sqe: &mut io_uring_sqe, fd: c_int, len: c_uint, offset: u64, flags: c_int) {
    rw(IORING_OP_SYNC_FILE_RANGE, sqe, fd, 0, len, offset);
    sqe.op_flags = flags as u32; // sync_range_flags
}

#[inline(always)]
pub fn prep_ftruncate(sqe: &mut io_uring_sqe, fd: c_int, len: i64) {
    rw(IORING_OP_FTRUNCATE, sqe, fd, 0, 0, len as u64);
}

#[inline(always)]
pub fn prep_fixed_fd_install(sqe: &mut io_uring_sqe, fd: c_int, flags: c_uint) {
    rw(IORING_OP_FIXED_FD_INSTALL, sqe, fd, 0, 0, 0);
    sqe.flags = IOSQE_FIXED_FILE;
    sqe.op_flags = flags; // install_fd_flags
}

#[inline(always)]
pub fn prep_pipe(sqe: &mut io_uring_sqe, fds: *mut c_int, pipe_flags: c_int) {
    rw(IORING_OP_PIPE, sqe, 0, addr_of(fds), 0, 0);
    sqe.op_flags = pipe_flags as u32; // pipe_flags
}

#[inline(always)]
pub fn prep_pipe_direct(sqe: &mut io_uring_sqe, fds: *mut c_int, pipe_flags: c_int, file_index: c_uint) {
    prep_pipe(sqe, fds, pipe_flags);
    set_target_fixed_file(sqe, alloc_adjusted(file_index));
}

// ---- buffers ----

#[inline(always)]
pub fn prep_provide_buffers(sqe: &mut io_uring_sqe, addr: *mut c_void, len: c_int, nr: c_int, bgid: c_int, bid: c_int) {
    rw(
        IORING_OP_PROVIDE_BUFFERS,
        sqe,
        nr,
        addr_of(addr),
        len as u32,
        bid as i64 as u64,
    );
    sqe.buf_index = bgid as u16; // buf_group
}

#[inline(always)]
pub fn prep_remove_buffers(sqe: &mut io_uring_sqe, nr: c_int, bgid: c_int) {
    rw(IORING_OP_REMOVE_BUFFERS, sqe, nr, 0, 0, 0);
    sqe.buf_index = bgid as u16; // buf_group
}

// ---- paths ----

#[inline(always)]
pub fn prep_unlinkat(sqe: &mut io_uring_sqe, dfd: c_int, path: *const c_char, flags: c_int) {
    rw(IORING_OP_UNLINKAT, sqe, dfd, addr_of(path), 0, 0);
    sqe.op_flags = flags as u32; // unlink_flags
}

#[inline(always)]
pub fn prep_unlink(sqe: &mut io_uring_sqe, path: *const c_char, flags: c_int) {
    prep_unlinkat(sqe, AT_FDCWD, path, flags);
}

#[inline(always)]
pub fn prep_renameat(
    sqe: &mut io_uring_sqe,
    olddfd: c_int,
    oldpath: *const c_char,
    newdfd: c_int,
    newpath: *const c_char,
    flags: c_uint,
) {
    rw(
        IORING_OP_RENAMEAT,
        sqe,
        olddfd,
        addr_of(oldpath),
        newdfd as u32,
        addr_of(newpath),
    );
    sqe.op_flags = flags; // rename_flags
}

#[inline(always)]
pub fn prep_rename(sqe: &mut io_uring_sqe, oldpath: *const c_char, newpath: *const c_char) {
    prep_renameat(sqe, AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

#[inline(always)]
pub fn prep_mkdirat(sqe: &mut io_uring_sqe, dfd: c_int, path: *const c_char, mode: libc::mode_t) {
    rw(IORING_OP_MKDIRAT, sqe, dfd, addr_of(path), mode, 0);
}

#[inline(always)]
pub fn prep_mkdir(sqe: &mut io_uring_sqe, path: *const c_char, mode: libc::mode_t) {
    prep_mkdirat(sqe, AT_FDCWD, path, mode);
}

#[inline(always)]
pub fn prep_symlinkat(sqe: &mut io_uring_sqe, target: *const c_char, newdirfd: c_int, linkpath: *const c_char) {
    rw(
        IORING_OP_SYMLINKAT,
        sqe,
        newdirfd,
        addr_of(target),
        0,
        addr_of(linkpath),
    );
}

#[inline(always)]
pub fn prep_symlink(sqe: &mut io_uring_sqe, target: *const c_char, linkpath: *const c_char) {
    prep_symlinkat(sqe, target, AT_FDCWD, linkpath);
}

#[inline(always)]
pub fn prep_linkat(
    sqe: &mut io_uring_sqe,
    olddfd: c_int,
    oldpath: *const c_char,
    newdfd: c_int,
    newpath: *const c_char,
    flags: c_int,
) {
    rw(
        IORING_OP_LINKAT,
        sqe,
        olddfd,
        addr_of(oldpath),
        newdfd as u32,
        addr_of(newpath),
    );
    sqe.op_flags = flags as u32; // hardlink_flags
}

#[inline(always)]
pub fn prep_link(sqe: &mut io_uring_sqe, oldpath: *const c_char, newpath: *const c_char, flags: c_int) {
    prep_linkat(sqe, AT_FDCWD, oldpath, AT_FDCWD, newpath, flags);
}

// ---- extended attributes ----

#[inline(always)]
pub fn prep_getxattr(
    sqe: &mut io_uring_sqe,
    name: *const c_char,
    value: *mut c_char,
    path: *const c_char,
    len: c_uint,
) {
    rw(IORING_OP_GETXATTR, sqe, 0, addr_of(name), len, addr_of(value));
    sqe.addr3 = addr_of(path);
    sqe.op_flags = 0; // xattr_flags
}

#[inline(always)]
pub fn prep_setxattr(
    sqe: &mut io_uring_sqe,
    name: *const c_char,
    value: *const c_char,
    path: *const c_char,
    flags: c_int,
    len: c_uint,
) {
    rw(IORING_OP_SETXATTR, sqe, 0, addr_of(name), len, addr_of(value));
    sqe.addr3 = addr_of(path);
    sqe.op_flags = flags as u32; // xattr_flags
}

#[inline(always)]
pub fn prep_fgetxattr(sqe: &mut io_uring_sqe, fd: c_int, name: *const c_char, value: *mut c_char, len: c_uint) {
    rw(IORING_OP_FGETXATTR, sqe, fd, addr_of(name), len, addr_of(value));
    sqe.op_flags = 0; // xattr_flags
}

#[inline(always)]
pub fn prep_fsetxattr(
    sqe: &mut io_uring_sqe,
    fd: c_int,
    name: *const c_char,
    value: *const c_char,
    flags: c_int,
    len: c_uint,
) {
    rw(IORING_OP_FSETXATTR, sqe, fd, addr_of(name), len, addr_of(value));
    sqe.op_flags = flags as u32; // xattr_flags
}

// ---- ring messages ----

#[inline(always)]
pub fn prep_msg_ring_cqe_flags(
    sqe: &mut io_uring_sqe,
    fd: c_int,
    len: c_uint,
    data: u64,
    flags: c_uint,
    cqe_flags: c_uint,
) {
    rw(IORING_OP_MSG_RING, sqe, fd, 0, len, data);
    sqe.op_flags = IORING_MSG_RING_FLAGS_PASS | flags; // msg_ring_flags
    sqe.file_index = cqe_flags;
}

#[inline(always)]
pub fn prep_msg_ring(sqe: &mut io_uring_sqe, fd: c_int, len: c_uint, data: u64, flags: c_uint) {
    rw(IORING_OP_MSG_RING, sqe, fd, 0, len, data);
    sqe.op_flags = flags; // msg_ring_flags
}

#[inline(always)]
pub fn prep_msg_ring_fd(
    sqe: &mut io_uring_sqe,
    fd: c_int,
    source_fd: c_int,
    target_fd: c_int,
    data: u64,
    flags: c_uint,
) {
    rw(IORING_OP_MSG_RING, sqe, fd, IORING_MSG_SEND_FD, 0, data);
    sqe.addr3 = source_fd as i64 as u64;
    set_target_fixed_file(sqe, alloc_adjusted(target_fd as u32));
    sqe.op_flags = flags; // msg_ring_flags
}

#[inline(always)]
pub fn prep_msg_ring_fd_alloc(sqe: &mut io_uring_sqe, fd: c_int, source_fd: c_int, data: u64, flags: c_uint) {
    prep_msg_ring_fd(sqe, fd, source_fd, IORING_FILE_INDEX_ALLOC as c_int, data, flags);
}

// ---- uring_cmd ----

/// The common part of passthrough commands: opcode, fd and `cmd_op`, with
/// `__pad1`, `addr` and `len` cleared.
#[inline(always)]
fn prep_uring_cmd_op(sqe: &mut io_uring_sqe, op: u8, cmd_op: u32, fd: c_int) {
    sqe.opcode = op;
    sqe.fd = fd;
    let off = halves32(&mut sqe.off);
    off[0] = cmd_op; // cmd_op
    off[1] = 0; // __pad1
    sqe.addr = 0;
    sqe.len = 0;
}

#[inline(always)]
pub fn prep_uring_cmd(sqe: &mut io_uring_sqe, cmd_op: c_int, fd: c_int) {
    prep_uring_cmd_op(sqe, IORING_OP_URING_CMD, cmd_op as u32, fd);
}

#[inline(always)]
pub fn prep_uring_cmd128(sqe: &mut io_uring_sqe, cmd_op: c_int, fd: c_int) {
    prep_uring_cmd_op(sqe, IORING_OP_URING_CMD128, cmd_op as u32, fd);
}

#[inline(always)]
pub fn prep_cmd_sock(
    sqe: &mut io_uring_sqe,
    cmd_op: c_int,
    fd: c_int,
    level: c_int,
    optname: c_int,
    optval: *mut c_void,
    optlen: c_int,
) {
    prep_uring_cmd(sqe, cmd_op, fd);
    sqe.addr3 = addr_of(optval); // optval
    halves32(&mut sqe.addr)[1] = optname as u32; // optname
    sqe.file_index = optlen as u32; // optlen
    halves32(&mut sqe.addr)[0] = level as u32; // level
}

#[inline(always)]
pub fn prep_cmd_getsockname(
    sqe: &mut io_uring_sqe,
    fd: c_int,
    sockaddr: *mut libc::sockaddr,
    sockaddr_len: *mut libc::socklen_t,
    peer: c_int,
) {
    prep_uring_cmd(sqe, SOCKET_URING_OP_GETSOCKNAME as c_int, fd);
    sqe.addr = addr_of(sockaddr);
    sqe.addr3 = addr_of(sockaddr_len);
    sqe.file_index = peer as u32; // optlen
}

#[inline(always)]
pub fn prep_cmd_discard(sqe: &mut io_uring_sqe, fd: c_int, offset: u64, nbytes: u64) {
    prep_uring_cmd(sqe, BLOCK_URING_CMD_DISCARD as c_int, fd);
    sqe.addr = offset;
    sqe.addr3 = nbytes;
}

// ---- processes and futexes ----

#[inline(always)]
pub fn prep_waitid(
    sqe: &mut io_uring_sqe,
    idtype: libc::idtype_t,
    id: libc::id_t,
    infop: *mut libc::siginfo_t,
    options: c_int,
    flags: c_uint,
) {
    rw(IORING_OP_WAITID, sqe, id as c_int, 0, idtype, 0);
    sqe.op_flags = flags; // waitid_flags
    sqe.file_index = options as u32;
    sqe.off = addr_of(infop); // addr2
}

#[inline(always)]
pub fn prep_futex_wake(
    sqe: &mut io_uring_sqe,
    futex: *const u32,
    val: u64,
    mask: u64,
    futex_flags: u32,
    flags: c_uint,
) {
    rw(IORING_OP_FUTEX_WAKE, sqe, futex_flags as c_int, addr_of(futex), 0, val);
    sqe.op_flags = flags; // futex_flags
    sqe.addr3 = mask;
}

#[inline(always)]
pub fn prep_futex_wait(
    sqe: &mut io_uring_sqe,
    futex: *const u32,
    val: u64,
    mask: u64,
    futex_flags: u32,
    flags: c_uint,
) {
    rw(IORING_OP_FUTEX_WAIT, sqe, futex_flags as c_int, addr_of(futex), 0, val);
    sqe.op_flags = flags; // futex_flags
    sqe.addr3 = mask;
}

/// `futex` points to an array of `struct futex_waitv`.
#[inline(always)]
pub fn prep_futex_waitv(sqe: &mut io_uring_sqe, futex: *const c_void, nr_futex: u32, flags: c_uint) {
    rw(IORING_OP_FUTEX_WAITV, sqe, 0, addr_of(futex), nr_futex, 0);
    sqe.op_flags = flags; // futex_flags
}

// ---- SQE fields set by the application ----

#[inline(always)]
pub fn sqe_set_data64(sqe: &mut io_uring_sqe, data: u64) {
    sqe.user_data = data;
}

#[inline(always)]
pub fn sqe_set_flags(sqe: &mut io_uring_sqe, flags: c_uint) {
    sqe.flags = flags as u8;
}

#[inline(always)]
pub fn sqe_set_buf_group(sqe: &mut io_uring_sqe, bgid: c_int) {
    sqe.buf_index = bgid as u16; // buf_group
}

#[cfg(test)]
mod tests {
    use super::*;

    fn garbage() -> io_uring_sqe {
        io_uring_sqe {
            opcode: 0xa5,
            flags: 0x5a,
            ioprio: 0x1234,
            fd: 0x0bad_f00d,
            off: 0x1111_2222_3333_4444,
            addr: 0x5555_6666_7777_8888,
            len: 0x9999_aaaa,
            op_flags: 0xbbbb_cccc,
            user_data: 0xdddd_eeee_ffff_0000,
            buf_index: 0x4321,
            personality: 0x8765,
            file_index: 0xfeed_beef,
            addr3: 0x0102_0304_0506_0708,
            __pad2: [0x1020_3040_5060_7080],
        }
    }

    #[test]
    fn prep_rw_leaves_other_fields() {
        let mut sqe = garbage();
        prep_rw(0x1ff, &mut sqe, 7, 0x1000 as *const c_void, 9, 11);
        let mut want = garbage();
        want.opcode = 0xff;
        want.fd = 7;
        want.addr = 0x1000;
        want.len = 9;
        want.off = 11;
        assert_eq!(sqe, want);
    }

    #[test]
    fn cmd_sock_fields_alias_addr_and_off() {
        let mut sqe = garbage();
        prep_cmd_sock(&mut sqe, 3, 4, 0x11, 0x22, 0x3000 as *mut c_void, 0x44);
        assert_eq!(sqe.opcode, IORING_OP_URING_CMD);
        assert_eq!(sqe.fd, 4);
        // cmd_op in the low-address half, __pad1 cleared.
        assert_eq!(sqe.off.to_ne_bytes()[..4], 3u32.to_ne_bytes());
        assert_eq!(sqe.off.to_ne_bytes()[4..], 0u32.to_ne_bytes());
        assert_eq!(sqe.addr.to_ne_bytes()[..4], 0x11u32.to_ne_bytes());
        assert_eq!(sqe.addr.to_ne_bytes()[4..], 0x22u32.to_ne_bytes());
        assert_eq!(sqe.len, 0);
        assert_eq!(sqe.file_index, 0x44);
        assert_eq!(sqe.addr3, 0x3000);
    }

    #[test]
    fn direct_slot_encoding() {
        let mut sqe = garbage();
        prep_openat_direct(&mut sqe, 1, core::ptr::null(), 0, 0, 5);
        assert_eq!(sqe.file_index, 6);
        prep_openat_direct(&mut sqe, 1, core::ptr::null(), 0, 0, IORING_FILE_INDEX_ALLOC);
        assert_eq!(sqe.file_index, IORING_FILE_INDEX_ALLOC);
        prep_msg_ring_fd_alloc(&mut sqe, 1, -3, 9, 0);
        assert_eq!(sqe.file_index, IORING_FILE_INDEX_ALLOC);
        assert_eq!(sqe.addr3, (-3i64) as u64);
        prep_close_direct(&mut sqe, 0xffff_ffff);
        assert_eq!(sqe.file_index, 0);
    }

    #[test]
    fn send_set_addr_writes_only_addr_len() {
        let mut sqe = garbage();
        prep_sendto(
            &mut sqe,
            3,
            0x10 as *const c_void,
            // 0x1_0000_0005 where size_t has 64 bits (truncated to 5), 5 on 32-bit.
            (u32::MAX as usize).wrapping_add(6),
            -1,
            0x20 as *const _,
            0x1_0010,
        );
        assert_eq!(sqe.len, 5);
        assert_eq!(sqe.op_flags, u32::MAX);
        assert_eq!(sqe.off, 0x20);
        let fi = sqe.file_index.to_ne_bytes();
        assert_eq!(fi[..2], 0x10u16.to_ne_bytes());
        assert_eq!(fi[2..], garbage().file_index.to_ne_bytes()[2..]);
    }

    #[test]
    fn or_into_ioprio() {
        let mut sqe = garbage();
        prep_recv_multishot(&mut sqe, 1, core::ptr::null_mut(), 1, 0);
        assert_eq!(sqe.ioprio, 0x1234 | IORING_RECV_MULTISHOT);
        prep_send_zc_fixed(&mut sqe, 1, core::ptr::null(), 1, 0, 0x40, 0x1_0007);
        assert_eq!(sqe.ioprio, 0x40 | IORING_RECVSEND_FIXED_BUF);
        assert_eq!(sqe.buf_index, 7);
    }
}
