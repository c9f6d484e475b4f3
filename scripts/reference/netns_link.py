"""Two network namespaces, a browser's and a server's, joined by the scenario's link: ns-3 in
real time (sim/emulate/link_main.cc, the waterfall-link binary) between a tap in each. Needs
root and iproute2. Everything it makes (namespaces, taps, the link process) is removed on exit.

    client 10.77.1.2 (tap) -- ns-3 router -- link: rtt_ms, rates -- ns-3 router -- (tap) 10.77.3.2 server
"""

import os
import signal
import subprocess
import time

CLIENT_ADDRESS = "10.77.1.2"
SERVER_ADDRESS = "10.77.3.2"
READY_TIMEOUT_S = 20


PROBE = """import socket, sys
s = socket.socket()
s.settimeout(3)
try:
    s.connect((sys.argv[1], int(sys.argv[2])))
    print("accepted")
except ConnectionRefusedError:
    print("refused")
except OSError:
    print("nothing")
"""


def _ip(*args):
    subprocess.run(["ip"] + list(args), check=True, timeout=30)


class NetnsLink:
    def __init__(self, link_binary, scenario, log):
        tag = str(os.getpid())
        self.client, self.server = "wf-client-" + tag, "wf-server-" + tag
        self.client_tap, self.server_tap = ("wfc" + tag)[:15], ("wfs" + tag)[:15]
        self.link_binary, self.scenario, self.log = link_binary, scenario, log
        self.proc = None
        self.made = []

    def exec_prefix(self, side):
        return ["ip", "netns", "exec", self.client if side == "client" else self.server]

    def __enter__(self):
        try:
            for ns, tap, address, gateway in (
                    (self.client, self.client_tap, CLIENT_ADDRESS, "10.77.1.1"),
                    (self.server, self.server_tap, SERVER_ADDRESS, "10.77.3.1")):
                _ip("netns", "add", ns)
                self.made.append(ns)
                _ip("tuntap", "add", "dev", tap, "mode", "tap")
                _ip("link", "set", tap, "netns", ns)
                _ip("-n", ns, "link", "set", "lo", "up")
                _ip("-n", ns, "addr", "add", address + "/24", "dev", tap)
                _ip("-n", ns, "link", "set", tap, "up")
                _ip("-n", ns, "route", "add", "default", "via", gateway)
            self.proc = subprocess.Popen(
                [self.link_binary, self.scenario, "--client-netns", self.client,
                 "--server-netns", self.server, "--client-tap", self.client_tap,
                 "--server-tap", self.server_tap], stdin=subprocess.DEVNULL, stdout=self.log,
                stderr=self.log, start_new_session=True)
            # The link is up when a TCP SYN from the client reaches the server's kernel through
            # it (a refusal is an answer).
            deadline = time.monotonic() + READY_TIMEOUT_S
            while True:
                if self.proc.poll() is not None:
                    raise RuntimeError("waterfall-link exited %d" % self.proc.returncode)
                if self.reachable(9):
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError("nothing through waterfall-link in %d s" % READY_TIMEOUT_S)
        except BaseException:
            self.__exit__()
            raise
        return self

    def reachable(self, port, listening=False):
        """Whether a connection from the client namespace to the server's port is answered
        (accepted, or when not listening, also refused)."""
        probe = subprocess.run(self.exec_prefix("client") + [
            "/usr/bin/python3", "-c", PROBE, SERVER_ADDRESS, str(port)], capture_output=True,
            text=True, timeout=30)
        answer = probe.stdout.strip()
        return answer == "accepted" or (answer == "refused" and not listening)

    def __exit__(self, *exc):
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        for ns in self.made:  # deleting a namespace deletes the tap in it
            subprocess.run(["ip", "netns", "del", ns], timeout=30)
        self.made = []
        return False
