//! Synchronization primitives for async code: locks, semaphores, channels.
