#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/) from real
files that a tally build writes: reports, profiles and a snapshot of the
examples, a session's segment as `tally record` leaves it, the module
descriptions in that segment, and command lines of the docs.

usage: tests/fuzz/make_corpus.py BUILD_DIR   (a build with the examples and the tool)
"""
import hashlib
import os
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))


def put(target, data):
    """Adds one input to a corpus, named by its hash as libFuzzer names them."""
    directory = os.path.join(HERE, "corpus", target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def run(command, **kwargs):
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, **kwargs)


def json_seeds(build, tool, work):
    test = os.path.join(build, "examples/downloader/downloader_test")
    report = os.path.join(work, "report.json")
    run([test], env=dict(os.environ, TALLY_REPORT=report))
    recorded = os.path.join(work, "recorded.json")
    run([tool, "record", "-o", recorded, "--", test])
    profile = subprocess.run([tool, "report", recorded, "--format", "json"], check=True,
                             capture_output=True).stdout
    for path in (report, recorded):
        with open(path, "rb") as f:
            put("json", f.read())
    put("json", profile)
    with open(os.path.join(SOURCE, "examples/n-plus-one/test/__tally__/"
                           "Orders.StaysWithinItsCallBudget.json"), "rb") as f:
        put("json", f.read())


def segment_seeds(build, tool, work):
    """A segment copied while its session records, cut after its used bytes."""
    test = os.path.join(build, "examples/downloader/downloader_test")
    copy = os.path.join(work, "segment")
    name = "fuzz-corpus-%d" % os.getpid()
    run([tool, "record", "--session", name, "-o", os.path.join(work, "s.json"), "--",
         "sh", "-c", '"$0" && cp /dev/shm/tally.%s "$1"' % name, test, copy])
    with open(copy, "rb") as f:
        segment = f.read()
    used = struct.unpack_from("<Q", segment, 24)[0]
    segment = segment[:used]
    put("segment", segment[24:])  # the target sets magic, version and size
    # The segment's descriptions, as units: raw_size, site index, file, bytes.
    offset = struct.unpack_from("<Q", segment, 64)[0]
    while offset:
        nxt, _, functions, raw_size, size, _ = struct.unpack_from("<QQIIII", segment, offset)
        stored = segment[offset + 32:offset + 32 + size]
        for index in (0, functions - 1):
            put("description",
                struct.pack("<II", raw_size, index) + b"/src/unit.cpp\0" + stored)
        offset = nxt


def args_seeds():
    commands = {
        0: [["--session", "ci", "-o", "all.json", "--", "ctest", "-j2"],
            ["--size", "64M", "--output=all.json", "--no-preload", "--", "./a.out"]],
        1: [["all.json", "--uncalled", "--format", "csv"],
            ["--session", "ci", "--top", "20", "--match", "^example::(db|http)::"]],
        2: [["--session", "ci", "--interval", "0.5", "--top", "10", "--count", "3"]],
        3: [["old.json", "new.json", "--threshold", "10"]],
        4: [["-p", "build", "--format", "csv", "--match", "::get$", "src/http.cpp"]],
    }
    for command, lines in commands.items():
        for line in lines:
            put("args", bytes([command]) + "\0".join(line).encode())


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip())
    build = os.path.abspath(sys.argv[1])
    tool = os.path.join(build, "tools/tally")
    with tempfile.TemporaryDirectory() as work:
        json_seeds(build, tool, work)
        segment_seeds(build, tool, work)
    args_seeds()


if __name__ == "__main__":
    main()
