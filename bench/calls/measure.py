#!/usr/bin/env python3
"""Measures the calls_<way> programs that bench/calls/run builds.

For each way of counting: whether its count is exact (2 threads x N calls),
instructions per call under callgrind (deterministic), and Google Benchmark
time per call in four situations, over interleaved rounds.  Prints a
Markdown table and writes the numbers as JSON.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

WAYS = ["none", "tally", "tally_session", "finstrument", "profile", "xray", "sancov"]
LABELS = {
    "none": "no instrumentation",
    "tally": "tally",
    "tally_session": "tally, in a session (`tally record`)",
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
    args = parser.parse_args()
    binary = {w: [os.path.join(args.build, "calls_" + w)] for w in WAYS}
    # The same program as tally's, with every process joining a session
    # that tally record makes: what a session adds per call.
    report = os.path.join(args.build, "session-report.json")
    binary["tally_session"] = [os.path.join(args.build, "tally", "tools", "tally"), "record",
                               "-o", report, "--", os.path.join(args.build, "calls_tally")]

    results = {w: {} for w in WAYS}
    print(f"== exactness: 2 threads x 1000000 calls", file=sys.stderr)
    for w in WAYS:
        calls, counted = exactness(binary[w], 1000000)
        results[w]["calls"] = calls
        results[w]["counted"] = counted

    print("== instructions per call (callgrind)", file=sys.stderr)
    n1, n2 = 200000, 400000
    for w in WAYS:
        i1 = callgrind_instructions(binary[w], n1)
        i2 = callgrind_instructions(binary[w], n2)
        results[w]["instructions_per_call"] = (i2 - i1) / (n2 - n1)

    print(f"== time per call: {args.rounds} rounds, ways interleaved", file=sys.stderr)
    times = {w: {s: [] for s, _ in SITUATIONS} for w in WAYS}
    for r in range(args.rounds):
        print(f"   round {r + 1}/{args.rounds}", file=sys.stderr)
        for w in WAYS:
            got = benchmark_round(binary[w], args.min_time)
            for s, _ in SITUATIONS:
                times[w][s].append(got[s])
    for w in WAYS:
        results[w]["ns_per_call"] = {}
        results[w]["ratio_to_none"] = {}
        for s, _ in SITUATIONS:
            results[w]["ns_per_call"][s] = statistics.median(times[w][s])
            # The ratio of each round's pair, then the median: paired, so a
            # slow moment of the machine affects both sides.
            ratios = [a / b for a, b in zip(times[w][s], times["none"][s])]
            results[w]["ratio_to_none"][s] = statistics.median(ratios)
        results[w]["rounds"] = times[w]

    base = results["none"]["instructions_per_call"]
    print(f"Clang {args.clang}, -O2; time: median of {args.rounds} rounds, "
          f"ratio: median of the rounds' ratios to no instrumentation.\n")
    head = "| way of counting | exact (counted of 2,000,000) | instructions per call | added |"
    rule = "|---|---|---:|---:|"
    for _, label in SITUATIONS:
        head += f" {label}: ns per call (ratio) |"
        rule += "---:|"
    print(head)
    print(rule)
    for w in WAYS:
        r = results[w]
        exact = "—" if w == "none" else (
            "yes" if r["counted"] == r["calls"] else f"no ({r['counted']:,})")
        row = (f"| {LABELS[w]} | {exact} | {r['instructions_per_call']:.2f} | "
               f"{r['instructions_per_call'] - base:+.2f} |")
        for s, _ in SITUATIONS:
            row += f" {r['ns_per_call'][s]:.2f} ({r['ratio_to_none'][s]:.2f}x) |"
        print(row)

    with open(args.json, "w") as f:
        json.dump({"clang": args.clang, "rounds": args.rounds, "ways": results}, f, indent=2)
    print(f"\n(numbers: {args.json})")


if __name__ == "__main__":
    main()
