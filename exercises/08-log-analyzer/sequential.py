"""Count the level (first word) of every non-empty line in DIR's .log files, one file at a time.

Usage: python3 sequential.py SEED SIZE DIR   (the files come from input.py)
Prints one line per file in name order, then the total, each with its words in sorted order.
"""
import os
import sys
from collections import Counter


def count_file(path):
    counts = Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:  # one line at a time, not f.read()
            words = line.split(maxsplit=1)
            if words:
                counts[words[0]] += 1
    return os.path.basename(path), counts


def show(name, counts):
    print(name, " ".join(f"{word}={counts[word]}" for word in sorted(counts)))


def main():
    d = sys.argv[3]
    paths = sorted(os.path.join(d, n) for n in os.listdir(d) if n.endswith(".log"))
    total = Counter()
    for path in paths:
        name, counts = count_file(path)
        show(name, counts)
        total.update(counts)
    show("total", total)


if __name__ == "__main__":
    main()
