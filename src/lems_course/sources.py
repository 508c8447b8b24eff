"""Facts and references of the course, read from the package's data files.

Every factual statement in the course cites a fact ID (``F2-1a``, ``F4.6-6`` …). The
facts and the works they cite live in ``lems_course/data/facts.yaml`` and
``references.yaml`` (CSL-JSON items), checked against the JSON Schemas in
``data/schemas/``. Each fact names its references by key; nothing is matched by name.
The readable sheet ``data/lems_facts.md`` is generated from these files.

- :func:`known_fact_ids`, :func:`fact_text`, :func:`fact_status` for checks and tests;
- :func:`cite` and :func:`citations` for the works behind one fact;
- :func:`references` for a lesson's closing "References" cell;
- :func:`find_fact_ids` to pull IDs out of prose (used by the lesson tests);
- :data:`FACT_ID_PATTERN`, the one definition of a fact ID.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "FACT_ID_PATTERN",
    "DataError",
    "FactStatus",
    "References",
    "check_data",
    "citations",
    "cite",
    "fact_status",
    "fact_text",
    "find_fact_ids",
    "known_fact_ids",
    "load_data",
    "references",
]

#: A fact ID: F‹section›[.‹subsection›]-‹n›[letter], for example F2-1a or F4.6-6.
FACT_ID_PATTERN = r"F\d+(?:\.\d+)?-\d+[a-z]?"
_ID_RE = re.compile(rf"(?<![\w.]){FACT_ID_PATTERN}(?![\w])")
# "F10-1…F10-6", "F3-13...F3-15", "F4.6-2a…f"
_RANGE_RE = re.compile(
    rf"(?<![\w.])(?P<start>{FACT_ID_PATTERN})\s*(?:…|\.\.\.)\s*"
    rf"(?:(?P<end>{FACT_ID_PATTERN})|(?P<letter>[a-z])(?![\w]))")
_ITALIC_RE = re.compile(r"(?<![*\w])\*(?!\*)(?P<inner>[^*]+?)\*(?![*\w])")
_EM_DASH = " — "


class DataError(ValueError):
    """A data file breaks its schema or a cross-reference; names file, entry and field."""


# --- loading ---------------------------------------------------------------------------

def _data_file(name: str) -> str:
    # Package data only: the project must not read anything outside the package.
    return resources.files("lems_course").joinpath("data", name).read_text(encoding="utf-8")


def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in ``lems_course/data/schemas`` (facts, references, quiz_items)."""
    return json.loads(_data_file(f"schemas/{name}.schema.json"))


def schema_problems(data: Any, schema_name: str, file_name: str) -> list[str]:
    """Schema violations as messages naming the file, the entry and the field."""
    import jsonschema  # imported here: only checks need it, not `import lems_course`

    validator = jsonschema.Draft202012Validator(schema(schema_name))
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        path = list(error.absolute_path)
        entry = ""
        if len(path) >= 2 and isinstance(path[1], int):
            item = data[path[0]][path[1]]
            name = item.get("id") if isinstance(item, dict) else None
            entry = f" {name or f'{path[0]}[{path[1]}]'}"
            path = path[2:]
        else:
            entry = ""
        field = ".".join(str(part) for part in path) or "(top level)"
        problems.append(f"{file_name}:{entry} field {field}: {error.message}")
    return problems


@dataclass(frozen=True)
class _Data:
    facts: dict[str, dict[str, Any]]
    known: frozenset[str]
    refs: dict[str, dict[str, Any]]
    notes: dict[str, str]           # group title -> note shown after its references


def _check(facts_data: Any, refs_data: Any) -> list[str]:
    """Cross-references a schema cannot express (data already of the schema's shape)."""
    problems: list[str] = []
    keys = [ref["id"] for ref in refs_data["references"]]
    ids = [fact["id"] for fact in facts_data["facts"]]
    sections = {section["number"] for section in facts_data["sections"]}
    groups = {group["title"] for group in refs_data["groups"]}
    problems += [f"references.yaml: {k}: the key is used twice" for k in set(keys)
                 if keys.count(k) > 1]
    problems += [f"facts.yaml: {i}: the ID is defined twice" for i in set(ids) if ids.count(i) > 1]
    problems += [f"references.yaml: {ref['id']} field custom.group: no group "
                 f"{ref['custom']['group']!r}" for ref in refs_data["references"]
                 if ref["custom"]["group"] not in groups]
    known = set(ids) | {i[:-1] for i in ids if i[-1].isalpha()}
    for fact in facts_data["facts"]:
        where = f"facts.yaml: {fact['id']}"
        if fact["section"] not in sections:
            problems.append(f"{where} field section: no section {fact['section']!r}")
        for number, source in enumerate(fact["sources"]):
            if source["key"] not in keys:
                problems.append(f"{where} field sources.{number}.key: no reference "
                                f"{source['key']!r} in references.yaml")
        problems += [f"{where} field derived_from: unknown fact {other!r}"
                     for other in fact.get("derived_from", ()) if other not in known]
    return problems


def _read_yaml(name: str) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # the C parser when built
    return yaml.load(_data_file(name), Loader=loader)  # a safe loader, C or Python


def check_data() -> list[str]:
    """Every problem of the data files: JSON Schemas (with jsonschema) and cross-references.

    Run by the tests, ``scripts/build_fact_sheet.py`` and ``python -m lems_course.quiz
    validate``; lessons skip the schema pass, which costs seconds on a busy machine.
    """
    facts_data, refs_data = _read_yaml("facts.yaml"), _read_yaml("references.yaml")
    return (schema_problems(facts_data, "facts", "facts.yaml")
            + schema_problems(refs_data, "references", "references.yaml")
            or _check(facts_data, refs_data))


@cache
def load_data() -> _Data:
    """Facts and references (raises :class:`DataError` if a key or ID does not resolve)."""
    facts_data, refs_data = _read_yaml("facts.yaml"), _read_yaml("references.yaml")
    try:
        problems = _check(facts_data, refs_data)
    except (KeyError, TypeError, AttributeError) as error:   # structure: see check_data
        problems = [f"malformed data ({error!r}); run check_data() for the schema's report"]
    if problems:
        raise DataError("course data files are invalid:\n" + "\n".join(problems))
    facts = {fact["id"]: fact for fact in facts_data["facts"]}
    known = frozenset(facts) | {i[:-1] for i in facts if i[-1].isalpha()}
    return _Data(facts=facts, known=known,
                 refs={ref["id"]: ref for ref in refs_data["references"]},
                 notes={g["title"]: g["note"] for g in refs_data["groups"] if "note" in g})


# --- IDs -------------------------------------------------------------------------------

def _sort_key(fact_id: str) -> tuple:
    match = re.fullmatch(r"F(\d+)(?:\.(\d+))?-(\d+)([a-z]?)", fact_id)
    if match is None:
        return (10**6, fact_id)
    section, sub, number, letter = match.groups()
    return (int(section), int(sub or 0), int(number), letter)


def known_fact_ids() -> frozenset[str]:
    """Every fact ID defined in the data, plus parents of lettered sub-points (F2-1 for
    F2-1a): citing a parent covers all its sub-points."""
    return load_data().known


def _check_id(fact_id: object) -> str:
    if not isinstance(fact_id, str):
        raise TypeError(f"fact_id must be a fact ID string such as 'F2-1a', "
                        f"got {fact_id!r} ({type(fact_id).__name__})")
    known = known_fact_ids()
    if fact_id in known:
        return fact_id
    # Suggest by structure, not by spelling distance: the parent, or its section.
    stripped = fact_id.strip()
    parent = stripped.rstrip("abcdefghijklmnopqrstuvwxyz")
    section = parent.rsplit("-", 1)[0] + "-" if "-" in parent else None
    close = [parent] if parent in known else sorted(
        (i for i in known if section and i.startswith(section)), key=_sort_key)[:4]
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise ValueError(f"fact_id {fact_id!r} is not in the course fact sheet.{hint}")


def find_fact_ids(text: str, *, expand_ranges: bool = False) -> list[str]:
    """Fact IDs mentioned in ``text``, in order of first appearance, without repeats.

    With ``expand_ranges=True``, "F10-1…F10-4" also yields F10-2 and F10-3 and
    "F4.6-2a…f" yields F4.6-2a … F4.6-2f. No check is made that the IDs exist.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    spans = [(m.start(), [m.group(0)]) for m in _ID_RE.finditer(text)]
    if expand_ranges:
        spans += [(m.start(), _expand(m)) for m in _RANGE_RE.finditer(text)]
        spans.sort(key=lambda item: item[0])
    return list(dict.fromkeys(i for _position, ids in spans for i in ids))


def _expand(match: re.Match[str]) -> list[str]:
    start = match["start"]
    end = match["end"] or (start[:-1] + match["letter"] if start[-1].isalpha() else None)
    if end is None:
        return [start]
    a = re.fullmatch(r"(F[\d.]+-)(\d+)([a-z]?)", start)
    b = re.fullmatch(r"(F[\d.]+-)(\d+)([a-z]?)", end)
    if a is None or b is None or a[1] != b[1]:
        return [start, end]
    if a[3] and b[3] and a[2] == b[2]:
        return [f"{a[1]}{a[2]}{chr(c)}" for c in range(ord(a[3]), ord(b[3]) + 1)]
    if not a[3] and not b[3] and int(a[2]) <= int(b[2]):
        return [f"{a[1]}{n}" for n in range(int(a[2]), int(b[2]) + 1)]
    return [start, end]


# --- text and status ---------------------------------------------------------------------

def _plain(markdown: str) -> str:
    """Markdown inline noise removed: bold/italic stars and backticks."""
    text = markdown.replace("**", "").replace("`", "")
    text = _ITALIC_RE.sub(lambda m: m["inner"], text)
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()


def _line(fact: dict[str, Any]) -> str:
    cited = fact.get("cited_as")
    return fact["claim"] + (_EM_DASH + cited if cited is not None else "")


def _children(fact_id: str) -> list[dict[str, Any]]:
    return [f for i, f in load_data().facts.items() if i[:-1] == fact_id and i[-1].isalpha()]


def fact_text(fact_id: str) -> str:
    """The fact as plain text: its claim and the source as written on the sheet."""
    fact_id = _check_id(fact_id)
    fact = load_data().facts.get(fact_id)
    if fact is not None:
        return _plain(_line(fact))
    return "; ".join(_plain(_line(child)) for child in _children(fact_id))


@dataclass(frozen=True)
class FactStatus:
    """A fact's status (fact sheet, "Markers"); sub-points carry their parent's markers.

    ``unconfirmed``: not stated by any cited source, never teach it as a fact.
    ``secondary``: from a tertiary or low-authority source. ``derived``: course
    arithmetic or teaching framing, label it as a model illustration.
    ``citation_to_verify``: the source's journal, year or identifiers unconfirmed.
    """

    unconfirmed: bool = False
    secondary: bool = False
    derived: bool = False
    citation_to_verify: bool = False

    @property
    def labels(self) -> tuple[str, ...]:
        """Short labels in a fixed order, for display."""
        names = (("unconfirmed", "UNCONFIRMED"), ("derived", "derived"),
                 ("secondary", "secondary"), ("citation_to_verify", "citation to verify"))
        return tuple(label for name, label in names if getattr(self, name))


def fact_status(fact_id: str) -> FactStatus:
    """The status recorded for a fact (a parent known only by its sub-points: theirs)."""
    fact_id = _check_id(fact_id)
    fact = load_data().facts.get(fact_id)
    marks = set(fact["status"]) if fact else {m for c in _children(fact_id) for m in c["status"]}
    return FactStatus(unconfirmed="unconfirmed" in marks, secondary="secondary" in marks,
                      derived="derived" in marks, citation_to_verify="to verify" in marks)


# --- citations -------------------------------------------------------------------------

_DERIVED_NOTE = ("Derived for this course (teaching framing or model arithmetic), "
                 "not a published result")


def _render(key: str) -> str:
    data = load_data()
    ref = data.refs[key]
    text = _plain(ref["custom"]["display"])
    note = data.notes.get(ref["custom"]["group"])
    if note:
        text = f"{text.rstrip('.')}. ({_plain(note).rstrip('.')}.)"
    return text if text.endswith((".", "]", ")")) else text + "."


def _sources_of(fact_id: str, seen: frozenset[str]) -> list[str]:
    data = load_data()
    fact = data.facts.get(fact_id)
    seen = seen | {fact_id}
    if fact is None:
        return list(dict.fromkeys(c for child in _children(fact_id)
                                  for c in _sources_of(child["id"], seen)))
    if "derived" in fact["status"]:
        pointed = [i for i in fact.get("derived_from", ()) if i not in seen]
        if not pointed:
            return [_DERIVED_NOTE + "."]
        followed = dict.fromkeys(c for i in pointed for c in _sources_of(i, seen))
        return [f"{_DERIVED_NOTE}; from {', '.join(pointed)}.", *followed]
    return list(dict.fromkeys(_render(source["key"]) for source in fact["sources"]))


def citations(fact_id: str) -> tuple[str, ...]:
    """The full citations behind one fact, one string per work (see :func:`cite`)."""
    fact_id = _check_id(fact_id)
    found = _sources_of(fact_id, frozenset())
    if found:
        return tuple(found)
    if fact_status(fact_id).unconfirmed:
        return ("No source: UNCONFIRMED in the course fact sheet.",)
    return ("No source named in the course fact sheet (an authoring note).",)


def cite(fact_id: str) -> str:
    """Full citation for a fact, as plain text: the references its data entry names by
    key. Derived facts say so and cite the facts they are derived from.

    >>> "Rahamimoff" in cite("F2-1a")
    True
    """
    return " ".join(citations(fact_id))


# --- a lesson's reference list -----------------------------------------------------------

_SUMMARY_CHARS = 110


def _summary(fact_id: str) -> str:
    """The fact's statement, shortened; a terse sub-point ("erectile dysfunction")
    gets its parent's bold label in front ("Items: erectile dysfunction")."""
    text = fact_text(fact_id).rstrip(" ;,:")
    text = text.split(_EM_DASH, 1)[0].rstrip(" .;,:")
    parent = load_data().facts.get(fact_id[:-1]) if fact_id[-1].isalpha() else None
    if parent is not None and len(text) < 60:
        label = re.match(r"\*\*(.+?)\*\*", _line(parent))
        if label:
            text = f"{_plain(label.group(1)).rstrip(' .:;')}: {text}"
    if len(text) > _SUMMARY_CHARS:
        text = text[:_SUMMARY_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:(") + " …"
    return text


@dataclass(frozen=True)
class References:
    """The sources behind a list of fact IDs, for a lesson's closing cell.

    Displays as a Markdown bullet list in Jupyter and as the same list in plain
    text (``repr``), sorted by fact ID and deterministic, so stored outputs are stable.
    """

    fact_ids: tuple[str, ...]

    def _lines(self, *, markdown: bool) -> list[str]:
        lines = []
        for fact_id in self.fact_ids:
            labels = fact_status(fact_id).labels
            if markdown:
                marks = "".join(f" **[{label}]**" if label == "UNCONFIRMED" else
                                f" *[{label}]*" for label in labels)
                lines.append(f"- **{fact_id}**{marks} — {_summary(fact_id)} — {cite(fact_id)}")
            else:
                marks = "".join(f" [{label}]" for label in labels)
                lines.append(f"- {fact_id}{marks} — {_summary(fact_id)} — {cite(fact_id)}")
        return lines

    def text(self) -> str:
        """The list as plain text, one fact per line."""
        return "\n".join(self._lines(markdown=False))

    def _repr_markdown_(self) -> str:
        return "\n".join(self._lines(markdown=True))

    def __repr__(self) -> str:
        return self.text()

    def __str__(self) -> str:
        return self.text()

    def __len__(self) -> int:
        return len(self.fact_ids)

    def __iter__(self):
        return iter(self.fact_ids)


def references(fact_ids: Iterable[str] | str) -> References:
    """The reference list for these fact IDs (sorted, repeats removed).

    ``fact_ids`` is an iterable of IDs or one string of prose, from which the IDs are
    read with :func:`find_fact_ids` (ranges such as "F10-1…F10-4" expanded). Unknown
    IDs raise ValueError naming them.
    """
    if isinstance(fact_ids, str):
        ids = find_fact_ids(fact_ids, expand_ranges=True)
        if not ids:
            raise ValueError(f"fact_ids: no fact ID (such as 'F2-1a') found in {fact_ids!r}")
    else:
        ids = list(fact_ids)
    checked = {_check_id(fact_id) for fact_id in ids}
    return References(tuple(sorted(checked, key=_sort_key)))
