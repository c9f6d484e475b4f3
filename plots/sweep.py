#!/usr/bin/python3
"""Plot one metric of a sweep against one sweep axis, one line per mode.

Usage:
    plots/sweep.py runs.csv --x network.rtt_ms --y page_load_ms -o rtt.png
    plots/sweep.py runs.csv --x server.think_ms --y page_load_ms --facet client.cache \\
        --row network.rtt_ms --where network.loss_rate=0 --band iqr -o grid.svg

Each point is the median of the runs at that x: the seeds, and any sweep axis
that is not the x, a facet or fixed by --where (the footnote names those it
pooled and how many runs each point holds). The band (error bars for a
non-numeric x) spans the interquartile range, min..max, or nothing (--band).
Rows whose status is not "ok" are skipped and counted in the footnote.
"""
import argparse
import csv
import json
import math
import os
import statistics
import sys
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

MARKERS = "osD^vP*X"  # per mode, so overlapping lines stay distinguishable
BANDS = {"iqr": "interquartile range", "minmax": "min–max", "none": None}
FOOTNOTE_SIZE = 8


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("csv", metavar="runs.csv", help="tidy sweep results, one row per run")
    p.add_argument("--x", required=True, metavar="COLUMN", help="x axis, e.g. network.rtt_ms")
    p.add_argument("--y", required=True, metavar="COLUMN", help="metric, e.g. page_load_ms")
    p.add_argument("--facet", metavar="COLUMN", help="one subplot per value of this column")
    p.add_argument("--row", metavar="COLUMN",
                   help="a second facet: one row of subplots per value of this column")
    p.add_argument("--where", action="append", default=[], metavar="COLUMN=VALUE",
                   help="plot only the runs with this value (repeatable), e.g. "
                   "network.loss_rate=0.02")
    p.add_argument("--band", choices=list(BANDS), default="minmax",
                   help="spread drawn around the median line (default: minmax)")
    p.add_argument("--log-x", action="store_true", help="logarithmic x axis")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="output .png or .svg")
    p.add_argument("--title", help="figure title (default: the base scenario and its fixed "
                   "network, from sweep.json beside the CSV, then Y vs X)")
    return p.parse_args(argv)


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


def same_value(cell, wanted):
    """'0.02' matches '0.020' and '2e-2'; anything else must be equal as text."""
    if cell == wanted:
        return True
    a, b = to_float(cell), to_float(wanted)
    return a is not None and b is not None and a == b


def parse_where(items, header, rows, path):
    """[(column, value)] from COLUMN=VALUE; the column must exist and the value occur in it."""
    conditions = []
    for item in items:
        column, sep, value = item.partition("=")
        if not sep or not column:
            raise common.InputError(f"--where {item}: expected COLUMN=VALUE, "
                                    "e.g. network.loss_rate=0.02")
        if column not in header:
            raise common.InputError(f"{path}: --where {item}: no column '{column}' "
                                    f"(available: {', '.join(header)})")
        values = sort_values(r[column] for r in rows)
        if not any(same_value(v, value) for v in values):
            shown = ", ".join(values[:20]) + (", ..." if len(values) > 20 else "")
            raise common.InputError(f"{path}: --where {item}: no run has {column} = {value} "
                                    f"(values: {shown})")
        conditions.append((column, value))
    return conditions


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
    """{(row, facet): {mode: {x: [y, ...]}}} over ok rows, plus counts for the footnote."""
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
        panel = (row[args.row] if args.row else None, row[args.facet] if args.facet else None)
        by_x = groups.setdefault(panel, {}).setdefault(row["mode"], {})
        by_x.setdefault(row[args.x], []).append(y)
    return groups, counts


def summary(ys, band):
    """(median, low, high) of the band."""
    ys = sorted(ys)
    median = statistics.median(ys)
    if band == "minmax":
        return median, ys[0], ys[-1]
    if band == "iqr" and len(ys) > 1:
        q1, _, q3 = statistics.quantiles(ys, n=4, method="inclusive")
        return median, q1, q3
    return median, median, median


def footnote(rows, header, groups, counts, args, where):
    sizes = [len(ys) for g in groups.values() for m in g.values() for ys in m.values()]
    lo, hi = min(sizes), max(sizes)
    band = BANDS[args.band]
    if hi == 1:
        parts = [f"{counts['ok']} runs plotted, one per point"]
    else:
        per_point = f"{lo}" if lo == hi else f"{lo}–{hi}"
        parts = [f"{counts['ok']} runs plotted; each point the median of {per_point} runs"
                 + (f", band: {band}" if band else "")]
    if where:
        parts.append("only " + ", ".join(f"{c} = {v}" for c, v in where))
    axes = header[:header.index("mode")] if "mode" in header else []
    ok = [r for r in rows if r["status"] == "ok"]
    shown = {args.x, args.facet, args.row} | {c for c, _ in where}
    pooled = [f"{col}\u00a0({n}\u00a0values)" for col in axes if col not in shown
              for n in [len({r[col] for r in ok})] if n > 1]
    if pooled:
        parts.append(f"pooled over {', '.join(pooled)}: --facet, --row or --where separate them")
    if counts["not_ok"]:
        skipped = ", ".join(f"{n} {status}" for status, n in sorted(counts["not_ok"].items()))
        parts.append(f"skipped: {skipped}")
    if counts["no_y"]:
        parts.append(f"ok runs without {args.y} skipped: {counts['no_y']}")
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


def draw_series(ax, points, pos, numeric, style, mode, offset, band):
    xs = sorted(points, key=lambda x: pos[x])
    px = [pos[x] + offset for x in xs]
    mid, lo, hi = zip(*(summary(points[x], band) for x in xs))
    color = style["color"]
    ax.plot(px, mid, "-", label=mode, ms=5, lw=1.6, **style)
    if band == "none":
        return
    if numeric and len(xs) > 1:
        ax.fill_between(px, lo, hi, color=color, alpha=0.15, lw=0)
    else:
        yerr = [[m - l for m, l in zip(mid, lo)], [h - m for m, h in zip(mid, hi)]]
        ax.errorbar(px, mid, yerr=yerr, fmt="none", ecolor=color, capsize=3, lw=1)


def draw_panel(ax, by_mode, pos, numeric, styles, band):
    modes = common.ordered_modes(by_mode)
    for i, mode in enumerate(modes):
        offset = 0 if numeric else (i - (len(modes) - 1) / 2) * 0.06
        draw_series(ax, by_mode[mode], pos, numeric, styles[mode], mode, offset, band)
    ax.grid(color="0.9")


def panel_grid(groups, args):
    """[[(row, facet), ...], ...]: rows by --row, columns by --facet (wrapped at 3 when
    there is no --row)."""
    row_values = sort_values(r for r, _ in groups) if args.row else [None]
    facet_values = sort_values(f for _, f in groups) if args.facet else [None]
    if args.row:
        return [[(r, f) for f in facet_values] for r in row_values]
    ncols = min(len(facet_values), 3)
    return [[(None, f) for f in facet_values[i:i + ncols]]
            for i in range(0, len(facet_values), ncols)]


def build_figure(groups, pos, numeric, args, note):
    grid = panel_grid(groups, args)
    nrows, ncols = len(grid), max(len(r) for r in grid)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.3 * ncols + 1.6, 3.4 * nrows + 0.9),
                             sharex=True, sharey=True, squeeze=False, layout="constrained")
    colors = common.mode_colors({m for g in groups.values() for m in g})
    styles = {m: {"color": c, "marker": MARKERS[i % len(MARKERS)]}
              for i, (m, c) in enumerate(colors.items())}
    for r, panels in enumerate(grid):
        for c in range(ncols):
            ax = axes[r][c]
            if c >= len(panels):
                ax.set_visible(False)
                continue
            row_value, facet_value = panels[c]
            title = [f"{col} = {v}" for col, v in ((args.row, row_value),
                                                    (args.facet, facet_value)) if col]
            if title:
                ax.set_title(", ".join(title), fontsize=10 if len(title) == 1 else 9)
            if panels[c] in groups:
                draw_panel(ax, groups[panels[c]], pos, numeric, styles, args.band)
            else:
                ax.text(0.5, 0.5, "no ok runs", transform=ax.transAxes, ha="center",
                        va="center", color="0.5")
                ax.grid(color="0.9")
    finish_axes(axes, grid, pos, numeric, args)
    # Every mode, whether or not the top right panel has it.
    handles = [Line2D([], [], label=m, ms=5, lw=1.6, **styles[m]) for m in styles]
    axes[0][-1].legend(handles=handles, title="mode", loc="upper left", bbox_to_anchor=(1.02, 1),
                       frameon=False)
    title = f"{pretty(args.y)} vs {pretty(args.x)}"
    described = describe_sweep(args.csv)
    fig.suptitle(args.title or (f"{title}\n{described}" if described else title))
    fit_footnote(fig, fig.supxlabel(note, fontsize=FOOTNOTE_SIZE, color="0.35"))
    return fig


def fit_footnote(fig, text):
    """Wrap the footnote into lines no wider than the figure (measured, not guessed)."""
    renderer = fig.canvas.get_renderer()
    full = text.get_text()
    room = 0.96 * fig.bbox.width
    width = text.get_window_extent(renderer).width
    chars = len(full)
    while width > room and chars > 20:
        chars = max(20, min(chars - 1, int(chars * room / width)))
        text.set_text(textwrap.fill(full, chars, break_on_hyphens=False))
        width = text.get_window_extent(renderer).width


def finish_axes(axes, grid, pos, numeric, args):
    ax = axes[0][0]
    if args.log_x:
        ax.set_xscale("log")
    if not numeric or len(pos) <= 8:
        ax.set_xticks(list(pos.values()), list(pos))
        ax.minorticks_off()
    ax.set_ylim(bottom=0)
    for r, panels in enumerate(grid):
        for c in range(len(panels)):
            last_in_column = r + 1 == len(grid) or c >= len(grid[r + 1])
            if last_in_column:
                axes[r][c].set_xlabel(pretty(args.x))
                axes[r][c].xaxis.set_tick_params(labelbottom=True)
    for ax in axes[:, 0]:
        ax.set_ylabel(pretty(args.y))


def make_figure(args):
    """The figure for parsed arguments; raises common.InputError on bad input."""
    needed = [args.x, args.y, "mode", "status"] + [c for c in (args.facet, args.row) if c]
    rows, header = read_rows(args.csv, needed)
    where = parse_where(args.where, header, rows, args.csv)
    rows = [r for r in rows if all(same_value(r[c], v) for c, v in where)]
    groups, counts = stats(rows, args)
    if not groups:
        raise common.InputError(f"{args.csv}: no ok rows with a value for '{args.y}'"
                                + (" among the --where runs" if where else ""))
    xs = sort_values(x for g in groups.values() for m in g.values() for x in m)
    pos, numeric = x_positions(xs, args, args.csv)
    note = footnote(rows, header, groups, counts, args, where)
    return build_figure(groups, pos, numeric, args, note)


def main():
    args = parse_args()
    common.output_format(args.output)
    common.save_figure(make_figure(args), args.output)


if __name__ == "__main__":
    common.run(main)
