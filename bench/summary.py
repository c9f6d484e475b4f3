#!/usr/bin/python3
"""Summarises results/bench/bench.json (Google Benchmark) as the tables of docs/performance.md.

Harness overhead = PageLoad time / (Floor/Ns3BulkSend + Floor/Nghttp2Memory) for the same
page, computed on wall time and on CPU time (the CPU figure is steadier on a shared machine).
TLS cost = PageLoadTls CPU time / PageLoad CPU time for the 100-resource page.
With --benchmark_repetitions, the median of each benchmark is used. Pages are named by their
resource count ("100"), or resources x origins for the multi-origin page ("300x50").

usage: bench/summary.py results/bench/bench.json [--rss results/bench/rss.tsv]
"""
import argparse
import csv
import json
import re
import sys

MODES = ["h1", "h2", "h2-push", "h2-hints"]
SIZES = [10, 100, 1000]
PAGES = [str(n) for n in SIZES] + ["300x50"]  # the multi-origin page last
TO_MS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}


def load(path):
    """Benchmark rows by run name (without the /real_time suffix), medians preferred."""
    with open(path) as f:
        doc = json.load(f)
    rows, medians = {}, {}
    for b in doc["benchmarks"]:
        name = re.sub(r"/(real_time|iterations:\d+)", "", b.get("run_name", b["name"]))
        b["real_ms"] = b["real_time"] * TO_MS[b["time_unit"]]
        b["cpu_ms"] = b["cpu_time"] * TO_MS[b["time_unit"]]
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                medians[name] = b
        else:
            rows.setdefault(name, b)
    rows.update(medians)
    return doc.get("context", {}), rows


def si(value):
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(value) >= scale:
            return f"{value / scale:.1f}{unit}"
    return f"{value:.0f}"


def table(header, lines):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines)]
    fmt = "  ".join("{:>%d}" % w for w in widths)
    print(fmt.format(*header))
    for line in lines:
        print(fmt.format(*line))
    print()


def page_label(bulk_row):
    """'100' or '300x50': a BulkSend row's page, from its counters (old files lack origins)."""
    resources, origins = int(bulk_row["resources"]), int(bulk_row.get("origins", 1))
    return f"{resources}x{origins}" if origins > 1 else str(resources)


def floors(rows):
    """(wall ms, cpu ms) of BulkSend + Nghttp2Memory per page."""
    bulk = {page_label(b): b for n, b in rows.items() if n.startswith("Floor/Ns3BulkSend/")}
    out = {}
    for n in PAGES:
        mem = rows.get(f"Floor/Nghttp2Memory/{n}")
        if n in bulk and mem:
            out[n] = (bulk[n]["real_ms"] + mem["real_ms"], bulk[n]["cpu_ms"] + mem["cpu_ms"])
    return bulk, out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("json")
    parser.add_argument("--rss")
    args = parser.parse_args()
    context, rows = load(args.json)
    print(f"{context.get('date', '?')}, {context.get('num_cpus', '?')} CPUs, "
          f"load average {context.get('load_avg', '?')}\n")

    bulk, floor = floors(rows)
    lines = []
    for mode in MODES:
        for n in PAGES:
            b = rows.get(f"PageLoad/{mode}/{n}")
            if not b:
                continue
            f = floor.get(n)
            lines.append([mode, n, f"{b['real_ms']:.2f}", f"{b['cpu_ms']:.2f}",
                          f"{b['sim_s_per_s']:.1f}", si(b["events_per_s"]),
                          si(b["bytes_per_s"]) + "B",
                          f"{b['real_ms'] / f[0]:.2f}" if f else "-",
                          f"{b['cpu_ms'] / f[1]:.2f}" if f else "-"])
    if lines:
        print("PageLoad (50 ms RTT, 20 Mbit/s; 300x50: origins at 10-150 ms; "
              "overhead = PageLoad / (BulkSend + Nghttp2Memory))")
        table(["mode", "resources", "wall_ms", "cpu_ms", "sim_s/wall_s", "events/s", "bytes/s",
               "overhead_wall", "overhead_cpu"], lines)

    lines = []
    for n in PAGES:
        for name, b in (("Ns3BulkSend", bulk.get(n)), ("Nghttp2Memory",
                                                       rows.get(f"Floor/Nghttp2Memory/{n}"))):
            if b:
                lines.append([name, n, si(b["bytes"]) + "B", f"{b['real_ms']:.3f}",
                              f"{b['cpu_ms']:.3f}", f"{b['sim_s_per_s']:.1f}",
                              si(b["events_per_s"]), si(b["bytes_per_s"]) + "B"])
    if lines:
        print("Floors")
        table(["floor", "resources", "bytes", "wall_ms", "cpu_ms", "sim_s/wall_s", "events/s",
               "bytes/s"], lines)

    lines = []
    for mode in MODES:
        small, large = rows.get(f"PageLoad/{mode}/100"), rows.get(f"PageLoad/{mode}/1000")
        if small and large:
            lines.append([mode, f"{large['real_ms'] / small['real_ms']:.2f}",
                          f"{large['cpu_ms'] / small['cpu_ms']:.2f}",
                          f"{large['bytes'] / small['bytes']:.2f}"])
    if lines:
        print("Scaling, 1,000 resources / 100 resources (target <= 11)")
        table(["mode", "wall", "cpu", "bytes"], lines)

    lines = []
    for mode in MODES:
        clear, tls = rows.get(f"PageLoad/{mode}/100"), rows.get(f"PageLoadTls/{mode}/100")
        if clear and tls:
            lines.append([mode, f"{clear['cpu_ms']:.2f}", f"{tls['cpu_ms']:.2f}",
                          f"{tls['cpu_ms'] / clear['cpu_ms']:.3f}",
                          f"{tls['sim_ms']:.0f} / {clear['sim_ms']:.0f}"])
    if lines:
        print("TLS, 100 resources: PageLoadTls / PageLoad, CPU (target <= 1.15)")
        table(["mode", "http_cpu_ms", "https_cpu_ms", "ratio", "sim_ms https/http"], lines)

    lines = [[m, f"{rows[f'SeedPage/{m}']['real_ms']:.3f}", f"{rows[f'SeedPage/{m}']['cpu_ms']:.3f}",
              f"{rows[f'SeedPage/{m}']['sim_s_per_s']:.0f}"]
             for m in MODES if f"SeedPage/{m}" in rows]
    if lines:
        print("SeedPage (scenarios/seed-200ms.toml, long-lived process; target <= 2 ms CPU)")
        table(["mode", "wall_ms", "cpu_ms", "sim_s/wall_s"], lines)

    m = rows.get("Memory/RssOver1000Runs")
    if m:
        print("RSS over 1,000 seed-page loads in one process (kB)")
        table(["after_10_runs", "after_1000_runs", "growth", "peak"],
              [[f"{m['rss_kb_after_10']:.0f}", f"{m['rss_kb_after_1000']:.0f}",
                f"{m['rss_growth_kb']:.0f}", f"{m['peak_rss_kb']:.0f}"]])

    if args.rss:
        with open(args.rss) as f:
            rss = {(int(r["resources"]), r["mode"]): int(r["peak_rss_kb"])
                   for r in csv.DictReader(f, delimiter="\t")}
        lines = [[n] + [f"{rss[(n, m)] / 1024:.1f}" if (n, m) in rss else "-" for m in MODES]
                 for n in SIZES]
        print("Peak RSS of `waterfall run` on the generated page, one mode (MB; target < 64)")
        table(["resources"] + MODES, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
