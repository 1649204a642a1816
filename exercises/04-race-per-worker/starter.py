"""Per-worker counts: a pool counts the hits, every worker adding to one shared counter."""
import os
import sys
from multiprocessing import Pool, Value

counter = None  # the shared counter, set in every worker by init()


def init(shared):
    global counter
    counter = shared


def number(seed, i):
    # The i-th input number: an integer hash of (seed, i), the same in every program.
    return ((i + 1) * 2654435761 + seed * 40503) % 4294967296


def is_hit(x):
    return 1 if bin(x).count("1") % 2 == 0 else 0  # 1 for an even number of 1 bits


def count_share(job):
    seed, lo, hi = job
    for i in range(lo, hi):
        # TODO(parlab): a race. `+=` on a shared value is three steps: read, add, write back,
        # and another worker may come between them: a lost update. Fix it without a lock:
        # count into a local variable, return it, and let the parent add the counts up.
        counter.value += is_hit(number(seed, i))  # adds 1 for a hit, 0 otherwise


def main():
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    workers = int(os.environ.get("PARLAB_WORKERS") or os.cpu_count())
    parts = 4 * workers
    jobs = [(seed, size * k // parts, size * (k + 1) // parts) for k in range(parts)]
    shared = Value("q", 0, lock=False)  # a raw shared int, no lock of its own
    with Pool(workers, initializer=init, initargs=(shared,)) as pool:
        pool.map(count_share, jobs, chunksize=1)
    print("numbers", size)
    print("hits", shared.value)


if __name__ == "__main__":
    main()
