//! Error values inside the library: a positive errno, turned into liburing's
//! `-errno` convention only at the C ABI.

use core::ffi::c_int;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub c_int);

impl Errno {
    pub const EPERM: Errno = Errno(libc::EPERM);
    pub const EINTR: Errno = Errno(libc::EINTR);
    pub const EBADF: Errno = Errno(libc::EBADF);
    pub const EAGAIN: Errno = Errno(libc::EAGAIN);
    pub const ENOMEM: Errno = Errno(libc::ENOMEM);
    pub const EFAULT: Errno = Errno(libc::EFAULT);
    pub const EINVAL: Errno = Errno(libc::EINVAL);
    pub const ENOSPC: Errno = Errno(libc::ENOSPC);
    pub const ETIME: Errno = Errno(libc::ETIME);
    pub const EOPNOTSUPP: Errno = Errno(libc::EOPNOTSUPP);
    pub const EOVERFLOW: Errno = Errno(libc::EOVERFLOW);
    pub const ENOENT: Errno = Errno(libc::ENOENT);

    /// From a kernel-style return: negative values are `-errno`.
    #[inline(always)]
    pub fn check(ret: c_int) -> Result<c_int> {
        if ret < 0 {
            Err(Errno(-ret))
        } else {
            Ok(ret)
        }
    }

    /// liburing's convention: `-errno`.
    #[allow(clippy::should_implement_trait)]
    #[inline(always)]
    pub fn neg(self) -> c_int {
        -self.0
    }
}

pub type Result<T> = core::result::Result<T, Errno>;

/// `Ok(n)` as `n`, `Err(e)` as `-e`: liburing's return convention.
#[inline(always)]
pub fn to_c(r: Result<c_int>) -> c_int {
    match r {
        Ok(v) => v,
        Err(e) => e.neg(),
    }
}

/// `Ok(())` as 0, `Err(e)` as `-e`.
#[inline(always)]
pub fn to_c0(r: Result<()>) -> c_int {
    match r {
        Ok(()) => 0,
        Err(e) => e.neg(),
    }
}
