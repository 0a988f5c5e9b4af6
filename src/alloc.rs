//! The allocator of the `jixiao` binary and of the benches (outside the pipeline: the library
//! itself allocates with whatever allocator its user chose). mimalloc, called as C calls it:
//! reading and scoring a department allocates many small strings and vectors, and
//! `jixiao batch` does it a million times a run, on every core.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// The alignment mimalloc gives every block at least as large as it (`MI_MAX_ALIGN_SIZE`, the
/// alignment of `max_align_t`): its pages start 16-byte aligned and every block larger than a
/// word is a multiple of 16 bytes (mimalloc's own `mi_malloc_is_naturally_aligned` relies on
/// it), so a block of at least `align` bytes, `align` at most 16, is aligned to it.
const FUNDAMENTAL: usize = if cfg!(target_pointer_width = "64") {
    16
} else {
    8
};

/// mimalloc through `mi_malloc`, `mi_zalloc`, `mi_realloc` and `mi_free` for every layout whose
/// alignment mimalloc gives anyway (all but over-aligned types), and through its aligned calls
/// for the rest. (The `mimalloc` crate's allocator calls the aligned ones for every layout,
/// which ask the alignment again, for nothing, on each allocation.)
pub struct Allocator;

/// Whether a plain mimalloc block of `size` bytes is aligned enough for `align`.
#[inline(always)]
fn plain(size: usize, align: usize) -> bool {
    align <= FUNDAMENTAL && align <= size
}

// SAFETY: every block comes from mimalloc, aligned as asked (`plain` holds only when mimalloc's
// own alignment suffices), and is given back to it with `mi_free`, which takes any of its blocks.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: mimalloc's calls take any size; a null result is the failure `alloc` returns.
        unsafe {
            match plain(layout.size(), layout.align()) {
                true => libmimalloc_sys::mi_malloc(layout.size()).cast(),
                false => libmimalloc_sys::mi_malloc_aligned(layout.size(), layout.align()).cast(),
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        unsafe {
            match plain(layout.size(), layout.align()) {
                true => libmimalloc_sys::mi_zalloc(layout.size()).cast(),
                false => libmimalloc_sys::mi_zalloc_aligned(layout.size(), layout.align()).cast(),
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` was allocated by this allocator, so by mimalloc.
        unsafe { libmimalloc_sys::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was allocated by this allocator with `layout`; on failure mimalloc
        // returns null and leaves the block as it was, as `realloc` must.
        unsafe {
            match plain(new_size, layout.align()) {
                true => libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast(),
                false => {
                    libmimalloc_sys::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every alignment up to a page, for sizes around each, small and large: the block is
    /// aligned as asked, holds what is written into it, and keeps it through a realloc.
    #[test]
    fn blocks_are_aligned_as_asked() {
        let a = Allocator;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 7, 8, 15, 16, 24, 48, 100, 1000, 5000, 100_000] {
                let Ok(layout) = Layout::from_size_align(size.max(align), align) else {
                    continue;
                };
                // SAFETY: the layout's size is not 0; every block is freed once, by this
                // allocator, with the layout it has.
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null() && (p as usize) % align == 0, "{layout:?}");
                    p.write_bytes(0xA5, layout.size());
                    let q = a.realloc(p, layout, layout.size() * 3);
                    assert!(!q.is_null() && (q as usize) % align == 0, "{layout:?}");
                    assert!((0..layout.size()).all(|i| *q.add(i) == 0xA5));
                    let grown = Layout::from_size_align(layout.size() * 3, align).unwrap();
                    a.dealloc(q, grown);
                    let z = a.alloc_zeroed(layout);
                    assert!(!z.is_null() && (z as usize) % align == 0, "{layout:?}");
                    assert!((0..layout.size()).all(|i| *z.add(i) == 0));
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
