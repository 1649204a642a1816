"""Count the level (first word) of every non-empty line in DIR's .log files, on all cores.

Usage: python3 starter.py SEED SIZE DIR   (the files come from input.py)
Prints one line per file in name order, then the total, each with its words in sorted order.
"""
import os
import sys
from collections import Counter
from multiprocessing import Pool


def read_lines(path):  # runs in a worker
    with open(path, encoding="utf-8") as f:
        return os.path.basename(path), f.read().splitlines()


def count_lines(lines):
    counts = Counter()
    for line in lines:
        words = line.split(maxsplit=1)
        if words:
            counts[words[0]] += 1
    return counts


def analyze(paths, workers):
    rows = []
    with Pool(workers) as pool:
        # TODO(parlab): the workers only read the files; every line is pickled back to the
        # parent, which then does all the counting alone, one file after another. Let each
        # worker count its own file (streaming it line by line) and send back only the counts.
        for name, lines in pool.imap(read_lines, paths):
            rows.append((name, count_lines(lines)))
    return sorted(rows)


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
