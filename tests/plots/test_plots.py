#!/usr/bin/python3
"""Tests for the chart scripts in plots/ (stdlib unittest, run as subprocesses).

Usage (from anywhere):
    /usr/bin/python3 tests/plots/test_plots.py [-v]

Fixtures live in tests/data/plots/: four results of a 4-resource page (h1 with
a timeout, h2-push with a pushed resource, a cached script everywhere; written
before phases, origins and DNS were recorded), a small runs.csv, and
multi-origin/h2.json, a hand-made result of a page on three origins with [dns]
and a preconnect row, and tls/h2.json, a hand-made https page whose one
connection has dns, connect and tls phases. A 150-resource result is generated
into a temp dir.
"""
import copy
import csv
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLOTS = os.path.join(REPO, "plots")
DATA = os.path.join(REPO, "tests", "data", "plots")
PYTHON = "/usr/bin/python3"
MODES = ["h1", "h2", "h2-push", "h2-hints"]
RESULTS = [os.path.join(DATA, m + ".json") for m in MODES]
RUNS = os.path.join(DATA, "runs.csv")
MULTI = os.path.join(DATA, "multi-origin", "h2.json")
TLS = os.path.join(DATA, "tls", "h2.json")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run(script, *args, cwd=None):
    cmd = [PYTHON, os.path.join(PLOTS, script), *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=300)


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    return struct.unpack(">II", head[16:24])


def huge_result(n):
    """A synthetic result of n resources with every phase: a document, then a tree of
    resources (each /r/i.bin referenced by /r/(i // 100).bin), some pushed, cached, reset."""
    types = ["style", "script", "image", "font", "other"]
    doc = {"url": "/index.html", "type": "document", "size": 10000, "render_blocking": True,
           "discovered_ms": 0.0, "queued_ms": 0.0, "connect_start_ms": 0.0,
           "connect_end_ms": 50.0, "request_ms": 50.0, "first_byte_ms": 100.0,
           "complete_ms": 120.0, "connection": 0, "stream_id": 1, "initiator": "parser",
           "parent": None, "pushed": False, "from_cache": False, "body_bytes": 10000,
           "status": "complete"}
    resources = [doc]
    for i in range(1, n):
        queued = 120.0 + i % 997
        request = queued + (i % 13) * 10
        res = dict(doc, url=f"/r/{i}.bin", type=types[i % 5], render_blocking=False,
                   discovered_ms=queued, queued_ms=queued, connect_start_ms=None,
                   connect_end_ms=None, request_ms=request, first_byte_ms=request + 50,
                   complete_ms=request + 60 + i % 101, stream_id=2 * i + 1,
                   parent="/index.html" if i < 100 else f"/r/{i // 100}.bin",
                   pushed=i % 211 == 0, body_bytes=1000)
        if i % 307 == 0:
            res.update(queued_ms=None, request_ms=None, first_byte_ms=None,
                       complete_ms=queued, from_cache=True, body_bytes=0)
        if i % 401 == 5:
            res.update(complete_ms=None, status="reset")
        resources.append(res)
    return {"scenario": "huge", "mode": "h2", "seed": 1,
            "network": {"rtt_ms": 50, "bandwidth_mbps": 10, "tcp": "cubic", "loss_rate": 0},
            "metrics": {"ttfb_ms": 100.0, "start_render_ms": 120.0, "page_load_ms": None},
            "timed_out": False, "resources": resources}


def import_waterfall():
    sys.path.insert(0, PLOTS)
    try:
        import waterfall
    finally:
        sys.path.remove(PLOTS)
    return waterfall


def big_result(n=150):
    """A result with n resources of every type, some pushed/cached/timed out."""
    with open(RESULTS[1], encoding="utf-8") as f:
        result = json.load(f)
    template = result["resources"][3]
    types = ["style", "script", "image", "font", "other"]
    resources = [result["resources"][0]]
    for i in range(n - 1):
        start = 412 + 7 * i
        res = dict(copy.deepcopy(template), url=f"/assets/dir-{i % 7}/resource-{i:03d}.bin",
                   type=types[i % 5], discovered_ms=start, request_ms=start + 3 * (i % 4),
                   first_byte_ms=start + 210, complete_ms=start + 260 + i % 50,
                   pushed=i % 23 == 0, stream_id=2 * i + 3)
        if i % 31 == 0:
            res.update(request_ms=None, first_byte_ms=None, complete_ms=start, from_cache=True)
        if i % 37 == 5:
            res.update(complete_ms=None, status="reset")
        resources.append(res)
    result["resources"] = resources
    return result


class PlotTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="plots-test-")
        self.addCleanup(shutil.rmtree, self.tmp)

    def out(self, name):
        return os.path.join(self.tmp, name)

    def assert_ok(self, proc, path):
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)
        with open(path, "rb") as f:
            data = f.read()
        if path.endswith(".png"):
            self.assertTrue(data.startswith(PNG_SIGNATURE), "not a PNG")
        else:
            self.assertIn(b"<svg", data[:2000])
        self.assertGreater(len(data), 1000)
        self.assertEqual([n for n in os.listdir(self.tmp) if n.startswith(".tmp")], [])

    def assert_bad(self, proc, output, *names):
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)
        for name in names:
            self.assertIn(name, proc.stderr)
        self.assertFalse(os.path.exists(output), "output written despite bad input")
        self.assertEqual([n for n in os.listdir(self.tmp) if n.startswith(".tmp")], [])

    def write_json(self, name, data):
        path = self.out(name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(data, f)
        return path


class WaterfallTest(PlotTestCase):
    def test_all_modes_png_and_svg(self):
        for name in ("modes.png", "modes.svg"):
            out = self.out(name)
            self.assert_ok(run("waterfall.py", *RESULTS, "-o", out, "--title", "x"), out)

    def test_single_result_from_other_cwd(self):
        out = self.out("h1.png")
        self.assert_ok(run("waterfall.py", RESULTS[0], "-o", out, cwd=self.tmp), out)

    def test_150_resources_grows_figure(self):
        big = self.write_json("big.json", big_result())
        small, tall = self.out("small.png"), self.out("big.png")
        self.assert_ok(run("waterfall.py", RESULTS[1], "-o", small), small)
        self.assert_ok(run("waterfall.py", big, "-o", tall), tall)
        self.assertGreater(png_size(tall)[1], 3 * png_size(small)[1])

    def test_50000_resources_draw_a_bounded_image_of_the_critical_path_and_slowest(self):
        # 2,500 resources used to make a 1200 x 30,613 px image, and above ~5,300 the
        # script crashed (Agg's 2^16-pixel limit); the rows are now capped.
        huge = self.write_json("huge.json", huge_result(50000))
        out = self.out("huge.png")
        self.assert_ok(run("waterfall.py", huge, "-o", out), out)
        width, height = png_size(out)
        # The same size as a page of exactly 60 rows: the height does not grow with the page.
        sixty = self.write_json("sixty.json", huge_result(60))
        out60 = self.out("sixty.png")
        self.assert_ok(run("waterfall.py", sixty, "-o", out60), out60)
        self.assertEqual(width, png_size(out60)[0])
        self.assertLessEqual(height, png_size(out60)[1] + 100)  # + the footnote's line
        self.assertLess(height, 2000)

    def test_rows_are_the_critical_path_then_the_slowest_in_start_order(self):
        waterfall = import_waterfall()
        resources = huge_result(50000)["resources"]
        shown, path = waterfall.select_rows(resources, 60)
        self.assertEqual(len(shown), 60)
        # The page did not load (resets): the path ends at what ended last, through its parents.
        last = max(range(len(resources)), key=lambda i: waterfall.end_of(resources[i]))
        self.assertEqual(path[-1], last)
        for parent, child in zip(path, path[1:]):
            self.assertEqual(resources[child]["parent"], resources[parent]["url"])
        self.assertEqual(resources[path[0]]["type"], "document")
        self.assertTrue(set(path) <= set(shown))
        starts = [waterfall.start_of(resources[i]) for i in shown]
        self.assertEqual(starts, sorted(starts))
        # Every row not on the path lasted at least as long as any resource not shown.
        duration = {i: waterfall.end_of(r) - waterfall.start_of(r) for i, r in enumerate(resources)}
        hidden_longest = max(d for i, d in duration.items() if i not in set(shown))
        for i in set(shown) - set(path):
            self.assertGreaterEqual(duration[i], hidden_longest)
        note = waterfall.footnote(resources, shown)
        self.assertTrue(note.startswith("60 of 50,000 resources shown (critical path and slowest)"),
                        note)
        hidden = [r for i, r in enumerate(resources) if i not in set(shown)]
        counts = {"complete": 0, "reset": 0, "from cache": 0}
        for r in hidden:
            counts["from cache" if r["from_cache"] else r["status"]] += 1
        for key, n in counts.items():
            self.assertIn(f"{n:,} {key}", note)

    def test_list_rows_prints_the_rows_and_the_footnote(self):
        huge = self.write_json("huge.json", huge_result(5000))
        proc = run("waterfall.py", huge, "--list-rows", "--max-rows", "25")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = proc.stdout.splitlines()
        self.assertEqual(lines[0], "h2: 25 of 5,000 rows (* critical path)")
        self.assertEqual(len(lines), 1 + 25 + 1)
        self.assertIn("25 of 5,000 resources shown", lines[-1])
        self.assertEqual([n for n in os.listdir(self.tmp) if n.endswith(".png")], [])

    def test_small_page_shows_every_row_and_no_footnote(self):
        waterfall = import_waterfall()
        resources = huge_result(60)["resources"]
        shown, _ = waterfall.select_rows(resources, 60)
        self.assertEqual(sorted(shown), list(range(60)))
        self.assertIsNone(waterfall.footnote(resources, shown))

    def test_bad_max_rows(self):
        out = self.out("x.png")
        for value in ("0", "-3", "many", "1001"):
            proc = run("waterfall.py", RESULTS[1], "-o", out, "--max-rows", value)
            self.assert_bad(proc, out, "--max-rows", value)

    def test_each_phase_has_its_own_bar(self):
        waterfall = import_waterfall()
        doc = huge_result(2)["resources"][0]
        bars = waterfall.phase_bars([0], [doc])
        # queued 0 -> 0 (connect starts at once), connect 0 -> 50, wait 50 -> 100,
        # download 100 -> 120.
        self.assertEqual(bars["connect"][1:3], ([0.0], [50.0]))
        self.assertEqual(bars["wait"][1:3], ([50.0], [50.0]))
        self.assertEqual(bars["download"][1:3], ([100.0], [20.0]))
        reused = dict(doc, queued_ms=10.0, connect_start_ms=None, connect_end_ms=None)
        bars = waterfall.phase_bars([0], [reused])
        self.assertEqual(bars["connect"][0], [])
        self.assertEqual(bars["queued"][1:3], ([10.0], [40.0]))

    def test_phase_key_of_the_wrong_type(self):
        data = huge_result(3)
        data["resources"][1]["connect_end_ms"] = "soon"
        bad, out = self.write_json("bad.json", data), self.out("bad.png")
        self.assert_bad(run("waterfall.py", bad, "-o", out), out, "bad.json",
                        "resources[1].connect_end_ms")

    def test_missing_key(self):
        with open(RESULTS[1], encoding="utf-8") as f:
            data = json.load(f)
        del data["metrics"]["page_load_ms"]
        bad, out = self.write_json("bad.json", data), self.out("bad.png")
        self.assert_bad(run("waterfall.py", bad, "-o", out), out, "bad.json", "page_load_ms")

    def test_missing_resource_key(self):
        with open(RESULTS[1], encoding="utf-8") as f:
            data = json.load(f)
        del data["resources"][2]["complete_ms"]
        bad, out = self.write_json("bad.json", data), self.out("bad.png")
        self.assert_bad(run("waterfall.py", bad, "-o", out), out, "bad.json",
                        "resources[2].complete_ms")

    def test_nonexistent_and_invalid_json(self):
        out = self.out("x.png")
        self.assert_bad(run("waterfall.py", self.out("nope.json"), "-o", out), out, "nope.json")
        broken = self.out("broken.json")
        with open(broken, "w", encoding="utf-8") as f:
            f.write('{"scenario": ')
        self.assert_bad(run("waterfall.py", broken, "-o", out), out, "broken.json", "invalid JSON")

    def test_bad_extension(self):
        out = self.out("chart.jpg")
        self.assert_bad(run("waterfall.py", RESULTS[0], "-o", out), out, "chart.jpg")


class MultiOriginWaterfallTest(PlotTestCase):
    """multi-origin/h2.json: [dns] with resolver_rtt_ms 20; www.example.com at 100 ms (dns_ms
    40), cdn.example.net at 20 ms (dns_ms 30), ads.thirdparty.test at 150 ms (dns_ms 60). The
    document: lookup 0-60 (20 + 40), connect 60-160, request 160, first byte 260. A preconnect
    to ads at 261: lookup 261-341 (20 + 60), connect 341-491 (150). style.css opens cdn's
    connection: lookup 262-312 (20 + 30), connect 312-332 (20); app.js reuses it; ads.js waits
    for the preconnected connection (request at 491, first byte 641)."""

    def load(self):
        with open(MULTI, encoding="utf-8") as f:
            return json.load(f)

    def test_png_and_svg(self):
        for name in ("multi.png", "multi.svg"):
            out = self.out(name)
            self.assert_ok(run("waterfall.py", MULTI, "-o", out), out)

    def test_rows_are_labelled_by_host_on_a_multi_origin_page(self):
        waterfall = import_waterfall()
        result = self.load()
        self.assertTrue(waterfall.is_multi_origin(result))
        labels = [waterfall.row_label(r, True) for r in result["resources"]]
        self.assertEqual(labels, ["www.example.com/index.html", "preconnect ads.thirdparty.test",
                                  "cdn.example.net/style.css", "cdn.example.net/app.js",
                                  "www.example.com/img/hero.jpg", "ads.thirdparty.test/ads.js"])

    def test_rows_differing_in_origin_are_enough_without_an_origins_summary(self):
        waterfall = import_waterfall()
        result = self.load()
        del result["origins"]
        self.assertTrue(waterfall.is_multi_origin(result))

    def test_a_one_origin_page_keeps_its_paths(self):
        waterfall = import_waterfall()
        result = self.load()
        result["origins"] = result["origins"][:1]
        result["resources"] = [r for r in result["resources"]
                               if r["origin"] == "http://www.example.com"]
        self.assertFalse(waterfall.is_multi_origin(result))
        self.assertEqual([waterfall.row_label(r, False) for r in result["resources"]],
                         ["/index.html", "/img/hero.jpg"])
        with open(RESULTS[1], encoding="utf-8") as f:
            old = json.load(f)  # written before origins: no "origin", no "origins"
        self.assertFalse(waterfall.is_multi_origin(old))
        self.assertEqual(waterfall.row_label(old["resources"][0], False), "/index.html")

    def test_dns_and_connect_have_their_own_bars_and_a_preconnect_no_fetch(self):
        waterfall = import_waterfall()
        resources = self.load()["resources"]
        bars = waterfall.phase_bars(range(len(resources)), resources)
        # Lookups: the document 0 -> 60, the preconnect (row 1) 261 -> 341 (80), style.css
        # (row 2) 262 -> 312 (50).
        self.assertEqual(bars["dns"][0], [0, 1, 2])
        self.assertEqual(bars["dns"][1:3], ([0.0, 261.0, 262.0], [60.0, 80.0, 50.0]))
        # Handshakes: 60 -> 160 (100), 341 -> 491 (150), 312 -> 332 (20).
        self.assertEqual(bars["connect"][1:3], ([60.0, 341.0, 312.0], [100.0, 150.0, 20.0]))
        # The preconnect has no wait or download bar; the five fetches have one each.
        self.assertNotIn(1, bars["wait"][0])
        self.assertNotIn(1, bars["download"][0])
        self.assertEqual(len(bars["wait"][0]), 5)
        # Queued ends where the first phase begins: the lookup (261 -> 261 for the preconnect),
        # else the request (app.js: 265 -> 332, ads.js: 270 -> 491).
        queued = dict(zip(bars["queued"][0], bars["queued"][2]))
        self.assertEqual((queued[1], queued[3], queued[5]), (0.0, 67.0, 221.0))

    def test_a_preconnect_is_neither_cached_nor_on_the_critical_path(self):
        waterfall = import_waterfall()
        resources = self.load()["resources"]
        self.assertFalse(waterfall.is_cached(resources[1]))
        # ads.js is ready last (650), through its parent the document.
        self.assertEqual(waterfall.critical_path(resources), [0, 5])

    def test_the_legend_gains_dns_only_for_files_that_record_it(self):
        waterfall = import_waterfall()
        labels = [h.get_label() for h in waterfall.legend_handles([self.load()])]
        self.assertIn("dns", labels)
        with open(RESULTS[1], encoding="utf-8") as f:
            old = json.load(f)
        self.assertNotIn("dns", [h.get_label() for h in waterfall.legend_handles([old])])

    def test_a_dns_time_of_the_wrong_type(self):
        data = self.load()
        data["resources"][2]["dns_end_ms"] = "later"
        bad, out = self.write_json("bad.json", data), self.out("bad.png")
        self.assert_bad(run("waterfall.py", bad, "-o", out), out, "bad.json",
                        "resources[2].dns_end_ms")


class TlsWaterfallTest(PlotTestCase):
    """tls/h2.json: one https origin at 100 ms RTT. The document: lookup 0-40, TCP handshake
    40-140 (one RTT), TLS handshake 140-240 (one more), request 240, first byte 340, complete
    350. style.css (345-455) and hero.jpg (346-480) reuse its connection: tls keys null."""

    def setUp(self):
        super().setUp()
        self.addCleanup(self.close_figures)

    @staticmethod
    def close_figures():
        import matplotlib.pyplot as plt
        plt.close("all")

    @staticmethod
    def load():
        with open(TLS, encoding="utf-8") as f:
            return json.load(f)

    @staticmethod
    def without_tls(result):
        """The result as a file written before TLS was recorded: no tls keys at all."""
        result = copy.deepcopy(result)
        for res in result["resources"]:
            for key in ("tls_start_ms", "tls_end_ms", "tls_error"):
                res.pop(key, None)
        return result

    @staticmethod
    def drawn(result):
        """(bars as (left, row, width, height, rgba), texts, 'x' marks) draw_rows puts on an
        axis for the result's resources."""
        import matplotlib.pyplot as plt
        waterfall = import_waterfall()
        fig, ax = plt.subplots()
        waterfall.draw_rows(ax, result["resources"], 8)
        bars = [(round(p.get_x(), 6), round(p.get_y() + p.get_height() / 2, 6),
                 round(p.get_width(), 6), round(p.get_height(), 6), p.get_facecolor())
                for p in ax.patches]
        texts = [(t.get_text(), t.xy) for t in ax.texts]
        marks = [(tuple(line.get_xdata()), tuple(line.get_ydata())) for line in ax.lines
                 if line.get_marker() == "x"]
        plt.close(fig)
        return bars, texts, marks

    def test_png_and_svg(self):
        for name in ("tls.png", "tls.svg"):
            out = self.out(name)
            self.assert_ok(run("waterfall.py", TLS, "-o", out), out)

    def test_tls_has_its_own_bar_between_connect_and_the_request(self):
        waterfall = import_waterfall()
        resources = self.load()["resources"]
        bars = waterfall.phase_bars(range(len(resources)), resources)
        # Only the document opened the connection: handshake 140 -> 240 (100), right after
        # connect 40 -> 140 (100) and before its wait 240 -> 340 (100).
        self.assertEqual(bars["tls"][0], [0])
        self.assertEqual(bars["tls"][1:4], ([140.0], [100.0], ["#cf25df"]))
        self.assertEqual(bars["connect"][1:3], ([40.0], [100.0]))
        self.assertEqual(bars["wait"][1][0], 240.0)
        # The children reuse it (tls keys null): no tls bar, queued runs to the request.
        self.assertEqual(bars["queued"][2], [0.0, 0.0, 0.0])

    def test_the_tls_bar_is_drawn_on_the_axis_in_its_own_colour(self):
        import matplotlib.colors as mcolors
        bars, _, _ = self.drawn(self.load())
        tls = [b for b in bars if b[4] == mcolors.to_rgba("#cf25df")]
        # One full-height (0.7) bar on row 0 from 140, 100 wide.
        self.assertEqual([b[:4] for b in tls], [(140.0, 0.0, 100.0, 0.7)])
        others = {b[4] for b in bars} - {mcolors.to_rgba("#cf25df")}
        for phase in ("queued", "dns", "connect"):
            self.assertIn(mcolors.to_rgba(common_module().PHASE_COLORS[phase]), others)

    def test_tls_colour_differs_from_every_other_phase_and_type_colour(self):
        import matplotlib.colors as mcolors
        common = common_module()
        tls = mcolors.to_rgb(common.PHASE_COLORS["tls"])
        others = [c for p, c in common.PHASE_COLORS.items() if p != "tls"]
        others += list(common.TYPE_COLORS.values())
        others += [common.light(c) for c in common.TYPE_COLORS.values()]
        for color in others:
            self.assertNotEqual(tls, mcolors.to_rgb(color), color)

    def test_the_legend_gains_tls_only_for_files_that_record_it(self):
        waterfall = import_waterfall()
        labels = [h.get_label() for h in waterfall.legend_handles([self.load()])]
        self.assertEqual(labels.index("tls (handshake)"), labels.index("connect (TCP)") + 1)
        self.assertIn("timeout / reset", labels)
        with open(MULTI, encoding="utf-8") as f:
            multi = json.load(f)
        for old in (self.without_tls(self.load()), multi):
            labels = [h.get_label() for h in waterfall.legend_handles([old])]
            self.assertNotIn("tls (handshake)", labels)
            self.assertIn("timeout / reset", labels)

    def test_a_result_without_tls_keys_draws_as_before(self):
        import matplotlib.colors as mcolors
        waterfall = import_waterfall()
        result = self.load()
        with_tls, _, _ = self.drawn(result)
        without, _, _ = self.drawn(self.without_tls(result))
        # The same bars, less the one tls bar: the tls keys add a bar and change nothing else.
        self.assertEqual(without, [b for b in with_tls if b[4] != mcolors.to_rgba("#cf25df")])
        self.assertEqual(len(without), len(with_tls) - 1)
        # Files written before TLS: no tls bar, and null tls keys are the same as none.
        for path in RESULTS + [MULTI]:
            with open(path, encoding="utf-8") as f:
                old = json.load(f)
            bars = waterfall.phase_bars(range(len(old["resources"])), old["resources"])
            self.assertEqual(bars["tls"], ([], [], [], [], []), path)
            nulls = copy.deepcopy(old)
            for res in nulls["resources"]:
                res.update(tls_start_ms=None, tls_end_ms=None)
            self.assertEqual(self.drawn(nulls), self.drawn(old), path)

    def failed_result(self):
        """The document's TLS handshake failed at 240 (a certificate for another name): no
        request, nothing else fetched, the page never loaded."""
        result = self.load()
        doc = result["resources"][0]
        doc.update(status="tls_failed", tls_error="certificate name mismatch",
                   request_ms=None, first_byte_ms=None, complete_ms=None, body_bytes=0)
        result["resources"] = [doc]
        result["metrics"].update(ttfb_ms=None, start_render_ms=None, page_load_ms=None)
        return result

    def test_a_failed_handshake_is_marked_like_a_timeout_or_reset(self):
        waterfall = import_waterfall()
        result = self.failed_result()
        bars, texts, marks = self.drawn(result)
        # Its lookup, connect and handshake are drawn; the red x and the status sit at its
        # last time, the handshake's end (240), on row 0.
        self.assertEqual(len(bars), 4)  # queued (0 wide), dns, connect, tls
        self.assertEqual(marks, [((240.0,), (0,))])
        self.assertEqual(texts, [("tls_failed", (240.0, 0))])
        labels = [h.get_label() for h in waterfall.legend_handles([result])]
        self.assertIn("timeout / reset / tls_failed", labels)
        path = self.write_json("failed.json", result)
        out = self.out("failed.png")
        self.assert_ok(run("waterfall.py", path, "-o", out), out)

    def test_a_tls_time_or_error_of_the_wrong_type(self):
        for key, value in (("tls_end_ms", "later"), ("tls_error", 42)):
            data = self.failed_result()
            data["resources"][0][key] = value
            bad, out = self.write_json("bad.json", data), self.out("bad.png")
            self.assert_bad(run("waterfall.py", bad, "-o", out), out, "bad.json",
                            f"resources[0].{key}")


def common_module():
    sys.path.insert(0, PLOTS)
    try:
        import common
    finally:
        sys.path.remove(PLOTS)
    return common


class CompareTest(PlotTestCase):
    def test_png_and_svg(self):
        for name in ("compare.png", "compare.svg"):
            out = self.out(name)
            self.assert_ok(run("compare.py", DATA, "-o", out), out)

    def test_skips_non_result_json(self):
        for path in RESULTS:
            shutil.copy(path, self.tmp)
        self.write_json("scenario.json", {"name": "seed-200ms", "network": {}})
        out = self.out("compare.png")
        self.assert_ok(run("compare.py", self.tmp, "-o", out, "--title", "t"), out)

    def test_missing_key_and_dir(self):
        with open(RESULTS[0], encoding="utf-8") as f:
            data = json.load(f)
        del data["metrics"]["ttfb_ms"]
        self.write_json("h1.json", data)
        out = self.out("compare.png")
        self.assert_bad(run("compare.py", self.tmp, "-o", out), out, "h1.json", "ttfb_ms")
        missing = self.out("no-such-dir")
        self.assert_bad(run("compare.py", missing, "-o", out), out, "no-such-dir")

    def test_empty_dir(self):
        out = self.out("compare.png")
        self.assert_bad(run("compare.py", self.tmp, "-o", out), out, self.tmp)


class MixedRunsTest(PlotTestCase):
    """Results of different runs in one directory (issue: one mode re-run at 300 ms RTT beside
    three at 50 ms, titled "50 ms RTT")."""

    def copy_results(self, change=None):
        """The four fixture results, as written by one run, into self.tmp; change(mode, data)
        may alter one before it is written."""
        paths = []
        for mode, path in zip(MODES, RESULTS):
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            data["run"] = {"overrides": [], "scenario_fnv1a": "1f66ec8776ab0190"}
            if change:
                change(mode, data)
            paths.append(self.write_json(mode + ".json", data))
        return paths

    @staticmethod
    def rerun_h2_at_300ms(mode, data):
        if mode == "h2":
            data["network"]["rtt_ms"] = 300
            data["run"]["overrides"] = ["network.rtt_ms=300"]

    def test_results_of_one_run_plot(self):
        self.copy_results()
        out = self.out("compare.png")
        self.assert_ok(run("compare.py", self.tmp, "-o", out), out)

    def test_compare_refuses_a_mode_rerun_with_other_settings_naming_what_differs(self):
        self.copy_results(self.rerun_h2_at_300ms)
        out = self.out("compare.png")
        proc = run("compare.py", self.tmp, "-o", out)
        self.assert_bad(proc, out, "results of different runs", "h2.json network.rtt_ms=300",
                        "rtt_ms: h1.json 200, h2.json 300", "--allow-mixed")

    def test_compare_refuses_other_seed_other_scenario_file_or_a_file_without_run(self):
        changes = {
            "seed": lambda m, d: d.update(seed=2) if m == "h1" else None,
            "scenario file": lambda m, d: d["run"].update(scenario_fnv1a="0" * 16)
            if m == "h2-push" else None,
            "--set": lambda m, d: d.pop("run") if m == "h2-hints" else None,
        }
        for setting, change in changes.items():
            with self.subTest(setting):
                self.copy_results(change)
                out = self.out("compare.png")
                self.assert_bad(run("compare.py", self.tmp, "-o", out), out, setting + ":")

    def test_allow_mixed_plots_them_labelled_and_titled_from_their_networks(self):
        self.copy_results(self.rerun_h2_at_300ms)
        out = self.out("compare.png")
        self.assert_ok(run("compare.py", self.tmp, "-o", out, "--allow-mixed"), out)
        sys.path.insert(0, PLOTS)
        import common
        results = [common.load_result(self.out(m + ".json")) for m in MODES]
        labels = common.setting_labels(results)
        self.assertIn("rtt_ms 300", labels[1])
        self.assertIn("rtt_ms 200", labels[0])
        title = common.figure_title(results, per_result=False)
        self.assertNotIn("RTT", title.split(";")[0])  # no single RTT claimed for all
        self.assertIn("mixed runs", title)
        self.assertIn("10 Mbit/s", title)
        one_run = [common.load_result(p) for p in RESULTS]
        self.assertEqual(common.setting_labels(one_run), ["", "", "", ""])
        self.assertIn("200 ms RTT", common.figure_title(one_run))

    def test_waterfall_refuses_them_too_unless_allow_mixed(self):
        paths = self.copy_results(self.rerun_h2_at_300ms)
        out = self.out("waterfall.png")
        self.assert_bad(run("waterfall.py", *paths, "-o", out), out, "rtt_ms")
        self.assert_ok(run("waterfall.py", *paths, "-o", out, "--allow-mixed"), out)


class SweepTest(PlotTestCase):
    def test_png_and_svg(self):
        for name in ("sweep.png", "sweep.svg"):
            out = self.out(name)
            proc = run("sweep.py", RUNS, "--x", "network.rtt_ms", "--y", "page_load_ms", "-o", out)
            self.assert_ok(proc, out)

    def test_facet_and_log_x(self):
        out = self.out("facet.png")
        proc = run("sweep.py", RUNS, "--x", "network.rtt_ms", "--y", "start_render_ms",
                   "--facet", "seed", "--log-x", "-o", out)
        self.assert_ok(proc, out)

    def test_unknown_column(self):
        out = self.out("sweep.png")
        proc = run("sweep.py", RUNS, "--x", "network.rtt", "--y", "page_load_ms", "-o", out)
        self.assert_bad(proc, out, "runs.csv", "network.rtt'", "network.rtt_ms")
        proc = run("sweep.py", RUNS, "--x", "network.rtt_ms", "--y", "page_load_ms",
                   "--facet", "client.cache", "-o", out)
        self.assert_bad(proc, out, "client.cache")

    def test_nonexistent_csv(self):
        out = self.out("sweep.png")
        proc = run("sweep.py", self.out("runs.csv"), "--x", "a", "--y", "b", "-o", out)
        self.assert_bad(proc, out, "runs.csv")

    def test_sweep_json_beside_the_csv_titles_the_chart_and_a_broken_one_is_ignored(self):
        csv_copy = self.out("runs.csv")
        shutil.copy(RUNS, csv_copy)
        meta = {"scenario": "seed-200ms", "axes": [{"key": "network.rtt_ms", "values": []}],
                "network": {"rtt_ms": 200, "bandwidth_mbps": 10, "tcp": "cubic",
                            "loss_rate": 0.005}}
        for content in (json.dumps(meta), "{not json", json.dumps({"network": 3})):
            with open(self.out("sweep.json"), "w", encoding="utf-8") as f:
                f.write(content)
            out = self.out("titled.png")
            proc = run("sweep.py", csv_copy, "--x", "network.rtt_ms", "--y", "page_load_ms",
                       "-o", out)
            self.assert_ok(proc, out)

    def test_fixture_has_one_failed_row(self):
        with open(RUNS, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(len(rows), 16)
        self.assertEqual(sum(r["status"] == "failed" for r in rows), 1)


def load_sweep_module():
    """plots/sweep.py as a module, to look inside the figure it makes."""
    sys.path.insert(0, PLOTS)
    try:
        import sweep  # noqa: E402
    finally:
        sys.path.remove(PLOTS)
    return sweep


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


class SweepStatisticsTest(PlotTestCase):
    """What sweep.py draws: medians, bands, slices, panels and a footnote that fits."""

    HEADER = ["network.loss_rate", "network.rtt_ms", "mode", "seed", "status", "page_load_ms"]

    def setUp(self):
        super().setUp()
        self.sweep = load_sweep_module()
        self.addCleanup(self.close_figures)

    @staticmethod
    def close_figures():
        import matplotlib.pyplot as plt
        plt.close("all")

    def figure(self, csv_path, *args):
        parsed = self.sweep.parse_args([csv_path, "-o", self.out("unused.png"), *args])
        return self.sweep.make_figure(parsed)

    def lossy_csv(self):
        """Two loss rates x two RTTs, five seeds each; one seed per point is far slower."""
        rows = []
        for loss in ("0.0", "0.02"):
            for rtt in (50, 100):
                base = 2 * rtt + (1000 if loss == "0.02" else 0)
                for seed, extra in enumerate([0, 10, 20, 30, 5000], start=1):
                    rows.append([loss, rtt, "h2", seed, "ok", base + extra])
        return write_csv(self.out("runs.csv"), self.HEADER, rows)

    @staticmethod
    def footnote(fig):
        """The supxlabel artist (Figure.get_supxlabel is matplotlib >= 3.8; Debian 12 has 3.6)."""
        return fig.get_supxlabel() if hasattr(fig, "get_supxlabel") else fig._supxlabel

    @staticmethod
    def line_of(ax, mode):
        return next(line for line in ax.lines if line.get_label() == mode)

    def test_a_point_is_the_median_so_one_slow_seed_does_not_move_it(self):
        fig = self.figure(self.lossy_csv(), "--x", "network.rtt_ms", "--y", "page_load_ms",
                          "--where", "network.loss_rate=0")
        ys = list(self.line_of(fig.axes[0], "h2").get_ydata())
        self.assertEqual(ys, [2 * 50 + 20, 2 * 100 + 20])  # the middle of 0, 10, 20, 30, 5000

    def test_the_iqr_band_spans_the_quartiles_and_the_default_band_min_to_max(self):
        csv_path = self.lossy_csv()
        for band, (lo, hi) in (("iqr", (10, 30)), ("minmax", (0, 5000))):
            fig = self.figure(csv_path, "--x", "network.rtt_ms", "--y", "page_load_ms",
                              "--where", "network.loss_rate=0", "--band", band)
            ax = fig.axes[0]
            self.assertEqual(len(ax.collections), 1, band)
            ys = ax.collections[0].get_paths()[0].vertices[:, 1]
            self.assertAlmostEqual(min(ys), 2 * 50 + lo, msg=band)
            self.assertAlmostEqual(max(ys), 2 * 100 + hi, msg=band)
        fig = self.figure(csv_path, "--x", "network.rtt_ms", "--y", "page_load_ms",
                          "--band", "none")
        self.assertEqual(len(fig.axes[0].collections), 0)

    def test_the_footnote_names_the_pooled_axis_the_slice_and_the_runs_per_point(self):
        csv_path = self.lossy_csv()
        pooled = self.figure(csv_path, "--x", "network.rtt_ms", "--y", "page_load_ms")
        note = self.footnote(pooled).get_text().replace("\n", " ").replace("\u00a0", " ")
        self.assertIn("median of 10 runs", note)
        self.assertIn("pooled over network.loss_rate (2 values)", note)
        sliced = self.figure(csv_path, "--x", "network.rtt_ms", "--y", "page_load_ms",
                             "--where", "network.loss_rate=0.02")
        note = self.footnote(sliced).get_text().replace("\n", " ")
        self.assertIn("median of 5 runs", note)
        self.assertIn("only network.loss_rate = 0.02", note)
        self.assertNotIn("pooled", note)
        self.assertEqual(list(self.line_of(sliced.axes[0], "h2").get_ydata()),
                         [2 * 50 + 1020, 2 * 100 + 1020])

    def test_row_and_facet_make_a_grid_of_panels(self):
        fig = self.figure(self.lossy_csv(), "--x", "seed", "--y", "page_load_ms",
                          "--facet", "network.rtt_ms", "--row", "network.loss_rate")
        panels = [ax for ax in fig.axes if ax.get_visible() and ax.get_title()]
        self.assertEqual(sorted(ax.get_title() for ax in panels),
                         [f"network.loss_rate = {loss}, network.rtt_ms = {rtt}"
                          for loss in ("0.0", "0.02") for rtt in (100, 50)])
        self.assertNotIn("pooled", self.footnote(fig).get_text())

    def test_the_footnote_fits_in_the_figure_however_many_axes_are_pooled(self):
        axes = [f"server.a_rather_long_axis_name_number_{i}_ms" for i in range(10)]
        rows = [[*(str((i >> k) & 1) for k in range(10)), rtt, "h2", 1, "ok", 100 + i]
                for i in range(1024) for rtt in (50, 100)]
        csv_path = write_csv(self.out("many.csv"), [*axes, "network.rtt_ms", "mode", "seed",
                                                    "status", "page_load_ms"], rows)
        fig = self.figure(csv_path, "--x", "network.rtt_ms", "--y", "page_load_ms")
        fig.canvas.draw()
        box = self.footnote(fig).get_window_extent()
        self.assertGreaterEqual(box.x0, 0)
        self.assertLessEqual(box.x1, fig.bbox.width)
        self.assertGreaterEqual(box.y0, 0)
        text = self.footnote(fig).get_text()
        for axis in axes:
            self.assertIn(axis, text)

    def test_a_bad_where_is_refused_naming_the_column_or_the_values(self):
        csv_path, out = self.lossy_csv(), self.out("sweep.png")
        base = [csv_path, "--x", "network.rtt_ms", "--y", "page_load_ms", "-o", out]
        self.assert_bad(run("sweep.py", *base, "--where", "network.loss=0"), out,
                        "no column 'network.loss'")
        self.assert_bad(run("sweep.py", *base, "--where", "network.loss_rate=0.5"), out,
                        "no run has network.loss_rate = 0.5", "0.0, 0.02")
        self.assert_bad(run("sweep.py", *base, "--where", "network.loss_rate"), out,
                        "expected COLUMN=VALUE")

    def test_the_legend_lists_every_mode_even_when_a_panel_lacks_one(self):
        rows = [[0, 50, mode, 1, "ok", 100] for mode in ("h1", "h2")]
        rows.append([1, 50, "h1", 1, "ok", 100])  # the last panel has h1 only
        csv_path = write_csv(self.out("runs.csv"), self.HEADER, rows)
        fig = self.figure(csv_path, "--x", "network.rtt_ms", "--y", "page_load_ms",
                          "--facet", "network.loss_rate")
        legend = next(ax.get_legend() for ax in fig.axes if ax.get_legend())
        self.assertEqual([t.get_text() for t in legend.get_texts()], ["h1", "h2"])


class HelpTest(unittest.TestCase):
    def test_help(self):
        for script in ("waterfall.py", "compare.py", "sweep.py"):
            proc = run(script, "--help")
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertIn("usage:", proc.stdout)


if __name__ == "__main__":
    if not os.path.exists(PYTHON):
        sys.exit(f"{PYTHON} not found (tests need Debian's python3 with matplotlib)")
    unittest.main()
