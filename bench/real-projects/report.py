#!/usr/bin/env python3
"""Turns the overhead.json files of measure.py into the overhead study's
tables (Markdown, in the shape of Chronos's two tables: binary size and
test-suite time, with and without), one combined JSON file, and a chart
(SVG) comparing the projects.

usage: report.py --out PREFIX project/overhead.json...
writes PREFIX.md, PREFIX.json and PREFIX.svg, and prints the Markdown.
"""
import argparse
import json

# Chronos's published figures for Phoenix, Ecto and ExDoc (its best and
# worst), for comparison.
CHRONOS = {"size": (2.26, 7.25), "time": (0.09, 0.81)}


def pct(new, old):
    return 100.0 * (new / old - 1.0)


def middle(values):
    """The median of a tree's times, as one of them (the upper for an even count)."""
    return sorted(values)[len(values) // 2]


def ratio_cells(r):
    """A ratio's increase and its 95% interval, as two table cells."""
    return (f"**{100 * (r['median'] - 1):+.2f}%** | "
            f"{100 * (r['ci95'][0] - 1):+.2f}% to {100 * (r['ci95'][1] - 1):+.2f}%")


def tables(projects):
    out = []
    out.append("**Binary size**: every executable and library of the build tree "
               "(static archives included), plain and instrumented.\n")
    out.append("| project | files | without tally | with tally | increase |")
    out.append("|---|---:|---:|---:|---:|")
    for p in projects:
        s = p["size"]
        out.append(f"| {p['name']} | {len(s['files'])} | {s['plain']:,} B | "
                   f"{s['instrumented']:,} B | **{pct(s['instrumented'], s['plain']):+.2f}%** |")
    out.append("")
    out.append("**Test suite time**: `ctest -j1`, plain and instrumented runs interleaved; "
               "the median of each tree's times, and the median of the runs' ratios with its "
               "95% bootstrap confidence interval.\n")
    out.append("| project | runs | without tally | with tally | increase | 95% CI |")
    out.append("|---|---:|---:|---:|---:|---|")
    for p in projects:
        t = p["suite_seconds"]
        out.append(f"| {p['name']} | {len(t['plain'])} | {middle(t['plain']):.2f} s | "
                   f"{middle(t['instrumented']):.2f} s | {ratio_cells(p['suite_ratio'])} |")
    timed = [p for p in projects if "suite_cpu_ratio" in p]
    if timed:
        out.append("")
        out.append("**Test suite CPU time**: user and system time of `ctest -j1` and every "
                   "process it started, in the same runs; the median of each tree's times, and "
                   "the median of the runs' ratios with its 95% bootstrap confidence interval.\n")
        out.append("| project | tree | without tally | with tally | increase | 95% CI |")
        out.append("|---|---|---:|---:|---:|---|")
        for p in timed:
            c = p["suite_cpu_seconds"]
            for tree, r in p["suite_cpu_ratio"].items():
                out.append(f"| {p['name']} | {tree} | {middle(c['plain']):.2f} s | "
                           f"{middle(c[tree]):.2f} s | {ratio_cells(r)} |")
    floors = [p for p in projects if "floor_ratio" in p]
    if floors:
        out.append("")
        out.append("**The floor**: the same instrumented build with the increment itself "
                   "removed (`TALLY_MEASURE_FLOOR=ON`: records and registration kept), "
                   "measured in the same interleaved runs.\n")
        out.append("| project | size, floor | increase | suite time, floor | increase | 95% CI |")
        out.append("|---|---:|---:|---:|---:|---|")
        for p in floors:
            s = p["size"]
            out.append(f"| {p['name']} | {s['floor']:,} B | **{pct(s['floor'], s['plain']):+.2f}%** | "
                       f"{middle(p['suite_seconds']['floor']):.2f} s | {ratio_cells(p['floor_ratio'])} |")
    entries = [p for p in projects if "entries_ratio" in p]
    if entries:
        out.append("")
        out.append("**Calls into, against entries only**: the same instrumented build with "
                   "calls into functions that are not instrumented left uncounted "
                   "(`TALLY_CALLS_INTO=OFF`), measured in the same interleaved runs; "
                   "\"calls into adds\" is the instrumented tree's increase minus this "
                   "one's, in percentage points of the plain tree (suite time: the median "
                   "of the runs' differences, with its 95% bootstrap confidence interval).\n")
        out.append("| project | size, entries only | increase | calls into adds | "
                   "suite time, entries only | increase | calls into adds | 95% CI |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---|")
        for p in entries:
            s = p["size"]
            d = p["calls_into_points"]
            out.append(f"| {p['name']} | {s['entries']:,} B | {pct(s['entries'], s['plain']):+.2f}% | "
                       f"**{pct(s['instrumented'], s['plain']) - pct(s['entries'], s['plain']):+.2f} pp** | "
                       f"{middle(p['suite_seconds']['entries']):.2f} s | "
                       f"{100 * (p['entries_ratio']['median'] - 1):+.2f}% | "
                       f"**{d['median']:+.2f} pp** | {d['ci95'][0]:+.2f} to {d['ci95'][1]:+.2f} pp |")
    if any("suite_instructions" in p for p in projects):
        out.append("")
        out.append("**Test suite instructions** (callgrind, every process of `ctest -j1`, "
                   "one run of each tree: deterministic).\n")
        out.append("| project | without tally | with tally | increase |")
        out.append("|---|---:|---:|---:|")
        for p in projects:
            if "suite_instructions" in p:
                i = p["suite_instructions"]
                floor = (f" (floor {i['floor']:,}, {pct(i['floor'], i['plain']):+.3f}%)"
                         if "floor" in i else "")
                out.append(f"| {p['name']} | {i['plain']:,} | {i['instrumented']:,} | "
                           f"**{pct(i['instrumented'], i['plain']):+.3f}%**{floor} |")
    out.append("")
    out.append("**Build time**: configure and build of each tree, once, "
               "`-j` = number of cores.\n")
    out.append("| project | without tally | with tally | increase |")
    out.append("|---|---:|---:|---:|")
    for p in projects:
        b = p["build_seconds"]
        floor = (f" (floor {b['floor']:.1f} s, {pct(b['floor'], b['plain']):+.1f}%)"
                 if b.get("floor") else "")
        out.append(f"| {p['name']} | {b['plain']:.1f} s | {b['instrumented']:.1f} s | "
                   f"**{pct(b['instrumented'], b['plain']):+.1f}%**{floor} |")
    out.append("")
    out.append(f"For comparison, Chronos: binary size +{CHRONOS['size'][0]}% to "
               f"+{CHRONOS['size'][1]}%, test suite time +{CHRONOS['time'][0]}% to "
               f"+{CHRONOS['time'][1]}%.")
    return "\n".join(out) + "\n"


def chart(projects):
    """Grouped bars: size, suite time and build time increase per project."""
    metrics = [("binary size", "#4e79a7",
                lambda p: pct(p["size"]["instrumented"], p["size"]["plain"])),
               ("test suite time", "#f28e2b",
                lambda p: 100 * (p["suite_ratio"]["median"] - 1)),
               ("build time", "#76b7b2",
                lambda p: pct(p["build_seconds"]["instrumented"], p["build_seconds"]["plain"]))]
    values = [[m[2](p) for m in metrics] for p in projects]
    top = max([v for row in values for v in row] + [CHRONOS["size"][1], 1.0])
    low = min([v for row in values for v in row] + [0.0])
    width, height = 640, 360
    left, right, top_margin, bottom = 60, 20, 40, 70
    plot_h = height - top_margin - bottom
    scale = plot_h / (top - low) if top > low else 1

    def y(v):
        return top_margin + (top - v) * scale

    group_w = (width - left - right) / max(len(projects), 1)
    bar_w = group_w / (len(metrics) + 1)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">'
           f'tally overhead: increase with instrumentation (%)</text>']
    # Axis and grid.
    step = 1
    while (top - low) / step > 8:
        step *= 2 if str(step)[0] in "15" else 2.5
    v = step * (low // step)
    while v <= top:
        svg.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                   f'stroke="#ddd"/>')
        svg.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:g}%</text>')
        v += step
    # Chronos's best binary-size figure.
    cy = y(CHRONOS["size"][0])
    svg.append(f'<line x1="{left}" x2="{width - right}" y1="{cy:.1f}" y2="{cy:.1f}" '
               f'stroke="#4e79a7" stroke-dasharray="4 3"/>')
    for g, p in enumerate(projects):
        x0 = left + g * group_w + bar_w / 2
        for k, (label, color, _) in enumerate(metrics):
            v = values[g][k]
            y0, y1 = sorted((y(0), y(v)))
            svg.append(f'<rect x="{x0 + k * bar_w:.1f}" y="{y0:.1f}" width="{bar_w * 0.9:.1f}" '
                       f'height="{max(y1 - y0, 0.5):.1f}" fill="{color}"/>')
            svg.append(f'<text x="{x0 + k * bar_w + bar_w * 0.45:.1f}" y="{y0 - 3:.1f}" '
                       f'text-anchor="middle" font-size="10">{v:+.2f}</text>')
        svg.append(f'<text x="{x0 + len(metrics) * bar_w / 2:.1f}" y="{height - bottom + 18}" '
                   f'text-anchor="middle">{p["name"]}</text>')
    svg.append(f'<line x1="{left}" x2="{width - right}" y1="{y(0):.1f}" y2="{y(0):.1f}" '
               f'stroke="black"/>')
    for k, (label, color, _) in enumerate(metrics):
        lx = left + k * 130
        svg.append(f'<rect x="{lx}" y="{height - 28}" width="12" height="12" fill="{color}"/>')
        svg.append(f'<text x="{lx + 18}" y="{height - 18}">{label}</text>')
    lx = left + len(metrics) * 130
    svg.append(f'<line x1="{lx}" x2="{lx + 14}" y1="{height - 22}" y2="{height - 22}" '
               f'stroke="#4e79a7" stroke-dasharray="4 3"/>')
    svg.append(f'<text x="{lx + 18}" y="{height - 18}">Chronos, best size '
               f'(+{CHRONOS["size"][0]}%)</text>')
    svg.append("</svg>")
    return "\n".join(svg) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    projects = [json.load(open(f)) for f in args.files]
    projects.sort(key=lambda p: p["name"])
    text = tables(projects)
    with open(args.out + ".md", "w") as f:
        f.write(text)
    with open(args.out + ".json", "w") as f:
        json.dump(projects, f, indent=2)
    with open(args.out + ".svg", "w") as f:
        f.write(chart(projects))
    print(text)
    print(f"(tables, numbers and chart: {args.out}.md, .json, .svg)")


if __name__ == "__main__":
    main()
