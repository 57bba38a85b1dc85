//! The library version, as `io_uring_major_version` and friends report it.

pub const MAJOR: i32 = 2;
pub const MINOR: i32 = 15;

/// Whether this library is at least `major.minor`; liburing's
/// `io_uring_check_version` returns the opposite (true when *older*).
pub fn is_at_least(major: i32, minor: i32) -> bool {
    MAJOR > major || (MAJOR == major && MINOR >= minor)
}
