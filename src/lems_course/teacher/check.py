"""``lems-course check``: can this installation run the course?

Each check prints one line, and a failure says what to do about it. The kernel check
runs a two-cell notebook in a real kernel, because a widget or the course's plotly
plot widget can import fine in the terminal and still fail in the kernel JupyterLab
starts (another Python, anywidget missing there).

The optional parts (teacher tools, Voilà, Chromium for the browser tests) are
reported after the required ones; a missing optional part is not a failure, and
the line says how to add it, for a clone and for an installed package alike.

Only the course speaks: the test kernel's own log lines (ipykernel's "Kernel is
running over TCP without encryption") and library warnings are kept out of the
output, and shown only when the kernel check fails.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sys
import tempfile
import warnings
from dataclasses import dataclass
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

# (distribution, why the course needs it)
KEY_PACKAGES = (
    ("jupyterlab", "the notebook interface"),
    ("ipywidgets", "sliders, buttons and quizzes"),
    ("plotly", "the explorers' figures"),
    ("anywidget", "the explorers' plots and the quiz feedback are built on it"),
    ("numpy", "the model"),
    ("ipykernel", "the Python kernel the lessons run in"),
)
MIN_PYTHON = (3, 10)

KERNEL_CELLS = (
    "import sys, ipywidgets\n"
    "slider = ipywidgets.FloatSlider(description='test')\n"
    "print('widget', type(slider).__name__, sys.executable)",
    "import plotly.graph_objects as go\n"
    "from lems_course.widgets._plot import PlotlyPlot\n"
    "figure = PlotlyPlot(go.Figure(go.Scatter(x=[0, 1], y=[0, 1])))\n"
    "print('figure', type(figure).__name__)",
)


# Optional parts: (extra, what it adds, distributions it needs).
OPTIONAL_EXTRAS = (
    ("teacher", "teacher tools (student copies, nbgrader course folder)", ("nbgrader",)),
    ("present", "lems-course present: lessons as apps in Voilà", ("voila",)),
)
CHROMIUM_PATHS = ("/usr/bin/chromium", "chromium", "chromium-browser")


def _clone_root() -> Path | None:
    """The repository folder when the course runs from a clone (editable install)."""
    root = Path(__file__).resolve().parents[3]
    return root if (root / "pyproject.toml").is_file() and (root / "src").is_dir() else None


def install_hint(extra: str) -> str:
    """The exact command that adds the optional ``extra`` to this installation."""
    root = _clone_root()
    if root is None:
        return f"pip install 'lems-course[{extra}]'"
    venv_pip = root / ".venv" / "bin" / "pip"
    if Path(sys.prefix).resolve() == (root / ".venv").resolve() and venv_pip.exists():
        return f'cd {root} && .venv/bin/pip install -e ".[{extra}]"'
    return f'cd {root} && {sys.executable} -m pip install -e ".[{extra}]"'


@dataclass
class Result:
    ok: bool
    what: str
    advice: str = ""
    optional: bool = False

    def show(self) -> None:
        mark = "ok  " if self.ok else ("--  " if self.optional else "FAIL")
        print(f"{mark}  {self.what}")
        if not self.ok and self.advice:
            print(f"      -> {self.advice}")


def check_python() -> Result:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info[:2] >= MIN_PYTHON
    return Result(ok, f"Python {version} ({sys.executable})",
                  f"the course needs Python {'.'.join(map(str, MIN_PYTHON))} or newer")


def check_packages() -> list[Result]:
    results = []
    for name, purpose in KEY_PACKAGES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            reinstall = (f'cd {_clone_root()} && {sys.executable} -m pip install -e .'
                         if _clone_root() else "pip install lems-course")
            results.append(Result(False, f"{name} is not installed ({purpose})",
                                  f"{sys.executable} -m pip install {name}, or reinstall "
                                  f"the course: {reinstall}"))
        else:
            results.append(Result(True, f"{name} {version}"))
    return results


def check_optional() -> list[Result]:
    """The optional parts: installed or not, and the command that adds each."""
    results = []
    for extra, purpose, distributions in OPTIONAL_EXTRAS:
        missing = [name for name in distributions if not _installed(name)]
        if missing:
            results.append(Result(False, f"optional: {purpose}: not installed "
                                         f"({', '.join(missing)} missing)",
                                  install_hint(extra), optional=True))
        else:
            versions = ", ".join(f"{name} {metadata.version(name)}" for name in distributions)
            results.append(Result(True, f"optional: {purpose} ({versions})", optional=True))
    chromium = next((shutil.which(name) for name in CHROMIUM_PATHS if shutil.which(name)),
                    None)
    if chromium is None:
        results.append(Result(False, "optional: Chromium for the browser tests: not found",
                              "apt-get install chromium (the tests never download a "
                              "browser)", optional=True))
    else:
        results.append(Result(True, f"optional: Chromium for the browser tests ({chromium})",
                              optional=True))
    return results


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return find_spec(name) is not None


@contextlib.contextmanager
def _quiet(log_path: Path):
    """Keep library warnings and log lines out of the check's output: Python
    warnings are dropped, loggers and the kernel's stderr go to ``log_path``."""
    handler = logging.FileHandler(log_path, encoding="utf-8")
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    root.handlers[:] = [handler]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.handlers[:], _ = saved
        handler.close()


def _log_tail(log_path: Path, lines: int = 8) -> str:
    try:
        text = log_path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def check_kernel(timeout_s: float = 60.0) -> Result:
    """Start a kernel and make a widget and a plotly plot widget in it; the kernel's
    own log goes to a file, quoted only if the check fails."""
    with tempfile.TemporaryDirectory(prefix="lems-course-check-") as tmp:
        log_path = Path(tmp) / "kernel.log"
        with open(log_path, "a", encoding="utf-8") as kernel_stderr, _quiet(log_path):
            result = _check_kernel(timeout_s, kernel_stderr)
        if not result.ok:
            tail = _log_tail(log_path)
            if tail:
                result.what += "\n      kernel log:\n" + "\n".join(
                    "        " + line for line in tail.splitlines())
        return result


def _check_kernel(timeout_s: float, kernel_stderr) -> Result:
    import nbformat
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(code) for code in KERNEL_CELLS],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}})
    client = NotebookClient(nb, timeout=timeout_s, startup_timeout=timeout_s,
                            kernel_name="python3")
    what = "a kernel starts and shows a widget and a plotly plot widget"
    try:
        # The keyword reaches the kernel's Popen: its stderr goes to the log file.
        client.execute(stderr=kernel_stderr)
    except NoSuchKernel:
        return Result(False, "no 'python3' kernel found",
                      f"{sys.executable} -m pip install ipykernel")
    except CellTimeoutError:
        return Result(False, f"the test kernel did not finish within {timeout_s:g} s",
                      "the machine may be busy: try again, or lems-course check --timeout 180")
    except DeadKernelError as error:
        return Result(False, f"the kernel died: {error}",
                      "reinstall ipykernel in this environment")
    except CellExecutionError as error:
        name = getattr(error, "ename", "error")
        value = getattr(error, "evalue", str(error))
        advice = ("pip install anywidget (the course's plots need it)"
                  if "anywidget" in str(error) else
                  "install the course's requirements in the kernel's Python: pip install -e .")
        return Result(False, f"in the kernel: {name}: {value}", advice)
    except RuntimeError as error:  # kernel failed to start (wrong Python, port trouble)
        return Result(False, f"the kernel did not start: {error}",
                      f"{sys.executable} -m pip install ipykernel")
    printed = "".join(out.get("text", "") for cell in nb.cells for out in cell.outputs)
    kernel_python = printed.split("widget FloatSlider ", 1)[-1].split("\n", 1)[0]
    if "figure PlotlyPlot" not in printed:
        return Result(False, what, "the kernel printed nothing: reinstall ipykernel")
    return Result(True, f"{what} (kernel Python: {kernel_python})")


def check_lessons(lessons: str | None) -> Result:
    from .lessons import CourseError, find_lessons_dir, list_lessons

    try:
        folder = find_lessons_dir(lessons)
    except CourseError as error:
        return Result(False, "lessons not found", str(error))
    return Result(True, f"{len(list_lessons(folder))} lessons in {folder}")


def run_checks(lessons: str | None = None, timeout_s: float = 60.0) -> bool:
    """Print one line per check; True when every required part works (optional
    parts are reported but do not fail the check)."""
    results = [check_python(), *check_packages()]
    for result in results:
        result.show()
    for step in (lambda: check_lessons(lessons), lambda: check_kernel(timeout_s)):
        result = step()
        result.show()
        results.append(result)
    optional = check_optional()
    for result in optional:
        result.show()
    failed = [r for r in results if not r.ok]
    missing = [r for r in optional if not r.ok]
    if failed:
        print(f"{len(failed)} check(s) failed: see the advice above.")
    elif missing:
        print(f"All required checks passed: the course is ready. {len(missing)} optional "
              "part(s) not installed (see above).")
    else:
        print("All checks passed: the course is ready, with every optional part.")
    return not failed
