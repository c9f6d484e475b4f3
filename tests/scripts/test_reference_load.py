"""scripts/reference-load on the seed page over loopback: Chromium loads every resource the
scenario declares, over the protocol the mode asks for, and DOMContentLoaded comes no later than
load. Exit 77 (ctest SKIP_RETURN_CODE) when chromium or apache2 is absent.

    test_reference_load.py WATERFALL_BINARY SOURCE_DIR
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def main():
    waterfall, source = sys.argv[1], sys.argv[2]
    if shutil.which("chromium") is None or not os.access("/usr/sbin/apache2", os.X_OK):
        print("skipped: needs chromium and apache2")
        return SKIP
    failures = []
    work = tempfile.mkdtemp(prefix="waterfall-reference-test-")
    try:
        # h1 over cleartext and h2 over TLS: the two ways the page is served.
        for mode, protocol in (("h1", "http/1.1"), ("h2", "h2")):
            out = os.path.join(work, mode + ".json")
            rc = subprocess.run([sys.executable, os.path.join(source, "scripts", "reference-load"),
                                 os.path.join(source, "scenarios", "seed-200ms.toml"),
                                 "--mode", mode, "--runs", "1", "--out", out,
                                 "--waterfall", waterfall], timeout=300).returncode
            if rc != 0:
                failures.append("%s: reference-load exited %d" % (mode, rc))
                continue
            with open(out) as f:
                result = json.load(f)
            run = result["each_run"][0]
            # The seed page's four resources (scenarios/seed-200ms.toml), each loaded whole.
            for url in ("/index.html", "/style.css", "/logo.png", "/script.js"):
                r = run["resources"].get(url)
                if r is None:
                    failures.append("%s: %s not loaded" % (mode, url))
                    continue
                if r["status"] != 200 or r["complete_ms"] is None:
                    failures.append("%s: %s: %s" % (mode, url, r))
                if r["protocol"] != protocol:
                    failures.append("%s: %s over %s" % (mode, url, r["protocol"]))
            dcl, load = run["dom_content_loaded_ms"], run["load_ms"]
            if not dcl <= load:
                failures.append("%s: DOMContentLoaded %s after load %s" % (mode, dcl, load))
            # script.js is inserted when style.css has loaded: it cannot be requested before.
            res = run["resources"]
            if "/script.js" in res and "/style.css" in res and \
                    res["/script.js"]["request_ms"] < res["/style.css"]["complete_ms"]:
                failures.append("%s: script.js requested before style.css completed" % mode)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
