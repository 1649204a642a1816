#!/usr/bin/env bash
# The README's side-by-side figures for the log analyzer: `parlab logs analyze`, the
# tutorial's Python Pool program (tests/it/logs_tutorial.py) and `cat` of the same files,
# 200 files x 20,000 lines, warm page cache, ROUNDS repetitions interleaved (so a machine that
# gets busier hurts all three alike), median wall and CPU (user + system) from /usr/bin/time.
# It also checks that parlab's CSV and the Python program's hold the same rows.
#
# Usage: benches/logs_side_by_side.sh [DIR] [ROUNDS]   (after `cargo build --release`)
set -euo pipefail

dir=${1:-/tmp/parlab-logs-200x20000}
rounds=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
parlab=$root/target/release/parlab
tutorial=$root/tests/it/logs_tutorial.py
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if [ ! -f "$dir/app-199.log" ]; then
    "$parlab" logs generate "$dir" --files 200 --lines 20000 >/dev/null
fi
cat "$dir"/*.log >/dev/null # warm the page cache

# Runs "$@" N times back to back under /usr/bin/time (its figures have 10 ms steps: the
# fast commands run 10 times) and appends "wall cpu" of one run to $out/NAME.
timed() {
    local name=$1 n=$2
    shift 2
    /usr/bin/time -f "%e %U %S" -o "$out/t" \
        bash -c 'n=$1; shift; for _ in $(seq "$n"); do "$@"; done' timed "$n" "$@" >/dev/null 2>&1
    awk -v n="$n" '{ printf "%.3f %.3f\n", $1 / n, ($2 + $3) / n }' "$out/t" >>"$out/$name"
}

for _ in $(seq "$rounds"); do
    timed parlab 10 "$parlab" logs analyze "$dir" --out "$out/parlab.csv"
    timed python 1 python3 "$tutorial" "$dir" "$out/python.csv"
    timed cat 10 sh -c 'cat "$1"/*.log >/dev/null' sh "$dir"
done

# Python's csv module ends rows with \r\n, parlab with \n.
tr -d '\r' <"$out/python.csv" | cmp -s "$out/parlab.csv" - || {
    echo "parlab's CSV differs from the Python program's" >&2
    exit 1
}

# Median of column COL of $out/NAME.
median() { sort -g -k"$2" "$out/$1" | awk -v c="$2" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'; }

bytes=$(cat "$dir"/*.log | wc -c)
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(python3 --version)"
echo "$((bytes / 1000000)) MB in 200 files, $rounds rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-8s %8s %8s\n" command wall cpu
for name in parlab python cat; do
    printf "%-8s %7ss %7ss\n" "$name" "$(median "$name" 1)" "$(median "$name" 2)"
done
awk -v pw="$(median parlab 1)" -v pc="$(median parlab 2)" \
    -v yw="$(median python 1)" -v yc="$(median python 2)" \
    -v cw="$(median cat 1)" -v cc="$(median cat 2)" -v b="$bytes" 'BEGIN {
    printf "python / parlab: %.1fx wall, %.1fx cpu\n", yw / pw, yc / pc
    printf "parlab / cat:    %.2fx wall, %.2fx cpu\n", pw / cw, pc / cc
    if (pc > 0) printf "parlab: %.0f MB/s per core of CPU time (reads included)\n", b / 1e6 / pc
}'
