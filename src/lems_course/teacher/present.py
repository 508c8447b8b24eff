"""``lems-course present LESSON``: a lesson as an app in Voilà (code hidden).

Why not plain ``voila lessons/NN.ipynb``: Voilà 0.5 inlines Markdown images through
its contents manager, whose root is the notebook's folder, so the lessons'
``../assets/…`` figures raise an uncaught HTTP 404 and the page hangs at "Executing
N of M" for ever. The command swaps in
:class:`lems_course.teacher.voila_images.CourseMarkdownRenderer` (Voilà's own setting
``VoilaExporter.markdown_renderer_class``), which reads images beside the notebook and
in the course folder above it.
"""

from __future__ import annotations

import sys
from pathlib import Path

RENDERER = "lems_course.teacher.voila_images.CourseMarkdownRenderer"


def present_command(lesson: Path, port: int | None = None, open_browser: bool = True,
                    extra: list[str] | None = None) -> list[str]:
    """The ``voila`` command that serves ``lesson`` with the course's image renderer."""
    command = [sys.executable, "-m", "voila", str(lesson),
               f"--VoilaExporter.markdown_renderer_class={RENDERER}"]
    if port is not None:
        command.append(f"--port={port}")
    if not open_browser:
        command.append("--no-browser")
    return command + list(extra or [])
