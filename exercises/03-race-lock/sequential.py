"""Sequential version: count the items one by one."""
import sys

if __name__ == "__main__":
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    count = 0
    for _ in range(size):
        count += 1
    print("count", count)
