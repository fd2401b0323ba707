//! How the process's heap is kept (glibc's malloc). A sync pass allocates and frees
//! buffers of one to four megabytes (the window's meetings and listings) and many answers
//! of a few hundred kilobytes; by default glibc maps each large block afresh and gives
//! freed memory at the heap's top back to the kernel, so the next pass faults the same
//! pages in again. Keeping blocks up to 4 MiB in the heap, and up to 8 MiB of freed memory
//! before trimming, cut a full sync's page faults by a quarter at the same peak memory
//! (BENCHMARKS.md).

/// Blocks larger than this are mapped on their own (glibc's default starts at 128 KiB).
const MMAP_THRESHOLD: i32 = 4 << 20;
/// Freed memory at the heap's top beyond this is given back to the kernel.
const TRIM_THRESHOLD: i32 = 8 << 20;

/// Sets the heap's thresholds; call first thing in `main`, before any thread starts.
pub fn keep_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes malloc's tuning parameters; it is called before any
    // other thread exists, and an unknown value is refused by glibc, not acted on.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD);
    }
}
