#!/usr/bin/env python3
"""The overhead of tally on one project: bench/real-projects/run builds it
plain and instrumented, then calls this to measure

- the size of every executable and library of both build trees;
- the test suite's time: ctest -j1 on both trees, RUNS times each,
  interleaved (plain first in even rounds, instrumented first in odd ones);
  the median of the rounds' ratios and its 95% bootstrap confidence
  interval;
- optionally, the suite's instructions under callgrind (all processes);

and writes them, with the build times it is given, to a JSON file that
report.py turns into tables and a chart.
"""
import argparse
import glob
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time


def binaries(tree):
    """Relative paths of the executables and libraries of a build tree."""
    found = {}
    for root, dirs, files in os.walk(tree):
        dirs[:] = [d for d in dirs if d != "CMakeFiles" and not d.endswith(".dir")]
        for name in files:
            path = os.path.join(root, name)
            if os.path.islink(path) or not os.path.isfile(path) or name.endswith(".o"):
                continue
            with open(path, "rb") as f:
                magic = f.read(8)
            if magic[:4] == b"\x7fELF" or magic == b"!<arch>\n":
                found[os.path.relpath(path, tree)] = os.path.getsize(path)
    return found


def suite_seconds(tree, env):
    """The suite's wall time, and its CPU time: user and system time of
    ctest and of every process it started (each waited for by its parent),
    which a busy machine disturbs less than the wall time."""
    start = time.perf_counter()
    child = subprocess.Popen(["ctest", "--test-dir", tree, "-j1"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    return (time.perf_counter() - start, usage.ru_utime + usage.ru_stime,
            os.waitstatus_to_exitcode(status))


def bootstrap_ci(values, resamples=10000, seed=1):
    """95% bootstrap confidence interval of the median of `values`."""
    rng = random.Random(seed)
    medians = sorted(statistics.median(rng.choices(values, k=len(values)))
                     for _ in range(resamples))
    return medians[int(0.025 * resamples)], medians[int(0.975 * resamples) - 1]


def callgrind_instructions(tree, env):
    """Instructions of every process of the suite (ctest and the tests)."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=yes",
                        f"--callgrind-out-file={out}/cg.%p", "ctest", "--test-dir", tree, "-j1"],
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        total = 0
        for path in glob.glob(os.path.join(out, "cg.*")):
            with open(path, errors="replace") as f:
                for line in f:
                    m = re.match(r"(?:summary|totals): (\d+)", line)
                    if m:
                        total += int(m.group(1))
                        break
        return total


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--name", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--clang", required=True)
    p.add_argument("--plain", required=True)
    p.add_argument("--instrumented", required=True)
    p.add_argument("--build-seconds", nargs=2, type=float, required=True,
                   metavar=("PLAIN", "INSTRUMENTED"))
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--callgrind", action="store_true")
    p.add_argument("--floor", help="another tree: instrumented without the increment")
    p.add_argument("--floor-build-seconds", type=float)
    p.add_argument("--entries", help="another tree: instrumented, counting entries only "
                   "(TALLY_CALLS_INTO=OFF)")
    p.add_argument("--entries-build-seconds", type=float)
    p.add_argument("--json", required=True)
    a = p.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALLY_")}

    trees = {"plain": a.plain, "instrumented": a.instrumented}
    if a.floor:
        trees["floor"] = a.floor
    if a.entries:
        trees["entries"] = a.entries
    found = {v: binaries(t) for v, t in trees.items()}
    files = sorted(set.intersection(*(set(f) for f in found.values())))
    sizes = {f: {v: found[v][f] for v in trees} for f in files}
    total_plain = sum(found["plain"][f] for f in files)
    total_instr = sum(found["instrumented"][f] for f in files)

    print(f"== {a.name}: test suite, {a.runs} rounds of ctest -j1 on each tree", file=sys.stderr)
    times = {v: [] for v in trees}
    cpu = {v: [] for v in trees}
    variants = list(trees)
    for r in range(a.runs):
        # Each tree first, last and in between equally often.
        k = r % len(variants)
        order = variants[k:] + variants[:k]
        if (r // len(variants)) % 2:
            order.reverse()
        for variant in order:
            seconds, cpu_seconds, status = suite_seconds(trees[variant], env)
            if status != 0:
                sys.exit(f"measure: ctest failed in {trees[variant]} (exit {status})")
            times[variant].append(seconds)
            cpu[variant].append(cpu_seconds)
        print(f"   round {r + 1}: " + ", ".join(f"{v} {times[v][-1]:.2f} s "
                                               f"(CPU {cpu[v][-1]:.2f} s)" for v in variants),
              file=sys.stderr)
    ratios = [i / p_ for i, p_ in zip(times["instrumented"], times["plain"])]
    low, high = bootstrap_ci(ratios)

    def cpu_ratio(variant):
        rounds = [v / p_ for v, p_ in zip(cpu[variant], cpu["plain"])]
        return {"median": statistics.median(rounds), "ci95": list(bootstrap_ci(rounds)),
                "rounds": rounds}

    result = {
        "name": a.name, "source": a.source, "clang": a.clang,
        "size": {"files": sizes, "plain": total_plain, "instrumented": total_instr},
        "build_seconds": {"plain": a.build_seconds[0], "instrumented": a.build_seconds[1]},
        "suite_seconds": times,
        "suite_ratio": {"median": statistics.median(ratios), "ci95": [low, high],
                        "rounds": ratios},
        "suite_cpu_seconds": cpu,
        "suite_cpu_ratio": {v: cpu_ratio(v) for v in trees if v != "plain"},
    }
    if a.floor:
        floor_ratios = [f / p_ for f, p_ in zip(times["floor"], times["plain"])]
        result["size"]["floor"] = sum(found["floor"][f] for f in files)
        result["build_seconds"]["floor"] = a.floor_build_seconds
        result["floor_ratio"] = {"median": statistics.median(floor_ratios),
                                 "ci95": list(bootstrap_ci(floor_ratios)),
                                 "rounds": floor_ratios}
    if a.entries:
        # What calls into add over entries alone, in percentage points of
        # the plain tree's size and, run by run, of its suite time.
        result["size"]["entries"] = sum(found["entries"][f] for f in files)
        result["build_seconds"]["entries"] = a.entries_build_seconds
        points = [100 * (i - e) / p_ for i, e, p_ in
                  zip(times["instrumented"], times["entries"], times["plain"])]
        entries_ratios = [e / p_ for e, p_ in zip(times["entries"], times["plain"])]
        result["entries_ratio"] = {"median": statistics.median(entries_ratios),
                                   "ci95": list(bootstrap_ci(entries_ratios)),
                                   "rounds": entries_ratios}
        result["calls_into_points"] = {"median": statistics.median(points),
                                       "ci95": list(bootstrap_ci(points)),
                                       "rounds": points}
    if a.callgrind:
        print(f"== {a.name}: test suite under callgrind, each tree once", file=sys.stderr)
        result["suite_instructions"] = {
            "plain": callgrind_instructions(a.plain, env),
            "instrumented": callgrind_instructions(a.instrumented, env),
        }
        if a.floor:
            result["suite_instructions"]["floor"] = callgrind_instructions(a.floor, env)
        if a.entries:
            result["suite_instructions"]["entries"] = callgrind_instructions(a.entries, env)
    with open(a.json, "w") as f:
        json.dump(result, f, indent=2)
    print(f"== {a.name}: {len(files)} binaries, {total_plain:,} -> {total_instr:,} bytes "
          f"({100 * (total_instr / total_plain - 1):+.2f}%); suite time ratio "
          f"{result['suite_ratio']['median']:.4f} [{low:.4f}, {high:.4f}]", file=sys.stderr)


if __name__ == "__main__":
    main()
