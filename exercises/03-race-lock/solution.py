"""Several processes add to one shared counter."""
import os
import sys
from multiprocessing import Process, Value


def add(counter, times):
    for _ in range(times):
        # The value's own lock makes the read and the write one step.
        with counter.get_lock():
            counter.value += 1


if __name__ == "__main__":
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    workers = max(2, int(os.environ.get("PARLAB_WORKERS") or os.cpu_count()))
    counter = Value("q", 0)
    shares = [size // workers + (1 if i < size % workers else 0) for i in range(workers)]
    procs = [Process(target=add, args=(counter, n)) for n in shares]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print("count", counter.value)
