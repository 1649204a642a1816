"""Balancing factorials: n! for every n in 1..SIZE with a pool."""
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
        # TODO(parlab): one equal chunk per worker. The chunks hold the same number of values
        # but not the same work: n! costs roughly n^2, so the last worker gets most of it
        # while the first sits idle. Hand out small tasks as workers free up instead.
        chunk = -(-size // workers)  # size / workers, rounded up
        for b, m in pool.map(facts, range(1, size + 1), chunksize=chunk):
            bits += b
            check = (check + m) % MOD
    print("factorials 1..%d" % size)
    print("sum of bit lengths", bits)
    print("sum of n! mod 1000000007", check)


if __name__ == "__main__":
    main()
