"""Checks shared by the lesson and interaction tests: find an explorer call in a
lesson, build the same explorer in the test process, and compare what the page
draws with what the explorer's pure update function gives."""

from __future__ import annotations

import ast
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path

import ipywidgets
import nbformat

from . import jupyter_harness as harness
from .course import EXPLORER_NAMES

# DOM class of each kind of control (ipywidgets 8), in the order they are searched.
CONTROL_SELECTOR = {
    "slider": ".widget-slider",
    "checkbox": ".widget-checkbox",
    "dropdown": ".widget-dropdown",
    "toggle": ".widget-toggle-buttons",
    "radio": ".widget-radio",
}
ANY_CONTROL = ":is(" + ", ".join(CONTROL_SELECTOR.values()) + ")"


def control_kind(widget: ipywidgets.Widget) -> str | None:
    if isinstance(widget, (ipywidgets.IntSlider, ipywidgets.FloatSlider)):
        return "slider"
    if isinstance(widget, ipywidgets.Checkbox):
        return "checkbox"
    if isinstance(widget, ipywidgets.Dropdown):
        return "dropdown"
    if isinstance(widget, ipywidgets.ToggleButtons):
        return "toggle"
    if isinstance(widget, ipywidgets.RadioButtons):
        return "radio"
    return None


@dataclass
class Located:
    """An explorer call in a notebook: its cell, function name and source text."""

    cell_index: int
    name: str
    call_source: str


def find_calls(notebook_path: Path, names=EXPLORER_NAMES) -> list[Located]:
    """Every call of one of ``names`` in the notebook's code cells, in order."""
    notebook = nbformat.read(notebook_path, as_version=4)
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue  # IPython magics; lessons have none, but do not choke on them
        calls = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name in names:
                    calls.append((node.lineno, node.col_offset, name, node))
        for _, _, name, node in sorted(calls, key=lambda c: c[:2]):
            found.append(Located(index, name, ast.get_source_segment(cell.source, node)))
    return found


def find_call(notebook_path: Path, function_name: str) -> Located | None:
    """The first call of ``function_name`` in the notebook's code cells."""
    calls = find_calls(notebook_path, (function_name,))
    return calls[0] if calls else None


def build_explorer(located: Located):
    """The explorer the lesson shows, built here from the lesson's own call
    expression (e.g. ``emg_lab(condition="lems")``). Raises NameError when the call
    uses a variable of the lesson rather than literals."""
    import lems_course.widgets as widgets

    return eval(located.call_source, {located.name: getattr(widgets, located.name)})


# --- the page side ---------------------------------------------------------------------


def dom_traces(notebook: harness.NotebookPage, plot_index: int) -> list[dict]:
    return notebook.page.evaluate(
        """(i) => {
             const el = document.querySelectorAll('.jp-NotebookPanel .js-plotly-plot')[i];
             return el.data.map((t, n) => {
               const out = {};
               for (const key of ['x', 'y']) {
                 let v = t[key];
                 if (!(Array.isArray(v) || ArrayBuffer.isView(v)) && el._fullData[n])
                   v = el._fullData[n][key];
                 out[key] = v == null ? null : Array.from(v);
               }
               return out;
             });
           }""",
        plot_index,
    )


def same_numbers(shown, expected) -> bool:
    if shown is None or len(shown) != len(expected):
        return False
    for a, b in zip(shown, expected, strict=True):
        if isinstance(b, str) or isinstance(a, str) or a is None or b is None:
            if a != b:
                return False
        elif not math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9):
            return False
    return True


def figure_arrays(figure) -> list[dict]:
    """x and y of every trace of a Python figure, as lists (None when unset)."""
    arrays = []
    for trace in figure.data:
        entry = {}
        for key in ("x", "y"):
            value = getattr(trace, key, None)
            entry[key] = None if value is None else list(value)
        arrays.append(entry)
    return arrays


def trace_mismatches(shown: list[dict], expected: list[dict]) -> list[str]:
    """Where the page's traces differ from the Python figure's (x and y of each)."""
    problems = []
    if len(shown) != len(expected):
        problems.append(f"page has {len(shown)} traces, Python {len(expected)}")
    for index, (got, want) in enumerate(zip(shown, expected, strict=False)):
        for key in ("x", "y"):
            if want[key] is not None and not same_numbers(got[key], want[key]):
                problems.append(f"trace {index} {key}: page {got[key]} != Python {want[key]}")
    return problems


def wait_until_page_matches(notebook, scope: str, plot_index: int, explorer, timeout_s=15.0):
    """Poll until the plot and summary in the page equal the Python explorer's (which
    the explorer's pure update function filled); return what still differs at the
    deadline (empty when they match)."""
    expected = figure_arrays(explorer.figure)
    deadline = time.monotonic() + timeout_s
    while True:
        problems = trace_mismatches(dom_traces(notebook, plot_index), expected)
        summary = notebook.page.locator(f"{scope} .lems-summary").first.text_content()
        if summary.strip() != explorer.summary_text:
            problems.append(f"summary: page {summary.strip()!r} != model {explorer.summary_text!r}")
        if not problems or time.monotonic() > deadline:
            return problems
        notebook.page.wait_for_timeout(100)


def move_control(notebook, scope: str, dom_index: int, widget: ipywidgets.Widget) -> str:
    """Change one control with the keyboard in the page and the same way in Python;
    return what was done (for the failure message)."""
    control = notebook.page.locator(f"{scope} {ANY_CONTROL}").nth(dom_index)
    kind = control_kind(widget)
    if kind == "slider":
        up = widget.value + widget.step <= widget.max
        key = "ArrowRight" if up else "ArrowLeft"
        handle = control.locator(".noUi-handle").first
        # A screen reader announces the handle by the slider's own label.
        assert handle.get_attribute("aria-label") == widget.description, (
            f"slider handle named {handle.get_attribute('aria-label')!r}, "
            f"not {widget.description!r}")
        handle.focus()
        notebook.page.keyboard.press(key)
        new = widget.value + (widget.step if up else -widget.step)
        widget.value = round(new, 10) if isinstance(widget.value, float) else new
        return f"{widget.description}: {key}"
    if kind == "checkbox":
        control.locator("input[type=checkbox]").focus()
        notebook.page.keyboard.press("Space")
        widget.value = not widget.value
        return f"{widget.description}: Space"
    if kind == "dropdown":
        up = widget.index + 1 < len(widget.options)
        key = "ArrowDown" if up else "ArrowUp"
        select = control.locator("select")
        select.focus()
        notebook.page.keyboard.press(key)
        # JupyterLab 4 binds ArrowUp/ArrowDown in command mode to "move to the next
        # cell" for any focused element that is not editable text: a <select> in an
        # output loses the key (seen here). A keyboard user then cannot use it.
        assert select.evaluate("el => el.selectedIndex") == widget.index + (1 if up else -1), (
            f"{widget.description}: {key} on the dropdown did not change it (JupyterLab "
            "took the key as a notebook shortcut); use ToggleButtons or RadioButtons"
        )
        widget.index = widget.index + (1 if up else -1)
        return f"{widget.description}: {key}"
    if kind in ("toggle", "radio"):
        target = (widget.index + 1) % len(widget.options)
        element = "button" if kind == "toggle" else "input[type=radio]"
        control.locator(element).nth(target).focus()
        notebook.page.keyboard.press("Space")
        widget.index = target
        return f"{widget.description}: Space on option {target}"
    raise AssertionError(f"no keyboard action for {type(widget).__name__}")


def drive_explorer(notebook: harness.NotebookPage, cell_index: int, explorer) -> None:
    """Move every control of the explorer once and check plot + summary each time."""
    scope = f'[data-lems-cell="{cell_index}"]'
    plot_index = harness.plot_index_in(notebook, scope)
    assert plot_index >= 0, "the explorer's cell shows no plotly plot"

    controls = [w for w in explorer.controls.values() if control_kind(w)]
    kinds = [control_kind(w) for w in controls]
    shown_kinds = notebook.page.evaluate(
        """([scope, selectors]) => [...document.querySelectorAll(
               scope + ' :is(' + Object.values(selectors).join(', ') + ')')]
             .map(el => Object.keys(selectors).find(k => el.matches(selectors[k])))""",
        [scope, CONTROL_SELECTOR],
    )
    assert shown_kinds[: len(kinds)] == kinds, "the page shows other controls than Python"

    problems = wait_until_page_matches(notebook, scope, plot_index, explorer)
    assert not problems, "before any key press:\n" + "\n".join(problems)

    changed_something = False
    for dom_index, widget in enumerate(controls):
        before = explorer.view()
        action = move_control(notebook, scope, dom_index, widget)
        after = explorer.view()
        changed_something |= (after.summary, json.dumps(after.traces, default=str)) != (
            before.summary,
            json.dumps(before.traces, default=str),
        )
        problems = wait_until_page_matches(notebook, scope, plot_index, explorer)
        assert not problems, f"after {action}:\n" + "\n".join(problems)
    assert changed_something, "no key press changed the model's view: the test proved nothing"
