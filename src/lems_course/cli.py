"""The ``lems-course`` command: open a lesson, and the teacher tools.

Exit codes: 0 done; 1 something failed (a check, a notebook that could not be
processed: the others are still done); 2 a usage error (unknown lesson, missing
lessons folder, an output path that cannot be used).
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

from lems_course.teacher.check import install_hint
from lems_course.teacher.lessons import (
    EXIT_FAILED,
    CourseError,
    find_lessons_dir,
    list_lessons,
    resolve_lesson,
)


def _out_dir(path: str) -> Path:
    out = Path(path).expanduser()
    if out.exists() and not out.is_dir():
        raise CourseError(f"{out} is a file, not a folder: give a folder for the output.")
    out.mkdir(parents=True, exist_ok=True)
    return out


def _out_file(path: str, suffixes: tuple[str, ...]) -> Path:
    out = Path(path).expanduser()
    if out.suffix.lower() not in suffixes:
        raise CourseError(f"{out}: the file name must end in " + " or ".join(suffixes))
    if out.is_dir():
        raise CourseError(f"{out} is a folder: give a file name such as answer_key.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def _progress(index: int, total: int, name: str, outcome: str) -> None:
    print(f"[{index}/{total}] {name} … {outcome}", flush=True)


def _lessons(args: argparse.Namespace) -> list[Path]:
    lessons = list_lessons(find_lessons_dir(args.lessons))
    if not lessons:
        raise CourseError("The lessons folder holds no .ipynb notebooks.")
    return lessons


# Settings the course's JupyterLab runs with, shipped in the package: no news pop-up,
# no update check (page_config.json disables the announcements plugin). They reach
# JupyterLab through JUPYTER_CONFIG_PATH, so the learner's own ~/.jupyter is untouched.
JUPYTER_SETTINGS_DIR = Path(__file__).resolve().parent / "data" / "jupyter"


def course_jupyter_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """``env`` (default: this process's) with the course's Jupyter settings folder first
    on ``JUPYTER_CONFIG_PATH``."""
    env = dict(os.environ if env is None else env)
    paths = [str(JUPYTER_SETTINGS_DIR)]
    if env.get("JUPYTER_CONFIG_PATH"):
        paths.append(env["JUPYTER_CONFIG_PATH"])
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    return env


def lab_url_path(lesson: Path, root: Path) -> str:
    """The JupyterLab URL path that opens ``lesson`` (under ``root``) as the active
    document, with the file browser in the lesson's folder."""
    relative = lesson.relative_to(root).as_posix()
    return "/lab/tree/" + urllib.parse.quote(relative)


def _open_command(args: argparse.Namespace) -> tuple[list[str], Path]:
    lessons_dir = find_lessons_dir(args.lessons).resolve()
    lesson = resolve_lesson(args.lesson, lessons_dir).resolve()
    # JupyterLab only opens files under its root folder: the course folder (so the
    # file browser can show lessons/ and the lessons' ../assets images load), or the
    # lesson's own folder if it is elsewhere.
    root = lessons_dir.parent if lesson.is_relative_to(lessons_dir.parent) else lesson.parent
    # The lesson is the server's default URL (not a file argument): then every URL the
    # server prints, and its open.html, land on the lesson, with or without a browser.
    command = [sys.executable, "-m", "jupyter", "lab",
               f"--ServerApp.root_dir={root}",
               # JupyterLab sets the server's default URL from its own.
               f"--LabApp.default_url={lab_url_path(lesson, root)}"]
    if args.no_browser:
        command.append("--no-browser")
    if args.port is not None:
        command.append(f"--ServerApp.port={args.port}")
    if args.ip is not None:
        command.append(f"--ServerApp.ip={args.ip}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # Jupyter refuses root without it (Docker, Binder)
    return command, lesson


def _run_server(command: list[str], env: dict[str, str]) -> int:
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 0


def cmd_open(args: argparse.Namespace) -> int:
    command, lesson = _open_command(args)
    if args.dry_run:
        print(f"JUPYTER_CONFIG_PATH={shlex.quote(str(JUPYTER_SETTINGS_DIR))} "
              + shlex.join(command))
        return 0
    print(f"Opening {lesson.name} in JupyterLab. If no browser opens, copy one of the "
          "URLs below into a browser: each opens the lesson. (Ctrl+C here stops "
          "JupyterLab.)", flush=True)
    return _run_server(command, course_jupyter_env())


def cmd_present(args: argparse.Namespace) -> int:
    from lems_course.teacher.present import present_command

    lessons_dir = find_lessons_dir(args.lessons).resolve()
    lesson = resolve_lesson(args.lesson, lessons_dir).resolve()
    command = present_command(lesson, port=args.port, open_browser=not args.no_browser)
    if args.dry_run:
        print(shlex.join(command))
        return 0
    from importlib.util import find_spec

    if find_spec("voila") is None:
        raise CourseError(f"Voilà is not installed: {install_hint('present')}",
                          EXIT_FAILED)
    print(f"Presenting {lesson.name} with Voilà (code hidden; Ctrl+C here stops it) …",
          flush=True)
    return _run_server(command, course_jupyter_env())


def _process_each(lessons: list[Path], out: Path, convert, outcome: str) -> int:
    """Run ``convert(lesson, out)`` on every lesson; a failure is reported with the
    lesson's name and the others still run."""
    failures = 0
    for index, lesson in enumerate(lessons, start=1):
        try:
            convert(lesson, out)
        except CourseError as error:
            failures += 1
            _progress(index, len(lessons), lesson.name, "FAILED")
            print(f"error: {lesson}: {error}", file=sys.stderr)
        else:
            _progress(index, len(lessons), lesson.name, outcome)
    if failures:
        print(f"error: {failures} of {len(lessons)} lessons failed (see above); "
              "the others were written.", file=sys.stderr)
        return EXIT_FAILED
    print(f"Wrote {len(lessons)} files to {out}")
    return 0


def cmd_student(args: argparse.Namespace) -> int:
    from lems_course.teacher.student import write_student_copy

    lessons = _lessons(args)
    out = _out_dir(args.outdir)
    return _process_each(lessons, out, write_student_copy, "done")


def cmd_export(args: argparse.Namespace) -> int:
    from lems_course.teacher.export import export_lesson

    lessons = _lessons(args)
    out = _out_dir(args.outdir)
    return _process_each(lessons, out, export_lesson, "done")


def cmd_answer_key(args: argparse.Namespace) -> int:
    from lems_course.quiz import QuizError
    from lems_course.teacher.answer_key import write_answer_key

    out = _out_file(args.outfile, (".md", ".html"))
    try:
        count = write_answer_key(out)
    except QuizError as error:
        raise CourseError(f"the quiz bank could not be read: {error}", EXIT_FAILED) from error
    print(f"Wrote the answer key for {count} quiz items to {out}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from lems_course.teacher.check import run_checks

    return 0 if run_checks(args.lessons, timeout_s=args.timeout) else EXIT_FAILED


def cmd_nbgrader_course(args: argparse.Namespace) -> int:
    from lems_course.teacher.grading import write_course

    lessons = _lessons(args)
    out = _out_dir(args.coursedir)
    failures = 0
    for index, lesson in enumerate(lessons, start=1):
        try:
            [(_, points)] = write_course([lesson], out)
        except CourseError as error:
            failures += 1
            _progress(index, len(lessons), lesson.name, "FAILED")
            print(f"error: {lesson}: {error}", file=sys.stderr)
        else:
            graded = f"{points:g} points autograded" if points else "not graded"
            _progress(index, len(lessons), lesson.name, f"source/{lesson.stem}/ ({graded})")
    print(f"nbgrader course folder: {out}. Next: cd {out} && "
          "python -m nbgrader generate_assignment LESSON")
    return EXIT_FAILED if failures else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lems-course",
        description="Open the LEMS course in JupyterLab (or present a lesson with "
                    "Voilà), and teacher tools: student copies, nbgrader course folder, "
                    "answer key, offline HTML, installation check.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def lessons_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--lessons", metavar="DIR",
                       help="the lessons folder (default: found from the current folder)")

    def server_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("lesson", nargs="?", metavar="LESSON",
                       help="number (3 or 03), start of the name, or a path "
                            "(default: 00_start_here.ipynb)")
        p.add_argument("--no-browser", action="store_true",
                       help="do not start a browser; open one of the printed URLs yourself")
        p.add_argument("--port", type=int, metavar="PORT", help="port to serve on")
        p.add_argument("--dry-run", action="store_true",
                       help="print the command, do not run it")
        lessons_option(p)

    p = sub.add_parser("open", help="open a lesson in JupyterLab")
    server_options(p)
    p.add_argument("--ip", metavar="ADDRESS",
                   help="address to listen on (default localhost; 0.0.0.0 in a container)")
    p.set_defaults(handler=cmd_open)

    p = sub.add_parser("present", help="present a lesson as an app with Voilà (code hidden)")
    server_options(p)
    p.set_defaults(handler=cmd_present)

    p = sub.add_parser("student", help="write student copies of every lesson")
    p.add_argument("outdir", metavar="OUTDIR")
    lessons_option(p)
    p.set_defaults(handler=cmd_student)

    p = sub.add_parser("nbgrader-course",
                       help="lay out an nbgrader course folder, one assignment per lesson")
    p.add_argument("coursedir", metavar="COURSEDIR")
    lessons_option(p)
    p.set_defaults(handler=cmd_nbgrader_course)

    p = sub.add_parser("answer-key", help="write the quiz answer key (.md or .html)")
    p.add_argument("outfile", metavar="OUTFILE")
    p.set_defaults(handler=cmd_answer_key)

    p = sub.add_parser("check", help="check that this installation can run the course")
    p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help="time allowed for the test kernel (default 60)")
    lessons_option(p)
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("export", help="export every lesson to offline HTML")
    p.add_argument("outdir", metavar="OUTDIR")
    lessons_option(p)
    p.set_defaults(handler=cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    except ModuleNotFoundError as error:
        if error.name and error.name.split(".")[0] in {"nbgrader", "nbconvert", "nbclient"}:
            print(f"error: {error.name} is missing: {install_hint('teacher')}",
                  file=sys.stderr)
            return EXIT_FAILED
        raise


if __name__ == "__main__":
    sys.exit(main())
