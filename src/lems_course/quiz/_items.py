"""Quiz items as data: loading and checking.

One JSON file per lesson (``items/L03.json``); its structure is the JSON Schema
``lems_course/data/schemas/quiz_items.schema.json`` (point an editor at it). Checking
runs that schema first, then only what a schema cannot say: the lesson matches the file
name, IDs are unique, cited fact IDs exist, answers and feedback name real options.
Answer keys are sealed in the files (:mod:`._files`) and unsealed here. Nothing here
imports ipywidgets, so the teacher's command line loads items quickly.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lems_course import schemas, sources

from ._files import QuizError, read_json, unseal_key

KINDS = ("single", "multiple", "numeric", "prediction")
GRADED_KINDS = ("single", "multiple", "numeric")
#: Authors set this to 1 while writing items, so plaintext keys load.
ALLOW_PLAINTEXT_ENV = "LEMS_COURSE_ALLOW_PLAINTEXT"
#: Points the loader at another folder of item files (tests use a fixture folder).
ITEMS_DIR_ENV = "LEMS_COURSE_QUIZ_DIR"
_PACKAGE_ITEMS_DIR = Path(__file__).resolve().parent / "items"
_ITEM_ID_RE = re.compile(r"^(L\d\d)-([QEP])(\d+)$")
_LESSON_RE = re.compile(r"^L\d\d$")
_VALIDATE = "run `python -m lems_course.quiz validate` for the schema's report"


@dataclass(frozen=True)
class Option:
    key: str
    text: str


@dataclass(frozen=True)
class Item:
    """One quiz item with its answer key unsealed: ``key`` holds ``answer``, ``tolerance``
    (numeric), ``feedback`` (per option, or ``low``/``high``/``right``), ``explanation``."""

    id: str
    kind: str
    lesson: str
    objective: str
    question: str
    facts: tuple[str, ...]
    key: dict[str, Any] = field(repr=False)
    options: tuple[Option, ...] = ()
    unit: str | None = None
    range: tuple[float, float] | None = None
    hint: str | None = None
    source: str = ""

    @property
    def graded(self) -> bool:
        return self.kind in GRADED_KINDS

    @property
    def explanation(self) -> str:
        return self.key["explanation"]

    def option(self, key: str) -> Option:
        return {option.key: option for option in self.options}[key]   # KeyError if none


# ---------------------------------------------------------------- checking

def _allow_plaintext() -> bool:
    return os.environ.get(ALLOW_PLAINTEXT_ENV, "") not in ("", "0")


def _where(entries: Any, index: int) -> str:
    entry = entries[index] if isinstance(entries, list) else None
    item_id = entry.get("id") if isinstance(entry, dict) else None
    return f"item {item_id}" if isinstance(item_id, str) else f"item #{index + 1}"


def check_bank(data: Any, file_name: str, *, allow_plaintext: bool | None = None,
               fact_ids: Iterable[str] | None = None,
               schema: bool = True) -> tuple[list[Item], list[str]]:
    """Check one lesson's item data; return (items that passed, problem messages), each
    ``FILE: item ID: field 'NAME': what is wrong``. ``schema=False`` skips the JSON Schema
    (slow to import) for the shipped, tested files: a malformed item is still named."""
    allow_plaintext = _allow_plaintext() if allow_plaintext is None else allow_plaintext
    known = frozenset(fact_ids) if fact_ids is not None else sources.known_fact_ids()
    problems: list[str] = []

    def add(where: str, name: str, message: str) -> None:
        problems.append(f"{file_name}: {where + ': ' if where else ''}field '{name}': {message}")

    flagged: set[int] = set()   # items the schema reported: no second "malformed"
    for path, message in schemas.schema_errors(data, "quiz_items") if schema else ():
        if len(path) > 1 and path[0] == "items":
            flagged.add(path[1])
            add(_where(data["items"], path[1]), ".".join(map(str, path[2:])) or "key", message)
        else:
            add("", ".".join(map(str, path)) or "lesson", message)
    try:
        lesson, objectives, entries = data["lesson"], dict(data["objectives"]), list(data["items"])
    except (KeyError, TypeError, ValueError):
        return [], problems or [f"{file_name}: malformed file; {_VALIDATE}"]
    if lesson != Path(file_name).stem and Path(file_name).stem.startswith("L"):
        add("", "lesson", f"is {lesson!r} but the file is named {file_name}")
    problems += [f"{file_name}: objective {o}: field 'objectives': ID must look like "
                 f"'{lesson}-O1'" for o in objectives if not o.startswith(f"{lesson}-")]
    items: list[Item] = []
    for index, entry in enumerate(entries):
        where, before = _where(entries, index), len(problems)
        try:
            item = _check_item(entry, where, lesson, objectives, known, add, schema,
                               allow_plaintext, file_name)
        except (KeyError, TypeError, AttributeError, ValueError, IndexError):
            if index not in flagged:
                add(where, "id", f"malformed item; {_VALIDATE}")
            continue
        if item is not None and item.id in {other.id for other in items}:
            add(f"item {item.id}", "id", "duplicate ID (IDs must be unique)")
        elif item is not None and len(problems) == before and index not in flagged:
            items.append(item)
    return items, problems


def _check_item(entry: dict[str, Any], where: str, lesson: str, objectives: dict[str, str],
                known: frozenset[str], add: Any, schema: bool, allow_plaintext: bool,
                file_name: str) -> Item | None:
    item_id, kind, objective = entry["id"], entry["kind"], entry["objective"]
    prefix, letter, _ = _ITEM_ID_RE.match(item_id).groups()   # no match: malformed
    KINDS.index(kind)                                            # unknown kind: malformed
    if prefix != lesson:
        add(where, "id", f"must start with the file's lesson {lesson}")
    if (letter == "P") != (kind == "prediction"):
        add(where, "id", f"prediction items, and only they, use a 'P' ID like '{lesson}-P1'")
    if objective not in objectives:
        add(where, "objective", f"{objective!r} is not one of the file's objectives "
            f"({', '.join(objectives) or 'none defined'})")
    for fact in entry["facts"]:
        if fact not in known:
            add(where, "facts", f"unknown fact ID {fact!r} (not in the course's facts.yaml)")
    options = tuple(Option(option["key"], option["text"]) for option in entry.get("options", ()))
    keys = [option.key for option in options]
    for duplicate in sorted({k for k in keys if keys.count(k) > 1}):
        add(where, "options", f"duplicate option key {duplicate!r}")
    value_range = entry.get("range")
    if value_range is not None and not value_range[0] < value_range[1]:
        add(where, "range", "must be [lowest, highest] possible values")

    if "sealed" in entry:
        try:
            key = unseal_key(item_id, entry["sealed"])
        except ValueError as error:
            add(where, "sealed", str(error))
            return None
        for path, message in schemas.schema_errors(key, "quiz_items", f"key_{kind}") \
                if schema else ():
            add(where, ".".join(map(str, ["key", *path])), message)
    else:
        key = entry["key"]
        if not allow_plaintext:
            add(where, "key", f"plaintext answer key; run `python -m lems_course.quiz seal "
                f"{file_name}` (authors may set {ALLOW_PLAINTEXT_ENV}=1 while editing)")
    _check_answer(key, kind, keys, where, add)
    return Item(id=item_id, kind=kind, lesson=lesson, objective=objective,
                question=entry["question"], facts=tuple(entry["facts"]), key=key,
                options=options, unit=entry.get("unit"),
                range=tuple(value_range) if value_range else None,
                hint=entry.get("hint"), source=file_name)


def _check_answer(key: dict[str, Any], kind: str, option_keys: list[str], where: str,
                  add: Any) -> None:
    """What ties a key to its item: answers and feedback name real options, and a numeric
    slip's window misses the right answer's (or its hint would hide "right")."""
    answer = key.get("answer")
    if kind == "numeric":
        for index, slip in enumerate(key.get("mistakes", ())):
            if abs(slip["answer"] - answer) <= slip["tolerance"] + key["tolerance"]:
                add(where, f"key.mistakes[{index}]", "overlaps the right answer's window")
        return
    for choice in answer if isinstance(answer, list) else [answer] if answer else []:
        if choice not in option_keys:
            add(where, "key.answer", f"{choice!r} is not among the options "
                f"({', '.join(option_keys) or 'none'})")
    feedback = key.get("feedback", {})
    for option_key in option_keys if feedback else ():
        if option_key not in feedback:
            add(where, f"key.feedback.{option_key}", f"option {option_key!r} has no feedback")
    for extra in sorted(set(feedback) - set(option_keys)):
        add(where, f"key.feedback.{extra}", f"{extra!r} is not an option")


def coverage_problems(data: dict[str, Any], items: list[Item], file_name: str,
                      *, min_graded: int = 4) -> list[str]:
    """Lesson-level rules: enough graded items, every objective checked by one."""
    covered = {item.objective for item in items if item.graded}
    graded = sum(item.graded for item in items)
    problems = [f"{file_name}: has {graded} graded items, needs at least {min_graded}"
                ] if graded < min_graded else []
    return problems + [f"{file_name}: objective {objective} is not checked by any graded item"
                       for objective in data.get("objectives", {}) if objective not in covered]


# ---------------------------------------------------------------- loading

def items_directory(directory: str | os.PathLike[str] | None = None) -> Path:
    """The folder of item files: the argument, else $LEMS_COURSE_QUIZ_DIR, else the package's."""
    if directory is not None:
        return Path(directory)
    return Path(os.environ.get(ITEMS_DIR_ENV) or _PACKAGE_ITEMS_DIR)


def item_files(directory: str | os.PathLike[str] | None = None) -> list[Path]:
    """Lesson item files (``Lnn.json``) in the folder, sorted."""
    folder = items_directory(directory)
    return sorted(p for p in folder.glob("L*.json") if _LESSON_RE.match(p.stem)) \
        if folder.is_dir() else []


@dataclass(frozen=True)
class Bank:
    """One lesson file, checked."""

    path: Path
    lesson: str
    title: str
    objectives: dict[str, str]
    items: tuple[Item, ...]


_CACHE: dict[tuple[Path, int, int, bool], Bank] = {}


def load_bank(path: str | os.PathLike[str]) -> Bank:
    """Load and check one lesson file; raise QuizError listing every problem."""
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise QuizError(f"{path.name}: no such item file in {path.parent}") from None
    allow = _allow_plaintext()
    # Cached by modification time, so an author's edit shows up on the next call.
    cache_key = (path.resolve(), stat.st_mtime_ns, stat.st_size, allow)
    if cache_key not in _CACHE:
        data = read_json(path)
        # Learners load the shipped (sealed, tested) files without the schema pass:
        # importing jsonschema takes seconds. Authors (plaintext allowed) get it.
        items, problems = check_bank(data, path.name, allow_plaintext=allow, schema=allow)
        if problems:
            more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
            raise QuizError(f"{path.name} breaks the quiz schema:\n  "
                            + "\n  ".join(problems[:20]) + more)
        _CACHE[cache_key] = Bank(path, data["lesson"], data["title"],
                                 dict(data["objectives"]), tuple(items))
    return _CACHE[cache_key]


def _lesson_bank(lesson: str | int, directory: str | os.PathLike[str] | None) -> Bank:
    text = f"L{lesson:02d}" if isinstance(lesson, int) and not isinstance(lesson, bool) else \
        lesson.strip().upper() if isinstance(lesson, str) else ""
    text = f"L{int(text):02d}" if re.fullmatch(r"\d{1,2}", text) else text
    if not _LESSON_RE.match(text):
        raise QuizError(f"lesson must look like 'L03' (or 3), got {lesson!r}")
    return load_bank(items_directory(directory) / f"{text}.json")


def load_items(lesson: str | int | None = None, *,
               directory: str | os.PathLike[str] | None = None) -> list[Item]:
    """All items (keys unsealed), or one lesson's, in file order."""
    if lesson is None:
        return [item for path in item_files(directory) for item in load_bank(path).items]
    return list(_lesson_bank(lesson, directory).items)


def lesson_objectives(lesson: str | int, *,
                      directory: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """Objective ID → text for one lesson."""
    return dict(_lesson_bank(lesson, directory).objectives)


def lesson_title(lesson: str | int, *, directory: str | os.PathLike[str] | None = None) -> str:
    """The lesson's title as its item file gives it."""
    return _lesson_bank(lesson, directory).title


def get_item(item_id: str, *, directory: str | os.PathLike[str] | None = None) -> Item:
    """One item by ID; QuizError suggesting the same lesson's IDs if there is none."""
    if not isinstance(item_id, str):
        raise QuizError(f"an item ID is a string like 'L03-Q2', got {item_id!r}")
    wanted = item_id.strip().upper()
    path = items_directory(directory) / f"{wanted[:3]}.json"
    ids = {item.id: item for item in load_bank(path).items} \
        if _ITEM_ID_RE.match(wanted) and path.exists() else {}
    if wanted in ids:
        return ids[wanted]
    # Suggest by structure (same lesson, same kind letter first), not by spelling distance.
    close = sorted(ids, key=lambda other: other[4] != wanted[4:5])[:3]
    suggestion = f" Did you mean {', '.join(close)}?" if close else ""
    raise QuizError(f"There is no quiz item {item_id!r}.{suggestion}")


def answer_text(item: Item) -> str:
    """The answer in words, for a teacher's key: 'b) normal MEPP amplitude', '6.25 % ± 0.5'."""
    key = item.key
    if item.kind == "numeric":
        unit = f" {item.unit}" if item.unit else ""
        return f"{key['answer']:g}{unit} ± {key['tolerance']:g}"
    if item.kind in ("single", "multiple"):
        chosen = key["answer"] if item.kind == "multiple" else [key["answer"]]
        return "; ".join(f"{choice}) {item.option(choice).text}" for choice in chosen)
    if isinstance(key.get("answer"), str):
        return (f"(prediction, not graded) {key['answer']}) "
                f"{item.option(key['answer']).text}: {key['explanation']}")
    return f"(prediction, not graded) {key['explanation']}"
