"""Quiz items as data: loading, schema check, sealing of answer keys.

One JSON file per lesson (``items/L03.json``). Authors write a plaintext ``"key"``
object; ``python -m lems_course.quiz seal`` replaces it with a ``"sealed"`` string so
that answers are not readable at a glance in the installed package. Sealing is
obfuscation, not security: a determined learner can unseal, as the teacher does.

This module imports nothing from the presentation layer (no ipywidgets), so the
teacher's command line can load items quickly.

The schema, checked at load (every rule names file, item and field when broken):

- file: ``lesson`` ("L03", same as the file name), ``title``, ``objectives``
  ({"L03-O1": text}), ``items`` (non-empty list); no other fields.
- item: ``id`` ("L03-Q1"; "E" for code exercises, "P" for predictions, unique),
  ``kind`` (single | multiple | numeric | prediction), ``objective`` (a key of
  ``objectives``), ``question``, ``facts`` (non-empty list of fact-sheet IDs), and
  exactly one of ``key`` (plaintext, authors only) or ``sealed``. Optional:
  ``options`` ([{"key", "text"}], at least two; required for single/multiple,
  optional for prediction, absent for numeric), ``unit`` (numeric: required
  string), ``range`` (numeric: [lowest, highest] possible), ``hint``.
- key: ``explanation`` always. single: ``answer`` (an option key) and
  ``feedback`` for every option. multiple: ``answer`` (list of option keys) and
  ``feedback`` for every option. numeric: ``answer`` (finite number),
  ``tolerance`` (≥ 0, absolute) and ``feedback`` {low, high, right}; optional
  ``mistakes`` ([{"answer", "tolerance", "feedback"}], a hint for each common slip,
  e.g. forgetting × 100; none may overlap the right answer). prediction:
  optional ``answer`` (an option key) and ``feedback`` per option.
- lesson rules (``coverage_problems``, run by ``validate`` and the tests): at least
  four graded items, every objective checked by a graded item.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

KINDS = ("single", "multiple", "numeric", "prediction")
GRADED_KINDS = ("single", "multiple", "numeric")

#: Authors set this to 1 while writing items, so plaintext keys load.
ALLOW_PLAINTEXT_ENV = "LEMS_COURSE_ALLOW_PLAINTEXT"
#: Points the loader at another folder of item files (tests use a fixture folder).
ITEMS_DIR_ENV = "LEMS_COURSE_QUIZ_DIR"

_PACKAGE_ITEMS_DIR = Path(__file__).resolve().parent / "items"
_FACT_SHEET = Path(__file__).resolve().parent.parent / "data" / "lems_facts.md"

_LESSON_RE = re.compile(r"^L\d\d$")
_ITEM_ID_RE = re.compile(r"^(L\d\d)-([QEP])(\d+)$")
_OBJECTIVE_RE = re.compile(r"^(L\d\d)-O(\d+)$")
_FACT_ID_RE = re.compile(r"\*\*(F\d+(?:\.\d+)?-\d+[a-z]?)\*\*")

_SEAL_PREFIX = "v1:"

_TOP_FIELDS = {"lesson", "title", "objectives", "items"}
_ITEM_FIELDS = {"id", "kind", "objective", "question", "options", "unit", "range",
                "facts", "key", "sealed", "hint"}
_KEY_FIELDS = {
    "single": {"answer", "feedback", "explanation"},
    "multiple": {"answer", "feedback", "explanation"},
    "numeric": {"answer", "tolerance", "feedback", "explanation", "mistakes"},
    "prediction": {"answer", "feedback", "explanation"},
}
_NUMERIC_FEEDBACK = ("low", "high", "right")


class QuizError(ValueError):
    """An item file breaks the schema, or an item cannot be found.

    The message names the file, the item ID and the field, so an author knows
    where to look.
    """


@dataclass(frozen=True)
class Option:
    key: str
    text: str


@dataclass(frozen=True)
class Item:
    """One quiz item with its answer key unsealed.

    ``key`` is the author's key object: ``answer`` (option key, list of option keys
    or number), ``tolerance`` (numeric), ``feedback`` (per option, or ``low`` /
    ``high`` / ``right`` for numeric) and ``explanation``.
    """

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
        for option in self.options:
            if option.key == key:
                return option
        raise KeyError(key)


# ---------------------------------------------------------------- fact IDs

@lru_cache(maxsize=1)
def known_fact_ids() -> frozenset[str]:
    """Fact IDs of the shipped fact sheet; a parent (F2-1) counts if F2-1a exists.

    ``lems_course.references`` owns the fact sheet; the small parser below is only a
    fallback so the quiz loads even where that module is absent.
    """
    try:
        from lems_course.references import known_fact_ids as from_references
    except ImportError:
        pass
    else:
        return frozenset(from_references())
    return parse_fact_ids(_FACT_SHEET.read_text(encoding="utf-8"))


def parse_fact_ids(text: str) -> frozenset[str]:
    """Bold fact IDs (``**F2-1a**``) in fact-sheet text, plus their parents (F2-1)."""
    ids = set(_FACT_ID_RE.findall(text))
    ids |= {fact_id.rstrip("abcdefghijklmnopqrstuvwxyz") for fact_id in ids}
    return frozenset(ids)


# ---------------------------------------------------------------- sealing

def _keystream(item_id: str, length: int) -> bytes:
    # The item id salts the stream, so a sealed blob copied onto another item
    # does not decode: answers cannot be swapped between items.
    stream = b""
    counter = 0
    while len(stream) < length:
        stream += hashlib.sha256(f"lems-course:{item_id}:{counter}".encode()).digest()
        counter += 1
    return stream[:length]


def seal_key(item_id: str, key: dict[str, Any]) -> str:
    """Deterministic sealed form of ``key`` for item ``item_id``."""
    payload = item_id.encode() + b"\n" + json.dumps(
        key, ensure_ascii=False, separators=(",", ":")).encode()
    packed = zlib.compress(payload, 9)
    mixed = bytes(a ^ b for a, b in zip(packed, _keystream(item_id, len(packed)), strict=True))
    return _SEAL_PREFIX + base64.b64encode(mixed).decode("ascii")


def unseal_key(item_id: str, sealed: str) -> dict[str, Any]:
    """Inverse of :func:`seal_key`; raises ValueError if the blob is not this item's."""
    if not isinstance(sealed, str) or not sealed.startswith(_SEAL_PREFIX):
        raise ValueError(f"sealed value must be a string starting with {_SEAL_PREFIX!r}")
    try:
        mixed = base64.b64decode(sealed[len(_SEAL_PREFIX):], validate=True)
        packed = bytes(a ^ b for a, b in zip(mixed, _keystream(item_id, len(mixed)), strict=True))
        payload = zlib.decompress(packed)
    except (ValueError, zlib.error) as error:
        raise ValueError(f"sealed value does not decode for item {item_id} "
                         f"(copied from another item, or damaged): {error}") from None
    prefix = item_id.encode() + b"\n"
    if not payload.startswith(prefix):
        raise ValueError(f"sealed value belongs to another item, not {item_id}")
    key = json.loads(payload[len(prefix):].decode())
    if not isinstance(key, dict):
        raise ValueError(f"sealed value of {item_id} does not hold a key object")
    return key


def dump_bank(data: dict[str, Any]) -> str:
    """The one file format: 2-space indent, UTF-8 text, author's key order kept."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _replace_field(entry: dict[str, Any], old: str, new: str, value: Any) -> dict[str, Any]:
    # Keep the field at the same position, so diffs between sealed and unsealed stay small.
    return {(new if name == old else name): (value if name == old else content)
            for name, content in entry.items()}


def _item_list(path: Path, data: object) -> list:
    """The file's list of items, or a QuizError naming the file."""
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise QuizError(f"{path.name}: field 'items' must be a list of items")
    return items


def seal_file(path: str | os.PathLike[str]) -> int:
    """Seal every plaintext key in one file; return how many were sealed.

    The file is rewritten in the one stored format (:func:`dump_bank`). Idempotent:
    sealing a sealed, well-formatted file leaves it byte-for-byte unchanged.
    """
    path = Path(path)
    original = path.read_text(encoding="utf-8")
    data = _read_json(path)
    changed = 0
    items = _item_list(path, data)
    for index, entry in enumerate(items):
        if not isinstance(entry, dict) or "key" not in entry:
            continue
        item_id = entry.get("id")
        if not isinstance(item_id, str):
            raise QuizError(f"{path.name}: item #{index + 1}: field 'id' is missing, "
                            "so its key cannot be sealed")
        sealed = seal_key(item_id, entry["key"])
        if "sealed" in entry:
            # An edited plaintext key wins over a stale sealed one.
            entry = {name: content for name, content in entry.items() if name != "sealed"}
        items[index] = _replace_field(entry, "key", "sealed", sealed)
        changed += 1
    if dump_bank(data) != original:
        _write_text_atomic(path, dump_bank(data))
    return changed


def unseal_file(path: str | os.PathLike[str]) -> int:
    """Turn every sealed key of one file back into plaintext for editing."""
    path = Path(path)
    data = _read_json(path)
    changed = 0
    items = _item_list(path, data)
    for index, entry in enumerate(items):
        if not isinstance(entry, dict) or "sealed" not in entry:
            continue
        item_id = entry.get("id")
        try:
            key = unseal_key(str(item_id), entry["sealed"])
        except ValueError as error:
            raise QuizError(f"{path.name}: item {item_id}: field 'sealed': {error}") from None
        items[index] = _replace_field(entry, "sealed", "key", key)
        changed += 1
    if changed:
        _write_text_atomic(path, dump_bank(data))
    return changed


def _write_text_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise QuizError(f"{path.name}: not valid JSON: line {error.lineno}, "
                        f"column {error.colno}: {error.msg}") from None


# ---------------------------------------------------------------- schema

def _allow_plaintext() -> bool:
    return os.environ.get(ALLOW_PLAINTEXT_ENV, "") == "1"


def _is_number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def _text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


class _Problems:
    """Collects schema problems, each naming file, item and field."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.messages: list[str] = []

    def add(self, where: str, field_name: str, message: str) -> None:
        place = f"{self.file_name}: {where}" if where else self.file_name
        self.messages.append(f"{place}: field '{field_name}': {message}")


def check_bank(data: Any, file_name: str, *, allow_plaintext: bool | None = None,
               fact_ids: Iterable[str] | None = None) -> tuple[list[Item], list[str]]:
    """Check one lesson's item data; return (items that passed, problem messages).

    Each problem reads ``FILE: item ID: field 'NAME': what is wrong``.
    """
    if allow_plaintext is None:
        allow_plaintext = _allow_plaintext()
    known = frozenset(fact_ids) if fact_ids is not None else known_fact_ids()
    problems = _Problems(file_name)
    if not isinstance(data, dict):
        problems.add("", "lesson", "the file must hold one JSON object")
        return [], problems.messages

    for extra in sorted(set(data) - _TOP_FIELDS):
        problems.add("", extra, f"unknown field (allowed: {', '.join(sorted(_TOP_FIELDS))})")
    lesson = data.get("lesson")
    stem = Path(file_name).stem
    if not isinstance(lesson, str) or not _LESSON_RE.match(lesson):
        problems.add("", "lesson", f"must look like 'L03', got {lesson!r}")
        lesson = stem
    elif _LESSON_RE.match(stem) and lesson != stem:
        problems.add("", "lesson", f"is {lesson!r} but the file is named {file_name}")
    if not _text(data.get("title")):
        problems.add("", "title", "must be a non-empty string")
    objectives = data.get("objectives")
    if not isinstance(objectives, dict) or not objectives:
        problems.add("", "objectives", "must be a non-empty object of ID → text")
        objectives = {}
    for objective_id, text in objectives.items():
        match = _OBJECTIVE_RE.match(objective_id)
        if not match or match.group(1) != lesson:
            problems.add(f"objective {objective_id}", "objectives",
                         f"ID must look like '{lesson}-O1'")
        if not _text(text):
            problems.add(f"objective {objective_id}", "objectives", "text must be non-empty")

    entries = data.get("items")
    if not isinstance(entries, list) or not entries:
        problems.add("", "items", "must be a non-empty list")
        return [], problems.messages

    items: list[Item] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        before = len(problems.messages)
        item = _check_item(entry, index, lesson, objectives, known, allow_plaintext,
                           problems, file_name)
        if item is not None:
            if item.id in seen:
                problems.add(f"item {item.id}", "id", "duplicate ID (IDs must be unique)")
            seen.add(item.id)
            if len(problems.messages) == before:
                items.append(item)
    return items, problems.messages


def _check_item(entry: Any, index: int, lesson: str, objectives: dict[str, Any],
                known: frozenset[str], allow_plaintext: bool, problems: _Problems,
                file_name: str) -> Item | None:
    item_id = entry.get("id") if isinstance(entry, dict) else None
    where = f"item {item_id}" if isinstance(item_id, str) else f"item #{index + 1}"
    if not isinstance(entry, dict):
        problems.add(where, "id", "each item must be a JSON object")
        return None
    for extra in sorted(set(entry) - _ITEM_FIELDS):
        problems.add(where, extra, f"unknown field (allowed: {', '.join(sorted(_ITEM_FIELDS))})")

    match = _ITEM_ID_RE.match(item_id) if isinstance(item_id, str) else None
    if not match:
        problems.add(where, "id", f"must look like '{lesson}-Q1', '{lesson}-E1' or "
                     f"'{lesson}-P1', got {item_id!r}")
        return None
    if match.group(1) != lesson:
        problems.add(where, "id", f"must start with the file's lesson {lesson}")

    kind = entry.get("kind")
    if kind not in KINDS:
        problems.add(where, "kind", f"must be one of {', '.join(KINDS)}, got {kind!r}")
        return None
    if match.group(2) == "P" and kind != "prediction":
        problems.add(where, "kind", "a 'P' item ID is for kind 'prediction'")
    if kind == "prediction" and match.group(2) != "P":
        problems.add(where, "id", "prediction items use a 'P' ID, like "
                     f"'{lesson}-P1'")

    objective = entry.get("objective")
    if objective not in objectives:
        listed = ", ".join(objectives) or "none defined"
        problems.add(where, "objective",
                     f"{objective!r} is not one of the file's objectives ({listed})")
    if not _text(entry.get("question")):
        problems.add(where, "question", "must be a non-empty string")

    facts = entry.get("facts")
    if not isinstance(facts, list) or not facts:
        problems.add(where, "facts", "must be a non-empty list of fact IDs like 'F2-1a'")
        facts = []
    for fact in facts:
        if fact not in known:
            problems.add(where, "facts", f"unknown fact ID {fact!r} (not in lems_facts.md)")

    options = _check_options(entry, kind, where, problems)
    unit = entry.get("unit")
    value_range = entry.get("range")
    if kind == "numeric":
        if not isinstance(unit, str):
            problems.add(where, "unit", "numeric items need a unit string ('%', 'mV', "
                         "'points'; '' if unitless)")
        if value_range is not None and not (
                isinstance(value_range, list) and len(value_range) == 2
                and all(_is_number(bound) for bound in value_range)
                and value_range[0] < value_range[1]):
            problems.add(where, "range", "must be [lowest, highest] possible values")
            value_range = None
    else:
        for name in ("unit", "range"):
            if name in entry:
                problems.add(where, name, "only numeric items have this field")
    if "hint" in entry and not _text(entry["hint"]):
        problems.add(where, "hint", "must be a non-empty string")

    key = _key_of(entry, item_id, where, allow_plaintext, problems, file_name)
    if key is not None:
        _check_key(key, kind, options, where, problems)
    if key is None:
        return None
    return Item(id=item_id, kind=kind, lesson=lesson, objective=str(objective),
                question=str(entry.get("question")), facts=tuple(facts), key=key,
                options=tuple(options), unit=unit if kind == "numeric" else None,
                range=tuple(value_range) if kind == "numeric" and value_range else None,
                hint=entry.get("hint"), source=file_name)


def _check_options(entry: dict[str, Any], kind: str, where: str,
                   problems: _Problems) -> list[Option]:
    raw = entry.get("options")
    if kind == "numeric":
        if raw is not None:
            problems.add(where, "options", "numeric items have no options")
        return []
    if raw is None and kind == "prediction":
        return []
    if not isinstance(raw, list) or len(raw) < 2:
        problems.add(where, "options", "must be a list of at least two options")
        return []
    options: list[Option] = []
    for position, option in enumerate(raw):
        if (not isinstance(option, dict) or set(option) != {"key", "text"}
                or not _text(option.get("key")) or not _text(option.get("text"))):
            problems.add(where, "options", f"option #{position + 1} must be "
                         '{"key": "a", "text": "…"} with non-empty strings')
            continue
        if any(existing.key == option["key"] for existing in options):
            problems.add(where, "options", f"duplicate option key {option['key']!r}")
            continue
        options.append(Option(option["key"], option["text"]))
    return options


def _key_of(entry: dict[str, Any], item_id: str, where: str, allow_plaintext: bool,
            problems: _Problems, file_name: str) -> dict[str, Any] | None:
    has_key, has_sealed = "key" in entry, "sealed" in entry
    if has_key and has_sealed:
        problems.add(where, "key", "has both 'key' and 'sealed'; run "
                     f"`python -m lems_course.quiz seal {file_name}`")
        return None
    if has_sealed:
        try:
            return unseal_key(item_id, entry["sealed"])
        except ValueError as error:
            problems.add(where, "sealed", str(error))
            return None
    if has_key:
        if not allow_plaintext:
            problems.add(where, "key", "plaintext answer key; run `python -m "
                         f"lems_course.quiz seal {file_name}` (authors may set "
                         f"{ALLOW_PLAINTEXT_ENV}=1 while editing)")
        if not isinstance(entry["key"], dict):
            problems.add(where, "key", "must be an object")
            return None
        return entry["key"]
    problems.add(where, "key", "missing answer key ('key' or 'sealed')")
    return None


def _check_mistakes(key: dict[str, Any], where: str, problems: _Problems) -> None:
    """``key.mistakes``: a hint per common slip; a slip's window must miss the answer."""
    mistakes = key.get("mistakes", [])
    if not isinstance(mistakes, list):
        problems.add(where, "key.mistakes", "must be a list of {answer, tolerance, feedback}")
        return
    for index, mistake in enumerate(mistakes):
        field = f"key.mistakes[{index}]"
        if not isinstance(mistake, dict) or set(mistake) != {"answer", "tolerance",
                                                              "feedback"}:
            problems.add(where, field, "must have exactly answer, tolerance, feedback")
            continue
        if (not _is_number(mistake["answer"]) or not _is_number(mistake["tolerance"])
                or mistake["tolerance"] < 0):
            problems.add(where, field, "answer must be a finite number, tolerance ≥ 0")
            continue
        if not _text(mistake["feedback"]):
            problems.add(where, field, "feedback must be a non-empty string")
        if _is_number(key.get("answer")) and _is_number(key.get("tolerance")) and (
                abs(mistake["answer"] - key["answer"])
                <= mistake["tolerance"] + key["tolerance"]):
            problems.add(where, field, "overlaps the right answer's window")


def _check_key(key: dict[str, Any], kind: str, options: list[Option], where: str,
               problems: _Problems) -> None:
    allowed = _KEY_FIELDS[kind]
    for extra in sorted(set(key) - allowed):
        problems.add(where, f"key.{extra}", f"unknown field for a {kind} item "
                     f"(allowed: {', '.join(sorted(allowed))})")
    if not _text(key.get("explanation")):
        problems.add(where, "key.explanation", "must be a non-empty string")
    option_keys = [option.key for option in options]
    feedback = key.get("feedback")

    if kind == "numeric":
        if not _is_number(key.get("answer")):
            problems.add(where, "key.answer", f"must be a finite number, got "
                         f"{key.get('answer')!r}")
        tolerance = key.get("tolerance")
        if not _is_number(tolerance) or tolerance < 0:
            problems.add(where, "key.tolerance", f"must be a number ≥ 0, got {tolerance!r}")
        if not isinstance(feedback, dict):
            problems.add(where, "key.feedback", "must be an object with "
                         f"{', '.join(_NUMERIC_FEEDBACK)}")
            return
        for name in _NUMERIC_FEEDBACK:
            if not _text(feedback.get(name)):
                problems.add(where, f"key.feedback.{name}", "missing or empty feedback")
        for extra in sorted(set(feedback) - set(_NUMERIC_FEEDBACK)):
            problems.add(where, f"key.feedback.{extra}", "numeric feedback has only "
                         f"{', '.join(_NUMERIC_FEEDBACK)}")
        _check_mistakes(key, where, problems)
        return

    answer = key.get("answer")
    if kind == "single" or (kind == "prediction" and isinstance(answer, str)):
        if answer not in option_keys:
            problems.add(where, "key.answer", f"{answer!r} is not among the options "
                         f"({', '.join(option_keys) or 'none'})")
    elif kind == "multiple":
        if (not isinstance(answer, list) or not answer
                or not all(isinstance(choice, str) for choice in answer)):
            problems.add(where, "key.answer", "must be a non-empty list of option keys")
        else:
            for choice in answer:
                if choice not in option_keys:
                    problems.add(where, "key.answer", f"{choice!r} is not among the "
                                 f"options ({', '.join(option_keys)})")
            if len(set(answer)) != len(answer):
                problems.add(where, "key.answer", "lists an option twice")
    elif answer is not None:
        problems.add(where, "key.answer", "a prediction's answer, if given, must be one "
                     "option key")

    if kind == "prediction" and feedback is None:
        return
    if not isinstance(feedback, dict):
        problems.add(where, "key.feedback", "must be an object: option key → feedback")
        return
    for option_key in option_keys:
        if not _text(feedback.get(option_key)):
            problems.add(where, f"key.feedback.{option_key}",
                         f"option {option_key!r} has no feedback")
    for extra in sorted(set(feedback) - set(option_keys)):
        problems.add(where, f"key.feedback.{extra}", f"{extra!r} is not an option")


def coverage_problems(data: dict[str, Any], items: list[Item], file_name: str,
                      *, min_graded: int = 4) -> list[str]:
    """Lesson-level rules: enough graded items, every objective checked by one."""
    problems = []
    graded = [item for item in items if item.graded]
    if len(graded) < min_graded:
        problems.append(f"{file_name}: has {len(graded)} graded items, needs at least "
                        f"{min_graded}")
    covered = {item.objective for item in graded}
    for objective_id in data.get("objectives", {}) if isinstance(data, dict) else ():
        if objective_id not in covered:
            problems.append(f"{file_name}: objective {objective_id} is not checked by any "
                            "graded item")
    return problems


# ---------------------------------------------------------------- loading

def items_directory(directory: str | os.PathLike[str] | None = None) -> Path:
    """The folder of item files: the argument, else $LEMS_COURSE_QUIZ_DIR, else the package's."""
    if directory is not None:
        return Path(directory)
    override = os.environ.get(ITEMS_DIR_ENV)
    return Path(override) if override else _PACKAGE_ITEMS_DIR


def item_files(directory: str | os.PathLike[str] | None = None) -> list[Path]:
    """Lesson item files (``Lnn.json``) in the folder, sorted."""
    folder = items_directory(directory)
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob("L*.json") if _LESSON_RE.match(path.stem))


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
    cached = _CACHE.get(cache_key)
    if cached is not None:
        return cached
    data = _read_json(path)
    items, problems = check_bank(data, path.name, allow_plaintext=allow)
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise QuizError(f"{path.name} breaks the quiz schema:\n  {shown}{more}")
    bank = Bank(path=path, lesson=data["lesson"], title=data["title"],
                objectives=dict(data["objectives"]), items=tuple(items))
    _CACHE[cache_key] = bank
    return bank


def _normalise_lesson(lesson: str | int) -> str:
    if isinstance(lesson, int) and not isinstance(lesson, bool):
        return f"L{lesson:02d}"
    if isinstance(lesson, str):
        text = lesson.strip().upper()
        if re.fullmatch(r"\d{1,2}", text):
            return f"L{int(text):02d}"
        if _LESSON_RE.match(text):
            return text
    raise QuizError(f"lesson must look like 'L03' (or 3), got {lesson!r}")


def load_items(lesson: str | int | None = None, *,
               directory: str | os.PathLike[str] | None = None) -> list[Item]:
    """All items (keys unsealed), or one lesson's, in file order."""
    if lesson is None:
        return [item for path in item_files(directory) for item in load_bank(path).items]
    name = _normalise_lesson(lesson)
    return list(load_bank(items_directory(directory) / f"{name}.json").items)


def lesson_objectives(lesson: str | int, *,
                      directory: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """Objective ID → text for one lesson."""
    name = _normalise_lesson(lesson)
    return dict(load_bank(items_directory(directory) / f"{name}.json").objectives)


def lesson_title(lesson: str | int, *,
                 directory: str | os.PathLike[str] | None = None) -> str:
    """The lesson's title as its item file gives it."""
    name = _normalise_lesson(lesson)
    return load_bank(items_directory(directory) / f"{name}.json").title


def all_item_ids(directory: str | os.PathLike[str] | None = None) -> list[str]:
    """IDs in every readable file (files that break the schema are skipped)."""
    ids: list[str] = []
    for path in item_files(directory):
        try:
            ids.extend(item.id for item in load_bank(path).items)
        except QuizError:
            continue
    return ids


def get_item(item_id: str, *, directory: str | os.PathLike[str] | None = None) -> Item:
    """One item by ID; QuizError (suggesting close IDs) if there is none."""
    import difflib

    if not isinstance(item_id, str):
        raise QuizError(f"an item ID is a string like 'L03-Q2', got {item_id!r}")
    wanted = item_id.strip().upper()
    match = _ITEM_ID_RE.match(wanted)
    if match:
        path = items_directory(directory) / f"{match.group(1)}.json"
        if path.exists():
            for item in load_bank(path).items:
                if item.id == wanted:
                    return item
    known = all_item_ids(directory)
    close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.6)
    suggestion = f" Did you mean {', '.join(close)}?" if close else ""
    raise QuizError(f"There is no quiz item {item_id!r}.{suggestion}")


def answer_text(item: Item) -> str:
    """The answer in words, for a teacher's key: 'b) normal MEPP amplitude', '6.25 % ± 0.5'."""
    key = item.key
    if item.kind == "numeric":
        unit = f" {item.unit}" if item.unit else ""
        return f"{key['answer']:g}{unit} ± {key['tolerance']:g}"
    if item.kind == "single":
        return f"{key['answer']}) {item.option(key['answer']).text}"
    if item.kind == "multiple":
        return "; ".join(f"{choice}) {item.option(choice).text}"
                         for choice in key["answer"])
    if isinstance(key.get("answer"), str):
        return (f"(prediction, not graded) {key['answer']}) "
                f"{item.option(key['answer']).text}: {key['explanation']}")
    return f"(prediction, not graded) {key['explanation']}"
