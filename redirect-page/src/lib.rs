//! The Smartcar Connect redirect page.
//!
//! Connect sends the popup to the app's redirect URI with `code` and `state` (or `error`) in
//! the query string. This page removes them from the address bar, posts them to the window
//! that opened the popup (only to `app_origin`, which must be a bare origin, and one of the
//! page's allowed origins when it lists some, or else to its own origin), and closes the popup.
//! Without an opener it hands a same-origin app the result over the flow's own
//! `BroadcastChannel`, and always leaves a readable page behind.
//!
//! Where the result goes and what the page says are decided by the protocol crate's
//! [`delivery`](smartcar_protocol::delivery), which the SDK's `handleRedirect` shares; on
//! `wasm32` a small layer carries it out when the script runs.
#![deny(missing_docs)]

mod page;

pub use page::plan;

// The page runs once and allocates a few kilobytes, so an allocator that never frees is the
// smallest correct one. The page's wasm is single threaded, which `AssumeSingleThreaded`
// relies on.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::LeakingAllocator> =
    // SAFETY: wasm32-unknown-unknown without the atomics feature runs on one thread.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::LeakingAllocator::new()) };
