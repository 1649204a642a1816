"""Many small tasks on all cores: a checksum of 200 hashed numbers per task.

Usage: python3 starter.py SEED SIZE DIR   (SIZE tasks; DIR is unused)
Prints the number of tasks, the sum of their results and an order-sensitive digest.
"""
import os
import sys
from multiprocessing import Process, Queue

MASK = 0xFFFFFFFFFFFFFFFF


def heavy(x):
    for _ in range(20):
        x = (x * 6364136223846793005 + 1442695040888963407) & MASK
    return x


def task(job):
    seed, i = job
    return sum(heavy(seed ^ (i * 200 + k)) for k in range(200)) & MASK  # about a millisecond


def run_one(job, results):  # a Process target: one task, its answer through the queue
    results.put((job[1], task(job)))


def run_all(jobs, workers):
    values = [0] * len(jobs)
    results = Queue()
    # TODO(parlab): every task gets a freshly started process, W at a time. Starting and
    # joining a process costs milliseconds, more than the task itself, so the workers spend
    # most of their time being born. Start the workers once and give them many tasks each.
    for lo in range(0, len(jobs), workers):
        batch = [Process(target=run_one, args=(job, results)) for job in jobs[lo:lo + workers]]
        for p in batch:
            p.start()
        for _ in batch:
            i, value = results.get()
            values[i] = value
        for p in batch:
            p.join()
    return values


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
