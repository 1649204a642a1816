"""Sequential version: the checksum of every item, computed in one loop."""
import random
import sys


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
    results = [work(x) for x in items(seed, size)]
    print("items", len(results))
    print("checksum", sum(results) % 1000000007)
