"""Per-worker counts, the reference solution: every worker counts privately, the parent sums."""
import os
import sys
from multiprocessing import Pool


def number(seed, i):
    # The i-th input number: an integer hash of (seed, i), the same in every program.
    return ((i + 1) * 2654435761 + seed * 40503) % 4294967296


def is_hit(x):
    return 1 if bin(x).count("1") % 2 == 0 else 0  # 1 for an even number of 1 bits


def count_share(job):
    seed, lo, hi = job
    hits = 0  # private to this call: no other worker can touch it, so nothing to race on
    for i in range(lo, hi):
        hits += is_hit(number(seed, i))
    return hits


def main():
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    workers = int(os.environ.get("PARLAB_WORKERS") or os.cpu_count())
    parts = 4 * workers
    jobs = [(seed, size * k // parts, size * (k + 1) // parts) for k in range(parts)]
    with Pool(workers) as pool:
        hits = sum(pool.map(count_share, jobs, chunksize=1))  # the parent adds the counts up
    print("numbers", size)
    print("hits", hits)


if __name__ == "__main__":
    main()
