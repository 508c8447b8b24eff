"""Local images referenced from markdown cells, so that a student copy or an HTML export
carries them with it instead of pointing at ``../assets/…`` on the teacher's disk."""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Callable
from pathlib import Path

_MARKDOWN_IMAGE = re.compile(r"(!\[[^\]]*\]\()(<[^>]+>|[^)\s]+)((?:\s+\"[^\"]*\")?\))")
_HTML_IMAGE = re.compile(r"(<img\b[^>]*?\bsrc=)([\"'])([^\"']+)\2", re.IGNORECASE)
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)

mimetypes.add_type("image/svg+xml", ".svg")


def mimetype_of(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def data_uri(path: Path) -> str:
    encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:{mimetype_of(path)};base64,{encoded}"


def rewrite_local_images(source: str, base_dir: Path,
                         replace: Callable[[Path], str]) -> str:
    """Replace each reference to an existing local image file by ``replace(path)``.

    Remote URLs, data URIs and ``attachment:`` references are left alone, and so is a
    reference to a file that does not exist (the export should not hide a broken link).
    """

    def local(target: str) -> Path | None:
        target = target.strip("<>")
        if _REMOTE.match(target):
            return None
        path = (base_dir / target.split("#")[0].split("?")[0]).resolve()
        return path if path.is_file() else None

    def markdown(match: re.Match[str]) -> str:
        path = local(match.group(2))
        if path is None:
            return match.group(0)
        return f"{match.group(1)}{replace(path)}{match.group(3)}"

    def html(match: re.Match[str]) -> str:
        path = local(match.group(3))
        if path is None:
            return match.group(0)
        quote = match.group(2)
        return f"{match.group(1)}{quote}{replace(path)}{quote}"

    return _HTML_IMAGE.sub(html, _MARKDOWN_IMAGE.sub(markdown, source))
