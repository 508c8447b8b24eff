"""Start a course command that serves the lessons (``lems-course open``,
``lems-course present``) as a user would, and read the URL it prints.

The command runs in its own process group with throw-away Jupyter config, data and
runtime folders (so neither the tester's settings nor the harness's are used); the
group is ended when the test is done.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

URL = re.compile(r"https?://(?:localhost|127\.0\.0\.1):\d+/\S*")


@dataclass
class Served:
    process: subprocess.Popen
    lines: list[str] = field(default_factory=list)
    work_dir: Path | None = None

    def output(self) -> str:
        return "".join(self.lines)

    def urls(self) -> list[str]:
        return URL.findall(self.output())

    def wait_for_url(self, must_contain: str, timeout_s: float) -> str:
        """The first printed URL containing ``must_contain``; fails, with the output so
        far, if the command exits or prints none within ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for url in self.urls():
                if must_contain in url:
                    return url
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(
            f"no URL containing {must_contain!r} within {timeout_s:g} s "
            f"(exit code {self.process.poll()}); output:\n{self.output()[-4000:]}")

    def stop(self, timeout_s: float = 15.0) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=timeout_s)


def serve(args: list[str], cwd: Path, work_dir: Path) -> Served:
    """Run ``python -m lems_course.cli ARGS`` in ``cwd``; its output is collected."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    for name in ("config", "data", "runtime", "ipython"):
        (work_dir / name).mkdir(parents=True, exist_ok=True)
    env.update(
        JUPYTER_CONFIG_DIR=str(work_dir / "config"),
        JUPYTER_DATA_DIR=str(work_dir / "data"),
        JUPYTER_RUNTIME_DIR=str(work_dir / "runtime"),
        IPYTHONDIR=str(work_dir / "ipython"),
        JUPYTER_PLATFORM_DIRS="1",
        LEMS_COURSE_HOME=str(work_dir / "progress"),
        PYDEVD_DISABLE_FILE_VALIDATION="1",
        PYTHONUNBUFFERED="1",
    )
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    process = subprocess.Popen(
        [sys.executable, "-m", "lems_course.cli", *args], cwd=cwd, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    served = Served(process=process, work_dir=work_dir)

    def read() -> None:
        for line in process.stdout:
            served.lines.append(line)

    threading.Thread(target=read, daemon=True).start()
    return served
