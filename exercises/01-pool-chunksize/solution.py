"""Many tiny tasks on a pool: the same checksum, spread over the workers."""
import os
import random
import sys
from multiprocessing import Pool


def work(x):
    # A tiny task: a few microseconds of arithmetic per item.
    acc = 0
    for k in range(96):
        acc = (acc * 31 + x * k) % 1000003
    return acc


def items(seed, size):
    rng = random.Random(seed)
    return [rng.randrange(1 << 30) for _ in range(size)]


if __name__ == "__main__":
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    workers = int(os.environ.get("PARLAB_WORKERS") or os.cpu_count())
    data = items(seed, size)
    # A few chunks per worker: few messages, and still some room to balance the load.
    chunk = max(1, len(data) // (workers * 4))
    with Pool(workers) as pool:
        results = pool.map(work, data, chunksize=chunk)
    print("items", len(results))
    print("checksum", sum(results) % 1000000007)
