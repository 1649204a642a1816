"""Queue batching, the oracle: score every item in one loop, no queue."""
import random
import sys


def score(x):
    # A few microseconds of integer hashing per item: the consumers' work.
    h = x
    for _ in range(24):
        h = (h * 2654435761 + 12345) % 4294967296
    return h % 1000


def items(seed, n):
    rng = random.Random(seed)
    return [rng.getrandbits(32) for _ in range(n)]


def main():
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    total = sum(score(x) for x in items(seed, size))
    print("items", size)
    print("total score", total)


if __name__ == "__main__":
    main()
