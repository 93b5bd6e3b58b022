#!/usr/bin/env python3
"""Bytes added per instrumented function: builds the generated library
(generate.py) as a shared library at -O2 with each way of counting, at two
sizes, and splits each file's growth into .text, .rodata, .data,
relocations, symbol table and the rest.  Then the same library whose
functions each call a function of another library (generate.py --calls),
with tally counting those calls at the call sites and without: the bytes a
counted callee, and a counted call site, add.  bench/size/run calls it.
"""
import argparse
import concurrent.futures
import json
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
WAYS = ["none", "tally", "floor", "profile", "finstrument", "xray", "sancov"]
LABELS = {
    "none": "no instrumentation",
    "tally": "tally",
    "floor": "tally without the increment (the floor: records, registration)",
    "profile": "`-fprofile-instr-generate`",
    "finstrument": "`-finstrument-functions`",
    "xray": "`-fxray-instrument -fxray-instruction-threshold=1`",
    "sancov": "`-fsanitize-coverage=func,inline-8bit-counters`",
}
PARTS = ["text", "rodata", "data", "relocations", "symbols", "other"]
# The library calling another's functions: one each, or all the same one.
CALLS = ["distinct", "one"]
CALLS_WAYS = ["none", "tally", "tally_calls", "tally_calls_inline", "tally_callers"]


def flags(way, plugin, clang_major=19):
    # As tally_instrument() adds it: before Clang 19, calls into and callers
    # need location tracking asked for on the command line.
    tracking = ["-Rpass=tally-location-tracking"] if clang_major < 19 else []
    return {
        "none": ([], []),
        # Entries only: calls into, on by default, are their own way.
        "tally": ([f"-fplugin={plugin}", "-Xclang", "-mno-constructor-aliases",
                   "-fplugin-arg-tally-no-calls-into"], []),
        "tally_calls": ([f"-fplugin={plugin}", "-Xclang", "-mno-constructor-aliases",
                         "-fplugin-arg-tally-calls-into"] + tracking, []),
        # Every call counted where it is, none through its callee's routine.
        "tally_calls_inline": ([f"-fplugin={plugin}", "-Xclang", "-mno-constructor-aliases",
                                "-fplugin-arg-tally-calls-into",
                                "-fplugin-arg-tally-call-bumps=0"] + tracking, []),
        "tally_callers": ([f"-fplugin={plugin}", "-Xclang", "-mno-constructor-aliases",
                           "-fplugin-arg-tally-calls-into", "-fplugin-arg-tally-callers"]
                          + tracking, []),
        "floor": ([f"-fplugin={plugin}", "-Xclang", "-mno-constructor-aliases",
                   "-fplugin-arg-tally-no-calls-into", "-fplugin-arg-tally-measure-floor"], []),
        "profile": (["-fprofile-instr-generate", "-fprofile-update=atomic"],
                    ["-fprofile-instr-generate"]),
        "finstrument": (["-finstrument-functions"], []),
        # XRay's runtime does not support shared libraries in Clang 19; the
        # sleds and maps are measured, without the runtime.
        "xray": (["-fxray-instrument", "-fxray-instruction-threshold=1"], []),
        "sancov": (["-fsanitize-coverage=func,inline-8bit-counters"], []),
    }[way]


# --- ELF -------------------------------------------------------------------

SHT_NOBITS, SHT_SYMTAB, SHT_STRTAB, SHT_RELA, SHT_HASH, SHT_DYNSYM = 8, 2, 3, 4, 5, 11
SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR = 1, 2, 4
SYMBOL_TYPES = {SHT_SYMTAB, SHT_STRTAB, SHT_HASH, SHT_DYNSYM, 0x6ffffff6, 0x6fffffff,
                0x6ffffffe, 0x6ffffffd}  # GNU_HASH, versym, verneed, verdef


def sections(path):
    data = open(path, "rb").read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    headers = []
    for i in range(shnum):
        name, kind, flags_, _, _, size = struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
        off, = struct.unpack_from("<Q", data, shoff + i * shentsize + 0x18)
        headers.append((name, kind, flags_, size))
    strtab_off, = struct.unpack_from("<Q", data, shoff + shstrndx * shentsize + 0x18)

    def name_of(offset):
        end = data.index(b"\0", strtab_off + offset)
        return data[strtab_off + offset:end].decode()
    return len(data), [(name_of(n), k, f, s) for n, k, f, s in headers]


def split(path):
    """File size, by part (bytes), and by section."""
    size, secs = sections(path)
    parts = dict.fromkeys(PARTS, 0)
    by_section = {}
    for name, kind, fl, sz in secs:
        if kind == SHT_NOBITS or kind == 0:
            continue  # no bytes in the file
        by_section[name] = by_section.get(name, 0) + sz
        if kind == SHT_RELA or name.startswith(".rela"):
            parts["relocations"] += sz
        elif kind in SYMBOL_TYPES and name != ".shstrtab":
            parts["symbols"] += sz
        elif fl & SHF_EXECINSTR:
            parts["text"] += sz
        elif fl & SHF_ALLOC and fl & SHF_WRITE:
            parts["data"] += sz
        elif fl & SHF_ALLOC:
            parts["rodata"] += sz
    parts["other"] = size - sum(parts[p] for p in PARTS if p != "other")
    return size, parts, by_section


# --- build -----------------------------------------------------------------

def build(way, n, args, calls=None):
    src = os.path.join(args.work, f"src-{n}" + (f"-calls-{calls}" if calls else ""))
    out = os.path.join(args.work, way + (f"-calls-{calls}" if calls else ""), str(n))
    os.makedirs(out, exist_ok=True)
    compile_flags, link_flags = flags(way, args.plugin, args.clang_major)
    if calls:
        compile_flags = compile_flags + ["-isystem", os.path.join(src, "vendor")]
    objects = []
    for name in open(os.path.join(src, "sources.txt")).read().split():
        obj = os.path.join(out, name + ".o")
        subprocess.run([args.cxx, "-std=c++17", "-O2", "-fPIC", *compile_flags, "-c",
                        os.path.join(src, name), "-o", obj], check=True)
        objects.append(obj)
    lib = os.path.join(out, "liblibrary.so")
    extra = [f"-L{args.runtime_dir}", "-ltally"] if way.startswith("tally") or way == "floor" else []
    subprocess.run([args.cxx, "-shared", *link_flags, *objects, *extra, "-o", lib], check=True)
    return lib


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cxx", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--runtime-dir", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--sizes", default="1000,2000")
    args = parser.parse_args()
    version = subprocess.run([args.cxx, "-dumpversion"], check=True, capture_output=True,
                             text=True).stdout
    args.clang_major = int(version.split(".")[0])
    sizes = [int(s) for s in args.sizes.split(",")]
    for n in sizes:
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(n),
                        os.path.join(args.work, f"src-{n}")], check=True)
        for calls in CALLS:
            subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(n),
                            os.path.join(args.work, f"src-{n}-calls-{calls}"), "--calls", calls],
                           check=True)
    jobs = {}
    calls_jobs = {}
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count()) as pool:
        for way in WAYS:
            for n in sizes:
                jobs[way, n] = pool.submit(build, way, n, args)
        for calls in CALLS:
            for way in CALLS_WAYS:
                for n in sizes:
                    calls_jobs[calls, way, n] = pool.submit(build, way, n, args, calls)
    measured = {}
    for (way, n), job in jobs.items():
        size, parts, by_section = split(job.result())
        measured.setdefault(way, {})[n] = {"file": size, "parts": parts, "sections": by_section}

    n0, n1 = sizes[0], sizes[-1]
    result = {"sizes": sizes, "ways": {}}
    print(f"{args.cxx}, -O2 -fPIC, shared library of {n0} functions: bytes added per "
          f"function, (instrumented - plain) / {n0}.\n")
    print("| way of counting | file | .text | .rodata | .data | relocations | symbol table | rest |"
          f" marginal ({n0} → {n1}) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for way in WAYS[1:]:
        m, base = measured[way][n0], measured["none"][n0]
        per = {p: (m["parts"][p] - base["parts"][p]) / n0 for p in PARTS}
        per_file = (m["file"] - base["file"]) / n0
        grown = (measured[way][n1]["file"] - measured["none"][n1]["file"]) - (m["file"] - base["file"])
        marginal = grown / (n1 - n0)
        result["ways"][way] = {"per_function": per_file, "parts": per, "marginal": marginal,
                               "measured": measured[way]}
        cells = " | ".join(f"{per[p]:.1f}" for p in PARTS)
        print(f"| {LABELS[way]} | **{per_file:.1f}** | {cells} | {marginal:.1f} |")
    result["ways"]["none"] = {"measured": measured["none"]}
    print(f"\nplain library: {measured['none'][n0]['file']:,} bytes ({n0} functions)")
    tally = measured["tally"][n0]["sections"]
    plain = measured["none"][n0]["sections"]
    print("\ntally, by section (bytes added per function):")
    for name in sorted(set(tally) | set(plain)):
        d = tally.get(name, 0) - plain.get(name, 0)
        if d:
            print(f"  {name:24} {d / n0:8.1f}")
    calls_measured = {}
    for (calls, way, n), job in calls_jobs.items():
        size, parts, by_section = split(job.result())
        calls_measured.setdefault(calls, {}).setdefault(way, {})[n] = {
            "file": size, "parts": parts, "sections": by_section}
    result["calls_into"] = {}
    print(f"\nThe same {n0} functions, each also calling a function of another library "
          "(vendor::api, a system header): bytes that counting those calls at the call "
          f"sites (-fplugin-arg-tally-calls-into) adds to tally's entry counts, per "
          f"function, (with calls into - without) / {n0}.\n")
    print("| each function calls | tally, per function | tally counting calls into, per function |"
          " added by calls into | .text | .rodata | .data | relocations | symbol table | rest |"
          f" marginal ({n0} → {n1}) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for calls in CALLS:
        m = calls_measured[calls]
        def per_function(way, n):
            return (m[way][n]["file"] - m["none"][n]["file"]) / n
        added = {p: (m["tally_calls"][n0]["parts"][p] - m["tally"][n0]["parts"][p]) / n0
                 for p in PARTS}
        added_file = (m["tally_calls"][n0]["file"] - m["tally"][n0]["file"]) / n0
        grown = ((m["tally_calls"][n1]["file"] - m["tally"][n1]["file"]) -
                 (m["tally_calls"][n0]["file"] - m["tally"][n0]["file"]))
        marginal = grown / (n1 - n0)
        label = ("a function of its own (a counted callee and call site each)" if calls == "distinct"
                 else "the same function (a counted call site each, one callee)")
        cells = " | ".join(f"{added[p]:.1f}" for p in PARTS)
        print(f"| {label} | {per_function('tally', n0):.1f} | {per_function('tally_calls', n0):.1f} "
              f"| **{added_file:.1f}** | {cells} | {marginal:.1f} |")
        result["calls_into"][calls] = {"added_per_function": added_file, "parts": added,
                                       "marginal": marginal, "measured": m}
    print(f"\nHow a call site counts: by default a callee that a unit calls from four places "
          f"or more is counted in a routine of its own that each call site calls (5 bytes "
          f"a site); with -fplugin-arg-tally-call-bumps=0, the increment is written out "
          f"at every site.  Bytes added by calls into, per function:\n")
    print("| each function calls | default | every increment written out | .text, default |"
          " .text, written out |")
    print("|---|---:|---:|---:|---:|")
    for calls in CALLS:
        m = calls_measured[calls]
        added = {way: (m[way][n0]["file"] - m["tally"][n0]["file"]) / n0
                 for way in ("tally_calls", "tally_calls_inline")}
        text = {way: (m[way][n0]["parts"]["text"] - m["tally"][n0]["parts"]["text"]) / n0
                for way in ("tally_calls", "tally_calls_inline")}
        label = ("a function of its own" if calls == "distinct" else "the same function")
        print(f"| {label} | **{added['tally_calls']:.1f}** | {added['tally_calls_inline']:.1f} "
              f"| {text['tally_calls']:.1f} | {text['tally_calls_inline']:.1f} |")
        result["calls_into"][calls]["inline_added_per_function"] = added["tally_calls_inline"]
    print(f"\nWith callers as well (-fplugin-arg-tally-callers, docs/callers.md): bytes that "
          f"counting each call at its call site adds, per function (one call site each), "
          f"(with callers - without) / {n0}.\n")
    print("| each function calls | added by callers | .text | .rodata | .data | relocations |"
          f" symbol table | rest | marginal ({n0} → {n1}) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for calls in CALLS:
        m = calls_measured[calls]
        added = {p: (m["tally_callers"][n0]["parts"][p] - m["tally_calls"][n0]["parts"][p]) / n0
                 for p in PARTS}
        added_file = (m["tally_callers"][n0]["file"] - m["tally_calls"][n0]["file"]) / n0
        grown = ((m["tally_callers"][n1]["file"] - m["tally_calls"][n1]["file"]) -
                 (m["tally_callers"][n0]["file"] - m["tally_calls"][n0]["file"]))
        label = ("a function of its own" if calls == "distinct" else "the same function")
        cells = " | ".join(f"{added[p]:.1f}" for p in PARTS)
        print(f"| {label} | **{added_file:.1f}** | {cells} | {grown / (n1 - n0):.1f} |")
        result["calls_into"][calls]["callers_added_per_function"] = added_file
    with open(args.json, "w") as f:
        json.dump(result, f, indent=2)
    print(f"\n(numbers: {args.json})")


if __name__ == "__main__":
    main()
