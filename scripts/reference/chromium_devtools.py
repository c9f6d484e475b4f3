"""Loads one page in a real, cold Chromium over the DevTools protocol and returns Chrome's own
timings: the reference the simulated browser (models/browser) is compared with.

Chromium is started with --remote-debugging-pipe: it reads protocol messages (JSON, each ended by
a NUL byte) on its fd 3 and writes on its fd 4. Every profile is fresh (a cold cache, no
predictor data) and has network prediction off, so that Chrome does not preconnect at
navigation start; a server's certificate is accepted only through its SPKI hash
(--ignore-certificate-errors-spki-list), never by ignoring every error. Every wait is bounded
and the browser is always killed. Python standard library only.

    with Chromium(host_rules=["MAP waterfall.test:443 127.0.0.1:8443"], spki=[hash]) as c:
        load = c.load("https://waterfall.test/index.html", timeout_s=60)
"""

import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time

# NETWORK_PREDICTION_NEVER (chrome/browser/prefetch/pref_names.h, prefetch_prefs.h): no
# preconnects or DNS prefetches made by the predictor.
NETWORK_PREDICTION_NEVER = 2

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--remote-debugging-pipe",
]

# What the page reports about itself once loaded (the Navigation, Resource and Paint Timing
# APIs); times in ms from navigation start (performance.timeOrigin).
PAGE_TIMINGS_JS = """JSON.stringify({
  navigation: performance.getEntriesByType('navigation').map(e => e.toJSON()),
  resource: performance.getEntriesByType('resource').map(e => e.toJSON()),
  paint: performance.getEntriesByType('paint').map(e => e.toJSON()),
})"""


class DevToolsError(RuntimeError):
    pass


def _high_fd(fd):
    """The same pipe end on a descriptor >= 10, so that dup2 onto 3 and 4 cannot clobber it."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


class Chromium:
    """One Chromium process with a fresh profile, driven over the DevTools pipe."""

    def __init__(self, binary="chromium", host_rules=(), spki=(), extra_flags=(), log=None,
                 prefix=()):
        self.binary = binary
        self.prefix = list(prefix)  # e.g. ["ip", "netns", "exec", "client"]
        self.host_rules = list(host_rules)
        self.spki = list(spki)
        self.extra_flags = list(extra_flags)
        self.log = log  # a file for Chromium's stderr, or None to drop it
        self.proc = None
        self.profile = None
        self._next_id = 0
        self._buffer = b""
        self._events = []  # received events not consumed yet

    # -- process -----------------------------------------------------------------------------
    def __enter__(self):
        self.profile = tempfile.mkdtemp(prefix="waterfall-chromium-")
        os.makedirs(os.path.join(self.profile, "Default"))
        with open(os.path.join(self.profile, "Default", "Preferences"), "w") as f:
            json.dump({"net": {"network_prediction_options": NETWORK_PREDICTION_NEVER}}, f)
        to_chrome_r, to_chrome_w = (_high_fd(fd) for fd in os.pipe())
        from_chrome_r, from_chrome_w = (_high_fd(fd) for fd in os.pipe())

        def child_fds():
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        flags = CHROMIUM_FLAGS + ["--user-data-dir=" + self.profile]
        if self.host_rules:
            flags.append("--host-resolver-rules=" + ",".join(self.host_rules))
        if self.spki:
            flags.append("--ignore-certificate-errors-spki-list=" + ",".join(self.spki))
        flags += self.extra_flags + ["about:blank"]
        try:
            self.proc = subprocess.Popen(
                self.prefix + [self.binary] + flags, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=self.log if self.log is not None else subprocess.DEVNULL,
                # Python's own descriptors are not inheritable (PEP 446); 3 and 4, made by
                # dup2 in the child, are: so nothing but them and 0-2 reaches Chromium.
                close_fds=False, preexec_fn=child_fds, start_new_session=True)
        finally:
            os.close(to_chrome_r)
            os.close(from_chrome_w)
        self._write_fd = to_chrome_w
        self._read_fd = from_chrome_r
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        if self.proc is not None:
            try:
                self.send("Browser.close", timeout_s=2)
            except (DevToolsError, OSError):
                pass
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                pass
            if self.proc.poll() is None:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)  # the session Chromium leads
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=10)
            self.proc = None
            for fd in (self._write_fd, self._read_fd):
                try:
                    os.close(fd)
                except OSError:
                    pass
        if self.profile is not None:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = None

    # -- protocol ----------------------------------------------------------------------------
    def _read_message(self, deadline):
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise DevToolsError("timed out waiting for Chromium")
            ready, _, _ = select.select([self._read_fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._read_fd, 1 << 20)
            if not chunk:
                raise DevToolsError("Chromium closed the DevTools pipe (it exited?)")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=None, timeout_s=10):
        """Sends a command and returns its result; events read meanwhile are kept."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._write_fd, data):]
        deadline = time.monotonic() + timeout_s
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self._next_id:
                if "error" in m:
                    raise DevToolsError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            if "method" in m:
                self._events.append(m)

    def events(self, deadline):
        """Yields events as they come (those already read first) until deadline."""
        while True:
            while self._events:
                yield self._events.pop(0)
            try:
                yield self._read_message(deadline)
            except DevToolsError:
                if time.monotonic() >= deadline:
                    return
                raise

    # -- one page load -----------------------------------------------------------------------
    def load(self, url, timeout_s=60, settle_s=1.0, paint_timeout_s=3.0):
        """Navigates the first tab to url and returns what Chrome reported:
        {"requests": {requestId: {...}}, "dom_content_loaded", "load" (CDP timestamps, s),
        "page": the Navigation/Resource/Paint Timing entries}. Raises DevToolsError when the
        load event does not come within timeout_s."""
        targets = self.send("Target.getTargets")["targetInfos"]
        pages = [t for t in targets if t["type"] == "page"]
        if not pages:
            pages = [{"targetId": self.send("Target.createTarget", {"url": "about:blank"})
                      ["targetId"]}]
        session = self.send("Target.attachToTarget",
                            {"targetId": pages[0]["targetId"], "flatten": True})["sessionId"]
        self.send("Network.enable", session=session)
        self.send("Page.enable", session=session)
        self._events.clear()  # nothing of about:blank
        self.send("Page.navigate", {"url": url}, session=session)
        requests, result = {}, {"dom_content_loaded": None, "load": None}
        deadline = time.monotonic() + timeout_s
        settle_deadline = None
        for event in self.events(deadline):
            if settle_deadline is not None and time.monotonic() >= settle_deadline:
                break
            if event.get("sessionId") != session:
                continue
            method, p = event["method"], event.get("params", {})
            if method == "Network.requestWillBeSent":
                r = requests.setdefault(p["requestId"], {})
                if "request" in r and p.get("redirectResponse"):
                    r.setdefault("redirects", []).append(p["redirectResponse"])
                r.update({"url": p["request"]["url"], "timestamp": p["timestamp"],
                          "priority": p["request"].get("initialPriority"),
                          "type": p.get("type"), "initiator": p.get("initiator", {}).get("type")})
            elif method == "Network.responseReceived":
                resp = p["response"]
                requests.setdefault(p["requestId"], {}).update({
                    "status": resp.get("status"), "protocol": resp.get("protocol"),
                    "timing": resp.get("timing"), "connection_id": resp.get("connectionId"),
                    "response_timestamp": p["timestamp"],
                    "from_early_hints": resp.get("fromEarlyHints", False)})
            elif method == "Network.loadingFinished":
                requests.setdefault(p["requestId"], {}).update({
                    "finished": p["timestamp"], "encoded_bytes": p.get("encodedDataLength")})
            elif method == "Network.loadingFailed":
                requests.setdefault(p["requestId"], {}).update({
                    "failed": p["timestamp"], "error": p.get("errorText")})
            elif method == "Page.domContentEventFired":
                result["dom_content_loaded"] = p["timestamp"]
            elif method == "Page.loadEventFired":
                result["load"] = p["timestamp"]
                # Requests the page makes after its load event (late async work) still count;
                # wait a moment for the ones in flight.
                settle_deadline = time.monotonic() + settle_s
            if settle_deadline is not None and all(
                    "finished" in r or "failed" in r for r in requests.values()):
                break
        if result["load"] is None:
            raise DevToolsError("no load event within %g s of navigating to %s" % (timeout_s, url))
        # The first paints may come after the load event (a fast load): ask again until the
        # first contentful paint is there, for at most paint_timeout_s.
        paint_deadline = time.monotonic() + paint_timeout_s
        while True:
            page = self.send("Runtime.evaluate", {"expression": PAGE_TIMINGS_JS,
                                                  "returnByValue": True}, session=session)
            result["page"] = json.loads(page["result"]["value"])
            names = {p["name"] for p in result["page"]["paint"]}
            if "first-contentful-paint" in names or time.monotonic() >= paint_deadline:
                break
            time.sleep(0.1)
        result["requests"] = requests
        return result

