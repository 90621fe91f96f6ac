#!/usr/bin/env bash
# Compare the engine of two builds on a machine whose speed drifts (README "Performance").
#
#   bash benches/compare.sh OLD NEW [ROUNDS] [best_of arguments...]
#
# OLD and NEW are `best_of` binaries (after `cargo bench --bench best_of --no-run`, the
# newest `target/release/deps/best_of-*` without an extension; copy it aside before
# rebuilding). Each round runs both at the same time, one per core, and swaps the cores
# every other round, so both see the same slow spells; it then prints each build's best
# and median engine time in microseconds per iteration over the rounds. Running one
# build against a copy of itself shows the noise: on the 2-core machine of the README,
# the best times differed by 0.4% and the medians by 1.4%. A binary that fails, or
# prints no engine time, stops the comparison.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: bash benches/compare.sh OLD NEW [ROUNDS] [best_of arguments...]" >&2
    exit 2
fi
old=$1
new=$2
rounds=${3:-8}
shift $(($# < 3 ? $# : 3))
for bin in "$old" "$new"; do
    [ -x "$bin" ] || { echo "compare.sh: $bin is not an executable best_of binary" >&2; exit 2; }
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { # binary, status; stops the other one if it still runs
    kill "${pid:-}" 2>/dev/null || true
    echo "compare.sh: $1 failed (exit $2)" >&2
    exit 1
}
engine() { # the engine time best_of printed in file $1
    local t
    t=$(sed -nE 's/.*engine ([0-9.]+) us per iteration.*/\1/p' "$1")
    [ -n "$t" ] || { echo "compare.sh: no engine time in the output of $2" >&2; exit 1; }
    echo "$t"
}
for round in $(seq "$rounds"); do
    a=$((round % 2)) b=$(((round + 1) % 2))
    taskset -c "$a" "$old" "$@" > "$out/old.txt" &
    pid=$!
    taskset -c "$b" "$new" "$@" > "$out/new.txt" || fail "$new" $?
    wait "$pid" || fail "$old" $?
    engine "$out/old.txt" "$old" >> "$out/old"
    engine "$out/new.txt" "$new" >> "$out/new"
done
for build in old new; do
    sort -n "$out/$build" | awk -v build="$build" '
        { t[NR] = $1 }
        END {
            printf "%-4s best %.2f  median %.2f us per iteration; all:", build, t[1], t[int((NR + 1) / 2)]
            for (i = 1; i <= NR; i++) printf " %.2f", t[i]
            print ""
        }'
done
