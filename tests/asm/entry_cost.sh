#!/usr/bin/env bash
# usage: entry_cost.sh <clang++> <plugin.so> <source.cpp> [--show]
#
# Compiles <source.cpp> at -O2 without and with the tally plugin, as position-
# dependent and as position-independent code, and checks that every function
# gains exactly one instruction: a locked add or inc of its counter.  With
# --show, prints both disassemblies.
set -euo pipefail

cxx=$1 plugin=$2 source=$3 show=${4:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The instructions of function $2 in object $1, one per line, without
# addresses, encodings, relocation comments or the padding after its last
# return.
instructions() {
  objdump -d --no-show-raw-insn --no-addresses -C "$1" 2>/dev/null |
    awk -v fn="<$2>:" '
      /^<.*>:$/ { inside = ($0 == fn); next }
      /^Disassembly of section/ { inside = 0; next }
      inside && NF { sub(/[ \t]*#.*/, ""); sub(/^[ \t]+/, ""); line[++n] = $0
                     if ($1 ~ /^ret/) last = n }
      END { for (i = 1; i <= last; ++i) print line[i] }'
}

status=0
for pic in -fno-pic -fPIC; do
  "$cxx" -O2 "$pic" -c "$source" -o "$work/plain.o"
  "$cxx" -O2 "$pic" "-fplugin=$plugin" -Xclang -mno-constructor-aliases \
    -c "$source" -o "$work/tally.o"
  functions=$(objdump -d -C "$work/plain.o" | sed -n 's/^[0-9a-f]* <\(.*\)>:$/\1/p')
  while IFS= read -r fn; do
    instructions "$work/plain.o" "$fn" > "$work/plain.txt"
    instructions "$work/tally.o" "$fn" > "$work/tally.txt"
    added=$(diff "$work/plain.txt" "$work/tally.txt" | grep '^>' || true)
    removed=$(diff "$work/plain.txt" "$work/tally.txt" | grep '^<' || true)
    if [[ -n $show ]]; then
      echo "== $fn ($pic), without tally:"; cat "$work/plain.txt"
      echo "== $fn ($pic), with tally:"; cat "$work/tally.txt"
    fi
    if [[ -z $removed && $(grep -c . <<<"$added") -eq 1 ]] &&
       grep -Eq '^> lock (incq|addq +\$0x1,) *(0x0)?\(%rip\)' <<<"$added"; then
      echo "ok: $fn ($pic): +1 instruction: ${added#> }"
    else
      echo "FAIL: $fn ($pic): expected exactly one added 'lock incq/addq \$0x1' on a %rip counter, got:"
      diff "$work/plain.txt" "$work/tally.txt" || true
      status=1
    fi
  done <<<"$functions"
done
exit $status
