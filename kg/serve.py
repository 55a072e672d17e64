"""A read-only SPARQL 1.1 Protocol endpoint over a built graph: `kg serve`.

    server = Server.start(store_dir, host="127.0.0.1", port=0, timeout=30)
    server.url            # http://127.0.0.1:PORT/query
    server.stop()

The server is Oxigraph's own (the `oxigraph` command of the PyPI package `oxigraph`),
run as `oxigraph serve-read-only --location STORE --bind HOST:PORT --timeout-s N`:

* read-only: the store is opened read-only and every update request (POST /update, or a
  SPARQL Update sent to /query) is refused with a 4xx status;
* query timeout: Oxigraph cancels a query after N seconds (the answer, already begun,
  then ends with "The SPARQL operation has been cancelled");
* the default graph is the union of the named graphs, each triple once, as
  kg.query.load_store writes it; GRAPH ?g { ... } reaches the article graphs.

The store is STORE_DIR itself if it is a store folder of `kg build --store`, else the store
of an OUTDIR (OUTDIR/oxigraph, loaded from graph.nq when missing or stale).
"""
from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .query import QueryError, ensure_store, is_store

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30          # seconds a query may run

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


def server_command(store_dir: Path, host: str, port: int, timeout: float) -> list[str]:
    """The command line that serves STORE_DIR read-only at HOST:PORT."""
    return [oxigraph_executable(), "serve-read-only", "--location", str(store_dir),
            "--bind", f"{host}:{port}", "--timeout-s", str(max(1, int(round(timeout))))]


def store_for(target: Path, store_dir: Path | None = None) -> Path:
    """The store folder to serve for TARGET (a store folder, or an OUTDIR)."""
    target = Path(target)
    if is_store(target):
        return target
    if not target.exists():
        raise FileNotFoundError(f"{target}: no such folder; give an OUTDIR of `kg build` or a store folder")
    return ensure_store(target, store_dir)


@dataclass
class Server:
    """A running `oxigraph serve-read-only` process."""
    process: subprocess.Popen
    host: str
    port: int
    store_dir: Path
    timeout: float

    @property
    def base(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        """The SPARQL query endpoint."""
        return f"{self.base}/query"

    @classmethod
    def start(cls, store_dir: Path, host: str = DEFAULT_HOST, port: int = 0,
              timeout: float = DEFAULT_TIMEOUT, wait: float = 30.0, quiet: bool = False) -> "Server":
        """Start the server on STORE_DIR (port 0: a free one) and wait until it answers.
        Raises QueryError if it exits or does not answer within WAIT seconds."""
        port = port or free_port(host)
        out = subprocess.DEVNULL if quiet else None
        process = subprocess.Popen(server_command(store_dir, host, port, timeout),
                                   stdin=subprocess.DEVNULL, stdout=out, stderr=out)
        server = cls(process, host, port, Path(store_dir), timeout)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise QueryError(f"the oxigraph server exited with status {process.returncode} "
                                 f"(is {host}:{port} in use?)")
            try:
                server.ask("ASK {}", timeout=2)
                return server
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
        server.stop()
        raise QueryError(f"the oxigraph server did not answer at {server.url} within {wait:.0f} s")

    def ask(self, query: str, timeout: float = 10) -> dict:
        """POST QUERY to the endpoint; the SPARQL JSON results as a dict."""
        request = urllib.request.Request(
            self.url, data=query.encode("utf-8"), method="POST",
            headers={"Content-Type": "application/sparql-query",
                     "Accept": "application/sparql-results+json"})
        with _NO_PROXY.open(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))

    def stop(self) -> None:
        """Stop the server and wait for it to end."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def serve(target: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          timeout: float = DEFAULT_TIMEOUT, store_dir: Path | None = None) -> int:
    """`kg serve`: serve TARGET until interrupted (Ctrl-C, SIGTERM); prints the URL when
    the endpoint answers. Returns the exit status."""
    store = store_for(Path(target), store_dir)
    server = Server.start(store, host, port, timeout, quiet=True)

    def stop(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)
    print(f"SPARQL endpoint (read-only, query timeout {server.timeout:g} s): {server.url}", flush=True)
    print(f"store: {store}; Ctrl-C stops it", flush=True)
    try:
        return server.process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        server.stop()
