"""The course's facts and references, read from the package's data files.

Every factual statement in the course cites a fact ID (``F2-1a``, ``F4.6-6`` …). Facts
live in ``lems_course/data/facts.yaml`` and the works they cite in ``references.yaml``
(CSL-JSON items), both checked against the JSON Schemas in ``data/schemas/``. Each fact
names its references by key; nothing is matched by name. ``data/lems_facts.md`` is
generated from these files. Citations for lessons: :mod:`lems_course.references`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from lems_course.schemas import schema_problems

__all__ = ["FACT_ID_PATTERN", "DataError", "FactStatus", "check_data", "fact_status",
           "fact_text", "find_fact_ids", "known_fact_ids", "load_data"]

#: A fact ID: F‹section›[.‹subsection›]-‹n›[letter], for example F2-1a or F4.6-6.
FACT_ID_PATTERN = r"F\d+(?:\.\d+)?-\d+[a-z]?"
_ID_RE = re.compile(rf"(?<![\w.]){FACT_ID_PATTERN}(?![\w])")
_PARTS_RE = re.compile(r"(F[\d.]+-)(\d+)([a-z]?)")
# "F10-1…F10-6", "F3-13...F3-15", "F4.6-2a…f"
_RANGE_RE = re.compile(
    rf"(?<![\w.])(?P<start>{FACT_ID_PATTERN})\s*(?:…|\.\.\.)\s*"
    rf"(?:(?P<end>{FACT_ID_PATTERN})|(?P<letter>[a-z])(?![\w]))")
_ITALIC_RE = re.compile(r"(?<![*\w])\*(?!\*)(?P<inner>[^*]+?)\*(?![*\w])")
EM_DASH = " — "


class DataError(ValueError):
    """A data file breaks its schema or a cross-reference; names file, entry and field."""


# --- loading -------------------------------------------------------------------------------

def _data_file(name: str) -> str:
    # Package data only: the project must not read anything outside the package.
    return resources.files("lems_course").joinpath("data", name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class _Data:
    facts: dict[str, dict[str, Any]]
    known: frozenset[str]
    refs: dict[str, dict[str, Any]]
    notes: dict[str, str]           # group title -> note shown after its references


def _with_parents(ids: Any) -> set[str]:
    # A lettered sub-point's parent (F2-1 for F2-1a) is citable: it covers all its points.
    return set(ids) | {i[:-1] for i in ids if i[-1].isalpha()}


def _check(facts_data: Any, refs_data: Any) -> list[str]:
    """Cross-references a schema cannot express (data already of the schema's shape)."""
    keys = [ref["id"] for ref in refs_data["references"]]
    ids = [fact["id"] for fact in facts_data["facts"]]
    sections = {section["number"] for section in facts_data["sections"]}
    groups = {group["title"] for group in refs_data["groups"]}
    problems = [f"references.yaml: {k}: the key is used twice" for k in set(keys)
                if keys.count(k) > 1]
    problems += [f"facts.yaml: {i}: the ID is defined twice" for i in set(ids) if ids.count(i) > 1]
    problems += [f"references.yaml: {ref['id']} field custom.group: no group "
                 f"{ref['custom']['group']!r}" for ref in refs_data["references"]
                 if ref["custom"]["group"] not in groups]
    for name in ("PMID", "PMCID", "DOI", "URL"):   # each work is listed once
        seen: dict[str, str] = {}
        for ref in refs_data["references"]:
            value = str(ref.get(name, "")).lower().rstrip("/")
            if value and seen.setdefault(value, ref["id"]) != ref["id"]:
                problems.append(f"references.yaml: {ref['id']} field {name}: the same work "
                                f"as {seen[value]}; cite one key")
    known = _with_parents(ids)
    for fact in facts_data["facts"]:
        where = f"facts.yaml: {fact['id']}"
        if fact["section"] not in sections:
            problems.append(f"{where} field section: no section {fact['section']!r}")
        problems += [f"{where} field sources.{n}.key: no reference {s['key']!r} in references"
                     ".yaml" for n, s in enumerate(fact["sources"]) if s["key"] not in keys]
        problems += [f"{where} field derived_from: unknown fact {other!r}"
                     for other in fact.get("derived_from", ()) if other not in known]
    return problems


def _read_yaml(name: str) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # the C parser when built
    return yaml.load(_data_file(name), Loader=loader)  # a safe loader, C or Python


def check_data() -> list[str]:
    """Every problem of the data files: JSON Schemas, then cross-references. Run by the
    tests, ``scripts/build_fact_sheet.py`` and ``python -m lems_course.quiz validate``;
    lessons skip the schema pass, which costs seconds on a busy machine."""
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
    return _Data(facts=facts, known=frozenset(_with_parents(facts)),
                 refs={ref["id"]: ref for ref in refs_data["references"]},
                 notes={g["title"]: g["note"] for g in refs_data["groups"] if "note" in g})


# --- IDs -----------------------------------------------------------------------------------

def sort_key(fact_id: str) -> tuple:
    """Sheet order: F1.2-10 after F1.2-9, F2-1a after F2-1."""
    match = re.fullmatch(r"F(\d+)(?:\.(\d+))?-(\d+)([a-z]?)", fact_id)
    if match is None:
        return (10**6, fact_id)
    return (int(match[1]), int(match[2] or 0), int(match[3]), match[4])


def known_fact_ids() -> frozenset[str]:
    """Every fact ID in the data, plus parents of lettered sub-points (F2-1 for F2-1a)."""
    return load_data().known


def check_id(fact_id: object) -> str:
    """``fact_id`` if the data defines it; else TypeError or ValueError with a suggestion
    found by structure (the parent, or the section's IDs), not by spelling distance."""
    if not isinstance(fact_id, str):
        raise TypeError(f"fact_id must be a fact ID string such as 'F2-1a', "
                        f"got {fact_id!r} ({type(fact_id).__name__})")
    known = known_fact_ids()
    if fact_id in known:
        return fact_id
    parent = fact_id.strip().rstrip("abcdefghijklmnopqrstuvwxyz")
    section = parent.rsplit("-", 1)[0] + "-" if "-" in parent else "\0"
    close = [parent] if parent in known else sorted(
        (i for i in known if i.startswith(section)), key=sort_key)[:4]
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
        spans = sorted(spans + [(m.start(), _expand(m)) for m in _RANGE_RE.finditer(text)],
                       key=lambda span: span[0])
    return list(dict.fromkeys(i for _position, ids in spans for i in ids))


def _expand(match: re.Match[str]) -> list[str]:
    start = match["start"]
    end = match["end"] or (start[:-1] + match["letter"] if start[-1].isalpha() else start)
    a, b = _PARTS_RE.fullmatch(start), _PARTS_RE.fullmatch(end)
    if a[1] == b[1] and a[3] and b[3] and a[2] == b[2]:
        return [f"{a[1]}{a[2]}{chr(c)}" for c in range(ord(a[3]), ord(b[3]) + 1)]
    if a[1] == b[1] and not a[3] and not b[3] and int(a[2]) <= int(b[2]):
        return [f"{a[1]}{n}" for n in range(int(a[2]), int(b[2]) + 1)]
    return list(dict.fromkeys([start, end]))


# --- text and status -----------------------------------------------------------------------

def plain(markdown: str) -> str:
    """Markdown inline noise removed: bold/italic stars and backticks."""
    text = _ITALIC_RE.sub(lambda m: m["inner"], markdown.replace("**", "").replace("`", ""))
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()


def sheet_line(fact: dict[str, Any]) -> str:
    """A fact as Markdown: its claim, then its source as the sheet writes it."""
    cited = fact.get("cited_as")
    return fact["claim"] + (EM_DASH + cited if cited is not None else "")


def children(fact_id: str) -> list[dict[str, Any]]:
    """The lettered sub-points of a parent ID (F2-1a, F2-1b … for F2-1)."""
    return [f for i, f in load_data().facts.items() if i[:-1] == fact_id and i[-1].isalpha()]


def fact_text(fact_id: str) -> str:
    """The fact as plain text: its claim and the source as written on the sheet."""
    fact = load_data().facts.get(check_id(fact_id))
    return plain(sheet_line(fact)) if fact else "; ".join(
        plain(sheet_line(child)) for child in children(fact_id))


@dataclass(frozen=True)
class FactStatus:
    """A fact's status (fact sheet, "Markers"); a parent carries its sub-points' markers.

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
    fact = load_data().facts.get(check_id(fact_id))
    marks = set(fact["status"]) if fact else {m for c in children(fact_id) for m in c["status"]}
    return FactStatus(unconfirmed="unconfirmed" in marks, secondary="secondary" in marks,
                      derived="derived" in marks, citation_to_verify="to verify" in marks)
