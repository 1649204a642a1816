"""Write SIZE log files into DIR: app-000.log, app-001.log, ... of different lengths.

Usage: python3 input.py SEED SIZE DIR
Each line is "LEVEL time service message", LEVEL one of ERROR, WARNING, INFO, DEBUG; about
one line in a hundred is empty. 5,000 to 35,000 lines (about 0.3 to 2 MB) per file.
"""
import os
import random
import sys

LEVELS = ["ERROR"] + ["WARNING"] * 3 + ["INFO"] * 12 + ["DEBUG"] * 4
SERVICES = ["api", "auth", "db", "cache", "queue", "web"]
WORDS = ["request", "done", "retry", "timeout", "user", "login", "query", "slow", "ok", "miss"]


def main():
    seed, size, d = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(seed)
    # A few thousand message bodies, picked at random for each line: fast to write.
    bodies = [
        f"{rng.choice(SERVICES)} " + " ".join(rng.choice(WORDS) for _ in range(rng.randrange(2, 6)))
        + f" id={rng.randrange(1_000_000)}"
        for _ in range(4096)
    ]
    stamps = [f"2024-01-01T{s // 3600:02}:{s // 60 % 60:02}:{s % 60:02}" for s in range(3600)]
    r = rng.random
    for k in range(size):
        lines = []
        for i in range(rng.randrange(5000, 35000)):
            if r() < 0.01:
                lines.append("")
            else:
                level = LEVELS[int(r() * len(LEVELS))]
                lines.append(f"{level} {stamps[i % 3600]} {bodies[int(r() * 4096)]}")
        with open(os.path.join(d, f"app-{k:03}.log"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
