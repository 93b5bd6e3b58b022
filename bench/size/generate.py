#!/usr/bin/env python3
"""Writes a C++ library of N functions with realistic names: member
functions of classes in nested namespaces, with the parameter types of
everyday C++ code, spread over files of 50 functions each.  Every function
is defined out of line and does a little work, so that none is empty.

With --calls distinct, each function also calls a function of its own of
another library (vendor::api, declared in DIR/vendor/vendor.hpp, a header
to include as a system header, and never defined: the library is linked
with undefined symbols allowed); with --calls one, every function calls the
same one.  What counting those calls at the call sites adds
(docs/calls-into.md) is then per counted callee, or per call site.

usage: generate.py N DIR [--calls distinct|one]
"""
import os
import sys

NAMESPACES = ["acme::storage", "acme::net::http", "acme::util", "acme::billing",
              "acme::geo::index", "acme::auth", "acme::report::pdf", "acme::queue"]
CLASSES = ["Table", "Client", "Buffer", "Invoice", "Tree", "Session", "Writer",
           "Consumer", "Cache", "Parser", "Builder", "Registry"]
VERBS = ["find", "insert", "update", "remove", "parse", "render", "flush", "lookup",
         "resolve", "encode", "decode", "merge", "split", "validate", "load", "store"]
NOUNS = ["", "Row", "Entry", "Header", "Key", "Range", "Batch", "Token", "Page", "Item"]
PARAMS = [
    ("const std::string &{n}", "static_cast<long>({n}.size())"),
    ("std::size_t {n}", "static_cast<long>({n})"),
    ("int {n}", "{n}"),
    ("const std::vector<int> &{n}", "static_cast<long>({n}.size())"),
    ("double {n}", "static_cast<long>({n})"),
    ("std::string_view {n}", "static_cast<long>({n}.size())"),
    ("const std::map<std::string, int> &{n}", "static_cast<long>({n}.size())"),
    ("bool {n}", "({n} ? 1 : 0)"),
]


def functions(n):
    out = []
    i = 0
    while len(out) < n:
        ns = NAMESPACES[i % len(NAMESPACES)]
        cls = CLASSES[(i // len(NAMESPACES)) % len(CLASSES)]
        verb = VERBS[(i * 7) % len(VERBS)]
        noun = NOUNS[(i // 3) % len(NOUNS)]
        nparams = 1 + i % 3
        params = [PARAMS[(i + 3 * k) % len(PARAMS)] for k in range(nparams)]
        out.append((ns, f"{cls}{i // 96}", f"{verb}{noun}{i}", params,
                    "const" if i % 4 == 0 else ""))
        i += 1
    return out


def main():
    if len(sys.argv) not in (3, 5) or (len(sys.argv) == 5 and (
            sys.argv[3] != "--calls" or sys.argv[4] not in ("distinct", "one"))):
        sys.exit("usage: generate.py N DIR [--calls distinct|one]")
    n, out_dir = int(sys.argv[1]), sys.argv[2]
    calls = sys.argv[4] if len(sys.argv) == 5 else None
    os.makedirs(out_dir, exist_ok=True)
    fns = functions(n)
    if calls:
        # Names like a C++ client library's, one per function or one for all.
        callees = [f"{VERBS[(i * 5) % len(VERBS)]}_{NOUNS[(i // 2) % len(NOUNS)].lower() or 'all'}_{i}"
                   for i in range(n if calls == "distinct" else 1)]
        os.makedirs(os.path.join(out_dir, "vendor"), exist_ok=True)
        with open(os.path.join(out_dir, "vendor", "vendor.hpp"), "w") as v:
            v.write("#pragma once\nnamespace vendor::api {\n")
            for c in callees:
                v.write(f"long {c}(long value);\n")
            v.write("}\n")
    per_file = 50
    includes = ("#include <cstddef>\n#include <map>\n#include <string>\n"
                "#include <string_view>\n#include <vector>\n\n")
    classes = {}
    for f in fns:
        classes.setdefault((f[0], f[1]), []).append(f)
    with open(os.path.join(out_dir, "library.hpp"), "w") as h:
        h.write("#pragma once\n" + includes)
        for (ns, cls), members in classes.items():
            h.write(f"namespace {ns} {{\nclass {cls} {{\n public:\n")
            for _, _, name, params, const in members:
                decl = ", ".join(p.format(n=f"p{k}") for k, (p, _) in enumerate(params))
                h.write(f"  long {name}({decl}) {const};\n")
            h.write(" private:\n  long state_ = 0;\n};\n}\n\n")
    sources = []
    for start in range(0, len(fns), per_file):
        path = f"part{start // per_file:03}.cpp"
        sources.append(path)
        with open(os.path.join(out_dir, path), "w") as c:
            c.write('#include "library.hpp"\n')
            c.write('#include <vendor.hpp>\n\n' if calls else "\n")
            for i, (ns, cls, name, params, const) in enumerate(fns[start:start + per_file], start):
                decl = ", ".join(p.format(n=f"p{k}") for k, (p, _) in enumerate(params))
                use = " + ".join(u.format(n=f"p{k}") for k, (_, u) in enumerate(params))
                if calls:
                    use = f"vendor::api::{callees[i if calls == 'distinct' else 0]}({use})"
                c.write(f"long {ns}::{cls}::{name}({decl}) {const} {{\n"
                        f"  return state_ * 31 + ({use});\n}}\n\n")
    with open(os.path.join(out_dir, "sources.txt"), "w") as s:
        s.write("\n".join(sources) + "\n")


if __name__ == "__main__":
    main()
