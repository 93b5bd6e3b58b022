#!/usr/bin/env bash
# usage: entry_cost.sh <clang++> <plugin.so> <source.cpp> [--show]
#
# Compiles <source.cpp> at -O1, -O2 and -O3 without and with the tally
# plugin, as position-dependent and as position-independent code, and
# checks each function's counting path, the way from its entry to its first
# return that every call takes once its thread counts: it holds the load of
# the thread's table or delta (%fs), exactly one increment of memory, no
# locked instruction, and at most MAX instructions more than the plain
# function's (4 for position-dependent code: the delta's load, its test and
# branch, the increment; 8 for position-independent code, which loads the
# table, the module's slot and the delta, and takes the counter's address;
# register allocation may move one more).  The other way, out of the path,
# is the function's one locked instruction, the increment of the counter
# itself.  With --show, prints both disassemblies.
set -euo pipefail

cxx=$1 plugin=$2 source=$3 show=${4:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The instructions of function $2 in object $1, one per line, without
# addresses, encodings or comments, relocations as "reloc SYMBOL"; with
# $3 = path, only those up to the first return.
instructions() {
  objdump -d -r --no-show-raw-insn --no-addresses -C "$1" 2>/dev/null |
    awk -v fn="<$2>:" -v path="${3:-}" '
      /^<.*>:$/ { inside = ($0 == fn); done = 0; next }
      /^Disassembly of section/ { inside = 0; next }
      !inside || done || !NF { next }
      /R_X86_64_/ { sub(/^[ \t]+/, ""); print "reloc " $NF; next }
      { sub(/[ \t]*#.*/, ""); sub(/^[ \t]+/, ""); print
        if (path != "" && $1 ~ /^ret/) done = 1 }'
}

status=0
for level in -O1 -O2 -O3; do
  for pic in -fno-pic -fPIC; do
    "$cxx" "$level" "$pic" -c "$source" -o "$work/plain.o"
    "$cxx" "$level" "$pic" "-fplugin=$plugin" -Xclang -mno-constructor-aliases \
      -c "$source" -o "$work/tally.o"
    functions=$(objdump -d -C "$work/plain.o" | sed -n 's/^[0-9a-f]* <\(.*\)>:$/\1/p')
    while IFS= read -r fn; do
      instructions "$work/plain.o" "$fn" path | grep -v '^reloc' > "$work/plain.txt"
      instructions "$work/tally.o" "$fn" path | grep -v '^reloc' > "$work/path.txt"
      instructions "$work/tally.o" "$fn" > "$work/all.txt"
      if [[ -n $show ]]; then
        echo "== $fn ($level $pic), without tally:"; instructions "$work/plain.o" "$fn"
        echo "== $fn ($level $pic), with tally:"; cat "$work/all.txt"
      fi
      n=$(( $(wc -l < "$work/path.txt") - $(wc -l < "$work/plain.txt") ))
      increments=$(grep -Ec '^(incq +|addq +\$0x1,).*\(' "$work/path.txt" || true)
      locked=$(grep -c '^lock' "$work/all.txt" || true)
      max=$([[ $pic == -fPIC ]] && echo 9 || echo 5)
      if ((n <= max && increments == 1 && locked == 1)) && ! grep -q '^lock' "$work/path.txt" &&
         grep -q '%fs:' "$work/path.txt"; then
        echo "ok: $fn ($level $pic): +$n instructions on the counting path:" \
          "$(grep -E '^(incq|addq)' "$work/path.txt"), no lock; out of it:" \
          "$(grep '^lock' "$work/all.txt")"
      else
        echo "FAIL: $fn ($level $pic): expected at most $max added instructions on the path to" \
          "the first return, one of them the increment, none locked, and one locked" \
          "increment out of the path; got:"
        diff "$work/plain.txt" "$work/path.txt" || true
        cat "$work/all.txt"
        status=1
      fi
    done <<<"$functions"
  done
done
exit $status
