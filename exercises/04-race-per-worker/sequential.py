"""Per-worker counts, the oracle: count the hits in one loop."""
import sys


def number(seed, i):
    # The i-th input number: an integer hash of (seed, i), the same in every program.
    return ((i + 1) * 2654435761 + seed * 40503) % 4294967296


def is_hit(x):
    return 1 if bin(x).count("1") % 2 == 0 else 0  # 1 for an even number of 1 bits


def main():
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    hits = sum(is_hit(number(seed, i)) for i in range(size))
    print("numbers", size)
    print("hits", hits)


if __name__ == "__main__":
    main()
