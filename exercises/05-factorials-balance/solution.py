"""Balancing factorials, the reference solution: small chunks, most expensive first."""
import math
import os
import sys
from multiprocessing import Pool

MOD = 1000000007


def facts(n):
    # bit_length, not len(str(...)): since 3.11 str() refuses ints over 4300 digits
    f = math.factorial(n)
    return f.bit_length(), f % MOD


def main():
    size = int(sys.argv[2])
    workers = int(os.environ.get("PARLAB_WORKERS") or os.cpu_count())
    bits = check = 0
    with Pool(workers) as pool:
        # Small chunks (size / (32 * workers) values each) handed out as workers free up, the
        # most expensive first: the last chunks handed out are the cheapest, so every worker
        # finishes at about the same time. (chunksize=1 balances too, but in Python every
        # task costs a message each way: thousands of them add up.)
        chunk = max(1, size // (32 * workers))
        for b, m in pool.imap_unordered(facts, range(size, 0, -1), chunksize=chunk):
            bits += b
            check = (check + m) % MOD
    print("factorials 1..%d" % size)
    print("sum of bit lengths", bits)
    print("sum of n! mod 1000000007", check)


if __name__ == "__main__":
    main()
