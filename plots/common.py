"""Shared helpers for the waterfall chart scripts (not run directly).

    import os, sys
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import common
    common.run(main)          # InputError -> one-line message on stderr, exit 2

Holds the mode order and colors, the resource type colors, result-file loading
and validation, and an atomic figure save (temp file in the target directory,
then os.replace).
"""
import json
import os
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors  # noqa: E402

MODE_ORDER = ["h1", "h2", "h2-push", "h2-hints"]
MODE_COLORS = {"h1": "#4c72b0", "h2": "#dd8452", "h2-push": "#55a868", "h2-hints": "#c44e52"}
EXTRA_COLORS = ["#8172b3", "#937860", "#da8bc3", "#8c8c8c", "#ccb974", "#64b5cd"]

TYPE_COLORS = {
    "document": "#3b73b9", "style": "#44a047", "script": "#f0a020",
    "image": "#9c5fb5", "font": "#d6404a", "other": "#8c8c8c",
}

# The phases of a fetch (README, "Results"): queued, dns, connect, tls, wait, download. Wait and
# download are drawn in the resource type's colour (light / full). DNS is a dark teal, as
# WebPageTest draws it (its waterfall legend: "DNS Lookup" teal, "Initial Connection" orange);
# connect keeps its cyan, since orange is the script type's colour here. TLS is WebPageTest's
# "SSL Negotiation" magenta, rgb(207, 37, 223) (catchpoint/WebPageTest www/contentColors.inc,
# classic colours), the farthest of the purples tried from the image type's #9c5fb5.
PHASE_COLORS = {"queued": "#a8a8a8", "dns": "#11737a", "connect": "#17becf", "tls": "#cf25df"}

NETWORK_KEYS = ["rtt_ms", "bandwidth_mbps", "tcp", "loss_rate"]
METRIC_KEYS = ["ttfb_ms", "start_render_ms", "page_load_ms"]
TIME_KEYS = ["discovered_ms", "request_ms", "first_byte_ms", "complete_ms"]
# Checked when present: result files written before the phases (or, later, the DNS lookups of
# multi-origin pages, or the TLS handshakes of https origins) were recorded lack them, and an
# http connection never has the tls ones.
PHASE_KEYS = ["queued_ms", "dns_start_ms", "dns_end_ms", "connect_start_ms", "connect_end_ms",
              "tls_start_ms", "tls_end_ms"]
ALL_TIME_KEYS = ["discovered_ms", "queued_ms", "dns_start_ms", "dns_end_ms", "connect_start_ms",
                 "connect_end_ms", "tls_start_ms", "tls_end_ms", "request_ms", "first_byte_ms",
                 "complete_ms"]
RESOURCE_KEYS = ["url", "type", "pushed", "from_cache", "status"] + TIME_KEYS
FORMATS = ("png", "svg")


class InputError(Exception):
    """Bad input; the message names the file and the problem."""


def run(main):
    """Call main(); turn InputError into 'prog: error: msg' and exit 2."""
    prog = os.path.basename(sys.argv[0])
    try:
        main()
    except InputError as err:
        print(f"{prog}: error: {err}", file=sys.stderr)
        sys.exit(2)
    sys.exit(0)


def ordered_modes(modes):
    """Known modes in MODE_ORDER, then any others alphabetically."""
    known = [m for m in MODE_ORDER if m in modes]
    return known + sorted(set(modes) - set(MODE_ORDER))


def mode_colors(modes):
    """Fixed colors for known modes, a fallback palette for the rest."""
    extras = iter(EXTRA_COLORS * 10)
    return {m: MODE_COLORS.get(m) or next(extras) for m in ordered_modes(modes)}


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except json.JSONDecodeError as err:
        raise InputError(f"{path}: invalid JSON ({err.msg} at line {err.lineno})") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read ({err})") from None


def looks_like_result(data):
    return isinstance(data, dict) and "mode" in data and "metrics" in data


def _require(obj, keys, where, path):
    if not isinstance(obj, dict):
        raise InputError(f"{path}: '{where or 'top level'}' is not an object")
    for key in keys:
        if key not in obj:
            raise InputError(f"{path}: missing key '{where + '.' if where else ''}{key}'")


def _require_times(obj, keys, where, path):
    for key in keys:
        if key not in obj:  # optional keys; required ones were checked by _require
            continue
        value = obj[key]
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise InputError(f"{path}: '{where}.{key}' is not a number or null")


def validate_result(data, path):
    """Check the keys the scripts use; raise InputError naming file and key."""
    _require(data, ["scenario", "mode", "network", "metrics", "resources"], "", path)
    _require(data["network"], NETWORK_KEYS, "network", path)
    _require(data["metrics"], METRIC_KEYS, "metrics", path)
    _require_times(data["metrics"], METRIC_KEYS, "metrics", path)
    if not isinstance(data["resources"], list):
        raise InputError(f"{path}: 'resources' is not a list")
    for i, res in enumerate(data["resources"]):
        _require(res, RESOURCE_KEYS, f"resources[{i}]", path)
        _require_times(res, TIME_KEYS + PHASE_KEYS, f"resources[{i}]", path)
        for key in ("parent", "origin", "tls_error"):
            value = res.get(key)
            if value is not None and not isinstance(value, str):
                raise InputError(f"{path}: 'resources[{i}].{key}' is not a string or null")
    origins = data.get("origins")
    if origins is not None and not isinstance(origins, list):
        raise InputError(f"{path}: 'origins' is not a list")
    return data


def load_result(path):
    return validate_result(load_json(path), path)


def describe_rtt(net, origins=None):
    """'200 ms RTT', or for a page on origins at different distances '3 origins, 20-150 ms
    RTT' (the result's "origins" array)."""
    rtts = sorted({o.get("rtt_ms") for o in origins or [] if isinstance(o, dict)} - {None})
    if len(origins or []) > 1 and len(rtts) > 1:
        return f"{len(origins)} origins, {rtts[0]:g}-{rtts[-1]:g} ms RTT"
    return f"{net['rtt_ms']:g} ms RTT"


def describe_network(net, origins=None):
    """'200 ms RTT, 10 Mbit/s, cubic, loss 0%' (down/up when they differ)."""
    bw = f"{net['bandwidth_mbps']:g}"
    up = net.get("uplink_mbps")
    if up is not None and up != net["bandwidth_mbps"]:
        bw += f"/{up:g}"
    loss = 100 * (net["loss_rate"] or 0)
    return f"{describe_rtt(net, origins)}, {bw} Mbit/s, {net['tcp']}, loss {loss:g}%"


def run_settings(result):
    """What a result was run with, flat: scenario, seed, --set list, scenario file hash
    ("run" object; None when the file predates it) and each network value."""
    run = result.get("run") if isinstance(result.get("run"), dict) else {}
    settings = {
        "scenario": result["scenario"],
        "seed": result.get("seed"),
        "--set": " ".join(run.get("overrides") or []) if "overrides" in run else None,
        "scenario file": run.get("scenario_fnv1a"),
    }
    for key, value in result["network"].items():
        settings[key] = value
    return settings


def _shown(value):
    if value is None:
        return "unknown"
    if value == "":
        return "none"
    return f"{value:g}" if isinstance(value, float) else str(value)


def differing_settings(results):
    """{setting: [value per result]} for the settings on which the results disagree."""
    per_result = [run_settings(r) for r in results]
    keys = list(dict.fromkeys(k for s in per_result for k in s))
    return {k: [s.get(k) for s in per_result] for k in keys
            if len({repr(s.get(k)) for s in per_result}) > 1}


def check_same_run(results, paths, allow_mixed=False):
    """Raise InputError unless the results come from one run of one scenario (same scenario
    file, --set list, seed and network), or allow_mixed. Returns the differing settings."""
    differ = differing_settings(results)
    if differ and not allow_mixed:
        details = "; ".join(
            f"{key}: " + ", ".join(f"{os.path.basename(p)} {_shown(v)}"
                                   for p, v in zip(paths, values))
            for key, values in differ.items())
        raise InputError(f"{os.path.dirname(paths[0]) or '.'}: results of different runs "
                         f"({details}); re-run all modes together, or pass --allow-mixed")
    return differ


def setting_labels(results):
    """Per result, its values of the settings on which the results differ ('' if none)."""
    differ = differing_settings(results)
    return [", ".join(f"{key} {_shown(values[i])}" for key, values in differ.items())
            for i in range(len(results))]


def add_mixed_option(parser):
    parser.add_argument("--allow-mixed", action="store_true",
                        help="plot results of different runs (other --set, seed, scenario "
                             "file or network) together; labels show what differs")


def figure_title(results, per_result=True):
    """'scenario - network' from the results. Results of different runs (--allow-mixed):
    'scenario - mixed runs', the network values they share, and with per_result what each
    result differs in ('h1: rtt_ms 50; h2: rtt_ms 300')."""
    scenarios = " / ".join(dict.fromkeys(str(r["scenario"]) for r in results))
    if not differing_settings(results):
        return f"{scenarios} - {describe_network(results[0]['network'], results[0].get('origins'))}"
    nets = [r["network"] for r in results]
    same = [k for k in NETWORK_KEYS if all(n.get(k) == nets[0].get(k) for n in nets)]
    origins = results[0].get("origins")
    parts = {"rtt_ms": lambda v: describe_rtt(nets[0], origins),
             "bandwidth_mbps": lambda v: f"{v:g} Mbit/s",
             "tcp": str, "loss_rate": lambda v: f"loss {100 * (v or 0):g}%"}
    title = f"{scenarios} - mixed runs"
    if same:
        title += "; all " + ", ".join(parts[k](nets[0][k]) for k in same)
    if per_result:
        title += "\n" + "; ".join(f"{r['mode']}: {label}"
                                  for r, label in zip(results, setting_labels(results)))
    return title


def light(color):
    """A pale version of color (the wait phase of a resource of that type)."""
    rgb = mcolors.to_rgb(color)
    return tuple(0.55 + 0.45 * c for c in rgb)


def fmt_ms(value):
    return "n/a" if value is None else f"{value:.0f} ms"


def output_format(path):
    """'png' or 'svg' from the -o extension; anything else is an InputError."""
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext not in FORMATS:
        raise InputError(f"{path}: output must end in .png or .svg")
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise InputError(f"{path}: directory {directory} does not exist")
    return ext


def save_figure(fig, path):
    """Write fig to a temp file next to path, then os.replace it into place."""
    fmt = output_format(path)
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix="." + fmt)
    except OSError as err:
        raise InputError(f"{path}: cannot write ({err.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            fig.savefig(f, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
