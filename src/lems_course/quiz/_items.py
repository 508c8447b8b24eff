"""Quiz items as data: loading, schema check, sealing of answer keys.

One JSON file per lesson (``items/L03.json``). Authors write a plaintext ``"key"``
object; ``python -m lems_course.quiz seal`` replaces it with a ``"sealed"`` string so
that answers are not readable at a glance in the installed package. Sealing is
obfuscation, not security: a determined learner can unseal, as the teacher does.

This module imports nothing from the presentation layer (no ipywidgets), so the
teacher's command line can load items quickly.

The structure of a file is ``lems_course/data/schemas/quiz_items.schema.json`` (point an
editor at it to check items while writing). At load this module adds what a schema cannot
say: the lesson matches the file name, IDs are unique and carry the lesson, every
``facts`` ID exists (:func:`lems_course.sources.known_fact_ids`), answers and feedback name
real options, sealed keys unseal and fit their kind; ``coverage_problems`` (run by
``validate`` and the tests) wants four graded items and every objective checked.
Every problem names file, item and field.
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
from functools import cache
from pathlib import Path
from typing import Any

from lems_course import sources

KINDS = ("single", "multiple", "numeric", "prediction")
GRADED_KINDS = ("single", "multiple", "numeric")

#: Authors set this to 1 while writing items, so plaintext keys load.
ALLOW_PLAINTEXT_ENV = "LEMS_COURSE_ALLOW_PLAINTEXT"
#: Points the loader at another folder of item files (tests use a fixture folder).
ITEMS_DIR_ENV = "LEMS_COURSE_QUIZ_DIR"

_PACKAGE_ITEMS_DIR = Path(__file__).resolve().parent / "items"

_ITEM_ID_RE = re.compile(r"^(L\d\d)-([QEP])(\d+)$")
_LESSON_RE = re.compile(r"^L\d\d$")

_SEAL_PREFIX = "v1:"



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
    return os.environ.get(ALLOW_PLAINTEXT_ENV, "") not in ("", "0")


@cache
def _validator(ref: str = "") -> Any:
    import jsonschema  # imported here so `import lems_course.quiz` stays light

    schema = sources.schema("quiz_items")
    if ref:   # one of its $defs, for a key once unsealed
        schema = {"$defs": schema["$defs"], "$ref": f"#/$defs/{ref}"}
    return jsonschema.Draft202012Validator(schema)


def _schema_errors(data: Any, ref: str = "") -> list[Any]:
    """Errors of ``data`` against the shipped schema (or one of its ``$defs``)."""
    return list(_validator(ref).iter_errors(data))


def _field_of(error: Any, prefix: list[Any]) -> tuple[str, str]:
    """(field path, message) of a schema error, in the words an author needs."""
    path = prefix + list(error.absolute_path)
    message = error.message
    if error.validator == "required":
        path.append(message.split("'")[1])
        message = "missing (required)"
    elif error.validator == "additionalProperties" and "'" in message:
        path.append(message.split("'")[1])
        message = "unknown field (not in schemas/quiz_items.schema.json)"
    elif error.validator == "oneOf" and not path:
        path, message = ["key"], "needs exactly one of 'key' (plaintext) or 'sealed'"
    return ".".join(str(part) for part in path) or "lesson", message


def check_bank(data: Any, file_name: str, *, allow_plaintext: bool | None = None,
               fact_ids: Iterable[str] | None = None,
               schema: bool = True) -> tuple[list[Item], list[str]]:
    """Check one lesson's item data; return (items that passed, problem messages).

    Structure comes from ``data/schemas/quiz_items.schema.json`` (skipped with
    ``schema=False``); here only what a schema cannot say. Each problem reads
    ``FILE: item ID: field 'NAME': what is wrong``.
    """
    if allow_plaintext is None:
        allow_plaintext = _allow_plaintext()
    known = frozenset(fact_ids) if fact_ids is not None else sources.known_fact_ids()
    problems: list[str] = []
    bad: set[int] = set()

    def add(where: str, field_name: str, message: str) -> None:
        place = f"{file_name}: {where}" if where else file_name
        problems.append(f"{place}: field '{field_name}': {message}")

    entries = data.get("items") if isinstance(data, dict) else None
    entries = entries if isinstance(entries, list) else []

    def where_of(index: int) -> str:
        entry = entries[index]
        item_id = entry.get("id") if isinstance(entry, dict) else None
        return f"item {item_id}" if isinstance(item_id, str) else f"item #{index + 1}"

    for error in _schema_errors(data) if schema else ():
        path = list(error.absolute_path)
        if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
            bad.add(path[1])
            error.absolute_path.popleft()
            error.absolute_path.popleft()
            add(where_of(path[1]), *_field_of(error, []))
        else:
            add("", *_field_of(error, []))
    if not isinstance(data, dict) or not entries:
        return [], problems
    lesson = data.get("lesson") if isinstance(data.get("lesson"), str) else ""
    if lesson and Path(file_name).stem.startswith("L") and lesson != Path(file_name).stem:
        add("", "lesson", f"is {lesson!r} but the file is named {file_name}")
    objectives = data.get("objectives") if isinstance(data.get("objectives"), dict) else {}
    for objective_id in objectives:
        if not objective_id.startswith(f"{lesson}-"):
            add(f"objective {objective_id}", "objectives", f"ID must look like '{lesson}-O1'")

    items: list[Item] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        before = len(problems)
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            if index not in bad:
                add(where_of(index), "id", "each item is an object with a string 'id'")
            continue
        item = _check_item(entry, where_of(index), lesson, objectives, known,
                           allow_plaintext, add, file_name, schema)
        if item is None and len(problems) == before and index not in bad:
            add(where_of(index), "id", "malformed item; run `python -m lems_course.quiz "
                "validate` for the schema's report")
        if item is not None:
            if item.id in seen:
                add(f"item {item.id}", "id", "duplicate ID (IDs must be unique)")
            seen.add(item.id)
            if len(problems) == before and index not in bad:
                items.append(item)
    return items, problems


def _check_item(entry: dict[str, Any], where: str, lesson: str, objectives: dict[str, Any],
                known: frozenset[str], allow_plaintext: bool, add: Any,
                file_name: str, schema: bool) -> Item | None:
    item_id, kind = entry["id"], entry.get("kind")
    match = _ITEM_ID_RE.match(item_id)
    if match is None or kind not in KINDS:
        return None
    if match.group(1) != lesson:
        add(where, "id", f"must start with the file's lesson {lesson}")
    if (match.group(2) == "P") != (kind == "prediction"):
        add(where, "id", f"prediction items, and only they, use a 'P' ID like '{lesson}-P1'")
    objective = entry.get("objective")
    if objective not in objectives:
        listed = ", ".join(objectives) or "none defined"
        add(where, "objective", f"{objective!r} is not one of the file's objectives ({listed})")
    facts = entry.get("facts") if isinstance(entry.get("facts"), list) else []
    for fact in facts:
        if fact not in known:
            add(where, "facts", f"unknown fact ID {fact!r} (not in the course's facts.yaml)")
    raw = entry.get("options") if isinstance(entry.get("options"), list) else []
    options = [Option(o["key"], o["text"]) for o in raw
               if isinstance(o, dict) and isinstance(o.get("key"), str)]
    keys = [option.key for option in options]
    for duplicate in sorted({k for k in keys if keys.count(k) > 1}):
        add(where, "options", f"duplicate option key {duplicate!r}")
    value_range = entry.get("range")
    if isinstance(value_range, list) and len(value_range) == 2 and not (
            value_range[0] < value_range[1]):
        add(where, "range", "must be [lowest, highest] possible values")

    key = _key_of(entry, item_id, where, allow_plaintext, add, file_name)
    if key is None:
        return None
    if schema and "sealed" in entry:   # a plaintext key was checked with the file
        for error in _schema_errors(key, f"key_{kind}"):
            add(where, *_field_of(error, ["key"]))
    _check_answer(key, kind, keys, where, add)
    return Item(id=item_id, kind=kind, lesson=lesson, objective=str(objective),
                question=str(entry.get("question")), facts=tuple(facts), key=key,
                options=tuple(options), unit=entry.get("unit") if kind == "numeric" else None,
                range=tuple(value_range) if kind == "numeric" and value_range else None,
                hint=entry.get("hint"), source=file_name)


def _key_of(entry: dict[str, Any], item_id: str, where: str, allow_plaintext: bool,
            add: Any, file_name: str) -> dict[str, Any] | None:
    if "key" in entry and "sealed" in entry:
        add(where, "key", f"has both 'key' and 'sealed'; run "
            f"`python -m lems_course.quiz seal {file_name}`")
        return None
    if "sealed" in entry:
        try:
            return unseal_key(item_id, entry["sealed"])
        except ValueError as error:
            add(where, "sealed", str(error))
            return None
    if "key" in entry and isinstance(entry["key"], dict):
        if not allow_plaintext:
            add(where, "key", "plaintext answer key; run `python -m "
                f"lems_course.quiz seal {file_name}` (authors may set "
                f"{ALLOW_PLAINTEXT_ENV}=1 while editing)")
        return entry["key"]
    return None


def _check_answer(key: dict[str, Any], kind: str, option_keys: list[str], where: str,
                  add: Any) -> None:
    """What ties a key to its item's options: answers and feedback name real options."""
    answer, feedback = key.get("answer"), key.get("feedback")
    if kind == "numeric":
        if isinstance(answer, bool) or not isinstance(answer, (int, float)) \
                or not math.isfinite(answer):
            add(where, "key.answer", f"must be a finite number, got {answer!r}")
            return
        tolerance = key.get("tolerance")
        for index, mistake in enumerate(key.get("mistakes") or []):
            # A slip's window must miss the right answer's, or its hint would hide "right".
            if isinstance(mistake, dict) and isinstance(tolerance, (int, float)) and all(
                    isinstance(mistake.get(name), (int, float)) for name in ("answer", "tolerance")
            ) and abs(mistake["answer"] - answer) <= mistake["tolerance"] + tolerance:
                add(where, f"key.mistakes[{index}]", "overlaps the right answer's window")
        return
    chosen = answer if isinstance(answer, list) else [answer] if answer is not None else []
    for choice in chosen:
        if isinstance(choice, str) and choice not in option_keys:
            add(where, "key.answer", f"{choice!r} is not among the options "
                f"({', '.join(option_keys) or 'none'})")
    if not isinstance(feedback, dict):
        return
    for option_key in option_keys:
        if option_key not in feedback:
            add(where, f"key.feedback.{option_key}", f"option {option_key!r} has no feedback")
    for extra in sorted(set(feedback) - set(option_keys)):
        add(where, f"key.feedback.{extra}", f"{extra!r} is not an option")



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
    # A learner's load of the shipped (sealed, tested) files skips the schema pass:
    # importing jsonschema takes seconds. Authors (plaintext allowed) get it.
    items, problems = check_bank(data, path.name, allow_plaintext=allow, schema=allow)
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
    # Suggest the same lesson's items (by structure, not by spelling distance).
    lesson, _, rest = wanted.partition("-")
    same = [i for i in known if i.startswith(lesson + "-")]
    close = sorted(same, key=lambda i: i.split("-")[1][:1] != rest[:1])[:3]
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
