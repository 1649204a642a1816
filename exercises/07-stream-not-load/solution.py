"""Stream, don't load, the reference solution: a pool over the files, each read line by line."""
import os
import sys
from multiprocessing import Pool

LEVELS = ("DEBUG", "INFO", "WARN", "ERROR")
FIELDS = ("lines",) + LEVELS + ("slowest_ms",)


def new_stats():
    return {"lines": 0, "DEBUG": 0, "INFO": 0, "WARN": 0, "ERROR": 0, "slowest_ms": 0}


def add_line(stats, line):
    # `2026-11-30T08:15:42.317 ERROR web-3 GET /api/items/1234 500 87ms`
    parts = line.split()
    stats["lines"] += 1
    stats[parts[1]] += 1
    ms = int(parts[-1][:-2])
    if ms > stats["slowest_ms"]:
        stats["slowest_ms"] = ms


def analyze(path):
    stats = new_stats()
    with open(path) as f:
        for line in f:  # one line in memory at a time: memory stays flat however big the file
            add_line(stats, line)
    return os.path.basename(path), stats


def fields(stats):
    return " ".join("%s=%d" % (k, stats[k]) for k in FIELDS)


def report(results):
    total = new_stats()
    for name, stats in sorted(results):
        print(name, fields(stats))
        for k in total:
            total[k] = max(total[k], stats[k]) if k == "slowest_ms" else total[k] + stats[k]
    print("total", fields(total))


def main():
    folder = sys.argv[3]
    paths = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".log"))
    workers = int(os.environ.get("PARLAB_WORKERS") or os.cpu_count())
    with Pool(workers) as pool:
        results = pool.map(analyze, paths, chunksize=1)
    report(results)


if __name__ == "__main__":
    main()
