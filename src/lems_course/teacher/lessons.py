"""Find the course's lessons on disk and resolve what a teacher types to one of them."""

from __future__ import annotations

import re
from pathlib import Path

DEFAULT_LESSON = "00_start_here.ipynb"
#: What learners open: generated, no solutions (scripts/build_learner_lessons.py).
LEARNER_DIR_NAME = "lessons"
#: The lessons as written: the nbgrader source, with solutions and hidden tests.
SOURCE_DIR_NAME = "instructor"

# Exit codes of the command: 0 done, 1 a check or a notebook failed, 2 usage error.
EXIT_FAILED = 1
EXIT_USAGE = 2


class CourseError(Exception):
    """A problem the teacher can fix; ``str(error)`` says what to do."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _repo_root_of_install() -> Path:
    # src/lems_course/teacher/lessons.py -> the repository root of an editable install
    return Path(__file__).resolve().parents[3]


def find_lessons_dir(explicit: str | Path | None = None, cwd: Path | None = None) -> Path:
    """The learner's ``lessons/`` folder: given explicitly, else found from the current
    directory (it or a parent holds ``lessons/``, or it is ``lessons/`` itself), else
    the repository root of an editable install."""
    return _find_dir(LEARNER_DIR_NAME, explicit, cwd)


def find_source_dir(explicit: str | Path | None = None, cwd: Path | None = None) -> Path:
    """The ``instructor/`` folder (the lessons with solutions and hidden tests), found
    like :func:`find_lessons_dir`. Student copies and nbgrader assignments start here."""
    return _find_dir(SOURCE_DIR_NAME, explicit, cwd)


def _find_dir(name: str, explicit: str | Path | None, cwd: Path | None) -> Path:
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_dir():
            raise CourseError(f"Lessons folder not found: {path} (give the folder that holds "
                              "the NN_name.ipynb lessons)")
        return path
    here = (cwd or Path.cwd()).resolve()
    candidates = [here] if here.name == name else []
    candidates += [folder / name for folder in (here, *here.parents)]
    candidates.append(_repo_root_of_install() / name)
    for candidate in candidates:
        if candidate.is_dir() and any(candidate.glob("*.ipynb")):
            return candidate
    raise CourseError(
        f"Could not find the course's {name}/ folder. Run lems-course inside the course "
        f"folder (the one that holds {name}/), or pass --lessons DIR."
    )


def list_lessons(lessons_dir: Path) -> list[Path]:
    """The lesson notebooks in course order (by file name)."""
    return sorted(p for p in lessons_dir.glob("*.ipynb") if p.is_file())


def resolve_lesson(name: str | None, lessons_dir: Path) -> Path:
    """Turn ``None``, ``3``, ``03``, ``03_calcium`` or a path into a lesson notebook."""
    if name is None:
        name = DEFAULT_LESSON
    as_path = Path(name).expanduser()
    if as_path.suffix == ".ipynb" and as_path.is_file():
        return as_path
    lessons = list_lessons(lessons_dir)
    stem = name[:-len(".ipynb")] if name.endswith(".ipynb") else name
    if re.fullmatch(r"\d{1,2}", stem):
        stem = f"{int(stem):02d}_"
    matches = [p for p in lessons if p.stem == stem] or [
        p for p in lessons if p.stem.startswith(stem)]
    if len(matches) == 1:
        return matches[0]
    available = ", ".join(p.name for p in lessons) or "none"
    if not matches:
        raise CourseError(f"No lesson matches {name!r} in {lessons_dir}. Available: {available}")
    raise CourseError(f"{name!r} matches several lessons: "
                      + ", ".join(p.name for p in matches) + ". Type more of the name.")


def read_lesson(path: Path):
    """Read and validate a notebook, or raise ``CourseError`` saying what is wrong (a
    malformed file handed to a teacher command gets a message, not a traceback)."""
    import nbformat
    from nbformat.reader import NotJSONError
    from nbformat.validator import ValidationError

    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except (NotJSONError, ValueError) as error:  # json.JSONDecodeError is a ValueError
        raise CourseError(f"not a readable notebook (invalid JSON: {error})",
                          EXIT_FAILED) from error
    except ValidationError as error:
        raise CourseError(f"not a valid notebook: {error.message}", EXIT_FAILED) from error
    return nb
