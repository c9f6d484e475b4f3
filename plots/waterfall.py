#!/usr/bin/python3
"""Draw a WebPageTest-style waterfall chart from simulator result files.

Usage:
    plots/waterfall.py results/seed-200ms/h2.json -o h2.png
    plots/waterfall.py results/seed-200ms/*.json -o waterfall.svg --title "Seed page"
    plots/waterfall.py big/h2.json -o big.png --max-rows 100
    plots/waterfall.py big/h2.json --list-rows       # print the rows it would draw

One row per resource in start order, each phase in its own colour (README,
"Results"): queued (grey, thin: the browser wants it, no connection has taken
it yet), dns (dark teal: the lookup of its host the request waited for, with
[dns]), connect (cyan: the TCP handshake it waited for), tls (magenta: the
TLS handshake after it, on an https connection), wait (light: request sent ->
first byte) and download (dark: first byte -> complete), the last two in the
resource type's colour. Hatched bars were pushed, diamonds came from the
cache, a black tick marks the parser's discovery when a hint, preload or push
fetched the resource earlier, a red x marks a timeout/reset/tls_failed. Several
files (the modes of one scenario) stack as panels that share the time axis, in
mode order h1, h2, h2-push, h2-hints, others.

A page on more than one origin (its result's "origins" has several, or its
rows name different "origin"s) labels each row by host and path
("cdn.example.net/app.js"); a one-origin page by path, as before. A
<link rel=preconnect> row ("preconnect cdn.example.net") has only its queued,
dns, connect and (https) tls phases. Result files written before origins, DNS
and TLS were recorded draw as they always did.

A page of more than --max-rows resources (default 60) shows the critical path
to page load (the resource that was ready last and its chain of parents) and
then the slowest of the rest; a footnote summarises the resources not shown.
The image size depends on the rows shown, not on the size of the page.
"""
import argparse
import math
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

BAR_HEIGHT = 0.7
QUEUED_HEIGHT = 0.3
DEFAULT_MAX_ROWS = 60
MAX_ROWS_LIMIT = 1000  # 4 panels of 1000 rows stay under Agg's 65536-pixel limit
RENDER_LINE = {"color": "#1b7a1b", "linestyle": "--", "linewidth": 1.3}
LOAD_LINE = {"color": "black", "linestyle": "-", "linewidth": 1.3}
# DOMContentLoaded (absent from result files written before the parser model).
DCL_LINE = {"color": "#1f5fbf", "linestyle": ":", "linewidth": 1.3}


def max_rows_arg(text):
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not 1 <= value <= MAX_ROWS_LIMIT:
        raise argparse.ArgumentTypeError(
            f"expected an integer in [1, {MAX_ROWS_LIMIT}], got {text!r}")
    return value


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("results", nargs="+", metavar="RESULT.json", help="simulator result file(s)")
    p.add_argument("-o", "--output", metavar="FILE", help="output .png or .svg")
    p.add_argument("--title", help="figure title (default: scenario and network)")
    p.add_argument("--max-rows", type=max_rows_arg, default=DEFAULT_MAX_ROWS, metavar="N",
                   help=f"resources drawn per panel (default {DEFAULT_MAX_ROWS}, at most "
                        f"{MAX_ROWS_LIMIT}): the critical path, then the slowest")
    p.add_argument("--list-rows", action="store_true",
                   help="print the rows each panel would show and its footnote; draw nothing")
    common.add_mixed_option(p)
    args = p.parse_args()
    if not args.list_rows and not args.output:
        p.error("the following arguments are required: -o/--output (or --list-rows)")
    return args


# ---- per-resource times ---------------------------------------------------------------------

def times(res):
    return [res[k] for k in common.ALL_TIME_KEYS if res.get(k) is not None]


def start_of(res):
    """When the resource's row starts: queued, else request, else discovery, else its first time."""
    for key in ("queued_ms", "request_ms", "discovered_ms"):
        if res.get(key) is not None:
            return res[key]
    return min(times(res), default=math.inf)


def end_of(res):
    return max(times(res), default=-math.inf)


def is_preconnect(res):
    """A <link rel=preconnect> row: its url is an origin, nothing is fetched."""
    return res["type"] == "preconnect"


def ready_of(res):
    """When the page could use it (README: complete and discovered), else None. A preconnect
    is never what the page waits for (onload does not wait for it)."""
    if is_preconnect(res) or res["complete_ms"] is None or res["discovered_ms"] is None:
        return None
    return max(res["complete_ms"], res["discovered_ms"])


def is_cached(res):
    if is_preconnect(res):
        return False
    return res["from_cache"] or (res["request_ms"] is None and res["first_byte_ms"] is None
                                 and res["complete_ms"] is not None)


# ---- which rows to draw ---------------------------------------------------------------------

def critical_path(resources):
    """Indices of the resource ready last (page load) and its chain of parents, root first."""
    if not resources:
        return []
    ready = [(ready_of(r), i) for i, r in enumerate(resources) if ready_of(r) is not None]
    fetched = sum(not is_preconnect(r) for r in resources)
    if len(ready) < fetched:  # the page did not load: follow what ended last
        ready = [(end_of(r), i) for i, r in enumerate(resources) if times(r)]
    if not ready:
        return []
    last = max(ready)[1]
    by_url = {r["url"]: i for i, r in enumerate(resources)}
    chain, seen = [], set()
    i = last
    while i is not None and i not in seen:
        seen.add(i)
        chain.append(i)
        i = by_url.get(resources[i].get("parent"))
    return chain[::-1]


def select_rows(resources, max_rows):
    """(indices to draw in start order, indices of the critical path). The critical path
    comes first (its tail if it alone is longer than max_rows), then the slowest by start to
    end, ties broken by position in the file."""
    n = len(resources)
    order = sorted(range(n), key=lambda i: (start_of(resources[i]), i))
    if n <= max_rows:
        return order, critical_path(resources)
    path = critical_path(resources)[-max_rows:]
    chosen = set(path)
    durations = sorted(((end_of(resources[i]) - start_of(resources[i])
                         if times(resources[i]) else -math.inf, -i) for i in range(n)),
                       reverse=True)
    for _, neg_i in durations:
        if len(chosen) >= max_rows:
            break
        chosen.add(-neg_i)
    return [i for i in order if i in chosen], path


def fmt_bytes(n):
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} B"


def footnote(resources, shown):
    """'60 of 50,000 resources shown (critical path and slowest); the other 49,940: ...'."""
    shown_set = set(shown)
    hidden = [r for i, r in enumerate(resources) if i not in shown_set]
    if not hidden:
        return None
    status = {}
    for r in hidden:
        key = "from cache" if r["from_cache"] else r["status"]
        status[key] = status.get(key, 0) + 1
    parts = [f"{n:,} {k}" for k, n in sorted(status.items(), key=lambda kv: (-kv[1], kv[0]))]
    body = sum(r.get("body_bytes") or 0 for r in hidden)
    starts = [start_of(r) for r in hidden if times(r)]
    ends = [r["complete_ms"] for r in hidden if r["complete_ms"] is not None]
    text = (f"{len(shown):,} of {len(resources):,} resources shown (critical path and slowest); "
            f"the other {len(hidden):,}: {', '.join(parts)}; {fmt_bytes(body)} of bodies")
    if starts:
        first, last = min(starts), max(starts)
        text += (f"; queued at {first:,.0f} ms" if last - first < 0.5 else
                 f"; queued {first:,.0f}-{last:,.0f} ms")
    if ends:
        text += f", complete by {max(ends):,.0f} ms"
    return text


# ---- drawing --------------------------------------------------------------------------------

def font_size(rows):
    return 8 if rows <= 30 else 7 if rows <= 60 else 6 if rows <= 100 else 5


def short_url(url, limit=42):
    return url if len(url) <= limit else url[:14] + "…" + url[-(limit - 15):]


def host_of(origin):
    """'cdn.example.net' from 'http://cdn.example.net' (the port kept when there is one)."""
    return origin.split("://", 1)[-1].rstrip("/")


def is_multi_origin(result):
    """More than one origin in the result's summary, or rows on different origins."""
    origins = result.get("origins")
    if isinstance(origins, list) and len(origins) > 1:
        return True
    return len({r["origin"] for r in result["resources"] if r.get("origin")}) > 1


def row_label(res, by_host):
    """What a row is called: its url as the result gives it (a path on the document's origin,
    else absolute), or host + path when by_host; a preconnect by its host."""
    origin = res.get("origin") or (res["url"] if is_preconnect(res) else None)
    if is_preconnect(res):
        return "preconnect " + host_of(origin or res["url"])
    if not by_host or not origin:
        return res["url"]
    url = res["url"]
    if url.startswith("/"):
        return host_of(origin) + url
    return url.split("://", 1)[-1]  # absolute: the scheme dropped, host and path kept


def phase_bars(rows, resources):
    """{phase: ([row], [left], [width], [color], [hatched])} for the drawn rows."""
    bars = {p: ([], [], [], [], []) for p in ("queued", "dns", "connect", "tls", "wait",
                                              "download")}

    def add(phase, row, start, end, color, hatched=False):
        if start is None or end is None:
            return
        b = bars[phase]
        b[0].append(row)
        b[1].append(start)
        b[2].append(max(end - start, 0.5 if phase in ("wait", "download") else 0))
        b[3].append(color)
        b[4].append(hatched)

    for row, res in zip(rows, resources):
        if is_cached(res):
            continue
        color = common.TYPE_COLORS.get(res["type"], common.TYPE_COLORS["other"])
        queued = res.get("queued_ms", res["discovered_ms"])
        dns_start, dns_end = res.get("dns_start_ms"), res.get("dns_end_ms")
        connect_start, connect_end = res.get("connect_start_ms"), res.get("connect_end_ms")
        tls_start, tls_end = res.get("tls_start_ms"), res.get("tls_end_ms")
        req, fb, done = res["request_ms"], res["first_byte_ms"], res["complete_ms"]
        if queued is not None:
            first_phase = next((t for t in (dns_start, connect_start, tls_start, req)
                                if t is not None),
                               done if is_preconnect(res) else None)
            add("queued", row, queued, first_phase, common.PHASE_COLORS["queued"])
        add("dns", row, dns_start, dns_end, common.PHASE_COLORS["dns"])
        add("connect", row, connect_start, connect_end, common.PHASE_COLORS["connect"])
        add("tls", row, tls_start, tls_end, common.PHASE_COLORS["tls"])
        if is_preconnect(res):
            continue
        add("wait", row, req, fb if fb is not None else done, common.light(color), res["pushed"])
        add("download", row, fb, done, color, res["pushed"])
    return bars


def draw_rows(ax, resources, size):
    rows = range(len(resources))
    for phase, (y, left, width, color, hatched) in phase_bars(rows, resources).items():
        if not y:
            continue
        height = QUEUED_HEIGHT if phase == "queued" else BAR_HEIGHT
        plain = [k for k, h in enumerate(hatched) if not h]
        pushed = [k for k, h in enumerate(hatched) if h]
        for subset, style in ((plain, {}), (pushed, {"hatch": "////", "edgecolor": "0.15"})):
            if subset:
                ax.barh([y[k] for k in subset], [width[k] for k in subset],
                        left=[left[k] for k in subset], color=[color[k] for k in subset],
                        height=height, linewidth=0, **style)
    cached = [(res["complete_ms"], row) for row, res in zip(rows, resources) if is_cached(res)]
    if cached:
        colors = [common.TYPE_COLORS.get(resources[row]["type"], common.TYPE_COLORS["other"])
                  for _, row in cached]
        ax.scatter([c[0] for c in cached], [c[1] for c in cached], marker="D", c=colors,
                   edgecolors="black", linewidths=0.6, s=(size * 0.8) ** 2, zorder=3)
    # The parser's discovery, when a hint, preload or push fetched the resource earlier.
    late = [(res["discovered_ms"], row) for row, res in zip(rows, resources)
            if not is_cached(res) and res["discovered_ms"] is not None
            and res.get("queued_ms", res["request_ms"]) is not None
            and res["discovered_ms"] - res.get("queued_ms", res["request_ms"]) > 0.05]
    if late:
        ax.plot([d for d, _ in late], [r for _, r in late], "|", color="black", ms=size * 1.4,
                mew=1.2, ls="", zorder=3)
    for row, res in zip(rows, resources):
        if res["status"] not in ("complete", "ok") and times(res):
            last = max(times(res))
            ax.plot(last, row, "x", color="#d00000", ms=size, mew=1.5)
            ax.annotate(res["status"], (last, row), xytext=(size * 0.8, 0),
                        textcoords="offset points", va="center", fontsize=size, color="#d00000")


def draw_panel(ax, result, shown, positions, size, scenario_in_title):
    resources = [result["resources"][i] for i in shown]
    for row in range(1, len(resources), 2):
        ax.axhspan(row - 0.5, row + 0.5, color="0.95", zorder=0, linewidth=0)
    draw_rows(ax, resources, size)
    metrics = result["metrics"]
    if metrics["start_render_ms"] is not None:
        ax.axvline(metrics["start_render_ms"], **RENDER_LINE)
    if metrics["page_load_ms"] is not None:
        ax.axvline(metrics["page_load_ms"], **LOAD_LINE)
    if metrics.get("dom_content_loaded_ms") is not None:
        ax.axvline(metrics["dom_content_loaded_ms"], **DCL_LINE)
    ax.set_yticks(range(len(resources)))
    by_host = is_multi_origin(result)
    ax.set_yticklabels([f"{positions[i] + 1}. {short_url(row_label(r, by_host))}"
                        for i, r in zip(shown, resources)], fontsize=size)
    ax.set_ylim(len(resources) - 0.5, -0.5)
    ax.tick_params(axis="x", labelsize=8, labeltop=len(resources) > 40)
    ax.grid(axis="x", color="0.85", linewidth=0.6)
    ax.set_axisbelow(True)
    prefix = f"{result['scenario']} " if scenario_in_title else ""
    render, load = (common.fmt_ms(metrics[k]) for k in ("start_render_ms", "page_load_ms"))
    ax.set_title(f"{prefix}{result['mode']} - start render {render}, page load {load}", fontsize=10)


def legend_handles(results):
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    types = {r["type"] for res in results for r in res["resources"]}
    handles = [Patch(color=c, label=t) for t, c in common.TYPE_COLORS.items() if t in types]
    handles.append(Line2D([], [], color=common.PHASE_COLORS["queued"], lw=3, label="queued"))
    # Files written before DNS was recorded keep the legend they always had.
    if any("dns_start_ms" in r for res in results for r in res["resources"]):
        handles.append(Patch(color=common.PHASE_COLORS["dns"], label="dns"))
    handles.append(Patch(color=common.PHASE_COLORS["connect"], label="connect (TCP)"))
    # Likewise TLS: only files with an https connection (tls_start_ms) show it.
    if any("tls_start_ms" in r for res in results for r in res["resources"]):
        handles.append(Patch(color=common.PHASE_COLORS["tls"], label="tls (handshake)"))
    failed = "timeout / reset"
    if any(r["status"] == "tls_failed" for res in results for r in res["resources"]):
        failed += " / tls_failed"
    handles += [
        Patch(color=common.light("0.45"), label="wait (request → first byte)"),
        Patch(color="0.45", label="download (first byte → complete)"),
        Patch(facecolor="white", edgecolor="0.15", hatch="////", label="pushed"),
        Line2D([], [], marker="D", color="0.6", mec="black", ls="", label="from cache"),
        Line2D([], [], marker="|", color="black", ms=9, mew=1.2, ls="",
               label="found by the parser"),
        Line2D([], [], marker="x", color="#d00000", mew=1.5, ls="", label=failed),
        Line2D([], [], label="start render", **RENDER_LINE),
        Line2D([], [], label="DOMContentLoaded", **DCL_LINE),
        Line2D([], [], label="page load", **LOAD_LINE),
    ]
    return handles


def max_time(results):
    values = [end_of(r) for res in results for r in res["resources"] if times(r)]
    values += [res["metrics"][k] for res in results for k in ("start_render_ms", "page_load_ms")
               if res["metrics"][k] is not None]
    return max(values, default=1.0) or 1.0


def plan_panels(results, max_rows):
    """Per result: (rows to draw, {index: position in start order}, footnote or None)."""
    panels = []
    for result in results:
        resources = result["resources"]
        shown, _ = select_rows(resources, max_rows)
        if len(shown) < len(resources):
            order = sorted(range(len(resources)), key=lambda i: (start_of(resources[i]), i))
            positions = {i: p for p, i in enumerate(order)}
        else:
            positions = {i: p for p, i in enumerate(shown)}
        panels.append((shown, positions, footnote(resources, shown)))
    return panels


def build_figure(results, title, max_rows):
    import matplotlib.pyplot as plt
    panels = plan_panels(results, max_rows)
    rows = [max(len(shown), 1) for shown, _, _ in panels]
    size = font_size(max(rows))
    row_in = size * 1.75 / 72
    panel_in = [max(n * row_in, 1.0) for n in rows]
    handles = legend_handles(results)
    legend_in = 0.22 * math.ceil(len(handles) / 6) + 0.1
    notes = [f"{r['mode']}: {note}" if len(results) > 1 else note
             for r, (_, _, note) in zip(results, panels) if note]
    notes_in = 0.17 * len(notes) + 0.1 if notes else 0
    heights = [legend_in] + panel_in + ([notes_in] if notes else [])
    fig = plt.figure(figsize=(12, sum(heights) + 0.75 * len(results) + 0.9),
                     layout="constrained")
    grid = fig.add_gridspec(len(heights), 1, height_ratios=heights)
    legend_ax = fig.add_subplot(grid[0])
    legend_ax.axis("off")
    legend_ax.legend(handles=handles, loc="center", ncol=6, fontsize=8, frameon=False)
    axes = []
    several = len({r["scenario"] for r in results}) > 1
    for i, (result, (shown, positions, _)) in enumerate(zip(results, panels)):
        ax = fig.add_subplot(grid[i + 1], sharex=axes[0] if axes else None)
        draw_panel(ax, result, shown, positions, size, several)
        axes.append(ax)
    axes[0].set_xlim(0, max_time(results) * 1.07)
    axes[-1].set_xlabel("time since navigation start (ms)")
    if notes:
        note_ax = fig.add_subplot(grid[-1])
        note_ax.axis("off")
        note_ax.text(0, 1, "\n".join(notes), transform=note_ax.transAxes, va="top", ha="left",
                     fontsize=8, color="0.25")
    fig.supylabel("resource (in start order)", fontsize=9)
    fig.suptitle(title or common.figure_title(results), fontsize=12)
    return fig


def list_rows(results, max_rows):
    for result, (shown, positions, note) in zip(results, plan_panels(results, max_rows)):
        path = set(critical_path(result["resources"]))
        print(f"{result['mode']}: {len(shown):,} of {len(result['resources']):,} rows"
              " (* critical path)")
        for i in shown:
            res = result["resources"][i]
            mark = "*" if i in path else " "
            print(f"  {mark} {positions[i] + 1:>6}. {res['url']}")
        if note:
            print(f"  {note}")


def main():
    args = parse_args()
    if args.output:
        common.output_format(args.output)
    results = [common.load_result(path) for path in args.results]
    common.check_same_run(results, args.results, args.allow_mixed)
    order = common.ordered_modes([r["mode"] for r in results])
    results.sort(key=lambda r: order.index(r["mode"]))
    if args.list_rows:
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the listing quietly
        list_rows(results, args.max_rows)
        return
    fig = build_figure(results, args.title, args.max_rows)
    common.save_figure(fig, args.output)


if __name__ == "__main__":
    common.run(main)
