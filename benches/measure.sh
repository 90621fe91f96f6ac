#!/usr/bin/env bash
# Whole-process figures for the README's performance table (issue 5). Run from the
# repository root on an otherwise idle machine:  bash benches/measure.sh
set -euo pipefail
cargo build --release --quiet
bin=target/release/seatsim
scenario=benches/data/perf-125x5.toml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

measure() { # label, then the command; prints wall seconds, user seconds and peak RSS
    local label=$1; shift
    /usr/bin/time -f "%e %U %M" -o "$out/time" "$@" > /dev/null 2>&1
    read -r wall user rss < "$out/time"
    printf '%-46s wall %7.2f s  user %7.2f s  peak RSS %6.1f MB\n' "$label" "$wall" "$user" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
}

measure "1e6 iterations, 2 threads" $bin run $scenario -n 1e6 --threads 2 --no-plots -q --out "$out/a"
measure "1e6 iterations, 1 thread" $bin run $scenario -n 1e6 --threads 1 --no-plots -q --out "$out/b"
measure "1e5 iterations, 2 threads" $bin run $scenario -n 1e5 --threads 2 --no-plots -q --out "$out/c"
measure "1e7 iterations, 2 threads" $bin run $scenario -n 1e7 --threads 2 --no-plots -q --out "$out/d"
measure "validate azerbaijan-2005" $bin validate scenarios/azerbaijan-2005.toml
measure "run azerbaijan-2005 (1e5, charts)" $bin run scenarios/azerbaijan-2005.toml --out "$out/e"
measure "run azerbaijan-2005 (1e5, --no-plots)" $bin run scenarios/azerbaijan-2005.toml --no-plots --out "$out/f"
