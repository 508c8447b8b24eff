"""Markdown images for Voilà: imported by Voilà only (``lems-course present``).

Voilà's renderer asks its contents manager for ``../assets/x.svg``; that path is
outside the manager's root (the notebook's folder), the manager raises HTTP 404, and
Voilà does not catch it, so the page never finishes. This renderer reads the image
itself, relative to the notebook's folder, and inlines it as a data URI. It only
reads image files inside the course folder (the root's parent); any other
reference is left as written, never an error.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

from nbconvert.filters.markdown_mistune import IPythonRenderer
from voila.exporter import NB_CONVERT_760, VoilaMarkdownRenderer

from .images import data_uri, mimetype_of


class CourseMarkdownRenderer(VoilaMarkdownRenderer):
    def _local_image(self, src: str) -> Path | None:
        root = getattr(self.contents_manager, "root_dir", None)
        if not root or "://" in src or src.startswith(("data:", "attachment:", "/")):
            return None
        root_path = Path(root).resolve()
        path = (root_path / urllib.parse.unquote(src.split("#")[0].split("?")[0])).resolve()
        allowed = path.is_relative_to(root_path.parent)
        if allowed and path.is_file() and mimetype_of(path).startswith("image/"):
            return path
        return None

    def image(self, text: str, url: str, title: str | None = None) -> str:
        src = url if NB_CONVERT_760 else text
        path = self._local_image(src)
        if path is not None:
            inlined = data_uri(path)
        else:
            try:
                return super().image(text, url, title)
            except Exception:  # Voilà would hang on it: show the reference as written
                inlined = src
        if NB_CONVERT_760:
            return IPythonRenderer.image(self, text, inlined, title)
        return IPythonRenderer.image(self, inlined, url, title)
