# ruff: noqa: E501  (the RESOLUTIONS table keeps one fact per line)
"""Convert the Markdown fact sheet into the course's data files, without guessing.

    .venv/bin/python scripts/migrate_fact_sheet.py [SHEET.md] [--check] [--report]

Reads SHEET.md (default: ``src/lems_course/data/lems_facts.md``) and writes
``facts.yaml`` and ``references.yaml`` next to the package's schemas
(``src/lems_course/data/``), then validates them against the JSON Schemas. Run
``scripts/build_fact_sheet.py`` afterwards to regenerate the Markdown from the data.

Lossless: every fact keeps its ID, its text (claim and the source as written) and its
place (section, group label, indentation, child lines); every reference keeps its
Markdown line. Re-running on the generated sheet gives the same data (idempotent).

Every fact gets explicit reference keys, by these rules only:

1. identifiers on the fact's line (PMID, PMCID, DOI, URL), matched exactly to a
   reference's identifiers;
2. pointers to other facts in its source text ("Nagel et al. 1988 (F2-17)") take that
   fact's keys; a lettered sub-point without a source of its own takes its parent's;
3. :data:`RESOLUTIONS` below, an explicit table written by reading each fact.

The script also runs the sheet's OLD heuristics (``_legacy_references.py``: identifier,
else first author and year, else fuzzy name match) and compares. It stops with exit
status 1, naming the line, when a fact's source text names something rules 1–2 cannot
attribute, or when the old heuristics attributed a fact to other references than rules
1–2 give, unless RESOLUTIONS decides that fact. ``--report`` lists every
disagreement between the old heuristics and the final keys (the corrections).
``--check`` writes nothing and fails if the data files are not what the sheet gives.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lems_course.sources import FACT_ID_PATTERN, find_fact_ids

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "lems_course" / "data"
DEFAULT_SHEET = DATA / "lems_facts.md"
GENERATED_MARK = "<!-- Generated"

ID_PATTERN = FACT_ID_PATTERN  # one definition of a fact ID: lems_course.sources
_BULLET_RE = re.compile(r"^(?P<indent>\s*)- (?P<body>.*\S)\s*$")
_DEFINITION_RE = re.compile(rf"^\*\*(?P<id>{ID_PATTERN})\*\*\s*(?P<rest>.*)$")
_HEADING_RE = re.compile(r"^(?P<hashes>#{2,3}) (?P<number>\d+(?:\.\d+)?)\.? (?P<title>.*\S)\s*$")
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

# --- explicit tables (read and decided by hand; see the module docstring) ---------------

#: Keys of references whose automatic key would be unclear (automatic key, after the
#: "-2", "-3" … of repeats in file order, -> key).
KEY_RENAMES: dict[str, str] = {
    "lipka2020": "lipka2020-rns", "lipka2020-2": "lipka2020-prognosis",
    "maddison": "maddison-sox2", "titulaer2011": "titulaer2011-review",
    "titulaer2011-2": "titulaer2011-deltap", "titulaer": "titulaer-sox",
    "titulaer2011-3": "titulaer2011-efns", "wickens1911": "wickens-katz",
    "j-neurosci2011": "jneurosci2011-rrp", "synaptotagmin": "jgp-synaptotagmin",
    "front-synaptic-neurosci2010": "frontiers2010-pools",
    "mouse-nmj-transmission": "pmc4743804-cav21",
    "nanodomain-coupling-at": "pmc4826128-nanodomain",
    "3-4-dap": "pmc5696531-dap-agonists", "pnas": "pnas-alpha1a",
    "les-sera-drg": "pmc38630-les-sera", "j-neurol-neurosurg1980": "jnnp1980-mg-igg",
    "lambert": "springer-lems-chapter", "association2013": "immunotargets2013",
    "front-immunol2019": "frontimmunol2019-sox1",
    "expert-rev-clin2010": "expertrev2010-dap", "bmc-neurol2021": "bmcneurol2021-meta",
    "front-neurol2024": "frontneurol2024-saudi", "neurology2021": "neurology2021-video",
    "crayfish-nmj-calcium": "crayfish-nmj", "quantitative": "freeze-fracture-frog",
    "study-post": "pef-11-patients", "plasma": "plasma-exchange",
    "autonomic": "autonomic-pmid9443463",
    "synaptotagmin-antibodies-lems": "synaptotagmin-ab-pmid8583238",
    "lems-review-20242024": "review2024-pmid38494285",
    "lems-prevalence-us": "va-prevalence-pmid27997683",
    "3-4-dap-2": "dap-withdrawal-pmid29280483", "encyclopaedia": "britannica",
    "wikipedia": "wikipedia-nmj", "wikipedia-2": "wikipedia-epp",
    "wikipedia-3": "wikipedia-lems", "oxford": "oxford-dictionary-biology",
    "quantitative-2": "quantitative-human-physiology", "mcgraw": "mcgraw-hill-neurology",
    "medical": "medical-algorithms", "medical-2": "online-medical-dictionary",
    "evidence2011": "evidence-summary-keogh", "anesthesia": "anesthesia-key",
    "modeldb1984": "modeldb9888", "pharmacist-com": "apha-fda",
    "lambert-2": "lambert-eaton-news", "decodinglems-com": "decodinglems",
    "lemsawarehcp-com": "lemsawarehcp", "oxford-2": "oxford-sclc-cell-line",
    "genetic": "gard", "bmj-best": "bmj-best-practice",
}

#: The grouped entry "Unattributed physiology texts, each …: "A"; "B"; …" becomes one
#: reference per text, so that a fact cites exactly the text it names.
GROUPED_PREFIX = "Unattributed physiology texts, each"
SPLIT_GROUPED: tuple[tuple[str, str], ...] = (
    ("text-epp-postsynaptic", 'Unattributed physiology text. "End-plate potential (EPP) in the '
     'postsynaptic membrane". [citation to verify] [secondary]'),
    ("text-epp-propagation", 'Unattributed physiology text. "Propagation of the endplate '
     'potential". [citation to verify] [secondary]'),
    ("text-nmj-sequence", 'Unattributed physiology text. "Summary of the sequence of events '
     'underlying synaptic transmission at the skeletal neuromuscular junction". '
     '[citation to verify] [secondary]'),
    ("text-clinical-neurology-rns", 'Clinical neurology text, "Basic principles and '
     'technique". [citation to verify] [secondary]'),
    ("text-safety-margin", 'Health-information web page. "Safety margin for neuromuscular '
     'transmission". [citation to verify] [secondary]'),
)

#: Fact ID -> its reference keys, decided by reading the fact (rule 3). An empty tuple
#: means the fact names no work in the References list (an authoring note).
RESOLUTIONS: dict[str, tuple[str, ...]] = {
    # §14: the two MG reviews are named by title only
    "F14-1": ('review-trans-synaptic',),
    "F14-2": ('review-homeostatic-synaptic',),
    # §11 (merged after the migration was written), decided by reading each fact:
    "F11-6b": ('firdapse2024',),  # the current and the earlier US label, both in that entry
    "F11-11": (),  # derived teaching note from F6-6c, F6-4c, F11-9, F11-10
    "F11-13": ('ther-adv-neurol2023',),
    "F11-15": ('o-neill1988',),
    "F11-20": ('bmj-best-2',),  # the §11 BMJ Best Practice entry (differentials), not F3-21's
    "F11-20a": ('bmj-best-2',),
    "F11-20b": ('bmj-best-2',),
    "F11-20c": ('bmj-best-2',),
    "F11-20d": ('bmj-best-2',),
    "F11-21": ('cleve-clin-j',),
    "F11-21a": ('cleve-clin-j',),
    "F11-21b": ('cleve-clin-j',),
    "F11-21c": ('cleve-clin-j',),
    "F11-21d": ('cleve-clin-j',),
    "F11-21e": ('cleve-clin-j',),
    "F1.1-2": ('britannica',),
    "F1.1-3": ('text-epp-postsynaptic',),
    "F1.1-4": ('text-epp-propagation',),
    # F1.2-1: sub-points' sources; F1.2-1b names the online medical dictionary too
    "F1.2-1": ('wikipedia-epp', 'brandeis', 'online-medical-dictionary'),
    "F1.2-1a": ('wikipedia-epp', 'brandeis'),
    # F1.2-1b: correction: the line also names the online medical dictionary entry
    "F1.2-1b": ('wikipedia-epp', 'online-medical-dictionary'),
    "F1.2-4": ('lodish', 'text-nmj-sequence', 'meredith'),
    "F1.2-4a": ('lodish',),
    "F1.2-4b": ('text-nmj-sequence',),
    "F1.2-4c": ('meredith',),
    "F1.2-5": ('britannica', 'text-nmj-sequence', 'wikipedia-epp', 'nelson'),
    "F1.2-5a": ('britannica',),
    "F1.2-5b": ('text-nmj-sequence',),
    "F1.2-5c": ('wikipedia-epp',),
    "F1.2-5d": ('nelson',),
    "F1.3-1": ('oxford-dictionary-biology', 'quantitative-human-physiology'),
    "F1.3-1a": ('oxford-dictionary-biology',),
    "F1.3-1b": ('quantitative-human-physiology',),
    "F1.2-2": ('brandeis',),  # (F1.2-1a) locates the Brandeis page; not Wikipedia
    "F1.3-1c": (),
    "F1.3-6": ('text-clinical-neurology-rns',),
    "F1.4-1": ('rizzoli2005', 'frontiers2010-pools'),
    "F1.4-3": ('text-safety-margin',),
    "F1.5-1": ('katz1968',),
    "F2-3": ('bennett1977',),
    "F2-8": ('dittrich2013',),
    "F2-13": ('giovannini',),
    "F2-16": ('protti1996',),
    "F3-1": ('lennon1995',),
    "F3-1a": ('lennon1995',),
    "F3-1b": ('lennon1995',),
    "F3-1c": ('lennon1995',),
    "F3-8": ('fukunaga1982',),
    "F3-11": ('giovannini',),
    "F3-13": ('stickler2009',),
    "F3-14": ('anesthesia-key',),
    "F3-15": ('wikipedia-epp',),
    "F3-16": ('lambert1971',),
    "F3-17": ('albuquerque1976',),
    "F3-24": ('neurology2021-video',),
    "F4.1-3": ('bmj-best-practice',),
    # F4.1-6: the claim's source; Medscape (F4.1-5) is named as the conflicting source
    "F4.1-6": ('decodinglems',),
    "F4.1-7": ('medscape', 'decodinglems'),  # correction: the line names decodinglems as well as Medscape
    "F4.1-8": ('medscape',),
    "F4.2-3": ('bmj-best-practice',),
    "F4.2-4": ('wikipedia-lems',),
    "F4.2-7": ('bmj-best-practice',),
    "F4.2-8": ('bmj-best-practice',),
    # F4.3-1: (F4.1-1) locates the review; Bekircan-Kurt is not cited here
    "F4.3-1": ('immunotargets2013',),
    "F4.3-2": ('bekircan2015', 'review2024-pmid38494285', 'springer-lems-chapter', 'maddison2020', 'titulaer2011-review'),
    "F4.3-2a": ('bekircan2015', 'review2024-pmid38494285'),
    "F4.3-2b": ('springer-lems-chapter', 'maddison2020'),
    "F4.3-2c": ('titulaer2011-review',),
    # F4.3-3: (F3-2) locates the paper; the Springer chapter is not cited here
    "F4.3-3": ('maddison2020',),
    "F4.3-4": ('kohler2018',),
    "F4.3-6": ('bmj-best-practice',),
    "F4.3-7": ('medscape',),
    "F4.4-1": ('bmj-best-practice',),
    "F4.4-3": ('bmj-best-practice', 'stickler2009'),
    "F4.6-2": ('titulaer2011-deltap',),
    "F4.6-2a": ('titulaer2011-deltap',),
    "F4.6-2b": ('titulaer2011-deltap',),
    "F4.6-2c": ('titulaer2011-deltap',),
    "F4.6-2d": ('titulaer2011-deltap',),
    "F4.6-2e": ('titulaer2011-deltap',),
    "F4.6-2f": ('titulaer2011-deltap',),
    "F4.6-3": ('titulaer2011-deltap',),
    "F4.6-4": ('lemsawarehcp',),
    "F4.6-5": ('titulaer2011-deltap',),
    "F4.7-1": ('titulaer2008', 'medical-algorithms'),
    "F4.7-2": ('titulaer2011-efns',),
    "F4.7-3": ('bmj-best-practice',),
    "F5-1": ('orphanet', 'medscape'),
    "F5-1b": ('medscape',),
    "F5-2": ('neurology2021-video',),
    "F5-3": ('hatanaka2008',),
    "F5-4": ('oh2005',),
    "F5-5": ('lipka2020-rns',),
    "F5-6": ('oh2021',),
    "F5-9": ('lennon1995', 'autonomic-pmid9443463', 'medscape', 'maddison2001'),
    "F5-9a": ('lennon1995', 'springer-lems-chapter', 'maddison2020', 'neurologylive2024', 'autonomic-pmid9443463'),  # correction: 'F3-1 to F3-4' is a range of four facts
    "F5-9b": ('medscape',),
    "F6-2": ('expertrev2010-dap', 'neurologylive2024', 'manasa'),
    "F6-5": ('bmcneurol2021-meta',),
    "F6-7": ('sanders2000',),
    "F6-8": ('shieh2019',),
    "F6-12": ('expertrev2010-dap', 'shieh2019'),
    # F6-15: correction: the line names the Springer chapter (F2-15) as well
    "F6-15": ('springer-lems-chapter', 'merino2016'),
    "F6-17": ('plasma-exchange',),
    "F6-18": ('maddison2001',),
    "F6-19": ('medscape',),
    "F6-21": ('lipka2020-prognosis',),
    "F6-22": ('bekircan2015',),  # (F4.1-1) locates the paper
    "F7-2": ('ginebaugh2022',),
    "F7-3": ('dittrich2013',),
    "F7-4": ('laghaei2018',),
    "F7-7": ('tarr2013',),
    "F7-7a": ('tarr2013',),
    "F7-7b": ('tarr2013',),
    "F7-7c": ('tarr2013',),
    "F8-1": ('wikipedia-epp', 'brandeis'),
    "F8-2": ('dodge1967',),
    "F8-3": ('dodge1967',),
    "F8-4": ('katz1968',),
    "F8-5": ('protti1993', 'springer-lems-chapter', 'pnas-alpha1a'),
    # F8-6: correction: the answer also cites the reviews (F3-2) and the seronegative share (F3-3)
    "F8-6": ('lennon1995', 'springer-lems-chapter', 'maddison2020', 'neurologylive2024'),
    # F8-7: correction: the works the answer names; not Lambert & Elmqvist 1971 (not consulted, F3-16)
    "F8-7": ('stickler2009', 'anesthesia-key', 'albuquerque1976', 'jnnp1980-mg-igg'),
    "F8-8": ('nagel1988',),
    "F8-9": ('medscape', 'orphanet', 'oh2021'),
    "F8-10": ('oh2005', 'lipka2020-rns'),
    "F8-11": ('hatanaka2008',),
    "F8-12": ('titulaer2011-deltap',),
    "F8-13": ('titulaer2011-deltap', 'maddison2020'),
    "F8-14": ('titulaer2008', 'medical-algorithms', 'titulaer2011-efns'),
    "F8-15": ('expertrev2010-dap', 'neurologylive2024', 'keogh2011'),
    "F9-1": ('oxford-dictionary-biology', 'quantitative-human-physiology', 'bollmann2000', 'lambert1971', 'tarr2013', 'apha-fda'),
    "F9-1c": ('oxford-dictionary-biology', 'quantitative-human-physiology'),
    "F9-1g": ('lambert1971',),
    "F9-1h": ('tarr2013',),
    "F9-1i": ('tarr2013',),
    "F9-2": ('immunotargets2013', 'bekircan2015', 'review2024-pmid38494285', 'springer-lems-chapter', 'maddison2020', 'titulaer2011-review', 'kohler2018', 'medscape', 'titulaer2008', 'neurologylive2024'),
    "F9-2a": ('immunotargets2013', 'bekircan2015', 'review2024-pmid38494285', 'springer-lems-chapter', 'maddison2020', 'titulaer2011-review', 'kohler2018'),
    "F9-2b": ('medscape', 'decodinglems'),  # correction: it names the industry site too
    "F9-3": (),  # authoring notes, no source
    "F9-4": (),
    "F10-1": ('lennon1995',),
    "F10-2": ('lennon1995',),
    "F10-4": ('oxford-sclc-cell-line',),
    "F10-7": ('gard',),
    "F10-8": ('gard',),
    "F10-9": ('gard',),
    "F10-10": ('gard',),
    "F10-11": ('gard',),
    "F10-12": ('gard',),
}


# --- parsing ----------------------------------------------------------------------------

class MigrationError(Exception):
    """The sheet cannot be converted without guessing; the message names the line."""


@dataclass
class Fact:
    id: str
    line: int
    section: str
    depth: int
    claim: str
    cited_as: str | None
    group: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Reference:
    key: str
    line: int
    group: str
    display: str


@dataclass
class Sheet:
    preamble: str
    sections: list[dict]
    facts: list[Fact]
    references_intro: str
    groups: list[dict]
    references: list[Reference]


def _split_source(markdown: str) -> tuple[str, str | None]:
    """(claim, source as written) at the first em dash outside bold text."""
    start = 0
    while (index := markdown.find(_EM_DASH, start)) >= 0:
        if markdown[:index].count("**") % 2 == 0:
            return markdown[:index], markdown[index + len(_EM_DASH):]
        start = index + 1
    return markdown, None


def parse(text: str, name: str) -> Sheet:
    lines = text.splitlines()
    if lines and lines[0].startswith(GENERATED_MARK):
        lines = lines[1:]
    preamble: list[str] = []
    sections: list[dict] = []
    facts: list[Fact] = []
    groups: list[dict] = []
    refs: list[tuple[int, str, str]] = []
    intro: list[str] = []
    stack: list[tuple[int, Fact | None]] = []     # open bullets: (indent, fact or label)
    labels: list[tuple[int, str]] = []             # labels waiting for their first fact
    state = "preamble"
    for number, line in enumerate(lines, start=1 + (len(text.splitlines()) - len(lines))):
        where = f"{name}:{number}"
        if line.startswith("## References"):
            state = "references"
            continue
        if state == "references":
            if line.startswith("### "):
                groups.append({"title": line[4:].strip(), "note": None})
            elif line.startswith("- "):
                if not groups:
                    raise MigrationError(f"{where}: reference before any ### group: {line!r}")
                refs.append((number, groups[-1]["title"], line[2:].strip()))
            elif line.strip():
                if line.startswith((" ", "#")):
                    raise MigrationError(f"{where}: unexpected line in References: {line!r}")
                if groups:
                    if groups[-1]["note"]:
                        raise MigrationError(f"{where}: second note paragraph in a group")
                    groups[-1]["note"] = line.strip()
                else:
                    intro.append(line.strip())
            continue
        heading = _HEADING_RE.match(line)
        if heading:
            state = "facts"
            sections.append({"number": heading["number"], "level": len(heading["hashes"]),
                             "title": heading["title"], "text": None})
            stack.clear()
            labels.clear()
            continue
        if state == "preamble":
            preamble.append(line)
            continue
        if not line.strip() or line.strip() == "---":
            continue
        bullet = _BULLET_RE.match(line)
        if bullet is None:
            if line.startswith(" ") or stack:
                raise MigrationError(f"{where}: a line that is not a bullet: {line!r}")
            current = sections[-1]
            current["text"] = (current["text"] + "\n" if current["text"] else "") + line
            continue
        indent = len(bullet["indent"])
        if indent % 2:
            raise MigrationError(f"{where}: indentation must be a multiple of 2 spaces")
        body = bullet["body"]
        while stack and stack[-1][0] >= indent:
            stack.pop()
        definition = _DEFINITION_RE.match(body)
        if definition is None:
            owner = stack[-1][1] if stack else None
            if owner is not None and not labels:
                owner.notes.append(body)
                if indent != 2 * owner.depth + 2:
                    raise MigrationError(f"{where}: a child line must be indented one level "
                                         f"under {owner.id}")
                stack.append((indent, None))
                continue
            if not body.startswith("**"):
                raise MigrationError(f"{where}: a bullet without a fact ID that is not a "
                                     f"bold group label or a fact's child line: {body!r}")
            labels.append((indent, body))
            stack.append((indent, None))
            continue
        fact_id = definition["id"]
        depth = indent // 2
        label_depths = [d // 2 for d, _ in labels]
        if label_depths != list(range(depth - len(labels), depth)):
            raise MigrationError(f"{where}: group labels before {fact_id} are not nested "
                                 f"one level each above it")
        claim, cited_as = _split_source(definition["rest"])
        fact = Fact(fact_id, number, sections[-1]["number"] if sections else "", depth,
                    claim, cited_as, [text for _, text in labels])
        labels.clear()
        facts.append(fact)
        stack.append((indent, fact))
    seen: set[str] = set()
    for fact in facts:
        if fact.id in seen:
            raise MigrationError(f"{name}:{fact.line}: fact {fact.id} is defined twice")
        seen.add(fact.id)
    while preamble and preamble[-1].strip() in ("", "---"):
        preamble.pop()
    return Sheet("\n".join(preamble).strip() + "\n", sections, facts, " ".join(intro),
                 groups, _references(refs))


# --- references ----------------------------------------------------------------------------

def _plain(markdown: str) -> str:
    text = markdown.replace("**", "").replace("`", "")
    text = _ITALIC_RE.sub(lambda m: m["inner"], text)
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()


def _normalise_url(url: str) -> str:
    url = re.sub(r"^https?://(www\.)?", "", url.strip().rstrip(".").rstrip("/"))
    return url.lower()


def identifiers(text: str) -> set[str]:
    found = {f"pmid:{m}" for pattern in _PMID_RES for m in pattern.findall(text)}
    found |= {f"pmcid:{m}" for m in _PMCID_RE.findall(text)}
    found |= {f"doi:{d.rstrip('.').lower()}" for d in _DOI_RE.findall(text)}
    found |= {f"url:{_normalise_url(u)}" for u in _URL_RE.findall(text)}
    return found


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


_GENERIC = {"a", "an", "the", "online", "in", "of", "and", "on", "for", "to", "with"}


def _auto_key(display: str) -> str:
    text = _plain(display)
    year = _YEAR_RE.search(text)
    head = re.split(r"\.\s|:\s", text, maxsplit=1)[0]
    words = [w for w in re.findall(r"[a-z0-9]+", _ascii(head).lower()) if w not in _GENERIC]
    if head.startswith("[") or not words:
        journal = _ITALIC_RE.search(display)
        label = journal["inner"] if journal else head
        words = [w for w in re.findall(r"[a-z0-9]+", _ascii(label).lower())
                 if w not in _GENERIC]
        stem = "-".join(words[:3]) or "ref"
    else:
        stem = words[0] if re.match(r"^[A-Z][a-z]", head) and " " in head else \
            "-".join(words[:2])
    return f"{stem}{year.group(0) if year else ''}"


def _references(raw: list[tuple[int, str, str]]) -> list[Reference]:
    refs: list[Reference] = []
    for number, group, display in raw:
        if display.startswith(GROUPED_PREFIX):
            refs.extend(Reference(key, number, group, text) for key, text in SPLIT_GROUPED)
        else:      # a split text, once the sheet is generated, keeps its key
            key = next((k for k, text in SPLIT_GROUPED if text == display), "")
            refs.append(Reference(key, number, group, display))
    used: dict[str, int] = {}
    for ref in refs:
        if ref.key:
            used[ref.key] = 1
    for ref in refs:
        if ref.key:
            continue
        key = _auto_key(ref.display)
        used[key] = used.get(key, 0) + 1
        key = key if used[key] == 1 else f"{key}-{used[key]}"
        ref.key = KEY_RENAMES.get(key, key)
    keys = [ref.key for ref in refs]
    for ref in refs:
        if keys.count(ref.key) > 1:
            raise MigrationError(f"line {ref.line}: reference key {ref.key!r} is used twice; "
                                 f"add a KEY_RENAMES entry")
    return refs


_NAME_RE = re.compile(r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)* [A-ZÀ-Ý]{1,4}|[A-Z][\w'’-]+"
                      r"|et al|[A-Z][\w'’-]+ et al")
_NOT_A_TITLE = ("[", "http", "Record", "PMID", "PMCID", "doi", "In:", "Via", "Copy")

#: CSL fields the line's words cannot give by the rules below (key -> fields).
CSL_OVERRIDES: dict[str, dict] = {
    "tarr2013": {"author": [{"family": "Tarr"}, {"literal": "et al"}],
                 "title": "Ca_V agonist GV-58 (J Neurosci 2013); 3,4-DAP plus GV-58 "
                          "(J Physiol 2014)"},
    "medscape": {"title": "Lambert–Eaton myasthenic syndrome, article 1170810"},
    "richards2003": {"title": "As cited by BioNumbers 111282"},
    "freeze-fracture-frog": {
        "title": "Quantitative freeze-fracture analysis of the frog neuromuscular junction "
                 "synapse — I. Naturally occurring variability in active zone structure",
        "container-title": None},
}


def _authors(head: str) -> list[dict] | None:
    """CSL names if the head of a line is a list of authors ("Ruff RL", "Dodge & …")."""
    head = re.sub(r"\s*\([^)]*\)", "", head)                 # "(2000)", "(as usually …)"
    head = re.sub(r"\s+(?:19|20)\d\d$", "", head).strip()      # "Lambert & Elmqvist 1971"
    names = [n.strip() for n in re.split(r",\s*|\s*&\s*", head) if n.strip()]
    if not names or head.startswith("[") or not all(_NAME_RE.fullmatch(n) for n in names):
        return None
    if len(names) == 1 and " " not in names[0]:
        return [{"literal": names[0]}]          # one name: a person or an organisation
    return [{"family": n.rsplit(" ", 1)[0], "given": n.rsplit(" ", 1)[1]}
            if re.fullmatch(r".+ [A-ZÀ-Ý]{1,4}", n) else
            {"literal": n} if "et al" in n else {"family": n} for n in names]


def _first(text: str) -> str:
    """The first sentence or bracketed label of ``text``."""
    if text.startswith("["):
        return text[1:].split("]")[0]
    return re.split(r"\.\s|\.$|\s\*|\s\[", text)[0]


def reference_entry(ref: Reference) -> dict:
    """A CSL-JSON item for one reference (fields the line gives), plus the line itself."""
    text = _plain(ref.display)
    entry: dict = {"id": ref.key}
    journal = _ITALIC_RE.search(ref.display)
    url = _URL_RE.search(ref.display)
    entry["type"] = ("article-journal" if journal and _YEAR_RE.search(text) else
                     "webpage" if url else "document")
    if text.startswith("["):                    # "[Descriptive label.] *Journal* …"
        head, rest = text, ""
    else:
        parts = re.split(r"\.\s", text, maxsplit=1)
        head, rest = parts[0].strip(), (parts[1] if len(parts) > 1 else "")
    rest = re.sub(r"^(?:19|20)\d\d\.\s", "", rest)    # "Titulaer et al. 2008. [label]"
    quoted = re.search(r'"([^"]+)"', text)
    journal_first = bool(journal) and rest.startswith(journal["inner"])
    authors = _authors(head) if rest else None
    if authors:
        entry["author"] = authors
        title = quoted.group(1) if rest.startswith('"') and quoted else _first(rest)
    elif head.startswith("["):
        title = _first(head)
    elif quoted and not journal_first:
        title = quoted.group(1)                        # a page or text named by its title
        if not journal and head != f'"{quoted.group(1)}"':
            entry["container-title"] = re.split(r'[.,:]\s|\s"', head)[0]
    elif rest and not rest.startswith(_NOT_A_TITLE) and not journal_first:
        title = _first(rest)                          # "Site. What the page is. URL"
        if not journal:
            entry["container-title"] = head
    elif rest.startswith("["):
        title = _first(rest)
        entry["container-title"] = head
    else:
        title = head
    entry["title"] = title.strip(" []\"").rstrip(".") or text
    if journal:
        entry["container-title"] = journal["inner"]
    entry.update(CSL_OVERRIDES.get(ref.key, {}))
    entry = {name: value for name, value in entry.items() if value is not None}
    year = _YEAR_RE.search(text)
    if year:
        entry["issued"] = {"date-parts": [[int(year.group(0))]]}
    ids = identifiers(ref.display)
    pmids = sorted(i[5:] for i in ids if i.startswith("pmid:"))
    pmcids = sorted(i[6:] for i in ids if i.startswith("pmcid:"))
    doi = _DOI_RE.search(ref.display)
    if pmids:
        entry["PMID"] = pmids[0]
    if pmcids:
        entry["PMCID"] = pmcids[0]
    if doi:
        entry["DOI"] = doi.group(0).rstrip(".")
    if url:
        entry["URL"] = url.group(0).rstrip(".")
    entry["custom"] = {"group": ref.group, "display": ref.display}
    return entry


# --- attribution ----------------------------------------------------------------------------

def _pointers(text: str) -> list[str]:
    """Fact IDs a text points to, ranges expanded ("F10-1…F10-4"), in order."""
    return find_fact_ids(text, expand_ranges=True)


def _strip_notes(markdown: str) -> str:
    # Italic sentences after a source ("*This conflicts with … (F4.4-2).*") are notes.
    return _ITALIC_RE.sub(
        lambda m: "" if m["inner"].rstrip().endswith((".", ":")) else m.group(0), markdown)


def status_of(fact: Fact, facts: dict[str, Fact]) -> list[str]:
    """Markers on the fact's own line and on its lettered parents' lines."""
    marks: set[str] = set()
    current: Fact | None = fact
    while current is not None:
        line = current.claim + (_EM_DASH + current.cited_as if current.cited_as else "")
        italics = " ".join(m["inner"] for m in _ITALIC_RE.finditer(line))
        if "UNCONFIRMED" in line:
            marks.add("unconfirmed")
        if re.search(r"\bderived\b|\btoy\b|model illustration", italics, re.IGNORECASE):
            marks.add("derived")
        if "secondary]" in line:
            marks.add("secondary")
        if "citation to verify" in line:
            marks.add("to verify")
        current = facts.get(current.id[:-1]) if current.id[-1].isalpha() else None
    order = ("unconfirmed", "derived", "secondary", "to verify")
    return [mark for mark in order if mark in marks] or ["sourced"]


def _source_texts(fact: Fact) -> list[str]:
    texts = [fact.cited_as if fact.cited_as is not None else fact.claim]
    for note in fact.notes:
        if note.startswith("Sources:"):
            texts.append(note)
        elif note.startswith("**Answer"):
            texts.append(_split_source(note)[1] or note)
    return texts


class Attribution:
    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.facts = {fact.id: fact for fact in sheet.facts}
        self.by_identifier: dict[str, list[str]] = {}
        for ref in sheet.references:
            for ident in identifiers(ref.display):
                self.by_identifier.setdefault(ident, []).append(ref.key)
        self.keys: dict[str, list[str]] = {}
        self.unattributed: dict[str, list[str]] = {}   # fact ID -> segments without a key

    def _identified(self, text: str) -> list[str]:
        keys: list[str] = []
        for ident in sorted(identifiers(text)):
            keys += self.by_identifier.get(ident, [])
        # DOI of a chapter or article inside a DOI-identified work ("…/10.4324/…-16")
        for ident in identifiers(text):
            if ident.startswith("doi:"):
                keys += [k for other, ks in self.by_identifier.items() for k in ks
                         if other.startswith("doi:") and ident.startswith(other + "/")]
        return list(dict.fromkeys(keys))

    def rules(self, fact_id: str, seen: frozenset[str] = frozenset()) -> list[str]:
        """Keys by rules 1 and 2 (identifiers, pointers, parent), RESOLUTIONS first."""
        if fact_id in RESOLUTIONS:
            return list(RESOLUTIONS[fact_id])
        if fact_id in self.keys:
            return self.keys[fact_id]
        fact = self.facts[fact_id]
        seen = seen | {fact_id}
        keys: list[str] = []
        missing: list[str] = []
        for text in _source_texts(fact):
            for segment in re.split(r";\s+|\),\s+and\s+", _strip_notes(text)):
                found = self._identified(segment)
                pointers = [p for p in _pointers(segment) if p in self.facts
                            or any(f.startswith(p) for f in self.facts)]
                if not found:
                    for pointed in pointers:
                        if pointed in self.facts and pointed not in seen:
                            found += self.rules(pointed, seen)
                        elif pointed not in self.facts and pointed not in seen:
                            found += [k for f in self.sheet.facts
                                      if f.id[:-1] == pointed and f.id not in seen
                                      for k in self.rules(f.id, seen)]
                if found or pointers:
                    keys += found
                elif re.search(r"[A-Za-z]{3}", segment):
                    missing.append(segment.strip())
        if not keys and fact.cited_as is None and fact.id[-1].isalpha() \
                and not _pointers(fact.claim) \
                and fact.id[:-1] in self.facts and fact.id[:-1] not in seen:
            keys = self.rules(fact.id[:-1], seen)        # a sub-point: its parent's source
            missing = []
        if fact.cited_as is None and not keys:
            missing = [] if not fact.id[-1].isalpha() else missing
        keys = list(dict.fromkeys(keys))
        if missing:
            self.unattributed[fact_id] = missing
        self.keys[fact_id] = keys
        return keys


def legacy_keys(sheet_text: str, sheet: Sheet) -> dict[str, list[str] | None]:
    """The references the old heuristics gave each fact, as keys (None: derived or a
    source text the old code showed as written, with no reference)."""
    spec = importlib.util.spec_from_file_location(
        "_legacy_references", Path(__file__).with_name("_legacy_references.py"))
    legacy = importlib.util.module_from_spec(spec)
    sys.modules["_legacy_references"] = legacy      # dataclasses look the module up
    spec.loader.exec_module(legacy)
    legacy.SHEET_TEXT = sheet_text
    old_refs = legacy._sheet().references
    keys_by_display: dict[str, list[Reference]] = {}
    for ref in sheet.references:
        keys_by_display.setdefault(ref.display, []).append(ref)
    split = {text.split('"')[1] if '"' in text else text: key for key, text in SPLIT_GROUPED}

    def token(ref, segment=""):
        index = old_refs.index(ref)
        if ref.markdown.startswith(GROUPED_PREFIX):
            named = [t for t in ref.quoted if f'"{t}"' in legacy._plain(segment)]
            return "".join(f"@@{split.get(t, t)}" for t in named) or "@@?grouped"
        return f"@@{index}"

    legacy._render = token
    result: dict[str, list[str] | None] = {}
    for fact in sheet.facts:
        if legacy.fact_status(fact.id).derived:
            result[fact.id] = None
            continue
        found: list[str] = []
        for item in legacy._sources_of(fact.id, frozenset()):
            for part in item.split("@@")[1:]:
                if part.isdigit():
                    old = old_refs[int(part)]
                    found += [r.key for r in keys_by_display.get(old.markdown, [])]
                else:
                    found.append(part)
        result[fact.id] = list(dict.fromkeys(found))
    return result


# --- output -----------------------------------------------------------------------------------

def fact_entry(fact: Fact, attribution: Attribution) -> dict:
    status = status_of(fact, attribution.facts)
    entry: dict = {"id": fact.id, "section": fact.section}
    if fact.depth:
        entry["depth"] = fact.depth
    if fact.group:
        entry["group"] = list(fact.group)
    entry["claim"] = fact.claim
    if fact.cited_as is not None:
        entry["cited_as"] = fact.cited_as
    entry["status"] = status
    if "derived" in status:
        pointed = [i for i in _pointers(_plain(fact.claim))
                   if i in attribution.facts or any(f.startswith(i) for f in attribution.facts)]
        entry["sources"] = []
        if pointed:
            entry["derived_from"] = pointed
    else:
        entry["sources"] = [{"key": key} for key in attribution.keys[fact.id]]
    if fact.notes:
        entry["notes"] = list(fact.notes)
    return entry


class _Dumper(yaml.SafeDumper):
    pass


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line text (the preamble) as a literal block, readable in a review.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _string)


def _dump(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096,
                     default_flow_style=False)


def convert(sheet_text: str, name: str, *, report: bool = False) -> tuple[str, str, list[str]]:
    """(facts.yaml, references.yaml, report lines); raises MigrationError."""
    sheet = parse(sheet_text, name)
    attribution = Attribution(sheet)
    for fact in sheet.facts:
        attribution.rules(fact.id)
    derived = {f.id for f in sheet.facts if "derived" in status_of(f, attribution.facts)}
    old = legacy_keys(sheet_text, sheet)
    final: dict[str, list[str]] = {}
    for fid in attribution.facts:
        keys = attribution.keys.get(fid, [])
        if fid in derived:
            final[fid] = []
        elif fid in RESOLUTIONS:
            final[fid] = list(RESOLUTIONS[fid])
        elif old[fid] is not None and set(old[fid]) == set(keys):
            final[fid] = list(old[fid])     # the same works, in the order lessons show today
        else:
            final[fid] = keys
    known_keys = {ref.key for ref in sheet.references}
    problems: list[str] = []
    for fid, keys in final.items():
        for key in keys:
            if key not in known_keys:
                problems.append(f"{name}:{attribution.facts[fid].line}: {fid}: RESOLUTIONS "
                                f"names unknown reference key {key!r}")
    lines: list[str] = []
    for fact in sheet.facts:
        fid = fact.id
        if fid in derived:
            continue
        where = f"{name}:{fact.line}: {fid}"
        if fid not in RESOLUTIONS and fid in attribution.unattributed:
            problems.append(f"{where}: cannot attribute {attribution.unattributed[fid]!r}; "
                            f"add {fid} to RESOLUTIONS in {Path(__file__).name}")
        elif fid not in RESOLUTIONS and old[fid] is not None and \
                set(old[fid]) != set(final[fid]):
            problems.append(f"{where}: the old heuristics gave {old[fid]}, the rules give "
                            f"{final[fid]}; decide in RESOLUTIONS")
        if not final[fid] and fid not in RESOLUTIONS and \
                "unconfirmed" not in status_of(fact, attribution.facts):
            problems.append(f"{where}: names no reference and is not UNCONFIRMED; add it "
                            f"to RESOLUTIONS (an empty tuple for an authoring note)")
        if old[fid] is not None and set(old[fid]) != set(final[fid]):
            lines.append(f"{fid}: old {old[fid]} -> {final[fid]}")
    if problems:
        raise MigrationError("\n".join(problems))
    for fact in sheet.facts:
        attribution.keys[fact.id] = final[fact.id]
    facts_data = {
        "preamble": sheet.preamble,
        "sections": [{k: v for k, v in s.items() if v is not None} for s in sheet.sections],
        "facts": [fact_entry(fact, attribution) for fact in sheet.facts],
    }
    refs_data = {
        "intro": sheet.references_intro,
        "groups": [{k: v for k, v in g.items() if v is not None} for g in sheet.groups],
        "references": [reference_entry(ref) for ref in sheet.references],
    }
    header = ("# The course's {0}: the source of truth, checked by schemas/{0}.schema.json.\n"
              "# After editing, run scripts/build_fact_sheet.py (it regenerates lems_facts.md).\n"
              "# First written from the Markdown sheet by scripts/migrate_fact_sheet.py.\n")
    return (header.format("facts") + _dump(facts_data),
            header.format("references") + _dump(refs_data), lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sheet", nargs="?", default=str(DEFAULT_SHEET))
    parser.add_argument("--out", default=str(DATA), help="folder for the YAML files")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; fail if the YAML files differ")
    parser.add_argument("--report", action="store_true",
                        help="list where the old heuristics differ from the final keys")
    args = parser.parse_args(argv)
    path = Path(args.sheet)
    try:
        facts_yaml, refs_yaml, lines = convert(path.read_text(encoding="utf-8"), str(path))
    except MigrationError as error:
        print(f"MIGRATION FAILED\n{error}", file=sys.stderr)
        return 1
    if args.report:
        print("\n".join(lines) or "No differences from the old heuristics.")
    out = Path(args.out)
    targets = {out / "facts.yaml": facts_yaml, out / "references.yaml": refs_yaml}
    if args.check:
        stale = [str(p) for p, t in targets.items()
                 if not p.exists() or p.read_text(encoding="utf-8") != t]
        if stale:
            print(f"out of date: {', '.join(stale)}", file=sys.stderr)
            return 1
        return 0
    for target, text in targets.items():
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
