"""Pipe protocol, the reference solution: request tuples, replies in order, None to stop."""
import random
import sys
from multiprocessing import Pipe, Process

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


def serve(conn):
    # The child: one reply per request, in the order the requests came.
    while True:
        req = conn.recv()
        if req is None:  # end of stream: the parent has nothing more to ask
            break
        i, op, a, b = req
        conn.send((i, answer(op, a, b)))
    conn.close()


def main():
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    parent, child = Pipe()
    p = Process(target=serve, args=(child,))
    p.start()
    replies = []
    for req in requests(seed, size):
        parent.send(req)
        i, value = parent.recv()
        if i != req[0]:
            raise SystemExit("reply %d came back for request %d" % (i, req[0]))
        replies.append((i, value))
    parent.send(None)  # end of stream: without it the child waits in recv() for ever
    p.join()
    print("requests", len(replies))
    print("sum of results", sum(value for _, value in replies) % MOD)
    print("last reply", replies[-1])


if __name__ == "__main__":
    main()
