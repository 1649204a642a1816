"""Stream, don't load: write FILES log files of SIZE lines in all into DIR.

A line: `2026-11-30T08:15:42.317 ERROR web-3 GET /api/items/1234 500 87ms`.
"""
import os
import random
import sys

FILES = 3
LEVELS = ["INFO"] * 14 + ["DEBUG"] * 3 + ["WARN"] * 2 + ["ERROR"]  # 70% / 15% / 10% / 5%
PATHS = ["/api/items/", "/api/users/", "/api/orders/", "/static/img/", "/login?id="]


def lines(rng, first, count):
    for i in range(first, first + count):
        level = LEVELS[rng.getrandbits(16) % len(LEVELS)]
        status = 500 if level == "ERROR" else (404 if level == "WARN" else 200)
        sec, ms = divmod(i, 1000)
        yield "2026-11-30T%02d:%02d:%02d.%03d %s web-%d GET %s%d %d %dms\n" % (
            8 + sec // 3600 % 12,
            sec // 60 % 60,
            sec % 60,
            ms,
            level,
            rng.getrandbits(3),
            PATHS[rng.getrandbits(8) % len(PATHS)],
            rng.getrandbits(14),
            status,
            1 + rng.getrandbits(rng.getrandbits(3) + 3),
        )


def main():
    seed, size, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(seed)
    for k in range(FILES):
        first, last = size * k // FILES, size * (k + 1) // FILES
        with open(os.path.join(out, "app-%d.log" % k), "w") as f:
            f.writelines(lines(rng, first, last - first))


if __name__ == "__main__":
    main()
