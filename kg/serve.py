"""A read-only SPARQL 1.1 Protocol endpoint over a built graph: `kg serve`.

    server = Server.start(outdir, host="127.0.0.1", port=0, timeout=30)
    server.page_url       # http://127.0.0.1:PORT/       the query page, for people
    server.url            # http://127.0.0.1:PORT/query  the SPARQL protocol endpoint
    server.ask("SELECT ...")
    server.stop()

Two processes answer. In front, a small Python server (http.server) listens on HOST:PORT;
behind it Oxigraph's own server (`oxigraph serve-read-only`, from the PyPI package
`oxigraph`) listens on a private port of 127.0.0.1 with the store opened read-only. The
front

* checks every query before it goes on (kg.query.check_query): SERVICE, FROM, FROM NAMED,
  the protocol's default-graph-uri and named-graph-uri, and updates are refused with 400,
  POST /update with 403, so the endpoint never sends a request anywhere;
* sends the backend exactly the text it checked, and reads the backend's whole answer
  within the timeout before it answers itself: a query that takes longer gets 503 and
  a one-line message, never a 200 with cut-off results. The backend is then replaced by
  a fresh one so that the runaway query stops using CPU; the queries that were still
  running on it are sent again to the new one, in the time they have left;
* serves the query page at / (kg.query_page: Oxigraph's own SPARQL editor, whose script,
  style and logo come from the backend, with the project's prefixes declared in every new
  tab and a button per named query) and /prefixes.json, which the page's PREFIX completion
  reads; /sparql answers as /query does, and a browser that opens /query without a query
  (Accept: text/html) is sent to the page (303);
* listens on 127.0.0.1 unless told otherwise: any address that is not a loopback one
  must be allowed explicitly (allow_remote; `kg serve --allow-remote`) and gets a warning.

The backend is tied to kg serve (kg.query.confinement): the kernel kills it when kg serve
ends in any way, SIGKILL included (Linux's PR_SET_PDEATHSIG); it runs in a process group
of its own, so that a Ctrl-C in the terminal reaches kg serve only, which then stops it in
order; and it cannot open network connections at all (a seccomp filter).

While it serves an OUTDIR, the server looks at OUTDIR/graph.nq every WATCH_SECONDS (its
size, time and inode: `kg build` replaces the whole folder by a rename, so the path is
watched, not an open file). When the graph changed, the store is loaded again
(kg.query.ensure_store), a backend started on it and swapped in, and a line printed.
Meanwhile it keeps the marker file OUTDIR/.kg-serve.json (kg.outdir.SERVE_MARKER),
{"pid": ..., "url": ...}: written at the start, written again when the folder was
replaced, removed at the end, so that `kg build` can tell that it rebuilds a served
folder. A store folder served directly is watched through its kg-store.json, and gets
no marker.

The store is TARGET itself if it is a store folder of `kg build --store`, else the store
of an OUTDIR (OUTDIR/oxigraph, or --store DIR; loaded from graph.nq when missing or
stale). The default graph is the union of the named graphs, each triple once, as
kg.query.load_store writes it; GRAPH ?g { ... } reaches the article graphs.
"""
from __future__ import annotations

import http.client
import ipaddress
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from .outdir import SERVE_MARKER
from .query import STORE_STAMP, QueryError, check_query, confinement, ensure_store, is_store
from .query_page import page_html, prefixes_json

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30          # seconds a query may run
WATCH_SECONDS = 2.0           # how often the served graph is looked at
BACKEND_GRACE = 5             # the backend's own timeout is this much longer than the front's
MAX_REQUEST_BYTES = 1 << 20   # a query sent to the endpoint
MAX_ANSWER_BYTES = 1 << 29    # an answer read from the backend (512 MB)

QUERY_PATHS = ("/query", "/sparql")
ASSET_PATHS = ("/yasgui.min.js", "/yasgui.min.css", "/logo.svg")    # of Oxigraph's web page
TEXT = "text/plain; charset=utf-8"
READ_ONLY = "updates are refused: the endpoint is read-only"

# The endpoint is local: never send its requests through an HTTP proxy from the environment.
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def oxigraph_executable() -> str:
    """The `oxigraph` command: beside this Python (a venv's bin/) or on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    if here.is_file():
        return str(here)
    found = shutil.which("oxigraph")
    if found is None:
        raise QueryError("the `oxigraph` server command is not installed; "
                         "`pip install oxigraph` (a dependency of dangjian-kg) provides it")
    return found


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port that nothing listens on at HOST right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def store_for(target: Path, store_dir: Path | None = None) -> Path:
    """The store folder to serve for TARGET (a store folder, or an OUTDIR)."""
    target = Path(target)
    if is_store(target):
        return target
    if not target.exists():
        raise FileNotFoundError(f"{target}: no such folder; give an OUTDIR of `kg build` or a store folder")
    return ensure_store(target, store_dir)


def is_loopback(host: str) -> bool:
    """True if every address HOST stands for is a loopback address (127.0.0.0/8, ::1)."""
    if not host.strip():
        return False                          # "" binds every interface
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return False
    return all(ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback for info in infos)


def check_host(host: str, allow_remote: bool) -> str | None:
    """None for a loopback HOST; for another one a warning to show if ALLOW_REMOTE, else
    QueryError: an endpoint on it answers anyone who can reach this machine."""
    if is_loopback(host):
        return None
    if not allow_remote:
        raise QueryError(f"--host {host} is not a loopback address: the endpoint would answer anyone "
                         "who can reach this machine over the network. Add --allow-remote to do that "
                         f"on purpose, or leave --host out ({DEFAULT_HOST}, this machine only)")
    return (f"warning: listening on {host}, not on this machine only: anyone who can reach it over "
            "the network can query the graph (read-only, checked, with the query timeout)")


# ----------------------------------------------------------------------------- the backend

class _Overrun(Exception):
    """The deadline came before the backend's whole answer."""


class _TooLarge(Exception):
    """The backend's answer is larger than MAX_ANSWER_BYTES."""


@dataclass
class Backend:
    """One `oxigraph serve-read-only` process on 127.0.0.1:PORT over STORE_DIR."""
    process: subprocess.Popen
    port: int
    store_dir: Path

    @classmethod
    def start(cls, store_dir: Path, timeout: float, wait: float = 30.0) -> "Backend":
        """Start it (with an own timeout of TIMEOUT + BACKEND_GRACE seconds, a backstop
        only) and wait until it answers; QueryError if it does not within WAIT seconds.

        The kernel kills it when the thread that started it ends (kg.query.confinement):
        start it from a thread that lives as long as it should."""
        for attempt in range(3):               # another program may take the free port first
            port = free_port()
            command = [oxigraph_executable(), "serve-read-only", "--location", str(store_dir),
                       "--bind", f"127.0.0.1:{port}",
                       "--timeout-s", str(math.ceil(timeout) + BACKEND_GRACE)]
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, preexec_fn=confinement(new_group=True))
            backend = cls(process, port, Path(store_dir))
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    if backend.request("ASK {}", "application/sparql-results+json",
                                       time.monotonic() + 2)[0] == 200:
                        return backend
                except (OSError, http.client.HTTPException, _Overrun):
                    pass
                time.sleep(0.05)
            backend.stop()
        raise QueryError(f"the oxigraph server did not start on {store_dir} "
                         f"(exit status {process.returncode})")

    def request(self, text: str | None, accept: str, deadline: float,
                path: str = "/query") -> tuple[int, str, bytes]:
        """POST the query TEXT (or GET PATH when TEXT is None) and read the whole answer:
        (status, content type, body). _Overrun when DEADLINE (time.monotonic()) comes
        first, _TooLarge past MAX_ANSWER_BYTES, OSError or HTTPException when it fails."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _Overrun
        # The socket's own timeout is a backstop only: the timer cuts the connection exactly.
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=remaining + 5)
        cut = threading.Event()

        def cut_off() -> None:            # at the deadline: every blocked read returns at once
            cut.set()
            if connection.sock is not None:
                try:
                    connection.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        timer = threading.Timer(remaining, cut_off)
        timer.daemon = True
        timer.start()
        try:
            headers = {"Accept": accept} if accept else {}
            if text is None:
                connection.request("GET", path, headers=headers)
            else:
                connection.request("POST", path, body=text.encode("utf-8"),
                                   headers={**headers, "Content-Type": "application/sparql-query"})
            response = connection.getresponse()
            body = bytearray()
            while chunk := response.read1(1 << 16):
                body += chunk
                if len(body) > MAX_ANSWER_BYTES:
                    raise _TooLarge
            if cut.is_set():              # the read ended because the socket was cut
                raise _Overrun
            return response.status, response.getheader("Content-Type", TEXT), bytes(body)
        except (OSError, http.client.HTTPException):
            if cut.is_set() or time.monotonic() >= deadline:
                raise _Overrun from None
            raise
        finally:
            timer.cancel()
            connection.close()

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Stop it (its process group: SIGTERM, SIGKILL after 5 s) and wait for it to end."""
        for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, None)):
            if self.process.poll() is not None:
                return
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue


def _answer_is_whole(content_type: str, body: bytes) -> bool:
    """False for a JSON or XML answer that breaks off: Oxigraph streams its answer, and an
    error during evaluation ends it with the error's text after status 200."""
    tail = body.rstrip()[-1:]
    if "json" in content_type:
        return tail == b"}"
    if "xml" in content_type:
        return tail == b">"
    return True


# ----------------------------------------------------------------------------- the front

class Refused(QueryError):
    """A request the endpoint does not run; STATUS is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def query_of_request(query_string: str, content_type: str | None, body: bytes) -> str:
    """The SPARQL query of a request to /query (SPARQL 1.1 Protocol: GET ?query=…, POST
    application/sparql-query, POST application/x-www-form-urlencoded with query=…).
    Refused for updates, for the dataset parameters and for anything else."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind == "application/sparql-query":
        params = _params(query_string)
        try:
            params["query"] = [body.decode("utf-8")]
        except UnicodeDecodeError:
            raise Refused("the query is not UTF-8") from None
    elif kind in ("", "application/x-www-form-urlencoded"):
        params = _params(query_string)
        for name, values in _params(body.decode("latin-1")).items():
            params.setdefault(name, []).extend(values)
    elif kind == "application/sparql-update":
        raise Refused(READ_ONLY)
    else:
        raise Refused(f"unknown Content-Type {kind}; send application/sparql-query, or a form with query=…", 415)
    if "update" in params:
        raise Refused(READ_ONLY)
    for name in ("default-graph-uri", "named-graph-uri"):
        if name in params:
            raise Refused(f"{name} is refused: a query here reads this graph as it is (its default graph "
                          "is the union of the article graphs; GRAPH ?g reaches each one)")
    queries = params.get("query", [])
    if len(queries) != 1:
        raise Refused("give one query: ?query=… or a POST body of Content-Type application/sparql-query")
    return queries[0]


def _params(encoded: str) -> dict[str, list[str]]:
    try:
        return urllib.parse.parse_qs(encoded, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise Refused("the request's parameters are not UTF-8 URL-encoded") from None


class _Handler(BaseHTTPRequestHandler):
    """One request to the front server; self.server.front is the Server."""
    server_version = "kg-serve"
    timeout = 60                  # seconds a client may take to send its request

    def do_GET(self) -> None:
        path, _, query_string = self.path.partition("?")
        if path in QUERY_PATHS and not query_string and "text/html" in self.headers.get("Accept", ""):
            self._redirect("/")           # a browser opened the endpoint itself: the page is for it
        elif path in QUERY_PATHS:
            self._answer_query(query_string, None, b"")
        elif path in ("/", "/index.html"):
            self._reply(200, "text/html; charset=utf-8", self.server.front.page_html)
        elif path == "/prefixes.json":
            self._reply(200, "application/json", prefixes_json())
        elif path in ASSET_PATHS:
            self._reply(*self.server.front.page(path))
        else:
            self._reply(*_not_here(path))

    def do_POST(self) -> None:
        path, _, query_string = self.path.partition("?")
        length = self.headers.get("Content-Length")
        if path not in QUERY_PATHS:
            self._reply(*_not_here(path))
        elif length is None or not length.isdigit():
            self._reply(*_text(411, "send the request with a Content-Length"))
        elif int(length) > MAX_REQUEST_BYTES:
            self._reply(*_text(413, f"the request is larger than {MAX_REQUEST_BYTES} bytes"))
        else:
            self._answer_query(query_string, self.headers.get("Content-Type"), self.rfile.read(int(length)))

    def _answer_query(self, query_string: str, content_type: str | None, body: bytes) -> None:
        try:
            text = query_of_request(query_string, content_type, body)
            check_query(text, "the query")
        except QueryError as err:
            self._reply(*_text(getattr(err, "status", 400), str(err)))
            return
        self._reply(*self.server.front.forward(text, self.headers.get("Accept", "")))

    def _redirect(self, location: str) -> None:
        body = f"the query page is at {location}\n".encode("utf-8")
        self.send_response(303)
        self.send_header("Location", location)
        self.send_header("Content-Type", TEXT)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _reply(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        pass                      # no line per request


def _text(status: int, message: str) -> tuple[int, str, bytes]:
    return status, TEXT, (message + "\n").encode("utf-8")


def _not_here(path: str) -> tuple[int, str, bytes]:
    """The answer to a request for PATH, which is neither a query nor a page."""
    if path == "/update":
        return _text(403, READ_ONLY)
    return _text(404, f"no such page; the query page is /, SPARQL queries go to {QUERY_PATHS[0]}")


class _FrontServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], family: int, front: "Server"):
        self.address_family = family
        self.front = front
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):   # a client that went away needs no message
            print(f"kg serve: a request from {client_address[0]} failed: {error!r}", file=sys.stderr)


class Server:
    """The endpoint: the front server, its backend, and the thread that looks after both."""

    def __init__(self, target: Path, store_option: Path | None, host: str, timeout: float,
                 watch: float, log: Callable[[str], None]):
        self.target = Path(target)
        self.outdir = None if is_store(self.target) else self.target   # None: a store folder is served
        self.store_option = store_option
        self.store_dir: Path | None = None
        self.host = host
        self.port = 0
        self.timeout = timeout
        self.watch = watch
        self.log = log
        self.warning: str | None = None
        self.page_html = page_html(timeout).encode("utf-8")   # the query page (named queries read now)
        self.backend: Backend | None = None
        self._httpd: _FrontServer | None = None
        self._supervisor: threading.Thread | None = None
        self._http_thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._replace: Backend | None = None      # the backend to replace (a query overran on it)
        self.failure: BaseException | None = None   # why the supervising thread ended

    @classmethod
    def start(cls, target: Path, host: str = DEFAULT_HOST, port: int = 0,
              timeout: float = DEFAULT_TIMEOUT, store_dir: Path | None = None,
              allow_remote: bool = False, watch: float = WATCH_SECONDS,
              log: Callable[[str], None] | None = None) -> "Server":
        """Serve TARGET (an OUTDIR or a store folder) at HOST:PORT (port 0: a free one) and
        return once the endpoint answers. A HOST that is not a loopback address needs
        ALLOW_REMOTE (else QueryError; the warning is in .warning). STORE_DIR is where an
        OUTDIR's store is kept; WATCH is how often the graph is looked at; LOG gets the
        lines about reloads (default: none). QueryError or OSError when it cannot start."""
        server = cls(Path(target), Path(store_dir) if store_dir else None, host, timeout, watch,
                     log or (lambda line: None))
        server.warning = check_host(host, allow_remote)
        server.store_dir = store_for(server.target, server.store_option)
        try:
            family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
            server._httpd = _FrontServer((host, port), family, server)
        except OSError as err:
            raise QueryError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
        server.port = server._httpd.server_address[1]
        try:
            server._supervisor = threading.Thread(target=server._supervise, name="kg-serve-backend",
                                                  daemon=True)
            server._supervisor.start()
            server._ready.wait()
            if server.failure is not None:
                raise server.failure
            server._http_thread = threading.Thread(target=server._httpd.serve_forever, args=(0.2,),
                                                   name="kg-serve-http", daemon=True)
            server._http_thread.start()
        except BaseException:
            server.stop()
            raise
        return server

    @property
    def base(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def page_url(self) -> str:
        """The query page, for people (a browser)."""
        return f"{self.base}/"

    @property
    def url(self) -> str:
        """The SPARQL protocol endpoint, for programs (a browser would download its answer)."""
        return f"{self.base}/query"

    def ask(self, query: str, timeout: float = 10) -> dict:
        """POST QUERY to the endpoint, as a client would; the SPARQL JSON results as a dict."""
        request = urllib.request.Request(
            self.url, data=query.encode("utf-8"), method="POST",
            headers={"Content-Type": "application/sparql-query",
                     "Accept": "application/sparql-results+json"})
        with _NO_PROXY.open(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))

    def forward(self, text: str, accept: str) -> tuple[int, str, bytes]:
        """The answer to the checked query TEXT, read whole from the backend within the
        timeout: (status, content type, body). 503 when the timeout comes first (and the
        backend is replaced), 502 when the backend fails."""
        deadline = time.monotonic() + self.timeout
        while True:
            backend = self.backend
            try:
                status, content_type, body = backend.request(text, accept, deadline)
            except _Overrun:
                self._replace_soon(backend)
                return _text(503, f"the query took longer than {self.timeout:g} s, the endpoint's "
                                  "timeout, and was stopped; narrow it (LIMIT, fewer property paths)")
            except _TooLarge:
                return _text(500, f"the answer is larger than {MAX_ANSWER_BYTES >> 20} MB; ask for fewer rows (LIMIT)")
            except (OSError, http.client.HTTPException) as err:
                if self.backend is not backend and time.monotonic() < deadline:
                    continue              # it was replaced meanwhile: ask the new one
                self._wake.set()          # the supervisor restarts a backend that died
                return _text(502, f"the query engine failed: {err!r}")
            if status == 200 and not _answer_is_whole(content_type, body):
                message = body[-300:].decode("utf-8", "replace").strip()
                return _text(502, f"the query engine's answer broke off: …{message}")
            return status, content_type, body

    def page(self, path: str) -> tuple[int, str, bytes]:
        """A file of Oxigraph's web page (its script, style, logo)."""
        try:
            return self.backend.request(None, "", time.monotonic() + 10, path)
        except (_Overrun, _TooLarge, OSError, http.client.HTTPException) as err:
            return _text(502, f"the query engine failed: {err!r}")

    def running(self) -> bool:
        """False once the server stopped, or its supervising thread failed (.failure says why)."""
        return self._supervisor is not None and self._supervisor.is_alive()

    def stop(self) -> None:
        """Stop serving: the front server, the backend, the marker file."""
        self._stopping.set()
        self._wake.set()
        if self._http_thread is not None:
            self._httpd.shutdown()
        if self._httpd is not None:
            self._httpd.server_close()
        if self._supervisor is not None:
            self._supervisor.join(timeout=60)

    # --------------------------------------------------------------- the supervising thread

    def _supervise(self) -> None:
        """The thread that owns the backend: it starts it, replaces it when a query overran
        on it or it died, reloads the graph when it changed, and keeps the marker file. One
        thread starts them all, as the kernel kills a backend when its starting thread ends."""
        try:
            self.backend = Backend.start(self.store_dir, self.timeout)
        except BaseException as err:  # noqa: BLE001 -- Server.start raises it
            self.failure = err
            self._ready.set()
            return
        stamp = self._stamp()
        self._write_marker()             # before Server.start returns: kg build may look for it
        self._ready.set()
        try:
            while not self._stopping.is_set():
                self._wake.wait(self.watch)
                self._wake.clear()
                if self._stopping.is_set():
                    break
                if self._replace is self.backend or not self.backend.alive():
                    self._swap(self.store_dir)
                now = self._stamp()
                if now is not None and now != stamp:
                    stamp = now
                    self._reload()
                self._write_marker(only_if_missing=True)
        except BaseException as err:  # noqa: BLE001 -- kept for serve() to report
            self.failure = err
        finally:
            self.backend.stop()
            self._remove_marker()

    def _replace_soon(self, backend: Backend) -> None:
        with self._lock:
            if self.backend is backend:
                self._replace = backend
                self._wake.set()

    def _swap(self, store_dir: Path, news: str | None = None) -> None:
        """Start a backend on STORE_DIR, make it the one asked (then log NEWS), stop the old one."""
        try:
            new = Backend.start(store_dir, self.timeout)
        except QueryError as err:
            self.log(f"kg serve: cannot start the query engine again: {err}")
            return
        with self._lock:
            old, self.backend, self.store_dir = self.backend, new, store_dir
        if news:
            self.log(news)
        old.stop()

    def _watched(self) -> Path:
        return self.outdir / "graph.nq" if self.outdir is not None else self.target / STORE_STAMP

    def _stamp(self) -> tuple | None:
        """What tells a new graph from the one served: inode, size and time of the watched file."""
        try:
            st = os.stat(self._watched())
        except OSError:
            return None
        return st.st_ino, st.st_size, st.st_mtime_ns

    def _reload(self) -> None:
        watched = self._watched()
        try:
            store = ensure_store(self.outdir, self.store_option) if self.outdir is not None else self.target
        except (QueryError, OSError) as err:
            self.log(f"kg serve: {watched} changed but cannot be loaded ({err}); "
                     "still serving the graph loaded before")
            return
        self._swap(store, f"kg serve: {watched} changed: loaded it into {store}; serving the new graph")

    def _marker(self) -> Path | None:
        return self.outdir / SERVE_MARKER if self.outdir is not None else None

    def _write_marker(self, only_if_missing: bool = False) -> None:
        """Write OUTDIR's marker file, through a temporary file beside it. Never creates
        OUTDIR: while `kg build` swaps the folder, the path may be missing for a moment."""
        marker = self._marker()
        if marker is None or (only_if_missing and marker.exists()):
            return
        tmp = marker.with_name(f"{marker.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps({"pid": os.getpid(), "url": self.url}) + "\n", encoding="utf-8")
            os.replace(tmp, marker)
        except OSError:
            tmp.unlink(missing_ok=True)   # (in a folder that was just swapped away: it goes with it)

    def _remove_marker(self) -> None:
        """Remove the marker file if it is this server's."""
        marker = self._marker()
        try:
            if marker is not None and json.loads(marker.read_text(encoding="utf-8")).get("pid") == os.getpid():
                marker.unlink()
        except (OSError, ValueError, AttributeError):
            pass


def serve(target: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          timeout: float = DEFAULT_TIMEOUT, store_dir: Path | None = None,
          allow_remote: bool = False) -> int:
    """`kg serve`: serve TARGET until Ctrl-C, SIGTERM or SIGHUP; prints the query page's URL
    when the endpoint answers, then the endpoint's, and a line for each reload. Returns the
    exit status."""
    def stop(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    server = None
    try:
        server = Server.start(target, host, port, timeout, store_dir, allow_remote,
                              log=lambda line: print(line, flush=True))
        if server.warning:
            print(f"kg serve: {server.warning}", file=sys.stderr, flush=True)
        print(f"query page (open it in a browser): {server.page_url}", flush=True)
        print(f"SPARQL endpoint (read-only, query timeout {server.timeout:g} s; for programs): {server.url}",
              flush=True)
        print(f"store: {server.store_dir}; Ctrl-C stops it", flush=True)
        while server.running():
            time.sleep(0.5)
        print(f"kg serve: stopped: {server.failure!r}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        if server is not None:
            server.stop()
