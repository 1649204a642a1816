"""Prepare a key for every item, then score every item on all cores, and add up the scores.

Usage: python3 starter.py SEED SIZE DIR   (SIZE items; DIR is unused)
Prints the number of items, the sum of the scores and the largest score.
"""
import os
import sys
from multiprocessing import Pool

MASK = 0xFFFFFFFFFFFFFFFF


def heavy(x, rounds):
    for _ in range(rounds):
        x = (x * 6364136223846793005 + 1442695040888963407) & MASK
    return x


def prepare(seed, i):  # the item's key: each item's own, independent of the others
    return heavy(seed ^ i, 16)


def score(key):
    return heavy(key, 8) >> 32


def part(keys):  # runs in a worker: scores one chunk of prepared keys
    scores = [score(k) for k in keys]
    return sum(scores), max(scores)


def run(seed, size, workers):
    # TODO(parlab): the parent prepares every key alone, before the pool gets any work: two
    # thirds of the time run on one core, however many workers wait (Amdahl's serial part).
    # Then every key is pickled to a worker. Each item's key depends only on its own index:
    # send the workers index ranges and let each one prepare the keys of its own chunk.
    keys = [prepare(seed, i) for i in range(size)]
    step = -(-size // (4 * workers))
    jobs = [keys[lo:lo + step] for lo in range(0, size, step)]
    with Pool(workers) as pool:
        return pool.map(part, jobs, chunksize=1)


def main():
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    workers = int(os.environ.get("PARLAB_WORKERS") or os.cpu_count() or 1)
    parts = run(seed, size, workers)
    print(f"items: {size}")
    print(f"sum: {sum(s for s, _ in parts)}")
    print(f"max: {max(m for _, m in parts)}")


if __name__ == "__main__":
    main()
