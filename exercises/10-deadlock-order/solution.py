"""Bank transfers on several teller threads; each transfer holds the locks of both accounts.

Usage: python3 solution.py SEED SIZE DIR   (SIZE transfers between 4 accounts; DIR is unused)
Prints every account's final balance and the total, which must stay 4,000,000.
"""
import os
import random
import sys
import threading
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
    time.sleep(0.0001)  # look the account up while holding its lock: widens the window


def transfer(balance, locks, src, dst, amount):
    # One global order: the lower account number first, whichever way the money moves.
    # Whoever holds the lower lock can always get the higher one, so no cycle can form.
    first, second = min(src, dst), max(src, dst)
    with locks[first]:
        audit(src)
        with locks[second]:
            balance[src] -= amount
            balance[dst] += amount


def teller(balance, locks, transfers):
    for src, dst, amount in transfers:
        transfer(balance, locks, src, dst, amount)


def main():
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    workers = int(os.environ.get("PARLAB_WORKERS") or os.cpu_count() or 1)
    tellers = max(2, workers)  # a deadlock needs two: at least two tellers, even on one core
    transfers = make_transfers(seed, size)
    balance = [START] * ACCOUNTS
    locks = [threading.Lock() for _ in range(ACCOUNTS)]
    threads = [
        threading.Thread(target=teller, args=(balance, locks, transfers[t::tellers]))
        for t in range(tellers)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for a in range(ACCOUNTS):
        print(f"account {a}: {balance[a]}")
    print(f"total: {sum(balance)}")


if __name__ == "__main__":
    main()
