#!/usr/bin/env python3
"""Measures the calls_<way>[_shared|_dlopen] programs that bench/calls/run
builds.

For each place of the counted function (the executable, a shared library
linked at start-up, a library loaded with dlopen) and each way of counting:
whether its count is exact (2 threads x N calls), instructions per call
under callgrind (deterministic), and Google Benchmark time per call in four
situations, over rounds in which every program takes its turn.  Prints a
Markdown table per place and one of the 12 cells against the targets, and
writes the numbers as JSON.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

WAYS = ["none", "tally", "tally_session", "tally_calls", "tally_bumps", "finstrument",
        "profile", "xray", "sancov"]
LABELS = {
    "none": "no instrumentation",
    "tally": "tally",
    "tally_session": "tally, in a session (`tally record`)",
    "tally_calls": "tally, counting calls into it at the call sites (`CALLS_INTO`, `call-bumps=0`)",
    "tally_bumps": "tally, calls into through the callee's routine (`CALLS_INTO`, `call-bumps=1`)",
    "finstrument": "`-finstrument-functions`, mutex + hash map",
    "profile": "`-fprofile-instr-generate -fprofile-update=atomic`",
    "xray": "`-fxray-instrument`, atomic counter per function id",
    "sancov": "`-fsanitize-coverage=func,inline-8bit-counters`",
}
SITUATIONS = [
    ("one_thread", "1 thread"),
    ("one_thread_another_waiting", "1 thread, another waiting"),
    ("two_threads_same_function/real_time/threads:2", "2 threads, same function"),
    ("two_threads_different_functions/real_time/threads:2", "2 threads, different functions"),
]
PLACES = [
    ("exe", "", "in the executable"),
    ("shared", "_shared", "in a shared library linked at start-up"),
    ("dlopen", "_dlopen", "in a library loaded with dlopen"),
]
EXE_ONLY = {"xray"}  # XRay's runtime patches the executable only
# Calls into are counted at direct calls; the dlopen driver calls through
# pointers from dlsym.
NOT_DLOPEN = {"tally_calls", "tally_bumps"}
EXACT_OTHERS = ["finstrument", "profile", "xray"]
ENV = dict(os.environ, LLVM_PROFILE_FILE="/dev/null")


# How each way runs its program: calls_<way>, except that tally in a
# session runs calls_tally itself under `tally record` (set in main()).
COMMAND = {}


def run(args):
    return subprocess.run(args, env=ENV, check=True, capture_output=True, text=True)


def exactness(binary, n):
    out = run(binary + ["--check", str(n)]).stdout
    m = re.search(r"(\d+) calls, (\d+) counted", out)
    return int(m.group(1)), int(m.group(2))


def callgrind_instructions(binary, n):
    prefix, program = binary[:-1], binary[-1]
    err = run(prefix + ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                        program, "--loop", str(n)]).stderr
    m = re.search(r"Collected : (\d+)", err)
    if not m:
        sys.exit("measure: no callgrind total in:\n" + err)
    return int(m.group(1))


def benchmark_round(binary, min_time):
    out = run(binary + ["--benchmark_format=json", f"--benchmark_min_time={min_time}"]).stdout
    return {b["name"]: b["real_time"] for b in json.loads(out)["benchmarks"]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--min-time", type=float, default=0.2)
    parser.add_argument("--json", required=True)
    parser.add_argument("--clang", required=True)
    parser.add_argument("--ways", default=",".join(WAYS),
                        help="comma-separated ways to measure (none and tally always)")
    args = parser.parse_args()
    chosen = set(args.ways.split(",")) | {"none", "tally"}
    unknown = chosen - set(WAYS)
    if unknown:
        sys.exit(f"measure: unknown way(s) {', '.join(sorted(unknown))}; "
                 f"the ways are {', '.join(WAYS)}")
    tally = os.path.join(args.build, "tally", "tools", "tally")
    programs = {}  # (place, way) -> command
    for place, suffix, _ in PLACES:
        for w in WAYS:
            if w not in chosen:
                continue
            if place != "exe" and w in EXE_ONLY:
                continue
            if place == "dlopen" and w in NOT_DLOPEN:
                continue
            if w == "tally_session":
                # The same program as tally's, with every process joining a
                # session that tally record makes: what a session adds.
                report = os.path.join(args.build, f"session-report-{place}.json")
                programs[place, w] = [tally, "record", "-o", report, "--",
                                      os.path.join(args.build, "calls_tally" + suffix)]
            else:
                programs[place, w] = [os.path.join(args.build, "calls_" + w + suffix)]

    results = {key: {} for key in programs}
    print("== exactness: 2 threads x 1000000 calls", file=sys.stderr)
    for key, command in programs.items():
        calls, counted = exactness(command, 1000000)
        results[key]["calls"] = calls
        results[key]["counted"] = counted

    print("== instructions per call (callgrind)", file=sys.stderr)
    n1, n2 = 200000, 400000
    for key, command in programs.items():
        i1 = callgrind_instructions(command, n1)
        i2 = callgrind_instructions(command, n2)
        results[key]["instructions_per_call"] = (i2 - i1) / (n2 - n1)

    print(f"== time per call: {args.rounds} rounds, every program in each", file=sys.stderr)
    times = {key: {s: [] for s, _ in SITUATIONS} for key in programs}
    for r in range(args.rounds):
        print(f"   round {r + 1}/{args.rounds}", file=sys.stderr)
        for key, command in programs.items():
            got = benchmark_round(command, args.min_time)
            for s, _ in SITUATIONS:
                times[key][s].append(got[s])
    for (place, w), r in results.items():
        r["ns_per_call"] = {}
        r["ratio_to_none"] = {}
        for s, _ in SITUATIONS:
            r["ns_per_call"][s] = statistics.median(times[place, w][s])
            # The ratio of each round's pair, then the median: paired, so a
            # slow moment of the machine affects both sides.
            ratios = [a / b for a, b in zip(times[place, w][s], times[place, "none"][s])]
            r["ratio_to_none"][s] = statistics.median(ratios)
        r["rounds"] = times[place, w]

    print(f"Clang {args.clang}, -O2 -falign-functions=64 -falign-loops=64; time: median of {args.rounds} rounds, "
          f"ratio: median of the rounds' ratios to no instrumentation.")
    for place, _, where in PLACES:
        base = results[place, "none"]["instructions_per_call"]
        print(f"\nThe counted function {where}:\n")
        head = "| way of counting | exact (counted of 2,000,000) | instructions per call | added |"
        rule = "|---|---|---:|---:|"
        for _, label in SITUATIONS:
            head += f" {label}: ns per call (ratio) |"
            rule += "---:|"
        print(head)
        print(rule)
        for w in WAYS:
            if (place, w) not in results:
                continue
            r = results[place, w]
            exact = "—" if w == "none" else (
                "yes" if r["counted"] == r["calls"] else f"no ({r['counted']:,})")
            row = (f"| {LABELS[w]} | {exact} | {r['instructions_per_call']:.2f} | "
                   f"{r['instructions_per_call'] - base:+.2f} |")
            for s, _ in SITUATIONS:
                row += f" {r['ns_per_call'][s]:.2f} ({r['ratio_to_none'][s]:.2f}x) |"
            print(row)

    if "sancov" in chosen and chosen & set(EXACT_OTHERS):
        print_targets(results)
    else:
        print("\n(The 12 cells against the targets need sancov and another exact way: "
              "measure all ways for them.)")

    ways = [w for w in ("tally_calls", "tally_bumps") if w in chosen]
    if ways:
        print_calls_into(results, ways)

    with open(args.json, "w") as f:
        json.dump({"clang": args.clang, "rounds": args.rounds,
                   "results": [{"place": p, "way": w, **r} for (p, w), r in results.items()]},
                  f, indent=2)
    print(f"\n(numbers: {args.json})")


def print_calls_into(results, ways):
    # A call counted at its call site against one counted at the callee's
    # entry (docs/calls-into.md): no dearer, cell by cell.
    print("\nCalls into, counted at the call site, against entry counts (ratio to no "
          "instrumentation):\n")
    names = {"tally_calls": "calls into, at the site", "tally_bumps": "calls into, routine"}
    print("| place | situation | " + "".join(f"tally, {names[w]} | " for w in ways) +
          "tally, entries | no dearer |")
    print("|---|---|" + "---:|" * (len(ways) + 1) + "---|")
    cells = held = 0
    for place, _, where in PLACES:
        if not any((place, w) in results for w in ways):
            continue
        for s, label in SITUATIONS:
            into = [results[place, w]["ratio_to_none"][s] for w in ways]
            entry = results[place, "tally"]["ratio_to_none"][s]
            cells += 1
            held += max(into) <= entry
            print(f"| {place} | {label} | " + "".join(f"{x:.2f}x | " for x in into) +
                  f"{entry:.2f}x | {'yes' if max(into) <= entry else 'no'} |")
    print(f"\n{held} of {cells} cells: a call counted at its call site costs no more.")


def print_targets(results):
    # The targets, cell by cell: tally the cheapest exact way, and no dearer
    # than the inexact 8-bit counters (medians of the paired ratios).
    print("\nThe 12 cells against the targets (ratio to no instrumentation):\n")
    print("| place | situation | tally | cheapest other exact way | 8-bit counters (inexact) "
          "| tally cheapest exact | tally <= 8-bit |")
    print("|---|---|---:|---:|---:|---|---|")
    met = 0
    for place, _, where in PLACES:
        for s, label in SITUATIONS:
            mine = results[place, "tally"]["ratio_to_none"][s]
            others = [(results[place, w]["ratio_to_none"][s], LABELS[w]) for w in EXACT_OTHERS
                      if (place, w) in results and
                      results[place, w]["counted"] == results[place, w]["calls"]]
            best, best_label = min(others)
            floor = results[place, "sancov"]["ratio_to_none"][s]
            cheapest = mine < best
            below = mine <= floor
            met += cheapest and below
            print(f"| {place} | {label} | {mine:.2f}x | {best:.2f}x ({best_label}) | "
                  f"{floor:.2f}x | {'yes' if cheapest else 'no'} | {'yes' if below else 'no'} |")
    print(f"\n{met} of 12 cells meet both targets.")


if __name__ == "__main__":
    main()
