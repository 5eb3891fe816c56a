//! Work spread over threads with the results kept in input order.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` over every item, on up to `threads` threads, the results in the items' order. Items are
/// handed out in chunks from a shared counter, so an uneven mix of small and large items still
/// keeps every thread busy. With one thread (or one item) it all runs on the caller's thread.
pub(crate) fn map_in_order<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    if threads <= 1 || items.len() <= 1 {
        return items.iter().map(f).collect();
    }
    // Small chunks balance the load; not so small that the counter is contended.
    let chunk = (items.len() / (threads * 16)).clamp(1, 256);
    let next = AtomicUsize::new(0);
    let mut parts: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(items.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let start = next.fetch_add(chunk, Ordering::Relaxed);
                        if start >= items.len() {
                            return done;
                        }
                        let end = (start + chunk).min(items.len());
                        done.push((start, items[start..end].iter().map(&f).collect::<Vec<R>>()));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| match w.join() {
                Ok(done) => done,
                // A worker's panic is the caller's.
                Err(e) => std::panic::resume_unwind(e),
            })
            .collect()
    });
    parts.sort_by_key(|(start, _)| *start);
    parts.into_iter().flat_map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_input_order_on_any_thread_count() {
        let items: Vec<u64> = (0..10_000).collect();
        let want: Vec<u64> = items.iter().map(|x| x * x).collect();
        for threads in [1, 2, 3, 8] {
            assert_eq!(map_in_order(&items, threads, |x| x * x), want);
        }
        assert!(map_in_order(&[] as &[u64], 4, |x| *x).is_empty());
    }
}
