#!/usr/bin/python3
"""Plot one metric of a sweep against one sweep axis, one line per mode.

Usage:
    plots/sweep.py runs.csv --x network.rtt_ms --y page_load_ms -o rtt.png
    plots/sweep.py runs.csv --x network.rtt_ms --y page_load_ms --facet client.cache \\
        --log-x -o rtt.svg

Points are the mean over the rows at each x (seeds, and any sweep axis not
used as --x or --facet, which the footnote names); the shaded band (error bars
for a non-numeric x) spans min..max. Rows with status other than "ok" are
skipped and counted in the footnote.
"""
import argparse
import csv
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

MARKERS = "osD^vP*X"  # per mode, so overlapping lines stay distinguishable


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("csv", metavar="runs.csv", help="tidy sweep results, one row per run")
    p.add_argument("--x", required=True, metavar="COLUMN", help="x axis, e.g. network.rtt_ms")
    p.add_argument("--y", required=True, metavar="COLUMN", help="metric, e.g. page_load_ms")
    p.add_argument("--facet", metavar="COLUMN", help="one subplot per value of this column")
    p.add_argument("--log-x", action="store_true", help="logarithmic x axis")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="output .png or .svg")
    p.add_argument("--title", help="figure title (default: the base scenario and its fixed "
                   "network, from sweep.json beside the CSV, then Y vs X)")
    return p.parse_args()


def read_rows(path, needed):
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            rows, header = list(reader), reader.fieldnames or []
    except FileNotFoundError:
        raise common.InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise common.InputError(f"{path}: cannot read CSV ({err})") from None
    for col in needed:
        if col not in header:
            available = ", ".join(header) or "none"
            raise common.InputError(f"{path}: no column '{col}' (available: {available})")
    return rows, header


def to_float(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def sort_values(values):
    """Distinct values, numerically if they all are numbers, else in first-seen order."""
    values = list(dict.fromkeys(values))
    return sorted(values, key=float) if all(to_float(v) is not None for v in values) else values


def pretty(column):
    """'network.rtt_ms' -> 'network.rtt (ms)', 'page_load_ms' -> 'page load (ms)'."""
    for suffix, unit in (("_ms", "ms"), ("_mbps", "Mbit/s")):
        if column.endswith(suffix):
            return f"{column[:-len(suffix)].replace('_', ' ')} ({unit})"
    return column


def stats(rows, args):
    """{facet: {mode: {x: [y, ...]}}} over ok rows, plus counts for the footnote."""
    groups, counts = {}, {"ok": 0, "not_ok": {}, "no_y": 0}
    for row in rows:
        if row["status"] != "ok":
            counts["not_ok"][row["status"]] = counts["not_ok"].get(row["status"], 0) + 1
            continue
        y = to_float(row[args.y])
        if y is None or math.isnan(y):
            counts["no_y"] += 1
            continue
        counts["ok"] += 1
        facet = row[args.facet] if args.facet else None
        by_x = groups.setdefault(facet, {}).setdefault(row["mode"], {})
        by_x.setdefault(row[args.x], []).append(y)
    return groups, counts


def footnote(rows, header, counts, args):
    parts = [f"{counts['ok']} runs plotted (mean, min–max)"]
    if counts["not_ok"]:
        skipped = ", ".join(f"{n} {status}" for status, n in sorted(counts["not_ok"].items()))
        parts.append(f"skipped: {skipped}")
    if counts["no_y"]:
        parts.append(f"ok runs without {args.y} skipped: {counts['no_y']}")
    axes = header[:header.index("mode")] if "mode" in header else []
    ok = [r for r in rows if r["status"] == "ok"]
    for col in axes:
        n = len({r[col] for r in ok})
        if col not in (args.x, args.facet) and n > 1:
            parts.append(f"pooled over {col} ({n} values)")
    return "; ".join(parts)


def describe_sweep(csv_path):
    """'seed-200ms (10 Mbit/s, cubic, loss 0.5%)' from sweep.json beside the CSV, naming
    only the network settings the sweep holds fixed; None when there is no readable one."""
    meta_path = os.path.join(os.path.dirname(os.path.abspath(csv_path)), "sweep.json")
    try:
        with open(meta_path, encoding="utf-8") as f:
            meta = json.load(f)
        swept = {axis["key"] for axis in meta.get("axes", [])}
        net = meta["network"]
        parts = []
        if "network.rtt_ms" not in swept:
            parts.append(f"{net['rtt_ms']:g} ms RTT")
        if "network.bandwidth_mbps" not in swept:
            parts.append(f"{net['bandwidth_mbps']:g} Mbit/s")
        if "network.tcp" not in swept:
            parts.append(str(net["tcp"]))
        if "network.loss_rate" not in swept:
            parts.append(f"loss {100 * net['loss_rate']:g}%")
        return f"{meta['scenario']} ({', '.join(parts)})"
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def x_positions(xs_text, args, path):
    """Map x strings to plot positions; numeric when every value parses."""
    numeric = all(to_float(x) is not None for x in xs_text)
    if args.log_x and not (numeric and all(float(x) > 0 for x in xs_text)):
        raise common.InputError(f"{path}: --log-x needs positive numbers in '{args.x}'")
    if numeric:
        return {x: float(x) for x in xs_text}, True
    return {x: i for i, x in enumerate(xs_text)}, False


def draw_series(ax, points, pos, numeric, style, mode, offset):
    xs = sorted(points, key=lambda x: pos[x])
    px = [pos[x] + offset for x in xs]
    mean = [sum(points[x]) / len(points[x]) for x in xs]
    lo, hi = [min(points[x]) for x in xs], [max(points[x]) for x in xs]
    color = style["color"]
    ax.plot(px, mean, "-", label=mode, ms=5, lw=1.6, **style)
    if numeric and len(xs) > 1:
        ax.fill_between(px, lo, hi, color=color, alpha=0.15, lw=0)
    else:
        yerr = [[m - l for m, l in zip(mean, lo)], [h - m for m, h in zip(mean, hi)]]
        ax.errorbar(px, mean, yerr=yerr, fmt="none", ecolor=color, capsize=3, lw=1)


def draw_facet(ax, by_mode, pos, numeric, styles):
    modes = common.ordered_modes(by_mode)
    for i, mode in enumerate(modes):
        offset = 0 if numeric else (i - (len(modes) - 1) / 2) * 0.06
        draw_series(ax, by_mode[mode], pos, numeric, styles[mode], mode, offset)
    ax.grid(color="0.9")


def build_figure(groups, pos, numeric, args, note):
    facets = sort_values([f for f in groups]) if args.facet else [None]
    ncols = min(len(facets), 3)
    nrows = math.ceil(len(facets) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.3 * ncols + 1.6, 3.4 * nrows + 0.9),
                             sharex=True, sharey=True, squeeze=False, layout="constrained")
    colors = common.mode_colors({m for g in groups.values() for m in g})
    styles = {m: {"color": c, "marker": MARKERS[i % len(MARKERS)]}
              for i, (m, c) in enumerate(colors.items())}
    for ax, facet in zip(axes.flat, facets):
        draw_facet(ax, groups[facet], pos, numeric, styles)
        if args.facet:
            ax.set_title(f"{args.facet} = {facet}", fontsize=10)
    for ax in axes.flat[len(facets):]:
        ax.set_visible(False)
    finish_axes(axes, pos, numeric, args)
    axes[0][-1].legend(title="mode", loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False)
    title = f"{pretty(args.y)} vs {pretty(args.x)}"
    described = describe_sweep(args.csv)
    fig.suptitle(args.title or (f"{title}\n{described}" if described else title))
    fig.supxlabel(note, fontsize=8, color="0.35")
    return fig


def finish_axes(axes, pos, numeric, args):
    ax = axes[0][0]
    if args.log_x:
        ax.set_xscale("log")
    if not numeric or len(pos) <= 8:
        ax.set_xticks(list(pos.values()), list(pos))
        ax.minorticks_off()
    ax.set_ylim(bottom=0)
    for ax in axes[-1]:
        ax.set_xlabel(pretty(args.x))
    for ax in axes[:, 0]:
        ax.set_ylabel(pretty(args.y))


def main():
    args = parse_args()
    common.output_format(args.output)
    needed = [args.x, args.y, "mode", "status"] + ([args.facet] if args.facet else [])
    rows, header = read_rows(args.csv, needed)
    groups, counts = stats(rows, args)
    if not groups:
        raise common.InputError(f"{args.csv}: no ok rows with a value for '{args.y}'")
    xs = sort_values(x for g in groups.values() for m in g.values() for x in m)
    pos, numeric = x_positions(xs, args, args.csv)
    fig = build_figure(groups, pos, numeric, args, footnote(rows, header, counts, args))
    common.save_figure(fig, args.output)


if __name__ == "__main__":
    common.run(main)
