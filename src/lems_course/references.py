"""Citations for lessons: the works behind a fact ID, and a lesson's "References" cell.

Lessons write ``from lems_course.references import references``. Facts and works come
from the package's data (:mod:`lems_course.sources`), each fact naming its works by key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lems_course.sources import (
    EM_DASH,
    check_id,
    children,
    fact_status,
    fact_text,
    find_fact_ids,
    load_data,
    plain,
    sheet_line,
    sort_key,
)

__all__ = ["References", "citations", "cite", "references"]

_DERIVED_NOTE = ("Derived for this course (teaching framing or model arithmetic), "
                 "not a published result")
_SUMMARY_CHARS = 110


def _render(key: str) -> str:
    data = load_data()
    ref = data.refs[key]
    text, note = plain(ref["custom"]["display"]), data.notes.get(ref["custom"]["group"])
    if note:
        text = f"{text.rstrip('.')}. ({plain(note).rstrip('.')}.)"
    return text if text.endswith((".", "]", ")")) else text + "."


def _sources_of(fact_id: str, seen: frozenset[str]) -> list[str]:
    fact, seen = load_data().facts.get(fact_id), seen | {fact_id}
    if fact is None:
        return list(dict.fromkeys(c for child in children(fact_id)
                                  for c in _sources_of(child["id"], seen)))
    if "derived" not in fact["status"]:
        return list(dict.fromkeys(_render(source["key"]) for source in fact["sources"]))
    pointed = [i for i in fact.get("derived_from", ()) if i not in seen]
    if not pointed:
        return [_DERIVED_NOTE + "."]
    followed = dict.fromkeys(c for i in pointed for c in _sources_of(i, seen))
    return [f"{_DERIVED_NOTE}; from {', '.join(pointed)}.", *followed]


def citations(fact_id: str) -> tuple[str, ...]:
    """The full citations behind one fact, one string per work (see :func:`cite`)."""
    found = _sources_of(check_id(fact_id), frozenset())
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


def _summary(fact_id: str) -> str:
    """The fact's statement, shortened; a terse sub-point ("erectile dysfunction")
    gets its parent's bold label in front ("Items: erectile dysfunction")."""
    text = fact_text(fact_id).rstrip(" ;,:").split(EM_DASH, 1)[0].rstrip(" .;,:")
    parent = load_data().facts.get(fact_id[:-1]) if fact_id[-1].isalpha() else None
    label = re.match(r"\*\*(.+?)\*\*", sheet_line(parent)) if parent else None
    if label and len(text) < 60:
        text = f"{plain(label.group(1)).rstrip(' .:;')}: {text}"
    if len(text) > _SUMMARY_CHARS:
        text = text[:_SUMMARY_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:(") + " …"
    return text


@dataclass(frozen=True)
class References:
    """The sources behind a list of fact IDs, for a lesson's closing cell: a Markdown
    bullet list in Jupyter, the same list as plain text (``repr``), sorted by fact ID, so
    stored outputs are stable."""

    fact_ids: tuple[str, ...]

    def _lines(self, *, markdown: bool) -> list[str]:
        lines = []
        for fact_id in self.fact_ids:
            labels = fact_status(fact_id).labels
            name, marks = fact_id, "".join(f" [{label}]" for label in labels)
            if markdown:
                name = f"**{fact_id}**"
                marks = "".join(f" **[{label}]**" if label == "UNCONFIRMED" else
                                f" *[{label}]*" for label in labels)
            lines.append(f"- {name}{marks} — {_summary(fact_id)} — {cite(fact_id)}")
        return lines

    def text(self) -> str:
        """The list as plain text, one fact per line."""
        return "\n".join(self._lines(markdown=False))

    def _repr_markdown_(self) -> str:
        return "\n".join(self._lines(markdown=True))

    __repr__ = __str__ = text

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
    return References(tuple(sorted({check_id(fact_id) for fact_id in ids}, key=sort_key)))
