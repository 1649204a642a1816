"""Queue batching: producers and consumers over a multiprocessing.Queue."""
import os
import random
import sys
from multiprocessing import Process, Queue

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
        x = q.get()
        if x is None:  # the sentinel: no more items for this consumer
            break
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
    # TODO(parlab): one item per message: every put pickles one int and writes it into the
    # pipe, every get reads and unpickles it. Send lists of about 1000 items instead (and the
    # remainder), and let each consumer loop over the list it gets.
    for x in data:
        q.put(x)
    for _ in consumers:
        q.put(None)  # one sentinel per consumer: each stops after taking one
    total = sum(results.get() for _ in consumers)  # drain the results first...
    for p in consumers:
        p.join()  # ...then join
    print("items", size)
    print("total score", total)


if __name__ == "__main__":
    main()
