#!/usr/bin/python3
"""Draw a WebPageTest-style waterfall chart from simulator result files.

Usage:
    plots/waterfall.py results/seed-200ms/h2.json -o h2.png
    plots/waterfall.py results/seed-200ms/*.json -o waterfall.svg --title "Seed page"

One row per resource in request/discovery order. Light bar part: waiting
(request -> first byte); dark part: download (first byte -> complete); colored
by resource type. Hatched bars were pushed, diamonds came from the cache, a
grey tick marks discovery when it differs from the request, a red x marks a
timeout/reset. Several files (the modes of one scenario) stack as panels that
share the time axis, in mode order h1, h2, h2-push, h2-hints, others.
"""
import argparse
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

BAR_HEIGHT = 0.7
RENDER_LINE = {"color": "#1b7a1b", "linestyle": "--", "linewidth": 1.3}
LOAD_LINE = {"color": "black", "linestyle": "-", "linewidth": 1.3}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("results", nargs="+", metavar="RESULT.json", help="simulator result file(s)")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="output .png or .svg")
    p.add_argument("--title", help="figure title (default: scenario and network)")
    common.add_mixed_option(p)
    return p.parse_args()


def times(res):
    return [res[k] for k in common.TIME_KEYS if res[k] is not None]


def start_key(res):
    first = next((res[k] for k in ("request_ms", "discovered_ms") if res[k] is not None), None)
    return first if first is not None else min(times(res), default=math.inf)


def sorted_resources(result):
    order = sorted(enumerate(result["resources"]), key=lambda ir: (start_key(ir[1]), ir[0]))
    return [res for _, res in order]


def short_url(url, limit=42):
    return url if len(url) <= limit else url[:14] + "…" + url[-(limit - 15):]


def font_size(rows):
    return 8 if rows <= 30 else 7 if rows <= 60 else 6 if rows <= 100 else 5


def light(color):
    rgb = mcolors.to_rgb(color)
    return tuple(0.55 + 0.45 * c for c in rgb)


def is_cached(res):
    return res["from_cache"] or (res["request_ms"] is None and res["first_byte_ms"] is None
                                 and res["complete_ms"] is not None)


def draw_bars(ax, row, res, color):
    req, fb, done = res["request_ms"], res["first_byte_ms"], res["complete_ms"]
    style = {"height": BAR_HEIGHT, "linewidth": 0}
    if res["pushed"]:
        style.update(hatch="////", edgecolor="0.15")
    wait_end = fb if fb is not None else done
    if req is not None and wait_end is not None:
        ax.barh(row, max(wait_end - req, 0.5), left=req, color=light(color), **style)
    if fb is not None and done is not None:
        ax.barh(row, max(done - fb, 0.5), left=fb, color=color, **style)


def draw_resource(ax, row, res, size):
    color = common.TYPE_COLORS.get(res["type"], common.TYPE_COLORS["other"])
    disc, req = res["discovered_ms"], res["request_ms"]
    if is_cached(res):
        ax.plot(res["complete_ms"], row, "D", color=color, mec="black", mew=0.6, ms=size * 0.8)
    else:
        draw_bars(ax, row, res, color)
        if disc is not None and (req is None or abs(disc - req) > 0.05):
            if req is not None and req > disc:
                ax.hlines(row, disc, req, color="0.6", linewidth=0.8)
            ax.plot(disc, row, "|", color="0.25", ms=size * 1.4, mew=1.2, zorder=3)
    if res["status"] not in ("complete", "ok") and times(res):
        last = max(times(res))
        ax.plot(last, row, "x", color="#d00000", ms=size, mew=1.5)
        ax.annotate(res["status"], (last, row), xytext=(size * 0.8, 0), textcoords="offset points",
                    va="center", fontsize=size, color="#d00000")


def draw_panel(ax, result, size, scenario_in_title):
    resources = sorted_resources(result)
    for row, res in enumerate(resources):
        if row % 2:
            ax.axhspan(row - 0.5, row + 0.5, color="0.95", zorder=0, linewidth=0)
        draw_resource(ax, row, res, size)
    metrics = result["metrics"]
    if metrics["start_render_ms"] is not None:
        ax.axvline(metrics["start_render_ms"], **RENDER_LINE)
    if metrics["page_load_ms"] is not None:
        ax.axvline(metrics["page_load_ms"], **LOAD_LINE)
    ax.set_yticks(range(len(resources)))
    ax.set_yticklabels([f"{i + 1}. {short_url(r['url'])}" for i, r in enumerate(resources)],
                       fontsize=size)
    ax.set_ylim(len(resources) - 0.5, -0.5)
    ax.tick_params(axis="x", labelsize=8, labeltop=len(resources) > 40)
    ax.grid(axis="x", color="0.85", linewidth=0.6)
    ax.set_axisbelow(True)
    prefix = f"{result['scenario']} " if scenario_in_title else ""
    render, load = (common.fmt_ms(metrics[k]) for k in ("start_render_ms", "page_load_ms"))
    ax.set_title(f"{prefix}{result['mode']} - start render {render}, page load {load}", fontsize=10)


def legend_handles(results):
    types = {r["type"] for res in results for r in res["resources"]}
    handles = [Patch(color=c, label=t) for t, c in common.TYPE_COLORS.items() if t in types]
    handles += [
        Patch(color=light("0.45"), label="waiting (request → first byte)"),
        Patch(color="0.45", label="download (first byte → complete)"),
        Patch(facecolor="white", edgecolor="0.15", hatch="////", label="pushed"),
        Line2D([], [], marker="D", color="0.6", mec="black", ls="", label="from cache"),
        Line2D([], [], marker="|", color="0.25", ms=9, mew=1.2, ls="", label="discovered"),
        Line2D([], [], marker="x", color="#d00000", mew=1.5, ls="", label="timeout / reset"),
        Line2D([], [], label="start render", **RENDER_LINE),
        Line2D([], [], label="page load", **LOAD_LINE),
    ]
    return handles


def max_time(results):
    values = [t for res in results for r in res["resources"] for t in times(r)]
    values += [res["metrics"][k] for res in results for k in ("start_render_ms", "page_load_ms")
               if res["metrics"][k] is not None]
    return max(values, default=1.0) or 1.0


def build_figure(results, title):
    rows = [max(len(r["resources"]), 1) for r in results]
    size = font_size(max(rows))
    row_in = size * 1.75 / 72
    panel_in = [max(n * row_in, 1.0) for n in rows]
    handles = legend_handles(results)
    legend_in = 0.22 * math.ceil(len(handles) / 6) + 0.1
    fig = plt.figure(figsize=(12, sum(panel_in) + 0.75 * len(results) + legend_in + 0.9),
                     layout="constrained")
    grid = fig.add_gridspec(len(results) + 1, 1, height_ratios=[legend_in] + panel_in)
    legend_ax = fig.add_subplot(grid[0])
    legend_ax.axis("off")
    legend_ax.legend(handles=handles, loc="center", ncol=6, fontsize=8, frameon=False)
    axes = []
    several = len({r["scenario"] for r in results}) > 1
    for i, result in enumerate(results):
        ax = fig.add_subplot(grid[i + 1], sharex=axes[0] if axes else None)
        draw_panel(ax, result, size, several)
        axes.append(ax)
    axes[0].set_xlim(0, max_time(results) * 1.07)
    axes[-1].set_xlabel("time since navigation start (ms)")
    fig.supylabel("resource (in request order)", fontsize=9)
    fig.suptitle(title or common.figure_title(results), fontsize=12)
    return fig


def main():
    args = parse_args()
    common.output_format(args.output)
    results = [common.load_result(path) for path in args.results]
    common.check_same_run(results, args.results, args.allow_mixed)
    order = common.ordered_modes([r["mode"] for r in results])
    results.sort(key=lambda r: order.index(r["mode"]))
    fig = build_figure(results, args.title)
    common.save_figure(fig, args.output)


if __name__ == "__main__":
    common.run(main)
