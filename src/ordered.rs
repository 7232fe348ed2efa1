//! A parallel map whose results are handed over in input order as they complete.
//!
//! Every thread, the calling one included, takes the next few items from a shared counter;
//! the others send what they make to the calling thread, which hands results over between
//! its own chunks and holds those that arrive early until their turn. Items are taken in
//! order, so only the few finished ahead of the oldest unfinished one wait: memory stays
//! flat in the number of items, and no thread waits for the others between batches. (A
//! calling thread that only waited for results woke once per chunk, taking a core from a
//! worker each time.)

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

/// Items a thread takes at once, at most: one hand-over per chunk, not per item. Fewer
/// items make smaller chunks, so that a handful of files still spreads over the threads.
const CHUNK: usize = 16;

/// Chunks finished and not yet handed over, at most, before the workers wait: bounds
/// memory when handing over is slower than working (a report piped to a slow reader).
const IN_FLIGHT: usize = 16;

/// Runs `work` on every item on `threads` threads (0: one per core), then `hand_over` on
/// each result in item order, on the calling thread. With one thread or one item (a
/// pre-commit hook's single file) everything runs on the calling thread: starting a thread
/// costs more than such a job. Stops at the first error `hand_over` returns (the chunks in
/// progress are finished and dropped).
pub fn map_in_order<T: Sync, R: Send, E>(
    items: &[T],
    threads: usize,
    work: impl Fn(&T) -> R + Sync,
    hand_over: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    let threads = match threads {
        0 => thread::available_parallelism().map_or(1, NonZeroUsize::get),
        n => n,
    }
    .min(items.len());
    let mut in_order = InOrder {
        early: BTreeMap::new(),
        turn: 0,
        hand_over,
    };
    if threads <= 1 {
        return items.iter().try_for_each(|item| (in_order.hand_over)(work(item)));
    }
    let chunk_len = (items.len() / (4 * threads)).clamp(1, CHUNK);
    let next = AtomicUsize::new(0);
    let take_chunk = || {
        let chunk = next.fetch_add(1, Ordering::Relaxed);
        items
            .chunks(chunk_len)
            .nth(chunk)
            .map(|chunk_items| (chunk, chunk_items))
    };
    thread::scope(|scope| {
        let (sender, results) = mpsc::sync_channel(IN_FLIGHT);
        for _ in 1..threads {
            let sender = sender.clone();
            let (take_chunk, work) = (&take_chunk, &work);
            // A worker stops when the items run out, or when its send fails: on an error
            // handing over, the calling thread returns and drops `results`.
            scope.spawn(move || {
                while let Some((chunk, chunk_items)) = take_chunk() {
                    let results: Vec<R> = chunk_items.iter().map(work).collect();
                    if sender.send((chunk, results)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        while let Some((chunk, chunk_items)) = take_chunk() {
            in_order.arrive(chunk, chunk_items.iter().map(&work).collect())?;
            for (chunk, chunk_results) in results.try_iter() {
                in_order.arrive(chunk, chunk_results)?;
            }
        }
        for (chunk, chunk_results) in results.iter() {
            in_order.arrive(chunk, chunk_results)?;
        }
        Ok(())
    })
}

/// Hands chunks' results over in chunk order, holding those that arrive early.
struct InOrder<R, H> {
    early: BTreeMap<usize, Vec<R>>,
    /// The next chunk to hand over.
    turn: usize,
    hand_over: H,
}

impl<R, E, H: FnMut(R) -> Result<(), E>> InOrder<R, H> {
    fn arrive(&mut self, chunk: usize, results: Vec<R>) -> Result<(), E> {
        self.early.insert(chunk, results);
        while let Some(results) = self.early.remove(&self.turn) {
            self.turn += 1;
            results.into_iter().try_for_each(&mut self.hand_over)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_item_order_whatever_order_they_finish_in() {
        let items: Vec<u64> = (0..500).collect();
        // Uneven work: later items often finish before earlier ones.
        let work = |&n: &u64| {
            thread::sleep(std::time::Duration::from_micros((n * 7919) % 300));
            n * n
        };
        let mut seen = Vec::new();
        map_in_order(&items, 4, work, |square| {
            seen.push(square);
            Ok::<_, ()>(())
        })
        .unwrap();
        assert_eq!(seen, items.iter().map(|n| n * n).collect::<Vec<_>>());
    }

    #[test]
    fn an_error_handing_over_stops_the_run() {
        let items: Vec<usize> = (0..10_000).collect();
        let worked = AtomicUsize::new(0);
        let mut handed = 0;
        let outcome = map_in_order(
            &items,
            2,
            |&n| {
                worked.fetch_add(1, Ordering::Relaxed);
                n
            },
            |n| {
                handed += 1;
                if n == 10 { Err("closed") } else { Ok(()) }
            },
        );
        assert_eq!(outcome, Err("closed"));
        assert_eq!(handed, 11);
        assert!(
            worked.load(Ordering::Relaxed) < items.len(),
            "the workers stopped early"
        );
    }

    #[test]
    fn a_few_items_still_spread_over_the_threads_the_calling_one_included() {
        let items = [(); 8];
        let mut ran_on = std::collections::HashSet::new();
        // Slow items, so that the second thread starts long before the first could finish
        // them all.
        let work = |_: &()| {
            thread::sleep(std::time::Duration::from_millis(25));
            thread::current().id()
        };
        map_in_order(&items, 2, work, |id| {
            ran_on.insert(id);
            Ok::<_, ()>(())
        })
        .unwrap();
        assert_eq!(ran_on.len(), 2);
        assert!(ran_on.contains(&thread::current().id()));
    }

    #[test]
    fn one_thread_or_one_item_runs_on_the_calling_thread() {
        let caller = thread::current().id();
        for (items, threads) in [(vec![1, 2, 3], 1), (vec![1], 4)] {
            map_in_order(
                &items,
                threads,
                |_| thread::current().id(),
                |id| {
                    assert_eq!(id, caller);
                    Ok::<_, ()>(())
                },
            )
            .unwrap();
        }
    }
}
