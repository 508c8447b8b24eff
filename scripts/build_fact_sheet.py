"""Generate the readable fact sheet from the course data.

    .venv/bin/python scripts/build_fact_sheet.py          # write src/lems_course/data/lems_facts.md
    .venv/bin/python scripts/build_fact_sheet.py --check  # fail if the sheet is out of date

Reads ``facts.yaml`` and ``references.yaml`` (checked against their JSON Schemas by
``lems_course.sources``) and writes ``lems_facts.md``: sections, facts with their
markers and sources as written, and the References list. Nobody edits the Markdown by
hand; ``tests/test_references.py`` fails when it differs from what this script writes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "lems_course" / "data"
SHEET = DATA / "lems_facts.md"
HEADER = ("<!-- Generated from facts.yaml and references.yaml by scripts/build_fact_sheet.py. "
          "Do not edit by hand: edit the YAML files and run the script. -->")


def _fact_lines(fact: dict[str, Any]) -> list[str]:
    depth = fact.get("depth", 0)
    labels = fact.get("group", [])
    lines = [f"{'  ' * (depth - len(labels) + n)}- {label}" for n, label in enumerate(labels)]
    cited = fact.get("cited_as")
    body = fact["claim"] + (f" — {cited}" if cited is not None else "")
    lines.append(f"{'  ' * depth}- **{fact['id']}** {body}".rstrip())
    return lines


def render(facts_data: dict[str, Any], refs_data: dict[str, Any]) -> str:
    """The Markdown fact sheet for these data (deterministic)."""
    out = [HEADER, facts_data["preamble"].rstrip("\n"), ""]
    by_section: dict[str, list[dict[str, Any]]] = {}
    for fact in facts_data["facts"]:
        by_section.setdefault(fact["section"], []).append(fact)
    for section in facts_data["sections"]:
        if section["level"] == 2:
            out += ["---", ""]
        out += [f"{'#' * section['level']} {section['number']}"
                f"{'.' if section['level'] == 2 else ''} {section['title']}", ""]
        if section.get("text"):
            out += [section["text"], ""]
        pending: list[tuple[int, list[str]]] = []      # (depth, notes) of open facts
        facts = by_section.get(section["number"], [])
        for fact in facts:
            depth = fact.get("depth", 0) - len(fact.get("group", []))
            while pending and pending[-1][0] >= depth:
                level, notes = pending.pop()
                out += [f"{'  ' * (level + 1)}- {note}" for note in notes]
            out += _fact_lines(fact)
            pending.append((fact.get("depth", 0), fact.get("notes", [])))
        while pending:
            level, notes = pending.pop()
            out += [f"{'  ' * (level + 1)}- {note}" for note in notes]
        if facts:
            out.append("")
    out += ["## References", "", refs_data["intro"], ""]
    for group in refs_data["groups"]:
        out.append(f"### {group['title']}")
        if group.get("note"):
            out.append(group["note"])
        out += [f"- {ref['custom']['display']}" for ref in refs_data["references"]
                if ref["custom"]["group"] == group["title"]]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def build() -> str:
    sys.path.insert(0, str(ROOT / "src"))
    from lems_course import sources  # validates both files against their schemas

    problems = sources.check_data()
    if problems:
        raise SystemExit("data files are invalid:\n" + "\n".join(problems))
    facts_data = yaml.safe_load((DATA / "facts.yaml").read_text(encoding="utf-8"))
    refs_data = yaml.safe_load((DATA / "references.yaml").read_text(encoding="utf-8"))
    return render(facts_data, refs_data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the sheet is stale")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        if SHEET.read_text(encoding="utf-8") != text:
            print(f"{SHEET} is out of date: run scripts/build_fact_sheet.py", file=sys.stderr)
            return 1
        return 0
    SHEET.write_text(text, encoding="utf-8")
    print(f"wrote {SHEET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
