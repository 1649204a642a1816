"""The tutorial's capstone log analyzer (section 6), written afresh from its description.

Each .log file of a directory is read whole as text (UTF-8, strict, universal newlines) by a
pool of one process per CPU; the first word of every non-empty line is its level; a file that
fails becomes a row carrying "Error: ..." instead of counts. The CSV has the header
File,ERROR,WARNING,INFO and one row per file; the total time is printed.

parlab's tests run it to check that `parlab logs analyze` counts exactly as it does, and the
README's figures compare the two. Usage: python3 logs_tutorial.py LOG_DIR OUT_CSV
"""

import csv
import os
import sys
import time
from collections import Counter
from multiprocessing import Pool, cpu_count

LEVELS = ["ERROR", "WARNING", "INFO"]


def analyze_log(path):
    try:
        with open(path, "r", encoding="utf-8") as f:
            lines = f.readlines()
        counts = Counter()
        for line in lines:
            if line.strip():
                counts[line.split()[0]] += 1
        return os.path.basename(path), counts
    except Exception as e:
        return os.path.basename(path), f"Error: {e}"


def main(log_dir, out_csv):
    start = time.time()
    paths = [os.path.join(log_dir, n) for n in os.listdir(log_dir) if n.endswith(".log")]
    with Pool(processes=cpu_count()) as pool:
        results = pool.map(analyze_log, paths)
    with open(out_csv, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["File"] + LEVELS)
        for name, counts in sorted(results):
            if isinstance(counts, str):
                out.writerow([name, counts, "", ""])
            else:
                out.writerow([name] + [counts.get(level, 0) for level in LEVELS])
    print(f"processed {len(paths)} files in {time.time() - start:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
