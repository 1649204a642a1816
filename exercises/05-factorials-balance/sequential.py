"""Balancing factorials, the oracle: n! for every n in 1..SIZE in one loop."""
import math
import sys

MOD = 1000000007


def facts(n):
    # bit_length, not len(str(...)): since 3.11 str() refuses ints over 4300 digits
    f = math.factorial(n)
    return f.bit_length(), f % MOD


def main():
    size = int(sys.argv[2])
    bits = check = 0
    for b, m in map(facts, range(1, size + 1)):
        bits += b
        check = (check + m) % MOD
    print("factorials 1..%d" % size)
    print("sum of bit lengths", bits)
    print("sum of n! mod 1000000007", check)


if __name__ == "__main__":
    main()
