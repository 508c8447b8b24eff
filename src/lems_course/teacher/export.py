"""Each lesson as one self-contained HTML page that opens offline.

- A live widget cannot run without a kernel: an output that also carries a static
  form (the explorers' plotly snapshot and text summary, the quizzes' plain text)
  keeps only the static form; a widget with no static form becomes a short note.
- Plotly snapshots become interactive plots, with plotly.js inlined once per page
  from the installed plotly package (no CDN).
- Local images referenced from markdown are inlined as data URIs.
- No script or style is loaded from the network: the lab template's require.js,
  MathJax and Mermaid loaders are left out (TeX then shows as written).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import nbformat
from nbformat.notebooknode import NotebookNode

from .images import data_uri, rewrite_local_images
from .lessons import read_lesson

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_NOTE = ("[Interactive widget: open this lesson in JupyterLab to use it.]")

_OFFLINE_TEMPLATE = """\
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}
{%- if resources.lems_plotlyjs -%}
<script type="text/javascript">{{ resources.lems_plotlyjs }}</script>
{%- endif -%}
{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


def _plotly_html(figure: dict[str, Any], summary: str, index: int) -> str:
    div_id = f"lems-plot-{index}"  # deterministic, so exports diff cleanly
    spec = json.dumps({"data": figure.get("data", []), "layout": figure.get("layout", {}),
                       "config": {"responsive": True, "displaylogo": False}})
    # "</" inside a script would end it early; JSON allows the escaped form.
    spec = spec.replace("</", "<\\/")
    caption = f"<pre class=\"lems-summary\">{html.escape(summary)}</pre>" if summary else ""
    return (f"<div id=\"{div_id}\" class=\"lems-plot\" style=\"min-height:420px\"></div>\n"
            f"<script type=\"text/javascript\">(function(){{var s={spec};"
            f"Plotly.newPlot(\"{div_id}\",s.data,s.layout,s.config);}})();</script>\n"
            f"{caption}")


def static_notebook(nb: NotebookNode, lesson_dir: Path) -> tuple[NotebookNode, int]:
    """A copy of ``nb`` whose outputs read without a kernel; also the number of plots."""
    nb = nbformat.from_dict(nb)
    nb.metadata.pop("widgets", None)
    plots = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = rewrite_local_images(cell.source, lesson_dir, data_uri)
            continue
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data is None:
                continue
            if PLOTLY_MIME in data:
                plots += 1
                figure = data[PLOTLY_MIME]
                summary = data.get("text/plain", "")
                if isinstance(summary, list):
                    summary = "".join(summary)
                data.clear()
                data["text/html"] = _plotly_html(figure, summary, plots)
                data["text/plain"] = summary
                continue
            if WIDGET_MIME in data:
                del data[WIDGET_MIME]
                if not data:
                    data["text/plain"] = WIDGET_NOTE
    return nb, plots


def lesson_html(nb: NotebookNode, lesson_dir: Path, title: str) -> str:
    """One self-contained HTML page for a lesson notebook."""
    import jinja2
    from nbconvert import HTMLExporter

    static, plots = static_notebook(nb, lesson_dir)
    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[jinja2.DictLoader({"lems_offline.html.j2": _OFFLINE_TEMPLATE})],
        template_file="lems_offline.html.j2",
    )
    resources: dict[str, Any] = {"metadata": {"name": title, "path": str(lesson_dir)}}
    if plots:
        from plotly.offline import get_plotlyjs

        resources["lems_plotlyjs"] = get_plotlyjs()
    body, _ = exporter.from_notebook_node(static, resources=resources)
    return body


def export_lesson(lesson: Path, out_dir: Path) -> Path:
    nb = read_lesson(lesson)
    target = out_dir / f"{lesson.stem}.html"
    target.write_text(lesson_html(nb, lesson.parent, lesson.stem), encoding="utf-8")
    return target
