"""The diagrams in assets/: valid SVG, accessible (title, desc, role), sourced, and drawn
in the colour-blind-safe Okabe–Ito palette."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lems_course.sources import find_fact_ids, known_fact_ids

ASSETS = Path(__file__).resolve().parents[1] / "assets"
SVG = "{http://www.w3.org/2000/svg}"
SVG_FILES = sorted(ASSETS.glob("*.svg"))
EXPECTED = {"junction.svg", "active_zone.svg", "antibody_crosslinking.svg",
            "tumour_nerve_link.svg"}
# Okabe–Ito, plus white and the dark grey used for secondary text
PALETTE = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000", "#FFFFFF", "#333333"}


def test_the_expected_diagrams_exist():
    assert EXPECTED <= {path.name for path in SVG_FILES}


@pytest.fixture(params=SVG_FILES, ids=lambda path: path.name)
def svg(request):
    path = request.param
    return path, ET.parse(path).getroot()


def test_svg_parses_as_svg(svg):
    _path, root = svg
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox")


def test_svg_has_a_title_and_a_description(svg):
    _path, root = svg
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text and title.text.strip()
    assert desc is not None and desc.text and len(desc.text.strip()) > 100


def test_svg_is_announced_as_an_image_labelled_by_its_title_and_description(svg):
    _path, root = svg
    assert root.get("role") == "img"
    labelled_by = root.get("aria-labelledby", "").split()
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    assert root.find(f"{SVG}title").get("id") in labelled_by
    assert root.find(f"{SVG}desc").get("id") in labelled_by
    assert set(labelled_by) <= ids


def test_every_fact_id_in_a_diagram_exists(svg):
    path, _root = svg
    mentioned = find_fact_ids(path.read_text(encoding="utf-8"))
    assert mentioned, f"{path.name} cites no fact ID"
    assert set(mentioned) <= known_fact_ids()


def test_svg_uses_only_the_colour_blind_safe_palette(svg):
    path, _root = svg
    colours = {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}\b", path.read_text("utf-8"))}
    assert colours <= {c.upper() for c in PALETTE}


def test_element_ids_do_not_clash_between_diagrams():
    # Inlined side by side in one page, two SVGs with the same id would cross-reference.
    seen: dict[str, str] = {}
    for path in SVG_FILES:
        for element in ET.parse(path).getroot().iter():
            element_id = element.get("id")
            if element_id:
                assert element_id not in seen, f"{element_id} in {path.name} and {seen[element_id]}"
                seen[element_id] = path.name


def test_readme_describes_every_diagram():
    readme = (ASSETS / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme
    for path in SVG_FILES:
        assert path.name in readme
