#!/usr/bin/env bash
# usage: into_cost.sh <clang++> <plugin.so> <source.cpp> thunks|bumps [--show]
#
# Compiles <source.cpp>, whose functions call functions of vendor/ (not
# instrumented), at -O1, -O2 and -O3, as position-dependent and as
# position-independent code, without and with the tally plugin, and checks
# what a call into costs:
#
# thunks (-fplugin-arg-tally-call-thunks): nothing at the call site.  Each
# caller is the plain function plus its own entry count (one locked
# increment out of its path, no other counter), and each call of a vendor
# function calls instead that function's thunk (at -O3 a tail call may be
# duplicated on both ways of the caller's entry count).  Each thunk's path,
# from its entry to its jump to the callee, holds the load of the thread's
# table or delta (%fs), exactly one increment of memory, no locked
# instruction, and at most as many instructions as an entry count adds (4
# position-dependent, 8 position-independent, one more for register
# allocation) plus the jump; out of the path, its one locked instruction and
# the same jump.
#
# bumps (-fplugin-arg-tally-call-bumps=1, every callee through its routine,
# compiled with -ffunction-sections, where a routine, which has no symbol,
# is the section .text..Ltally.bump*): one call at the call site.  Each caller still calls each vendor function
# it called, and calls that function's routine, with no other counter than
# its entry's; each routine's path, from its entry to its return, holds the
# load of the thread's table or delta (%fs), exactly one increment, no
# locked instruction, and at most an entry count's instructions plus the
# return and a push and pop of the register it borrows; out of the path,
# its one locked instruction.
#
# With --show, prints the disassemblies.
set -euo pipefail

cxx=$1 plugin=$2 source=$3 mode=$4 show=${5:-}
case $mode in
  thunks) option=-fplugin-arg-tally-call-thunks prefix=__tally.thunk. sections= ;;
  # A routine has no symbol: each in a section of its own, named after it.
  bumps) option=-fplugin-arg-tally-call-bumps=1 prefix=.text..Ltally.bump
         sections=-ffunction-sections ;;
  *) echo "into_cost.sh: the mode is thunks or bumps, not '$mode'" >&2; exit 2 ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The instructions of function $2 in object $1, one per line, without
# addresses, encodings or comments, each followed on its line by
# "reloc SYMBOL" for its relocation; with $3 = path, only those up to the
# first jump out of the function (a return or a tail call).
instructions() {
  objdump -d -r --no-show-raw-insn --no-addresses "$1" 2>/dev/null |
    awk -v fn="<$2>:" -v path="${3:-}" '
      function flush() { if (line != "" && !done) { print line
                           if (path != "" && line ~ /^(ret|jmp .*reloc )/) done = 1 }
                         line = "" }
      /^<.*>:$/ { flush(); inside = ($0 == fn); done = 0; next }
      /^Disassembly of section/ { flush(); inside = 0; next }
      !inside || !NF { next }
      /R_X86_64_/ { s = $NF; sub(/[-+]0x[0-9a-f]+$/, "", s); line = line " reloc " s; next }
      { flush(); sub(/[ \t]*#.*/, ""); sub(/^[ \t]+/, ""); line = $0 }
      END { flush() }'
}

status=0
fail() { echo "FAIL: $*"; status=1; }
for level in -O1 -O2 -O3; do
  for pic in -fno-pic -fPIC; do
    "$cxx" "$level" "$pic" $sections -c "$source" -o "$work/plain.o"
    "$cxx" "$level" "$pic" $sections "-fplugin=$plugin" "$option" \
      -fplugin-arg-tally-exclude=/vendor/ \
      -c "$source" -o "$work/tally.o"
    callers=$(nm "$work/plain.o" | awk '$2 == "T" { print $3 }')
    if [[ $mode == thunks ]]; then
      routines=$(nm "$work/tally.o" | awk -v prefix="$prefix" 'index($3, prefix) == 1 { print $3 }')
    else
      routines=$(objdump -h "$work/tally.o" | awk -v prefix="$prefix" 'index($2, prefix) == 1 { print $2 }')
    fi
    max=$([[ $pic == -fPIC ]] && echo 10 || echo 6)
    [[ $mode == bumps ]] && max=$((max + 2))
    while IFS= read -r fn; do
      instructions "$work/plain.o" "$fn" > "$work/plain.txt"
      instructions "$work/tally.o" "$fn" > "$work/tally.txt"
      if [[ -n $show ]]; then
        echo "== $fn ($level $pic), without tally:"; cat "$work/plain.txt"
        echo "== $fn ($level $pic), with tally:"; cat "$work/tally.txt"
      fi
      vendor=$(grep -c 'reloc .*vendor_' "$work/plain.txt" || true)
      kept=$(grep -c 'reloc .*vendor_' "$work/tally.txt" || true)
      through=$(grep -c "reloc ${prefix//./[.]}" "$work/tally.txt" || true)
      locked=$(grep -c '^lock' "$work/tally.txt" || true)
      if [[ $mode == thunks ]]; then
        expected="its $vendor call(s) go through thunks, no count at the site"
        ((vendor >= 1 && through >= vendor && kept == 0)) && good=1 || good=0
      else
        expected="its $vendor call(s) kept, each after a call of its routine"
        ((vendor >= 1 && kept >= vendor && through >= kept)) && good=1 || good=0
      fi
      if ((good && locked == 1)) && ! grep -q 'reloc __tally[.]calls[.]' "$work/tally.txt"; then
        echo "ok: $fn ($level $pic): $expected"
      else
        fail "$fn ($level $pic): expected $expected ($vendor call(s) of vendor functions" \
          "without tally; with it, $kept, and $through call(s) of $prefix*), no other" \
          "counter than its entry's and one locked increment ($locked); with tally:"
        cat "$work/tally.txt"
      fi
    done <<<"$callers"
    if (($(wc -w <<<"$routines") != 3)); then
      fail "($level $pic): expected 3 of $prefix*, got: $routines"
    fi
    while IFS= read -r fn; do
      [[ -n $fn ]] || continue
      instructions "$work/tally.o" "$fn" path > "$work/path.txt"
      instructions "$work/tally.o" "$fn" > "$work/all.txt"
      [[ -n $show ]] && { echo "== $fn ($level $pic):"; cat "$work/all.txt"; }
      n=$(wc -l < "$work/path.txt")
      increments=$(grep -Ec '^(incq +|addq +\$0x1,).*\(' "$work/path.txt" || true)
      locked=$(grep -c '^lock' "$work/all.txt" || true)
      jumps=$(grep -o 'jmp .*reloc .*' "$work/all.txt" | sed 's/.*reloc //' | sort -u || true)
      if [[ $mode == thunks ]]; then
        end="its jump to the callee"
        [[ $jumps == vendor_* || $jumps == _Z*vendor_* ]] && (($(wc -l <<<"$jumps") == 1)) &&
          tail -1 "$work/path.txt" | grep -q '^jmp' && good=1 || good=0
        to="the jump to $jumps"
      else
        end="its return"
        [[ -z $jumps ]] && tail -1 "$work/path.txt" | grep -q '^ret' && good=1 || good=0
        to="the return"
      fi
      if ((good && n <= max && increments == 1 && locked == 1)) &&
         ! grep -q '^lock' "$work/path.txt" && grep -q '%fs:' "$work/path.txt"; then
        echo "ok: $fn ($level $pic): $n instructions to $to:" \
          "$(grep -E '^(incq|addq)' "$work/path.txt" | sed 's/ reloc.*//'), no lock; out of it:" \
          "$(grep '^lock' "$work/all.txt" | sed 's/ reloc.*//')"
      else
        fail "$fn ($level $pic): expected at most $max instructions to $end," \
          "one of them the increment, none locked, and one locked increment out" \
          "of the path; got:"
        cat "$work/all.txt"
      fi
    done <<<"$routines"
  done
done
exit $status
