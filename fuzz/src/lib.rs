//! Pieces shared by the fuzz targets: a reader that turns fuzzer bytes into
//! decisions, and the library's ring simulator (`src/tests/sim.rs`, built
//! with `--cfg fuzzing`, which cargo fuzz passes): rings in plain memory
//! fenced by inaccessible guard pages, that the ring-protocol code runs on.

pub use uring::tests::sim::*;

/// Reads decisions from the fuzzer's bytes; once they run out every read
/// yields zero, so any input is a complete program.
pub struct Input<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Input<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Input { data, pos: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    pub fn u8(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }

    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }

    pub fn u64(&mut self) -> u64 {
        (self.u32() as u64) | ((self.u32() as u64) << 32)
    }

    pub fn bool(&mut self) -> bool {
        self.u8() & 1 != 0
    }

    /// A value in `0..n` (n > 0).
    pub fn below(&mut self, n: u32) -> u32 {
        if n <= 256 {
            self.u8() as u32 % n
        } else if n <= 65536 {
            self.u16() as u32 % n
        } else {
            self.u32() % n
        }
    }

    /// A ring index start: zero, just below 2^32, just below 2^31, or any.
    pub fn ring_start(&mut self) -> u32 {
        match self.u8() % 4 {
            0 => 0,
            1 => u32::MAX - self.u8() as u32,
            2 => (1u32 << 31).wrapping_sub(self.u8() as u32),
            _ => self.u32(),
        }
    }
}
