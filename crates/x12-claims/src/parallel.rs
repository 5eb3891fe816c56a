//! Work spread over threads with the results kept in input order.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender};

/// Starts `threads` workers in `scope`: each takes the next job from `jobs` (the lock is held
/// only to take it) and sends what `work` makes of it to `done`, until `jobs` closes or `done`
/// does. `work` tags each result with the job's place, so the caller can put them back in order.
pub(crate) fn workers<'scope, 'env, J: Send + 'env, R: Send + 'env>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    threads: usize,
    jobs: &'env Mutex<Receiver<J>>,
    done: &Sender<(u64, R)>,
    work: &'env (impl Fn(J) -> (u64, R) + Sync),
) {
    for _ in 0..threads {
        let done = done.clone();
        scope.spawn(move || {
            loop {
                let job = match jobs.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok(job) = job else { return };
                if done.send(work(job)).is_err() {
                    return;
                }
            }
        });
    }
}

/// `f` over runs of consecutive items, on up to `threads` threads, the results in the items'
/// order (one per run). Runs are handed out from a shared counter, so an uneven mix of small and
/// large items still keeps every thread busy. With one thread, all the items are one run, on the
/// caller's thread.
pub(crate) fn map_runs_in_order<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&[T]) -> R + Sync,
) -> Vec<R> {
    if threads <= 1 || items.len() <= 1 {
        return vec![f(items)];
    }
    // Short runs balance the load; not so short that the counter is contended.
    let run = (items.len() / (threads * 16)).clamp(1, 256);
    let next = AtomicUsize::new(0);
    let mut parts: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(items.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let start = next.fetch_add(run, Ordering::Relaxed);
                        if start >= items.len() {
                            return done;
                        }
                        let end = (start + run).min(items.len());
                        done.push((start, f(&items[start..end])));
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
    parts.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_input_order_on_any_thread_count() {
        let items: Vec<u64> = (0..10_000).collect();
        let want: Vec<u64> = items.iter().map(|x| x * x).collect();
        for threads in [1, 2, 3, 8] {
            let runs = map_runs_in_order(&items, threads, |run| {
                run.iter().map(|x| x * x).collect::<Vec<u64>>()
            });
            assert_eq!(runs.concat(), want, "{threads} threads");
        }
        let none = map_runs_in_order(&[] as &[u64], 4, |run| run.len());
        assert_eq!(none, [0]);
    }
}
