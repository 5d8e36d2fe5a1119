//! [`CachePadded`]: a value alone on its cache lines.

use std::ops::Deref;

/// Aligns (and so pads) `T` to 128 bytes: two 64-byte cache lines, since
/// x86-64 prefetches lines in adjacent pairs. A value written often by one
/// thread then shares no line with values that other threads read or write.
#[repr(align(128))]
#[derive(Debug, Default)]
pub(crate) struct CachePadded<T>(T);

impl<T> CachePadded<T> {
    pub(crate) const fn new(value: T) -> CachePadded<T> {
        CachePadded(value)
    }
}

impl<T> Deref for CachePadded<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::CachePadded;

    #[test]
    fn neighbours_never_share_a_line() {
        let pair = [CachePadded::new(1u8), CachePadded::new(2u8)];
        let a = &*pair[0] as *const u8 as usize;
        let b = &*pair[1] as *const u8 as usize;
        assert!(b - a >= 128, "padded values {a:#x} and {b:#x} are closer than two cache lines");
        assert_eq!((*pair[0], *pair[1]), (1, 2));
    }
}
