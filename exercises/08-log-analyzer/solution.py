"""Count the level (first word) of every non-empty line in DIR's .log files, on all cores.

Usage: python3 solution.py SEED SIZE DIR   (the files come from input.py)
Prints one line per file in name order, then the total, each with its words in sorted order.
"""
import os
import sys
from collections import Counter
from multiprocessing import Pool


def count_file(path):  # runs in a worker: reads AND counts, returns a few numbers
    counts = Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:  # one line at a time, not f.read()
            words = line.split(maxsplit=1)
            if words:
                counts[words[0]] += 1
    return os.path.basename(path), counts


def analyze(paths, workers):
    paths = sorted(paths, key=os.path.getsize, reverse=True)  # largest first: small ones fill the end
    with Pool(workers) as pool:
        return sorted(pool.imap_unordered(count_file, paths))


def show(name, counts):
    print(name, " ".join(f"{word}={counts[word]}" for word in sorted(counts)))


def main():
    d = sys.argv[3]
    workers = int(os.environ.get("PARLAB_WORKERS") or os.cpu_count() or 1)
    paths = [os.path.join(d, n) for n in os.listdir(d) if n.endswith(".log")]
    total = Counter()
    for name, counts in analyze(paths, workers):
        show(name, counts)
        total.update(counts)  # the reduce: a few numbers per file, in the parent
    show("total", total)


if __name__ == "__main__":
    main()
