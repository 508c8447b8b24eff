"""Start a real JupyterLab and drive it from Chromium: shared by the browser tests
(``tests/browser/conftest.py``) and ``benchmarks/browser_latency.py``.

A plain module (no pytest import) so that the benchmark script can use it too.

What it guards against (seen on these machines, see the testing notes):
- "run all cells" does nothing, silently, when no cell is active, the kernel is not
  idle and connected, or the focused widget is another one; :func:`run_all` names its
  notebook in the command, waits for those conditions, sends it once, and fails
  with the page's state if the kernel does not take it;
- the JupyterLab news pop-up covers the notebook, so the announcements plugin is
  disabled and no news URL is set;
- notebook windowing detaches off-screen cells from the DOM, so it is switched
  off ("none") and every output can be inspected and captured.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TOKEN = "lems-course-browser-tests"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Plugins that only add noise to a test run: the news pop-up would cover the notebook.
DISABLED_LAB_PLUGINS = ("@jupyterlab/apputils-extension:announcements",)

# JupyterLab user settings for the run: every cell attached to the DOM (so outputs
# off screen can be inspected and captured), and nothing ever saved back.
LAB_USER_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "windowingMode": "none",
        "scrollPastEnd": False,  # else the panel grows with the viewport
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def find_chromium() -> str | None:
    """Path of the system Chromium (Debian package), or None when it is missing."""
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    """A TCP port free right now on 127.0.0.1 (bind port 0 and ask the OS)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_root(root_dir: Path, extra_files: dict[str, Path] | None = None) -> Path:
    """Fill ``root_dir`` with a copy of the repository's ``lessons/`` and ``assets/``.

    The server serves this copy, so a test run never touches the committed lessons.
    ``extra_files`` maps a path inside the root (e.g. ``"fixtures/smoke.ipynb"``) to a
    file to copy there.
    """
    root_dir.mkdir(parents=True, exist_ok=True)
    for name in ("lessons", "assets"):
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(
                source,
                root_dir / name,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
            )
    for relative, source in (extra_files or {}).items():
        target = root_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    return root_dir


@dataclass
class LabServer:
    """A running JupyterLab: its base URL, token, root and process."""

    base_url: str
    token: str
    root_dir: Path
    process: subprocess.Popen
    log_path: Path
    _log_file: object = field(repr=False, default=None)

    def notebook_url(self, relative_path: str, workspace: str | None = None) -> str:
        """URL that opens a notebook. Give each page its own ``workspace``: JupyterLab
        redirects a second tab on a workspace already in use, which reloads the page."""
        prefix = f"/lab/workspaces/{workspace}" if workspace else "/lab"
        return f"{self.base_url}{prefix}/tree/{relative_path}?token={self.token}"

    def api(self, path: str) -> object:
        request = urllib.request.Request(
            f"{self.base_url}{path}", headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    def stop(self, timeout_s: float = 10.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout_s)
        if self._log_file is not None:
            self._log_file.close()


def _write_lab_config(work_dir: Path) -> dict[str, Path]:
    """Throw-away Jupyter config, runtime, data, settings and workspace dirs."""
    dirs = {
        name: work_dir / name
        for name in ("config", "runtime", "data", "user_settings", "workspaces", "ipython")
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    labconfig = dirs["config"] / "labconfig"
    labconfig.mkdir(exist_ok=True)
    (labconfig / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {name: True for name in DISABLED_LAB_PLUGINS}})
    )
    for relative, settings in LAB_USER_SETTINGS.items():
        target = dirs["user_settings"] / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(settings))
    return dirs


def start_lab(root_dir: Path, work_dir: Path, log_path: Path, timeout_s: float = 60.0) -> LabServer:
    """Start ``python -m jupyter lab`` on a free port of 127.0.0.1 serving ``root_dir``.

    Waits until ``/api/status`` answers with the token. The kernel runs in this
    Python environment (the server's own ``python3`` kernelspec); its lab
    extensions (widgets, plotly, anywidget) are found under ``sys.prefix``.
    """
    dirs = _write_lab_config(work_dir)
    port = free_port()
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(dirs["config"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
        # A fresh user data dir hides kernelspecs and extensions installed for the
        # user; the environment's own share/jupyter (sys.prefix) is still searched.
        JUPYTER_DATA_DIR=str(dirs["data"]),
        IPYTHONDIR=str(dirs["ipython"]),
        JUPYTER_PLATFORM_DIRS="1",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    # The course's server extension (saved lessons keep their widgets' static forms):
    # an editable install does not put its config in <prefix>/etc/jupyter.
    course_config = REPO_ROOT / "src" / "lems_course" / "data" / "jupyter"
    if course_config.is_dir():
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
            [str(course_config), *filter(None, [env.get("JUPYTER_CONFIG_PATH")])])
    # The kernel inherits this environment: keep the venv's bin/ first on PATH.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    command = [
        sys.executable, "-m", "jupyter", "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={root_dir}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabApp.user_settings_dir={dirs['user_settings']}",
        f"--LabApp.workspaces_dir={dirs['workspaces']}",
    ]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_file = open(log_path, "w")
    process = subprocess.Popen(
        command, cwd=root_dir, env=env, stdout=log_file, stderr=subprocess.STDOUT
    )
    server = LabServer(
        base_url=f"http://127.0.0.1:{port}",
        token=TOKEN,
        root_dir=root_dir,
        process=process,
        log_path=log_path,
        _log_file=log_file,
    )
    deadline = time.monotonic() + timeout_s
    while True:
        if process.poll() is not None:
            server.stop()
            raise RuntimeError(
                f"JupyterLab exited with code {process.returncode}; log:\n{log_path.read_text()}"
            )
        try:
            server.api("/api/status")
            return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(
                    f"JupyterLab did not answer /api/status in {timeout_s} s; log:\n"
                    f"{log_path.read_text()}"
                ) from None
            time.sleep(0.2)


def launch_chromium(playwright, executable_path: str):
    """Chromium from the system package; Playwright gives it a fresh temporary profile."""
    return playwright.chromium.launch(
        executable_path=executable_path, headless=True, args=CHROMIUM_ARGS
    )


# ---------------------------------------------------------------------------------
# Driving a notebook in the page
# ---------------------------------------------------------------------------------

# Finds the NotebookPanel for `path` in the main area and keeps it as window.__panel.
_FIND_PANEL_JS = """
(path) => {
  const app = window.jupyterapp;
  if (!app || !app.shell) return false;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path && w.content && w.sessionContext) {
      window.__panel = w;
      return true;
    }
  }
  return false;
}
"""

_KERNEL_READY_JS = """
() => {
  const p = window.__panel;
  if (!p || !p.context.isReady || !p.sessionContext.isReady) return false;
  const k = p.sessionContext.session && p.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && k.connectionStatus === 'connected';
}
"""

# "Run all" does nothing without an active cell or with a busy or reconnecting kernel.
_READY_TO_RUN_JS = """
() => {
  const p = window.__panel;
  const k = p.sessionContext.session && p.sessionContext.session.kernel;
  return !!p.content.activeCell && !p.sessionContext.pendingInput && !!k
    && k.status === 'idle' && k.connectionStatus === 'connected';
}
"""

_RUN_STATE_JS = """
() => {
  const p = window.__panel, app = window.jupyterapp;
  const k = p.sessionContext.session && p.sessionContext.session.kernel;
  return JSON.stringify({
    current: app.shell.currentWidget && app.shell.currentWidget.id, panel: p.id,
    activeCell: p.content.activeCellIndex, kernel: k ? k.status : null,
    connection: k ? k.connectionStatus : null,
    counts: p.content.widgets.filter(c => c.model.type === 'code')
             .map(c => c.model.executionCount)});
}
"""

# The kernel has taken the run: some code cell is queued or running (its prompt shows
# [*]) or already has a count. Outputs and counts are cleared first, so the counts
# stored in a lesson cannot fool this; a busy kernel alone is no proof (the widget
# manager's own requests make it busy too).
_RUN_STARTED_JS = """
() => {
  for (const c of window.__panel.content.widgets) {
    if (c.model.type !== 'code') continue;
    if (c.model.executionCount !== null || c.model.executionState === 'running') return true;
    const prompt = c.node.querySelector('.jp-InputPrompt');
    if (prompt && prompt.textContent.includes('[*]')) return true;
  }
  return false;
}
"""

# Finished: kernel idle, nothing running, every non-empty code cell has a count
# (or a cell failed, which stops the run and leaves later cells without one).
_RUN_FINISHED_JS = """
() => {
  const p = window.__panel;
  const k = p.sessionContext.session && p.sessionContext.session.kernel;
  if (!k || k.status !== 'idle') return false;
  let pending = 0, failed = false;
  for (const c of p.content.widgets) {
    if (c.model.type !== 'code') continue;
    if (c.model.executionState === 'running') return false;
    const prompt = c.node.querySelector('.jp-InputPrompt');
    if (prompt && prompt.textContent.includes('[*]')) return false;
    if (!c.model.sharedModel.getSource().trim()) continue;
    if (c.model.executionCount === null) pending += 1;
    const outputs = c.model.outputs;
    for (let i = 0; i < outputs.length; i++) {
      if (outputs.get(i).type === 'error') failed = true;
    }
  }
  return pending === 0 || failed;
}
"""

# Plotly plots in the notebook: how many hold data, out of how many.
_RENDER_STATE_JS = """
() => {
  const plots = document.querySelectorAll('.jp-NotebookPanel .js-plotly-plot');
  let drawn = 0;
  for (const el of plots) if (Array.isArray(el.data) && el.data.length) drawn += 1;
  return drawn + ':' + plots.length;
}
"""


_workspace_numbers = itertools.count(1)


@dataclass
class NotebookPage:
    """A Playwright page with one notebook open, and what went wrong in it."""

    page: object
    path: str
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    timings_s: dict[str, float] = field(default_factory=dict)
    covered: dict[int, list[str]] = field(default_factory=dict)
    clipped: dict[int, list[str]] = field(default_factory=dict)

    def evaluate(self, script: str, arg=None):
        return self.page.evaluate(script, arg)


def open_notebook(context, server: LabServer, path: str, timeout_s: float = 60.0) -> NotebookPage:
    """Open ``path`` (relative to the server root) in a new page and wait until its
    kernel is idle and connected."""
    page = context.new_page()
    notebook = NotebookPage(page=page, path=path)
    page.on("pageerror", lambda error: notebook.page_errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            notebook.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            notebook.failed_requests.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    start = time.monotonic()
    workspace = f"test-{next(_workspace_numbers)}"
    page.goto(
        server.notebook_url(path, workspace),
        wait_until="domcontentloaded",
        timeout=timeout_s * 1000,
    )
    page.wait_for_function("() => !!window.jupyterapp", timeout=timeout_s * 1000)
    page.evaluate("() => window.jupyterapp.restored")
    page.wait_for_function(_FIND_PANEL_JS, arg=path, timeout=timeout_s * 1000, polling=100)
    page.evaluate("() => window.__panel.context.ready")
    page.evaluate("() => window.__panel.sessionContext.ready")
    page.wait_for_function(_KERNEL_READY_JS, timeout=timeout_s * 1000, polling=100)
    notebook.timings_s["kernel_ready"] = time.monotonic() - start
    return notebook


def run_all(notebook: NotebookPage, timeout_s: float = 180.0,
            start_timeout_s: float = 30.0) -> None:
    """Clear all outputs, run all cells, and wait until every code cell has run.

    The command names its notebook (``semanticWidget``) instead of relying on which
    widget has focus, and is sent only once the notebook has an active cell and an idle,
    connected kernel: the conditions under which JupyterLab's "run all" silently does
    nothing. It is sent once; if the kernel has not taken it within ``start_timeout_s``
    the run fails with what the page looked like, rather than sending it again.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    page = notebook.page
    start = time.monotonic()
    page.evaluate(
        """async () => {
             const app = window.jupyterapp, panel = window.__panel;
             app.shell.activateById(panel.id);
             await app.commands.execute('notebook:clear-all-cell-outputs',
                                        {semanticWidget: panel.id});
           }"""
    )
    if page.evaluate(_RUN_STARTED_JS):
        raise RuntimeError("clearing the outputs left execution counts: cannot tell a new run")
    page.wait_for_function(_READY_TO_RUN_JS, timeout=start_timeout_s * 1000, polling=50)
    page.evaluate(
        """() => { const panel = window.__panel;
                   window.jupyterapp.commands.execute('notebook:run-all-cells',
                                                      {semanticWidget: panel.id}); }"""
    )
    try:
        page.wait_for_function(_RUN_STARTED_JS, timeout=start_timeout_s * 1000, polling=50)
    except PlaywrightTimeoutError:
        raise RuntimeError(f"{notebook.path}: 'run all' was not taken within "
                           f"{start_timeout_s:g} s; page state: "
                           f"{page.evaluate(_RUN_STATE_JS)}") from None
    notebook.timings_s["run_started"] = time.monotonic() - start
    page.wait_for_function(_RUN_FINISHED_JS, timeout=timeout_s * 1000, polling=200)
    notebook.timings_s["run_finished"] = time.monotonic() - start


def wait_for_plots(
    notebook: NotebookPage, minimum: int, timeout_s: float = 60.0, settle_s: float = 1.0
) -> int:
    """Wait until at least ``minimum`` plotly plots hold data and the count has not
    changed for ``settle_s``; return the number of plots drawn.

    Returns (rather than raises) when the minimum is not reached in time, so that the
    caller's assertion says what was seen.
    """
    deadline = time.monotonic() + timeout_s
    last, last_change = None, time.monotonic()
    while True:
        state = notebook.page.evaluate(_RENDER_STATE_JS)
        drawn, total = (int(n) for n in state.split(":"))
        now = time.monotonic()
        if state != last:
            last, last_change = state, now
        if drawn >= minimum and drawn == total and now - last_change >= settle_s:
            return drawn
        if now > deadline:
            return drawn
        time.sleep(0.1)


def error_outputs(notebook: NotebookPage) -> list[str]:
    """Text of every error output (exceptions) and stderr output holding a traceback."""
    return notebook.page.evaluate(
        """() => {
             const found = [];
             for (const c of window.__panel.content.widgets) {
               if (c.model.type !== 'code') continue;
               const inCell = [];
               const outputs = c.model.outputs;
               for (let i = 0; i < outputs.length; i++) {
                 const o = outputs.get(i).toJSON();
                 if (o.output_type === 'error') {
                   inCell.push(o.ename + ': ' + o.evalue);
                 } else if (o.output_type === 'stream' && o.name === 'stderr') {
                   const text = Array.isArray(o.text) ? o.text.join('') : o.text;
                   if (text.includes('Traceback')) inCell.push(text);
                 }
               }
               if (!inCell.length) {
                 // What the page shows, in case the model and the view disagree.
                 for (const el of c.node.querySelectorAll(
                     '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')) {
                   if (el.textContent.includes('Traceback')) inCell.push(el.textContent);
                 }
               }
               found.push(...inCell);
             }
             return found;
           }"""
    )


def plot_summaries(notebook: NotebookPage) -> list[dict]:
    """For every plotly plot in the notebook: number of traces and of data points."""
    return notebook.page.evaluate(
        """() => [...document.querySelectorAll('.jp-NotebookPanel .js-plotly-plot')].map(el => {
             const data = Array.isArray(el.data) ? el.data : [];
             let points = 0;
             for (const t of data) {
               for (const key of ['x', 'y', 'z', 'values', 'r', 'lat']) {
                 const v = t[key];
                 if (v && typeof v.length === 'number') { points += v.length; break; }
               }
             }
             const title = el.layout && el.layout.title;
             return {traces: data.length, points,
                     title: title ? (title.text || String(title)) : ''};
           })"""
    )


MAX_SCREENSHOT_HEIGHT = 12000  # px per image; longer notebooks are cut into parts


def full_page_screenshot(notebook: NotebookPage, path: Path, width: int = 1280) -> list[Path]:
    """Capture the whole notebook: hide the side bars, grow the viewport to the
    notebook's height and scroll it to the top (the notebook scrolls inside its own
    panel, so Playwright's ``full_page`` alone would capture one screen). A notebook
    taller than ``MAX_SCREENSHOT_HEIGHT`` is saved in parts: ``name.png``,
    ``name-2.png``, … Returns the files written."""
    page = notebook.page
    page.evaluate(
        """() => { const shell = window.jupyterapp.shell;
                   shell.collapseLeft(); shell.collapseRight(); }"""
    )
    scroller_js = """(() => window.__panel.content.node.querySelector('.jp-WindowedPanel-outer')
                            || window.__panel.content.node)()"""
    old = page.viewport_size
    height = 900
    for _ in range(3):  # the height changes as plots relayout to the new size
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(400)
        content = page.evaluate(f"() => {scroller_js}.scrollHeight")
        chrome = page.evaluate(
            f"() => window.innerHeight - {scroller_js}.getBoundingClientRect().height"
        )
        wanted = min(int(content + chrome) + 20, MAX_SCREENSHOT_HEIGHT)
        if abs(wanted - height) < 40:
            break
        height = wanted
    visible = page.evaluate(f"() => {scroller_js}.clientHeight")
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f"{path.stem}-*.png"):
        stale.unlink()
    written, offset = [], 0
    while True:
        page.evaluate(f"(top) => {{ {scroller_js}.scrollTop = top; }}", offset)
        page.wait_for_timeout(200)
        target = path if not written else path.with_name(f"{path.stem}-{len(written) + 1}.png")
        page.screenshot(path=str(target), full_page=True)
        written.append(target)
        offset += visible
        if offset >= content or len(written) >= 10:
            break
    if old:
        page.set_viewport_size(old)
    return written


def shut_down(notebook: NotebookPage) -> None:
    """Shut down the notebook's kernel and close the page."""
    page = notebook.page
    if not page.is_closed():
        page.evaluate(
            "async () => { if (window.__panel) await window.__panel.sessionContext.shutdown(); }"
        )
        page.close()


def make_work_dir(prefix: str = "lems-browser-") -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))


# ---------------------------------------------------------------------------------
# Reading and moving widgets
# ---------------------------------------------------------------------------------

_TRACE_JS = """
([plotIndex, traceIndex, key]) => {
  const el = document.querySelectorAll('.jp-NotebookPanel .js-plotly-plot')[plotIndex];
  if (!el || !el.data || !el.data[traceIndex]) return null;
  // FigureWidget may send numpy arrays as typed-array specs ({dtype, bdata});
  // plotly.js decodes them into _fullData.
  let v = el.data[traceIndex][key];
  if (!(Array.isArray(v) || ArrayBuffer.isView(v)) && el._fullData && el._fullData[traceIndex]) {
    v = el._fullData[traceIndex][key];
  }
  return v == null ? null : Array.from(v);
}
"""


def trace_values(notebook: NotebookPage, plot_index: int, trace_index: int, key: str = "y"):
    """Values of ``key`` (``"x"``, ``"y"`` …) of one trace of one plotly plot, as a list."""
    return notebook.page.evaluate(_TRACE_JS, [plot_index, trace_index, key])


def all_trace_values(notebook: NotebookPage, plot_index: int, key: str = "y") -> list:
    count = notebook.page.evaluate(
        """(i) => { const el = document.querySelectorAll('.jp-NotebookPanel .js-plotly-plot')[i];
                    return el && el.data ? el.data.length : 0; }""",
        plot_index,
    )
    return [trace_values(notebook, plot_index, t, key) for t in range(count)]


def wait_for_trace_change(
    notebook: NotebookPage, plot_index: int, before: list, key: str = "y", timeout_s: float = 10.0
) -> None:
    """Wait until the values of ``key`` of any trace of a plot differ from ``before``
    (a list per trace, as from :func:`all_trace_values`)."""
    notebook.page.wait_for_function(
        """([plotIndex, key, before]) => {
             const el = document.querySelectorAll('.jp-NotebookPanel .js-plotly-plot')[plotIndex];
             if (!el || !el.data) return false;
             const now = el.data.map((t, i) => {
               let v = t[key];
               if (!(Array.isArray(v) || ArrayBuffer.isView(v)) && el._fullData && el._fullData[i])
                 v = el._fullData[i][key];
               return v == null ? null : Array.from(v);
             });
             return JSON.stringify(now) !== JSON.stringify(before);
           }""",
        arg=[plot_index, key, before],
        timeout=timeout_s * 1000,
        polling="raf",
    )


def wait_for_trace_values(
    notebook: NotebookPage, plot_index: int, expected: list, key: str = "y",
    timeout_s: float = 10.0,
) -> None:
    """Wait until the values of ``key`` of the plot's traces equal ``expected`` (a list
    per trace); on timeout the caller's assertion says what is shown."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        notebook.page.wait_for_function(
            """([plotIndex, key, expected]) => {
                 const el = document.querySelectorAll(
                     '.jp-NotebookPanel .js-plotly-plot')[plotIndex];
                 if (!el || !el.data) return false;
                 const now = el.data.map((t, i) => {
                   let v = t[key];
                   if (!(Array.isArray(v) || ArrayBuffer.isView(v)) && el._fullData
                       && el._fullData[i]) v = el._fullData[i][key];
                   return v == null ? null : Array.from(v);
                 });
                 return JSON.stringify(now) === JSON.stringify(expected);
               }""",
            arg=[plot_index, key, expected],
            timeout=timeout_s * 1000,
            polling=100,
        )
    except PlaywrightTimeoutError:
        pass


def wait_for_text_change(
    notebook: NotebookPage, selector: str, before: str, timeout_s: float = 10.0
) -> str:
    """Wait until the text of the first element matching ``selector`` differs from ``before``."""
    notebook.page.wait_for_function(
        """([selector, before]) => {
             const el = document.querySelector(selector);
             return !!el && el.textContent !== before;
           }""",
        arg=[selector, before],
        timeout=timeout_s * 1000,
    )
    return notebook.page.locator(selector).first.text_content()


def press_on(notebook: NotebookPage, selector: str, key: str, index: int = 0) -> None:
    """Focus the ``index``-th element matching ``selector`` and press ``key`` on it."""
    handle = notebook.page.locator(selector).nth(index)
    handle.scroll_into_view_if_needed()
    handle.focus()
    notebook.page.keyboard.press(key)


def tag_cells(notebook: NotebookPage) -> None:
    """Mark every cell's DOM node with ``data-lems-cell="<index>"`` so locators can
    address the outputs of one cell (``[data-lems-cell="4"] .widget-slider``)."""
    notebook.page.evaluate(
        """() => window.__panel.content.widgets.forEach(
                 (c, i) => c.node.setAttribute('data-lems-cell', String(i)))"""
    )


def plot_index_in(notebook: NotebookPage, selector: str) -> int:
    """Index (among all plots of the notebook) of the first plotly plot inside ``selector``."""
    return notebook.page.evaluate(
        """(selector) => {
             const scope = document.querySelector(selector);
             const plot = scope && scope.querySelector('.js-plotly-plot');
             return [...document.querySelectorAll('.jp-NotebookPanel .js-plotly-plot')]
                    .indexOf(plot);
           }""",
        selector,
    )


def covered_choices(notebook: NotebookPage, scope: str = ".jp-NotebookPanel") -> list[str]:
    """Radio buttons and checkboxes inside ``scope`` that a click at their centre does
    not reach (another element, e.g. a long option's wrapped text, lies on top)."""
    return notebook.page.evaluate(
        """(scope) => {
             const covered = [];
             for (const input of document.querySelectorAll(
                    scope + ' .jp-OutputArea input:is([type=radio], [type=checkbox])')) {
               input.scrollIntoView({block: 'center'});
               const box = input.getBoundingClientRect();
               const hit = document.elementFromPoint(box.x + box.width / 2,
                                                     box.y + box.height / 2);
               if (hit !== input && !(input.parentElement && input.parentElement.contains(hit))) {
                 const label = input.closest('label') || input.parentElement;
                 covered.push((label ? label.textContent : input.value).trim().slice(0, 60));
               }
             }
             return covered;
           }""",
        scope,
    )


def clipped_labels(notebook: NotebookPage, scope: str = ".jp-NotebookPanel") -> list[str]:
    """Labels of checkboxes, radio buttons and sliders in outputs whose text is cut off
    (wider than its box: ipywidgets ends such a label with an ellipsis)."""
    return notebook.page.evaluate(
        """(scope) => [...document.querySelectorAll(
               scope + ' .jp-OutputArea :is(.widget-checkbox, .widget-radio-box, '
                     + '.widget-slider) label')]
             .filter(el => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
             .map(el => el.textContent.trim().slice(0, 60))""",
        scope,
    )
