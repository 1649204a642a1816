"""Pipe protocol, the oracle: answer every request in this process, no pipe."""
import random
import sys

MOD = 1000000007
OPS = ("add", "mul", "pow")


def answer(op, a, b):
    if op == "add":
        return (a + b) % MOD
    if op == "mul":
        return a * b % MOD
    return pow(a, b, MOD)


def requests(seed, n):
    rng = random.Random(seed)
    return [(i, OPS[rng.randrange(3)], rng.getrandbits(20), rng.getrandbits(20)) for i in range(n)]


def main():
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    replies = [(i, answer(op, a, b)) for i, op, a, b in requests(seed, size)]
    print("requests", len(replies))
    print("sum of results", sum(value for _, value in replies) % MOD)
    print("last reply", replies[-1])


if __name__ == "__main__":
    main()
