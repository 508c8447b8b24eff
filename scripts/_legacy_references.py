"""The fact sheet's OLD citation heuristics (lems_course.references before issue 11),
kept only so that scripts/migrate_fact_sheet.py can report where they disagree with the
explicit source keys. Not part of the package; never imported by the course.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

__all__ = [
    "FactStatus",
    "References",
    "citations",
    "cite",
    "fact_status",
    "fact_text",
    "find_fact_ids",
    "known_fact_ids",
    "references",
]

_SHEET = "lems_facts.md"
_ID_PATTERN = r"F\d+(?:\.\d+)?-\d+[a-z]?"
_ID_RE = re.compile(rf"(?<![\w.]){_ID_PATTERN}(?![\w])")
# "F10-1…F10-6", "F3-13...F3-15", "F4.6-2a…f"
_RANGE_RE = re.compile(
    rf"(?<![\w.])(?P<start>{_ID_PATTERN})\s*(?:…|\.\.\.)\s*"
    rf"(?:(?P<end>{_ID_PATTERN})|(?P<letter>[a-z])(?![\w]))")
_BULLET_RE = re.compile(r"^(?P<indent>\s*)- (?P<body>.*\S)\s*$")
_DEFINITION_RE = re.compile(rf"^\*\*(?P<id>{_ID_PATTERN})\*\*\s*(?P<rest>.*)$")
_ITALIC_RE = re.compile(r"(?<![*\w])\*(?!\*)(?P<inner>[^*]+?)\*(?![*\w])")
_EM_DASH = " — "

_PMID_RES = (
    re.compile(r"PMID:?\s*(\d{5,9})"),
    re.compile(r"PubMed\s+(\d{5,9})"),
    re.compile(r"pubmed\.ncbi\.nlm\.nih\.gov/(\d{5,9})"),
    re.compile(r"pubmed\.gov/(\d{5,9})"),
    re.compile(r"ncbi\.nlm\.nih\.gov/pubmed/(\d{5,9})"),
    re.compile(r"qxmd\.com/r/(\d{5,9})"),
)
_PMCID_RE = re.compile(r"\bPMC\d{4,9}\b")
_DOI_RE = re.compile(r"\b10\.\d{4,9}/[^\s,;)\]&\"]+")
_URL_RE = re.compile(r"https?://[^\s,;)\]\"]+")
_YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")
_QUOTED_RE = re.compile(r"\"([^\"]{10,})\"")
# Words that open a reference entry but do not name its source on a fact's line.
_GENERIC_FIRST_WORDS = frozenset({
    "A", "An", "The", "Online", "Unattributed", "Oxford", "Quantitative", "Medical",
    "Genetic", "Evidence", "Lambert-Eaton", "Synaptotagmin", "Microphysiological",
    "Autonomic", "Plasma",
})
# Segments of a source text that name different works: "A; B" and "(A), and B (…)".
_SEGMENT_SPLIT_RE = re.compile(r";\s+|\),\s+and\s+")


# --- parsing the sheet -------------------------------------------------------------

@dataclass(frozen=True)
class _Fact:
    fact_id: str
    markdown: str               # the line after the bold ID
    extra: tuple[str, ...]      # child lines without an ID ("Sources: …", quiz answers)
    parent: str | None          # F2-1 for F2-1a
    heading: str                # the nearest ### (or ##) heading
    subsection: bool            # True under a ### heading


@dataclass(frozen=True)
class _Reference:
    markdown: str
    text: str                   # plain text, as shown to a learner
    category: str
    note: str                   # the category's explanatory paragraph, if any
    pmids: frozenset[str]
    pmcids: frozenset[str]
    dois: tuple[str, ...]
    urls: frozenset[str]
    head: str                   # authors or name, before the first ". "
    year: str | None
    quoted: tuple[str, ...]
    italics: tuple[str, ...]


@dataclass(frozen=True)
class _Sheet:
    facts: dict[str, _Fact]
    known: frozenset[str]
    references: tuple[_Reference, ...]


SHEET_TEXT = ""   # set by the migration script before use


def _read_sheet() -> str:
    return SHEET_TEXT


def _plain(markdown: str) -> str:
    """Markdown inline noise removed: bold/italic stars and backticks."""
    text = markdown.replace("**", "").replace("`", "")
    text = _ITALIC_RE.sub(lambda m: m.group("inner"), text)
    text = text.replace("*", "")
    return re.sub(r"\s+", " ", text).strip()


def _normalise_url(url: str) -> str:
    url = re.sub(r"^https?://(www\.)?", "", url.strip().rstrip(".").rstrip("/"))
    return url.lower()


def _identifiers(text: str) -> tuple[set[str], set[str], list[str], set[str]]:
    pmids = {match for pattern in _PMID_RES for match in pattern.findall(text)}
    pmcids = set(_PMCID_RE.findall(text))
    dois = [doi.rstrip(".").lower() for doi in _DOI_RE.findall(text)]
    urls = {_normalise_url(url) for url in _URL_RE.findall(text)}
    return pmids, pmcids, dois, urls


def _parse_reference(markdown: str, category: str, note: str) -> _Reference:
    text = _plain(markdown)
    pmids, pmcids, dois, urls = _identifiers(markdown)
    head = re.split(r"\.\s|\s\[|\s\(|:\s", text, maxsplit=1)[0].strip()
    if head.startswith("["):
        head = ""
    years = _YEAR_RE.findall(text)
    return _Reference(
        markdown=markdown, text=text, category=category, note=note,
        pmids=frozenset(pmids), pmcids=frozenset(pmcids), dois=tuple(dois),
        urls=frozenset(urls), head=head, year=years[0] if years else None,
        quoted=tuple(_QUOTED_RE.findall(text)),
        italics=tuple(m.group("inner") for m in _ITALIC_RE.finditer(markdown)))


def _parse(markdown: str) -> _Sheet:
    facts: dict[str, _Fact] = {}
    extras: dict[str, list[str]] = {}
    references: list[_Reference] = []
    heading = ""
    subsection = False
    in_references = False
    category = ""
    notes: dict[str, str] = {}
    pending: list[tuple[str, str]] = []          # (category, markdown) of reference bullets
    stack: list[tuple[int, str | None]] = []      # (indent, fact ID or None) of open bullets

    for line in markdown.splitlines():
        if line.startswith("## References"):
            in_references = True
            continue
        if in_references:
            if line.startswith("### "):
                category = line[4:].strip()
            elif line.startswith("- "):
                pending.append((category, line[2:].strip()))
            elif line.strip() and not line.startswith("#"):
                notes[category] = _plain(line)
            continue
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            subsection = line.startswith("### ")
            stack.clear()
            continue
        bullet = _BULLET_RE.match(line)
        if bullet is None:
            continue
        indent = len(bullet.group("indent"))
        body = bullet.group("body")
        while stack and stack[-1][0] >= indent:
            stack.pop()
        definition = _DEFINITION_RE.match(body)
        if definition is None:
            if stack and stack[-1][1] is not None:
                extras[stack[-1][1]].append(body)
            stack.append((indent, None))
            continue
        fact_id = definition.group("id")
        if fact_id in facts:
            raise ValueError(f"fact sheet defines {fact_id} twice")
        parent = fact_id[:-1] if fact_id[-1].isalpha() else None
        facts[fact_id] = _Fact(fact_id, definition.group("rest"), (), parent, heading,
                                 subsection)
        extras[fact_id] = []
        stack.append((indent, fact_id))

    facts = {fid: _Fact(f.fact_id, f.markdown, tuple(extras[fid]), f.parent, f.heading,
                         f.subsection)
             for fid, f in facts.items()}
    known = set(facts)
    known.update(f.parent for f in facts.values() if f.parent)
    references = [_parse_reference(md, cat, notes.get(cat, "")) for cat, md in pending]
    return _Sheet(facts=facts, known=frozenset(known), references=tuple(references))


@cache
def _sheet() -> _Sheet:
    return _parse(_read_sheet())


# --- IDs -------------------------------------------------------------------------

def _sort_key(fact_id: str) -> tuple:
    match = re.fullmatch(r"F(\d+)(?:\.(\d+))?-(\d+)([a-z]?)", fact_id)
    if match is None:
        return (10**6, fact_id)
    section, sub, number, letter = match.groups()
    return (int(section), int(sub or 0), int(number), letter)


def known_fact_ids() -> frozenset[str]:
    """Every fact ID the sheet defines, lettered sub-points included.

    A parent ID such as F2-1 is known when it is defined or has sub-points: citing a
    parent covers all its sub-points (fact sheet, "How to use this sheet").
    """
    return _sheet().known


def _check_id(fact_id: object) -> str:
    if not isinstance(fact_id, str):
        raise TypeError(f"fact_id must be a fact ID string such as 'F2-1a', "
                        f"got {fact_id!r} ({type(fact_id).__name__})")
    if fact_id in known_fact_ids():
        return fact_id
    ordered = sorted(known_fact_ids(), key=_sort_key)
    close = difflib.get_close_matches(fact_id.strip(), ordered, n=4, cutoff=0.6)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise ValueError(f"fact_id {fact_id!r} is not in the course fact sheet.{hint}")


def find_fact_ids(text: str, *, expand_ranges: bool = False) -> list[str]:
    """Fact IDs mentioned in ``text``, in order of first appearance, without repeats.

    With ``expand_ranges=True``, "F10-1…F10-4" also yields F10-2 and F10-3 and
    "F4.6-2a…f" yields F4.6-2a … F4.6-2f (ranges within one entry or one section).
    No check is made that the IDs exist; see :func:`known_fact_ids`.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    found: dict[str, None] = {}
    spans: list[tuple[int, list[str]]] = [(m.start(), [m.group(0)]) for m in _ID_RE.finditer(text)]
    if expand_ranges:
        for match in _RANGE_RE.finditer(text):
            spans.append((match.start(), _expand(match)))
        spans.sort(key=lambda item: item[0])
    for _position, ids in spans:
        for fact_id in ids:
            found.setdefault(fact_id, None)
    return list(found)


def _expand(match: re.Match[str]) -> list[str]:
    start = match.group("start")
    end = match.group("end") or (start[:-1] + match.group("letter")
                                 if start[-1].isalpha() else None)
    if end is None:
        return [start]
    a, b = re.fullmatch(r"(F[\d.]+-)(\d+)([a-z]?)", start), re.fullmatch(
        r"(F[\d.]+-)(\d+)([a-z]?)", end)
    if a is None or b is None or a.group(1) != b.group(1):
        return [start, end]
    if a.group(3) and b.group(3) and a.group(2) == b.group(2):
        letters = range(ord(a.group(3)), ord(b.group(3)) + 1)
        return [f"{a.group(1)}{a.group(2)}{chr(code)}" for code in letters]
    if not a.group(3) and not b.group(3) and int(a.group(2)) <= int(b.group(2)):
        return [f"{a.group(1)}{n}" for n in range(int(a.group(2)), int(b.group(2)) + 1)]
    return [start, end]


# --- text and status ----------------------------------------------------------------

def fact_text(fact_id: str) -> str:
    """The fact's line as plain text (no markdown stars, backticks or list marker).

    A parent known only through its sub-points (none in the current sheet) gives the
    sub-points' texts joined.
    """
    fact_id = _check_id(fact_id)
    fact = _sheet().facts.get(fact_id)
    if fact is not None:
        return _plain(fact.markdown)
    children = [f for f in _sheet().facts.values() if f.parent == fact_id]
    return "; ".join(_plain(child.markdown) for child in children)


@dataclass(frozen=True)
class FactStatus:
    """Markers on a fact (fact sheet, "Markers"); sub-points inherit their parent's.

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
        return tuple(label for field, label in names if getattr(self, field))


def _own_status(markdown: str) -> FactStatus:
    italics = " ".join(m.group("inner") for m in _ITALIC_RE.finditer(markdown))
    return FactStatus(
        unconfirmed="UNCONFIRMED" in markdown,
        secondary="secondary]" in markdown,
        derived=bool(re.search(r"\bderived\b|\btoy\b|model illustration", italics,
                               flags=re.IGNORECASE)),
        citation_to_verify="citation to verify" in markdown,
    )


def fact_status(fact_id: str) -> FactStatus:
    """The markers on a fact: unconfirmed, secondary, derived, citation_to_verify.

    Read from the fact's own line (markers on explanatory child lines, such as a quiz
    answer that mentions another fact, do not count). A lettered sub-point also takes
    its parent's markers: "[all secondary]" or "UNCONFIRMED" on F1.2-5 or F1.3-1
    covers their sub-points.
    """
    fact_id = _check_id(fact_id)
    facts = _sheet().facts
    chain = []
    current: str | None = fact_id
    while current is not None:
        fact = facts.get(current)
        if fact is not None:
            chain.append(_own_status(fact.markdown))
        current = current[:-1] if current[-1].isalpha() else None
    if fact_id not in facts:   # a parent known only through its sub-points
        chain.extend(_own_status(f.markdown) for f in facts.values() if f.parent == fact_id)
    return FactStatus(*(any(getattr(s, field) for s in chain) for field in
                        ("unconfirmed", "secondary", "derived", "citation_to_verify")))


# --- citations ----------------------------------------------------------------------

def _word_in(word: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w])", text) is not None


def _identifier_matches(segment: str) -> list[_Reference]:
    pmids, pmcids, dois, urls = _identifiers(segment)
    found = []
    for ref in _sheet().references:
        if (pmids & ref.pmids or pmcids & ref.pmcids or urls & ref.urls
                or any(doi == ref_doi or doi.startswith(ref_doi + "/")
                       for doi in dois for ref_doi in ref.dois)):
            found.append(ref)
    return found


def _name_keys(ref: _Reference) -> set[str]:
    """Names that identify a reference on a fact's line: its first author or source
    name, the parts of "Medscape / eMedicine", and capitalised words in parentheses
    such as "(Springer)" or "(GARD)"."""
    if not ref.head:
        return set()
    keys = {re.split(r"[\s,]", ref.head, maxsplit=1)[0].rstrip(".")}
    keys.update(part.strip() for part in ref.head.split(" / "))
    keys.update(re.findall(r"\(([A-Z][a-z]+)\)", ref.text))
    return {key for key in keys
            if len(key) >= 2 and key[0].isupper() and key not in _GENERIC_FIRST_WORDS}


def _name_score(ref: _Reference, segment: str) -> int:
    """How well a reference fits a piece of source text without identifiers: a name
    with the matching year counts more than a name alone, so "Titulaer 2008" picks
    the 2008 paper and not an undated Titulaer entry."""
    score = 0
    if ref.head and (" " in ref.head or "." in ref.head) and ref.head in segment:
        score += 3     # a full name ("Dodge & Rahamimoff", "decodinglems.com"), not a surname
    if any(_word_in(key, segment) for key in _name_keys(ref)):
        if ref.year is None:
            score += 1
        elif ref.year in segment:
            score += 2
    score += 2 * sum(f'"{title}"' in segment for title in ref.quoted)
    journal_hit = any(italic in segment for italic in ref.italics)
    if score:
        score += journal_hit
    elif journal_hit and ref.year is not None and ref.year in segment:
        score = 2     # "Sci Rep 2020": journal and year name the paper
    return score


def _name_matches(segment: str) -> list[_Reference]:
    segment = _plain(segment)
    scored = [(_name_score(ref, segment), ref) for ref in _sheet().references]
    best = max((score for score, _ref in scored), default=0)
    if best < 1:
        return []
    return [ref for score, ref in scored if score == best]


def _strip_notes(markdown: str) -> str:
    # Italic sentences after a source ("*This conflicts with … (F4.4-2).*") are notes,
    # not sources; italic journal names ("*J Physiol*") stay.
    return _ITALIC_RE.sub(
        lambda m: "" if m.group("inner").rstrip().endswith((".", ":")) else m.group(0),
        markdown)


def _split_source(markdown: str) -> tuple[str, str] | None:
    """(statement, source) at the first em dash outside bold text, or None."""
    start = 0
    while (index := markdown.find(_EM_DASH, start)) >= 0:
        if markdown[:index].count("**") % 2 == 0:
            return markdown[:index], markdown[index + len(_EM_DASH):]
        start = index + 1
    return None


def _render(ref: _Reference, segment: str = "") -> str:
    text = ref.text
    if len(ref.quoted) >= 3:
        # A grouped entry ("Unattributed physiology texts, each …: "A"; "B"; …"):
        # keep only the titles this source text names.
        named = [title for title in ref.quoted if f'"{title}"' in _plain(segment)]
        if named:
            prefix = text.split(": ", 1)[0]
            text = f"{prefix}: " + "; ".join(f'"{title}"' for title in named)
    if ref.note:
        text = f"{text.rstrip('.')}. ({ref.note.rstrip('.')}.)"
    return text if text.endswith((".", "]", ")")) else text + "."


def _plain_source(markdown: str) -> str:
    text = _plain(markdown).strip(" ;,:")
    return text if text.endswith((".", "]", ")")) else text + "."


_DERIVED_NOTE = ("Derived for this course (teaching framing or model arithmetic), "
                 "not a published result")


def _source_texts(fact: _Fact) -> tuple[list[str], bool]:
    """The texts of a fact that may name its source, and whether one is explicit
    (after an em dash). Child lines count only when they give sources or a quiz
    answer's source, not when they are notes about other facts."""
    split = _split_source(fact.markdown)
    texts = [split[1] if split else fact.markdown]
    for line in fact.extra:
        if line.startswith("Sources:"):
            texts.append(line)
        elif line.startswith("**Answer"):
            answer = _split_source(line)
            texts.append(answer[1] if answer else line)
    return texts, split is not None


def _direct(fact: _Fact, seen: frozenset[str], *, follow: bool = True) -> list[str]:
    """Citations named on the fact's own line (and its source lines), following
    pointers to other facts such as "Nagel et al. 1988 (F2-17)"."""
    texts, _explicit = _source_texts(fact)
    found: list[str] = []
    for text in texts:
        for segment in _SEGMENT_SPLIT_RE.split(_strip_notes(text)):
            refs = _identifier_matches(segment)
            pointed = [i for i in find_fact_ids(segment, expand_ranges=True)
                       if i not in seen and i in _sheet().known] if follow else []
            if not refs:
                refs = _name_matches(segment)
                if len(refs) > 1 and pointed:
                    refs = []      # "older Wikipedia text (F1.2-1b)": the pointer decides
            if refs:
                found.extend(_render(ref, segment) for ref in refs)
                continue
            for fact_id in pointed:
                found.extend(_sources_of(fact_id, seen))
    return _unique(found)


def _sources_of(fact_id: str, seen: frozenset[str]) -> list[str]:
    """Rendered citations for one fact; empty if the sheet names no source."""
    sheet = _sheet()
    seen = seen | {fact_id}
    fact = sheet.facts.get(fact_id)
    children = [f.fact_id for f in sheet.facts.values()
                if f.parent == fact_id and f.fact_id not in seen]
    if fact is None:
        return _unique(c for child in children for c in _sources_of(child, seen))

    if fact_status(fact_id).derived:
        pointed = [i for i in find_fact_ids(_plain(fact.markdown), expand_ranges=True)
                   if i not in seen and i in sheet.known]
        if not pointed:
            return [_DERIVED_NOTE + "."]
        followed = _unique(c for i in pointed for c in _sources_of(i, seen))
        return [f"{_DERIVED_NOTE}; from {', '.join(pointed)}.", *followed]

    found = _direct(fact, seen)
    if found:
        return found
    texts, explicit = _source_texts(fact)
    if explicit:
        return [_plain_source(_strip_notes(texts[0]))]
    # A lettered sub-point takes the source on its parent's line (F2-1a from F2-1).
    if fact.parent is not None and fact.parent not in seen and fact.parent in sheet.facts:
        found = _direct(sheet.facts[fact.parent], seen)
        if found:
            return found
    # A parent without its own source is covered by its sub-points' sources.
    found = _unique(c for child in children for c in _sources_of(child, seen)
                    if not c.startswith(_DERIVED_NOTE))
    if found:
        return found
    # A section about one source ("10.2 What the founding text says (GARD text …)").
    found = _unique(_render(ref, fact.heading) for ref in
                    _identifier_matches(fact.heading) or _name_matches(fact.heading))
    if found or fact_status(fact_id).unconfirmed or not fact.subsection:
        return found
    return _section_source(fact, seen)


def _section_source(fact: _Fact, seen: frozenset[str]) -> list[str]:
    """The source of the first fact under the same ### heading that names one on its own
    line (the DELTA-P items F4.6-2 rest on F4.6-1, the paper the section describes)."""
    for earlier in _sheet().facts.values():
        if earlier.fact_id == fact.fact_id:
            break
        if earlier.heading == fact.heading and earlier.parent is None:
            found = _direct(earlier, seen | {earlier.fact_id}, follow=False)
            if found:
                return found
    return []


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


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
    """Full citation for a fact, as plain text.

    The source named on the fact's line (or on its parent's line for a lettered
    sub-point, or on the fact it points to, as in "Nagel et al. 1988 (F2-17)") is
    matched to the sheet's References section, by identifier (PMID, PMCID, DOI, URL),
    else by first author and year, else by name, and the full reference is given.
    Where nothing matches, the text after the em dash on the fact's line is used.
    Derived facts say so and cite the facts they are derived from.

    >>> "Rahamimoff" in cite("F2-1a")
    True
    """
    return " ".join(citations(fact_id))


# --- a lesson's reference list -------------------------------------------------------

_SUMMARY_CHARS = 110


def _summary(fact_id: str) -> str:
    """The fact's statement, shortened; a terse sub-point ("erectile dysfunction")
    gets its parent's bold label in front ("Items: erectile dysfunction")."""
    text = fact_text(fact_id).rstrip(" ;,:")
    text = text.split(_EM_DASH, 1)[0].rstrip(" .;,:")
    parent = _sheet().facts.get(fact_id[:-1]) if fact_id[-1].isalpha() else None
    if parent is not None and len(text) < 60:
        label = re.match(r"\*\*(.+?)\*\*", parent.markdown)
        if label:
            text = f"{_plain(label.group(1)).rstrip(' .:;')}: {text}"
    if len(text) > _SUMMARY_CHARS:
        cut = text[:_SUMMARY_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:(")
        text = cut + " …"
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
                line = f"- **{fact_id}**{marks} — {_summary(fact_id)} — {cite(fact_id)}"
            else:
                marks = "".join(f" [{label}]" for label in labels)
                line = f"- {fact_id}{marks} — {_summary(fact_id)} — {cite(fact_id)}"
            lines.append(line)
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
