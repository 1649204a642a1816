"""Queue batching, the reference solution: lists of BATCH items per message."""
import os
import random
import sys
from multiprocessing import Process, Queue

BATCH = 1000  # items per message: one pickle and one pipe write carry a thousand numbers


def score(x):
    # A few microseconds of integer hashing per item: the consumers' work.
    h = x
    for _ in range(24):
        h = (h * 2654435761 + 12345) % 4294967296
    return h % 1000


def items(seed, n):
    rng = random.Random(seed)
    return [rng.getrandbits(32) for _ in range(n)]


def consumer(q, results):
    total = 0
    while True:
        batch = q.get()
        if batch is None:  # the sentinel: no more items for this consumer
            break
        for x in batch:
            total += score(x)
    results.put(total)


def main():
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    workers = int(os.environ.get("PARLAB_WORKERS") or os.cpu_count())
    q, results = Queue(maxsize=64), Queue()
    consumers = [Process(target=consumer, args=(q, results)) for _ in range(workers)]
    for p in consumers:
        p.start()
    data = items(seed, size)  # main is the producer
    for lo in range(0, len(data), BATCH):
        q.put(data[lo : lo + BATCH])  # one message per batch, the last one may be shorter
    for _ in consumers:
        q.put(None)  # one sentinel per consumer: each stops after taking one
    total = sum(results.get() for _ in consumers)  # drain the results first...
    for p in consumers:
        p.join()  # ...then join
    print("items", size)
    print("total score", total)


if __name__ == "__main__":
    main()
