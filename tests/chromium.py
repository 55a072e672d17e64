"""Headless Chromium for the explorer's browser tests and bench/bench_explorer.py.

Debian's chromium package (/usr/bin/chromium, installed by `.ci/run`), driven by
Playwright for Python. Playwright's own browser download (`playwright install`)
is never used. Each launch gets a fresh temporary profile (Playwright's
launch() makes one and deletes it), with the network-quiet flags below.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# KG_CHROMIUM may point at another Chromium binary; the default is Debian's.
CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]

MISSING = (f"Chromium not found at {CHROMIUM}: the explorer's browser tests need Debian's chromium "
           "package, which `.ci/run` installs (apt-get install chromium); "
           "or set KG_CHROMIUM to a Chromium binary")


def chromium_problem() -> str | None:
    """Why the browser cannot be launched (a message naming the fix), or None."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return MISSING
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is missing: `.venv/bin/pip install -e \".[test]\"` installs it"
    return None


def launch(playwright):
    """A headless Chromium browser from a started sync_playwright()."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for a test module (a test module imports this fixture); the
    tests fail, naming the fix, where it cannot be launched."""
    problem = chromium_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


class NetworkLog:
    """Records every request a browser context makes and aborts any that would leave the
    machine (http, https, ws, wss, ftp), except those to the origin ALLOW (e.g. the local
    server of `kg serve`, http://127.0.0.1:PORT); `outside` lists the aborted ones."""

    def __init__(self, context, allow: str | None = None):
        self.requests: list[str] = []
        self.outside: list[str] = []
        context.on("request", lambda request: self.requests.append(request.url))

        def leaves(url: str) -> bool:
            if allow is not None and (url == allow or url.startswith(allow.rstrip("/") + "/")):
                return False
            return url.split(":", 1)[0].lower() in ("http", "https", "ws", "wss", "ftp")
        context.route(leaves, self._block)

    def _block(self, route) -> None:
        self.outside.append(route.request.url)
        route.abort()

    def others_than(self, page_url: str) -> list[str]:
        """Requests other than the page itself and inline data: URLs."""
        return [u for u in self.requests if u != page_url and not u.startswith("data:")]
