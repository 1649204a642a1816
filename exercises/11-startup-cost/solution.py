"""Many small tasks on all cores: a checksum of 200 hashed numbers per task.

Usage: python3 solution.py SEED SIZE DIR   (SIZE tasks; DIR is unused)
Prints the number of tasks, the sum of their results and an order-sensitive digest.
"""
import os
import sys
from multiprocessing import Pool

MASK = 0xFFFFFFFFFFFFFFFF


def heavy(x):
    for _ in range(20):
        x = (x * 6364136223846793005 + 1442695040888963407) & MASK
    return x


def task(job):
    seed, i = job
    return sum(heavy(seed ^ (i * 200 + k)) for k in range(200)) & MASK  # about a millisecond


def run_all(jobs, workers):
    # One pool: W processes started once, each running many tasks. The start-up cost is paid
    # W times, not once per task, and map hands out the tasks in chunks.
    with Pool(workers) as pool:
        return pool.map(task, jobs, chunksize=max(1, len(jobs) // (8 * workers)))


def main():
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    workers = int(os.environ.get("PARLAB_WORKERS") or os.cpu_count() or 1)
    values = run_all([(seed, i) for i in range(size)], workers)
    digest = 0
    for v in values:
        digest = (digest * 1000003 + v) & MASK
    print(f"tasks: {len(values)}")
    print(f"sum: {sum(values)}")
    print(f"digest: {digest}")


if __name__ == "__main__":
    main()
