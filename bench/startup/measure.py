#!/usr/bin/env python3
"""What instrumentation adds to the start and end of a process: runs one
program of each tree that bench/real-projects built (plain, floor,
instrumented) many times, in shuffled order, one process at a time, and
prints the median wall time and mean CPU time (user + system) per process,
and each one's difference from the plain program.

A run of the "runtime only" row is the plain program with libtally
preloaded: what loading the runtime costs, without any record.

A test suite that starts many short processes (GoogleTest's own starts its
test programs from Python scripts hundreds of times) pays this once per
process, whatever the increment costs.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trees", required=True,
                        help="a project's directory of bench/real-projects (plain/, floor/, instrumented/)")
    parser.add_argument("--program", required=True,
                        help="the program, relative to each tree's build directory")
    parser.add_argument("--libtally", required=True, help="the libtally.so the trees link")
    parser.add_argument("--runs", type=int, default=800, help="processes of each kind (default 800)")
    parser.add_argument("args", nargs="*", help="the program's arguments")
    a = parser.parse_args()

    kinds = [("plain", "plain", {}),
             ("runtime only (plain, libtally preloaded)", "plain", {"LD_PRELOAD": a.libtally}),
             ("floor (records and registration, no increment)", "floor", {}),
             ("instrumented", "instrumented", {})]
    runs = []
    for label, tree, extra in kinds:
        program = os.path.join(a.trees, tree, "build", a.program)
        if not os.access(program, os.X_OK):
            if tree == "floor":
                continue  # bench/real-projects/run was not given --floor
            sys.exit(f"measure.py: no program {program}; run bench/real-projects/run first")
        env = {k: v for k, v in os.environ.items() if not k.startswith("TALLY_")}
        env.update(extra)
        runs.append((label, [program] + a.args, env))

    wall = [[] for _ in runs]
    cpu = [[] for _ in runs]
    random.seed(1)
    with open(os.devnull, "w") as devnull:
        for _ in range(a.runs):
            order = list(range(len(runs)))
            random.shuffle(order)
            for i in order:
                _, command, env = runs[i]
                start = time.perf_counter()
                child = subprocess.Popen(command, env=env, stdout=devnull, stderr=devnull)
                _, status, usage = os.wait4(child.pid, 0)
                wall[i].append((time.perf_counter() - start) * 1000)
                cpu[i].append((usage.ru_utime + usage.ru_stime) * 1000)
                if status != 0:
                    sys.exit(f"measure.py: {' '.join(command)} failed ({status})")

    base_wall = statistics.median(wall[0])
    base_cpu = statistics.mean(cpu[0])
    print(f"{a.program} {' '.join(a.args)}: {a.runs} processes of each kind, shuffled\n")
    print("| process | wall (median) | added | CPU (mean) | added |")
    print("|---|---:|---:|---:|---:|")
    for i, (label, _, _) in enumerate(runs):
        w = statistics.median(wall[i])
        c = statistics.mean(cpu[i])
        print(f"| {label} | {w:.3f} ms | {w - base_wall:+.3f} ms ({w / base_wall - 1:+.1%}) "
              f"| {c:.3f} ms | {c - base_cpu:+.3f} ms |")


if __name__ == "__main__":
    main()
