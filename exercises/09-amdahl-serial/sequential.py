"""Prepare a key for every item, score it, add up the scores: one core, the right answer.

Usage: python3 sequential.py SEED SIZE DIR   (SIZE items; DIR is unused)
"""
import sys

MASK = 0xFFFFFFFFFFFFFFFF


def heavy(x, rounds):
    for _ in range(rounds):
        x = (x * 6364136223846793005 + 1442695040888963407) & MASK
    return x


def prepare(seed, i):  # the item's key: each item's own, independent of the others
    return heavy(seed ^ i, 16)


def score(key):
    return heavy(key, 8) >> 32


def main():
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    scores = [score(prepare(seed, i)) for i in range(size)]
    print(f"items: {size}")
    print(f"sum: {sum(scores)}")
    print(f"max: {max(scores)}")


if __name__ == "__main__":
    main()
