#!/usr/bin/python3
"""Compare the modes of one scenario: grouped bars of TTFB, start render and page load.

Usage:
    plots/compare.py results/seed-200ms -o compare.png
    plots/compare.py results/seed-200ms -o compare.svg --title "Seed page, 200 ms"

Reads every *.json result file in DIR (other JSON files, without "mode" and
"metrics", are skipped). Modes are ordered h1, h2, h2-push, h2-hints, then
others alphabetically; a missing (null) metric is labelled "n/a".

The results must come from one run: the same scenario file, --set list, seed and
network (the result files' "run", "seed" and "network"). Otherwise it exits 2
naming what differs, unless --allow-mixed, which plots them with what differs in
each legend label.
"""
import argparse
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

# DOMContentLoaded and LCP are absent from result files written before the parser model: n/a.
METRICS = [("ttfb_ms", "TTFB"), ("start_render_ms", "start render"),
           ("dom_content_loaded_ms", "DOMContentLoaded"), ("largest_contentful_ms", "LCP"),
           ("page_load_ms", "page load")]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("dir", metavar="DIR", help="directory of result files (one per mode)")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="output .png or .svg")
    p.add_argument("--title", help="figure title (default: scenario and network)")
    common.add_mixed_option(p)
    return p.parse_args()


def load_dir(directory):
    """Result files in directory by mode; error on none or a duplicate mode."""
    if not os.path.isdir(directory):
        raise common.InputError(f"{directory}: not a directory")
    by_mode = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        data = common.load_json(path)
        if not common.looks_like_result(data):
            continue
        result = common.validate_result(data, path)
        mode = result["mode"]
        if mode in by_mode:
            raise common.InputError(f"{path}: second result for mode '{mode}' "
                                    f"(also in {by_mode[mode][0]})")
        by_mode[mode] = (path, result)
    if not by_mode:
        raise common.InputError(f"{directory}: no result files (*.json with mode and metrics)")
    order = common.ordered_modes(by_mode)
    return [by_mode[m][1] for m in order], [by_mode[m][0] for m in order]


def draw_bars(ax, results):
    modes = [r["mode"] for r in results]
    settings = common.setting_labels(results)
    colors = common.mode_colors(modes)
    width = 0.8 / len(results)
    for i, result in enumerate(results):
        values = [result["metrics"].get(key) for key, _ in METRICS]
        xs = [m + (i - (len(results) - 1) / 2) * width for m in range(len(METRICS))]
        bars = ax.bar(xs, [v or 0 for v in values], width * 0.92, color=colors[result["mode"]],
                      label=result["mode"] + (f"\n({settings[i]})" if settings[i] else ""))
        labels = ["n/a" if v is None else f"{v:.0f}" for v in values]
        ax.bar_label(bars, labels, padding=2, fontsize=8, rotation=90 if len(results) > 5 else 0)


def build_figure(results, title):
    fig, ax = plt.subplots(figsize=(max(7.5, 2 + 1.1 * len(results) * 1.5), 4.8),
                           layout="constrained")
    draw_bars(ax, results)
    ax.set_xticks(range(len(METRICS)), [label for _, label in METRICS])
    top = max([r["metrics"].get(k) or 0 for r in results for k, _ in METRICS] + [1])
    ax.set_ylim(0, top * 1.15)
    ax.set_ylabel("time since navigation start (ms)")
    ax.grid(axis="y", color="0.88")
    ax.set_axisbelow(True)
    ax.legend(title="mode", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set_title(title or common.figure_title(results, per_result=False))
    return fig


def main():
    args = parse_args()
    common.output_format(args.output)
    results, paths = load_dir(args.dir)
    common.check_same_run(results, paths, args.allow_mixed)
    common.save_figure(build_figure(results, args.title), args.output)


if __name__ == "__main__":
    common.run(main)
