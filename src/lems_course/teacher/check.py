"""``lems-course check``: can this installation run the course?

Each check prints one line, and a failure says what to do about it. The kernel check
runs a two-cell notebook in a real kernel, because a widget or the course's plotly
plot widget can import fine in the terminal and still fail in the kernel JupyterLab
starts (another Python, anywidget missing there).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import metadata

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


@dataclass
class Result:
    ok: bool
    what: str
    advice: str = ""

    def show(self) -> None:
        print(f"{'ok  ' if self.ok else 'FAIL'}  {self.what}")
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
            results.append(Result(False, f"{name} is not installed ({purpose})",
                                  f"{sys.executable} -m pip install {name}, or reinstall "
                                  "the course: pip install -e ."))
        else:
            results.append(Result(True, f"{name} {version}"))
    return results


def check_kernel(timeout_s: float = 60.0) -> Result:
    """Start a kernel and make a widget and a plotly plot widget in it."""
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
        client.execute()
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
    results = [check_python(), *check_packages()]
    for result in results:
        result.show()
    for step in (lambda: check_lessons(lessons), lambda: check_kernel(timeout_s)):
        result = step()
        result.show()
        results.append(result)
    failed = [r for r in results if not r.ok]
    print("All checks passed: the course is ready." if not failed
          else f"{len(failed)} check(s) failed: see the advice above.")
    return not failed
