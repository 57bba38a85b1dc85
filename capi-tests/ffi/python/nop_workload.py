"""A NOP workload driven through liburing-ffi.so.2 with ctypes, and the
checks the FFI tests make on every completion.

Each NOP carries a distinct non-zero user_data: a tag in the top 16 bits
(which ring) and the operation's sequence number + 1 below. Every
completion is checked: user_data never 0, belongs to this ring, seen exactly
once, res 0; at the end every operation was seen.
"""

import ctypes
import errno
import random

import uring_ctypes as u


class RingWorkload:
    def __init__(self, lib, entries, flags=0, cq_entries=None, tag=1, seed=0):
        self.lib = lib
        self.ring = u.IoUring()
        self.rp = ctypes.pointer(self.ring)
        if cq_entries is None:
            ret = lib.io_uring_queue_init(entries, self.rp, flags)
            self.params = None
        else:
            self.params = u.IoUringParams(flags=flags | u.IORING_SETUP_CQSIZE, cq_entries=cq_entries)
            ret = lib.io_uring_queue_init_params(entries, self.rp, ctypes.byref(self.params))
        if ret != 0:
            raise OSError(-ret, "io_uring_queue_init(%d, flags 0x%x) returned %d" % (entries, flags, ret))
        self.sq_entries = self.ring.sq.ring_entries
        self.cq_entries = self.ring.cq.ring_entries
        self.cqe32 = bool(self.ring.flags & u.IORING_SETUP_CQE32)
        self.stride = 32 if self.cqe32 else 16
        self.cq_base = self.ring.cq.cqes
        self.cq_end = self.cq_base + self.cq_entries * self.stride
        self.tag = tag << 48
        self.next_seq = 0
        self.reaped = 0
        self.seen = bytearray()
        self.rng = random.Random(seed)
        # Batches whose CQE pointers were not evenly spaced (the CQ wrapped
        # inside the batch): what a binding that treats the CQEs as one
        # contiguous array gets wrong.
        self.split_batches = 0

    # ---- submission ----

    def queue_nops(self, n):
        """Takes, prepares and tags n SQEs (not submitted yet)."""
        lib, rp = self.lib, self.rp
        get_sqe, prep_nop, set_data64 = lib.io_uring_get_sqe, lib.io_uring_prep_nop, lib.io_uring_sqe_set_data64
        seq = self.next_seq
        for i in range(n):
            sqe = get_sqe(rp)
            if not sqe:
                raise AssertionError("io_uring_get_sqe returned NULL with %d of %d queued" % (i, n))
            prep_nop(sqe)
            set_data64(sqe, self.tag | (seq + i + 1))
        self.next_seq = seq + n
        self.seen.extend(bytes(n))

    def in_flight(self):
        return self.next_seq - self.reaped

    # ---- completion checks ----

    def take(self, user_data, res):
        """Checks one completion and marks it seen."""
        if user_data == 0:
            raise AssertionError("a CQE with user_data 0 (every NOP was tagged non-zero)")
        if user_data >> 48 != self.tag >> 48:
            raise AssertionError("user_data 0x%x does not belong to this ring (tag 0x%x)" % (user_data, self.tag))
        seq = (user_data & 0xFFFFFFFFFFFF) - 1
        if not 0 <= seq < self.next_seq:
            raise AssertionError("user_data 0x%x was never submitted" % user_data)
        if self.seen[seq]:
            raise AssertionError("user_data 0x%x seen twice" % user_data)
        if res != 0:
            raise AssertionError("NOP 0x%x completed with res %d" % (user_data, res))
        self.seen[seq] = 1
        self.reaped += 1

    def check_pointer(self, addr):
        if not self.cq_base <= addr < self.cq_end or (addr - self.cq_base) % self.stride:
            raise AssertionError("CQE pointer 0x%x is not a slot of the CQ [0x%x, 0x%x) with %d-byte entries" %
                                 (addr, self.cq_base, self.cq_end, self.stride))

    def check_spacing(self, addrs, n):
        """Consecutive CQEs are one entry apart, except where the CQ wraps
        from its last slot back to the first."""
        last = self.cq_end - self.stride
        split = False
        for i in range(1, n):
            a, b = addrs[i - 1], addrs[i]
            if b == a + self.stride:
                continue
            if a == last and b == self.cq_base:
                split = True
                continue
            raise AssertionError("CQE pointers 0x%x then 0x%x: neither the next slot nor a wrap" % (a, b))
        if split:
            self.split_batches += 1

    def all_seen(self):
        missing = self.seen.count(0)
        if missing:
            raise AssertionError("%d of %d NOPs never completed" % (missing, self.next_seq))
        if self.reaped != self.next_seq:
            raise AssertionError("reaped %d of %d" % (self.reaped, self.next_seq))

    def wraps(self):
        """How many times the CQ head went round the ring."""
        return self.reaped // self.cq_entries

    def dropped(self):
        return self.ring.cq.koverflow[0]

    def exit(self):
        self.lib.io_uring_queue_exit(self.rp)


def reap_with_peek_batch(w, cqes, count):
    """One io_uring_peek_batch_cqe into `cqes` (an array of at least `count`
    pointers), every entry checked, then io_uring_cq_advance. Checks that the
    count returned is exactly the number of entries filled: the array is
    zeroed first, entries [0, n) must be set and [n, count) untouched.
    Returns n."""
    lib = w.lib
    ctypes.memset(cqes, 0, ctypes.sizeof(cqes))
    n = lib.io_uring_peek_batch_cqe(w.rp, cqes, count)
    if n > count:
        raise AssertionError("io_uring_peek_batch_cqe returned %d for an array of %d" % (n, count))
    addrs = u.pointer_values(cqes)
    for i in range(n):
        if not addrs[i]:
            raise AssertionError("io_uring_peek_batch_cqe returned %d but entry %d is NULL" % (n, i))
    if n < count and ctypes.string_at(ctypes.addressof(cqes) + 8 * n, 8 * (count - n)) != bytes(8 * (count - n)):
        raise AssertionError("io_uring_peek_batch_cqe returned %d but wrote entries past it" % n)
    for i in range(n):
        w.check_pointer(addrs[i])
        c = cqes[i].contents
        w.take(c.user_data, c.res)
    w.check_spacing(addrs, n)
    lib.io_uring_cq_advance(w.rp, n)
    return n


def reap_with_peek_cqe(w):
    """io_uring_peek_cqe + io_uring_cqe_seen until -EAGAIN. Returns how many
    were reaped."""
    lib = w.lib
    cqe = u.cqe_p()
    got = 0
    while True:
        ret = lib.io_uring_peek_cqe(w.rp, ctypes.byref(cqe))
        if ret == -errno.EAGAIN:
            return got
        if ret != 0:
            raise AssertionError("io_uring_peek_cqe returned %d" % ret)
        w.check_pointer(ctypes.cast(cqe, ctypes.c_void_p).value)
        c = cqe.contents
        w.take(c.user_data, c.res)
        lib.io_uring_cqe_seen(w.rp, cqe)
        got += 1


def reap_with_wait_nr_and_iterator(w, wait_nr):
    """io_uring_wait_cqe_nr for wait_nr CQEs, then io_uring_cqe_iter_init /
    io_uring_cqe_iter_next over everything ready (what the
    io_uring_for_each_cqe macro does in C), then one io_uring_cq_advance.
    Returns how many were reaped."""
    lib = w.lib
    first = u.cqe_p()
    ret = lib.io_uring_wait_cqe_nr(w.rp, ctypes.byref(first), wait_nr)
    if ret != 0:
        raise AssertionError("io_uring_wait_cqe_nr(%d) returned %d" % (wait_nr, ret))
    it = lib.io_uring_cqe_iter_init(w.rp)
    if (it.tail - it.head) & 0xFFFFFFFF < wait_nr:
        raise AssertionError("iterator sees %d CQEs after waiting for %d" % (it.tail - it.head, wait_nr))
    cqe = u.cqe_p()
    first_addr = ctypes.cast(first, ctypes.c_void_p).value
    n = 0
    while lib.io_uring_cqe_iter_next(ctypes.byref(it), ctypes.byref(cqe)):
        addr = ctypes.cast(cqe, ctypes.c_void_p).value
        if n == 0 and addr != first_addr:
            raise AssertionError("io_uring_wait_cqe_nr gave 0x%x, the iterator starts at 0x%x" % (first_addr, addr))
        w.check_pointer(addr)
        c = cqe.contents
        w.take(c.user_data, c.res)
        n += 1
    lib.io_uring_cq_advance(w.rp, n)
    return n
