"""Many small tasks, one after another in one process: the right answer.

Usage: python3 sequential.py SEED SIZE DIR   (SIZE tasks; DIR is unused)
"""
import sys

MASK = 0xFFFFFFFFFFFFFFFF


def heavy(x):
    for _ in range(20):
        x = (x * 6364136223846793005 + 1442695040888963407) & MASK
    return x


def task(job):
    seed, i = job
    return sum(heavy(seed ^ (i * 200 + k)) for k in range(200)) & MASK  # about a millisecond


def main():
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    values = [task((seed, i)) for i in range(size)]
    digest = 0
    for v in values:
        digest = (digest * 1000003 + v) & MASK
    print(f"tasks: {len(values)}")
    print(f"sum: {sum(values)}")
    print(f"digest: {digest}")


if __name__ == "__main__":
    main()
