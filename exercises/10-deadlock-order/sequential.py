"""Bank transfers one after another: the right final balances, no threads, no locks.

Usage: python3 sequential.py SEED SIZE DIR   (SIZE transfers between 4 accounts; DIR is unused)
"""
import random
import sys
import time

ACCOUNTS = 4
START = 1_000_000


def make_transfers(seed, n):
    rng = random.Random(seed)
    transfers = []
    for _ in range(n):
        src, dst = rng.sample(range(ACCOUNTS), 2)
        transfers.append((src, dst, rng.randrange(1, 100)))
    return transfers


def audit(account):
    time.sleep(0.0001)  # the same look-up as the threaded versions


def main():
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    balance = [START] * ACCOUNTS
    for src, dst, amount in make_transfers(seed, size):
        audit(src)
        balance[src] -= amount
        balance[dst] += amount
    for a in range(ACCOUNTS):
        print(f"account {a}: {balance[a]}")
    print(f"total: {sum(balance)}")


if __name__ == "__main__":
    main()
