"""Fixtures for the browser tests: a JupyterLab server on 127.0.0.1 and headless Chromium.

The server runs on a free port with a temporary root holding copies of the notebooks (token
off, `--allow-root` when running as root) and is stopped afterwards whatever happens. Chromium
is Debian's (`/usr/bin/chromium`), driven by Playwright; its own browser download does not
work here. Without Chromium the tests skip with a message, unless NNLIB_REQUIRE_BROWSER=1
(as in CI), where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("NNLIB_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("NNLIB_SCREENSHOTS", ROOT / "tests" / "browser" / "screenshots"))
LATENCIES: list[tuple[str, str, float]] = []        # (notebook, widget/control, milliseconds)
FPS: list[tuple[str, float, float]] = []            # (network, redraws per second, epochs per frame)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-dev-shm-usage"]


def _require_browser():
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -e '.[dev]')")
    if missing:
        msg = "browser tests need " + " and ".join(missing)
        if os.environ.get("NNLIB_REQUIRE_BROWSER") == "1":
            pytest.fail(msg + " (NNLIB_REQUIRE_BROWSER=1, so this is an error)", pytrace=False)
        pytest.skip(msg + "; set NNLIB_REQUIRE_BROWSER=1 to make this an error", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def lab_url(tmp_path_factory):
    _require_browser()
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns("models", ".ipynb_checkpoints"))
    settings = root / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Render every cell (no virtual scrolling), so the test can see all outputs.
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    apputils = root / "settings" / "@jupyterlab" / "apputils-extension"
    apputils.mkdir(parents=True)
    (apputils / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port = _free_port()
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
           "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
           "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={root / 'notebooks'}",
           f"--LabApp.user_settings_dir={root / 'settings'}",
           f"--LabApp.workspaces_dir={root / 'workspaces'}", "--LabApp.news_url=None"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    env = dict(os.environ, NNLIB_FAST="1", JUPYTER_CONFIG_DIR=str(root / "config"))
    env.pop("MPLBACKEND", None)
    log = open(root / "lab.log", "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(url + "/api", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("jupyter lab did not start:\n" + (root / "lab.log").read_text()[-3000:])
            time.sleep(0.5)
        yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        log.close()


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture(scope="session")
def latency_log():
    """(notebook, control, ms) rows; printed as a table at the end of the run."""
    return LATENCIES


@pytest.fixture(scope="session")
def fps_log():
    """(network, redraws/s, epochs per frame) rows of the playground; printed at the end."""
    return FPS


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def pytest_terminal_summary(terminalreporter):
    tr = terminalreporter
    if LATENCIES:
        tr.section("widget latency: input event -> changed figure/readout (ms)")
        tr.write_line(f"{'notebook':34s} {'control':40s} {'ms':>8s}")
        for nb, control, ms in LATENCIES:
            tr.write_line(f"{nb:34s} {control[:40]:40s} {ms:8.0f}")
    if FPS:
        tr.section("playground redraw rate with Play pressed")
        tr.write_line(f"{'network':40s} {'redraws/s':>10s} {'epochs/frame':>13s}")
        for label, fps, per_frame in FPS:
            tr.write_line(f"{label:40s} {fps:10.1f} {per_frame:13.1f}")
    if LATENCIES or FPS:
        tr.write_line(f"screenshots: {SCREENSHOTS}")
