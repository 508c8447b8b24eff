"""Fact IDs, their status and their citations, read from the packaged data files."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

import lems_course
from lems_course import schemas
from lems_course import sources as refs_module
from lems_course.references import References, citations, cite, references
from lems_course.sources import fact_status, fact_text, find_fact_ids, known_fact_ids

SHEET = resources.files("lems_course").joinpath("data", "lems_facts.md").read_text("utf-8")
DEFINED = re.findall(r"^\s*- \*\*(F\d+(?:\.\d+)?-\d+[a-z]?)\*\*", SHEET, flags=re.MULTILINE)
PACKAGE_DIR = Path(lems_course.__file__).resolve().parent


# --- IDs ------------------------------------------------------------------------------

def test_every_id_defined_in_the_sheet_is_known():
    assert len(DEFINED) > 250
    assert set(DEFINED) <= known_fact_ids()


def test_no_id_is_defined_twice():
    assert len(DEFINED) == len(set(DEFINED))


def test_known_ids_are_defined_or_parents_of_sub_points():
    parents = {fact_id[:-1] for fact_id in DEFINED if fact_id[-1].isalpha()}
    assert known_fact_ids() == set(DEFINED) | parents


@pytest.mark.parametrize("fact_id", ["F2-1", "F2-1a", "F4.6-2f", "F4.6-6", "F10-12", "F1.2-10"])
def test_spot_ids_are_known(fact_id):
    assert fact_id in known_fact_ids()


@pytest.mark.parametrize("fact_id", sorted(set(DEFINED)))
def test_every_fact_has_text_and_a_citation(fact_id):
    assert fact_text(fact_id)
    assert "**" not in fact_text(fact_id)
    citation = cite(fact_id)
    assert citation and "**" not in citation and "F‹" not in citation


def test_fact_text_drops_markdown():
    assert fact_text("F2-1a") == (
        "On log–log axes, EPP versus [Ca]ₒ has a slope of 3.78 ± 0.2 (SD, n = 28).")


# --- status ---------------------------------------------------------------------------

def test_unconfirmed_fact_is_flagged():
    assert fact_status("F1.2-8").unconfirmed          # human quantal content
    assert fact_status("F3-9").unconfirmed            # % loss of active-zone particles
    assert not fact_status("F2-1a").unconfirmed


def test_sub_points_inherit_their_parents_markers():
    assert fact_status("F1.3-1c").unconfirmed         # F1.3-1 is UNCONFIRMED
    assert fact_status("F1.2-5a").secondary           # F1.2-5 is [all secondary]
    assert fact_status("F7-11a").derived              # F7-11 is a derived illustration


def test_derived_secondary_and_citation_markers_are_read():
    assert fact_status("F7-11").derived and fact_status("F10-6").derived
    assert fact_status("F6-3").derived and fact_status("F2-7").derived
    assert fact_status("F1.1-1").secondary and not fact_status("F1.1-1").derived
    assert fact_status("F5-3").citation_to_verify
    assert fact_status("F2-1a") == refs_module.FactStatus()


def test_status_labels_read_in_a_fixed_order():
    assert fact_status("F1.3-6").labels == ("secondary", "citation to verify")


# --- citations ------------------------------------------------------------------------

def test_dodge_rahamimoff_slope_cites_j_physiol_1967():
    citation = cite("F2-1a")
    for part in ("Dodge", "Rahamimoff", "1967", "J Physiol", "193:419", "6065887"):
        assert part in citation


def test_delta_p_validation_cites_maddison_sci_rep_2020():
    citation = cite("F4.6-6")
    for part in ("Maddison", "Sci Rep", "2020", "PMC7324357"):
        assert part in citation
    assert "Titulaer" not in citation


def test_particle_clustering_follows_its_pointer_to_nagel_ann_neurol_1988():
    # F3-6 reads "— Nagel et al. 1988 (F2-17)"
    for part in ("Nagel", "Ann Neurol", "1988", "24:552"):
        assert part in cite("F3-6")


def test_springer_chapter_pointer_is_followed():
    # F3-12 reads "— Springer chapter (F2-15)"
    assert "10.1007/978-3-319-73585-6_14" in cite("F3-12")


def test_delta_p_items_cite_the_2011_derivation_paper():
    for fact_id in ("F4.6-2a", "F4.6-2e", "F4.6-5"):
        assert "21245427" in cite(fact_id)


def test_year_picks_the_right_paper_by_one_author():
    # Titulaer 2008 (screening), not the undated SOX paper or the 2011 papers
    citation = cite("F4.4-2")
    assert "2008" in citation and "SOX" not in citation and "2011" not in citation


def test_surname_alone_does_not_beat_surname_and_year():
    # "(Maddison 2001, F6-18)": the 2001 JNNP paper, not the undated SOX2 abstract
    assert "2001" in cite("F5-9c") and "SOX2" not in cite("F5-9c")
    assert "SOX2" not in cite("F8-13")


def test_unconfirmed_fact_without_a_source_says_so():
    assert "UNCONFIRMED" in cite("F1.2-8")


def test_derived_fact_says_it_is_derived_and_cites_its_bases():
    citation = cite("F10-6")     # derived from F10-1…F10-4
    assert citation.startswith("Derived for this course")
    assert "Lennon" in citation and "Viglione" in citation


def test_grouped_reference_keeps_only_the_named_title():
    citation = cite("F1.1-4")
    assert "Propagation of the endplate potential" in citation
    assert "Safety margin" not in citation


def test_unknown_id_error_names_it_and_suggests_close_ids():
    with pytest.raises(ValueError, match="F2-1z") as caught:
        cite("F2-1z")
    assert "F2-1" in str(caught.value).split("mean", 1)[1]


@pytest.mark.parametrize("function", [cite, fact_text, fact_status])
@pytest.mark.parametrize("bad", ["F99-1", "2-1a", ""])
def test_unknown_ids_are_refused_everywhere(function, bad):
    with pytest.raises(ValueError, match="fact_id"):
        function(bad)


def test_non_string_id_is_a_type_error():
    with pytest.raises(TypeError, match="fact_id"):
        cite(21)  # type: ignore[arg-type]


# --- finding IDs in prose ---------------------------------------------------------------

def test_find_fact_ids_reads_prose_in_order_without_repeats():
    text = "Release falls steeply (F2-1a/F2-1d, F7-11). See F2-1a; not F(ab′)₂ or F99."
    assert find_fact_ids(text) == ["F2-1a", "F2-1d", "F7-11"]


def test_find_fact_ids_expands_ranges_on_request():
    text = "the tumour link (F10-1…F10-4) and the items F4.6-2a…c"
    assert find_fact_ids(text) == ["F10-1", "F10-4", "F4.6-2a"]
    assert find_fact_ids(text, expand_ranges=True) == [
        "F10-1", "F10-2", "F10-3", "F10-4", "F4.6-2a", "F4.6-2b", "F4.6-2c"]


def test_every_id_the_sheet_mentions_in_prose_exists():
    mentioned = set(find_fact_ids(SHEET.split("## References")[0]))
    assert mentioned <= known_fact_ids()


# --- a lesson's reference list ----------------------------------------------------------

def test_references_are_sorted_deduplicated_and_deterministic():
    first = references(["F3-6", "F2-1a", "F10-1", "F2-1a", "F1.2-10"])
    second = references(["F1.2-10", "F10-1", "F3-6", "F2-1a"])
    assert first.fact_ids == ("F1.2-10", "F2-1a", "F3-6", "F10-1")
    assert repr(first) == repr(second) and first._repr_markdown_() == second._repr_markdown_()


def test_references_markdown_is_a_bullet_per_fact_with_bold_id_and_citation():
    lines = references(["F2-1a", "F3-6"])._repr_markdown_().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("- **F2-1a** — ") and "Dodge & Rahamimoff" in lines[0]
    assert lines[1].startswith("- **F3-6** — ") and "Ann Neurol 1988" in lines[1]


def test_plain_text_matches_markdown_without_markup():
    listing = references(["F2-1a", "F1.2-8"])
    assert repr(listing) == str(listing) == listing.text()
    assert "**" not in repr(listing)
    assert repr(listing).splitlines()[1].startswith("- F2-1a — ")


def test_unconfirmed_and_derived_facts_are_marked_visibly():
    listing = references(["F1.2-8", "F7-11a", "F1.1-1"])
    markdown = listing._repr_markdown_()
    assert "**F1.2-8** **[UNCONFIRMED]**" in markdown
    assert "**F7-11a** *[derived]*" in markdown
    assert "**F1.1-1** *[secondary]*" in markdown
    assert "- F1.2-8 [UNCONFIRMED] — " in repr(listing)


def test_references_accepts_prose_and_refuses_unknown_ids():
    assert references("see F3-6 and F10-1…F10-2").fact_ids == ("F3-6", "F10-1", "F10-2")
    with pytest.raises(ValueError, match="F3-99"):
        references(["F3-6", "F3-99"])
    with pytest.raises(ValueError, match="fact_ids"):
        references("no IDs here")


def test_reference_list_is_the_same_after_reparsing_the_sheet():
    before = repr(references(sorted(known_fact_ids())))
    refs_module.load_data.cache_clear()
    assert repr(references(sorted(known_fact_ids()))) == before
    assert isinstance(references(["F2-1"]), References)


# --- the module stands alone ---------------------------------------------------------------

def test_module_source_never_points_outside_the_package():
    source = Path(refs_module.__file__).read_text(encoding="utf-8")
    assert "shared" not in source
    assert "../" not in source


_OPENED: list[str] = []
_RECORDING: list[bool] = []


def _audit(event: str, args: tuple) -> None:
    if _RECORDING and event == "open" and isinstance(args[0], (str, bytes, Path)):
        _OPENED.append(str(args[0]))


def test_reading_the_sheet_opens_only_package_files():
    sys.addaudithook(_audit)      # hooks cannot be removed; this one is inert unless recording
    refs_module.load_data.cache_clear()
    _OPENED.clear()
    _RECORDING.append(True)
    try:
        cite("F2-1a")
    finally:
        _RECORDING.clear()
    assert _OPENED, "expected the fact sheet to be read"
    for path in _OPENED:
        assert "shared" not in path
        assert Path(path).resolve().is_relative_to(PACKAGE_DIR)


def test_the_sheet_is_read_once_and_cached():
    refs_module.load_data.cache_clear()
    cite("F2-1a")
    cite("F3-6")
    assert refs_module.load_data.cache_info().misses == 1


# --- one plain function, found by key ----------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def test_references_is_a_plain_function_in_an_ordinary_module():
    import types

    import lems_course.references as module
    assert type(module) is types.ModuleType
    assert isinstance(references, types.FunctionType) and module.references is references
    assert lems_course.cite("F2-1a") == cite("F2-1a")


def test_no_fuzzy_matching_or_module_class_replacement_in_the_package():
    for path in PACKAGE_DIR.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "difflib" not in text, path
        assert ".__class__ =" not in text, path


def test_the_lessons_import_line_works_in_a_fresh_process():
    code = ("import lems_course.references\nfrom lems_course.references import references\n"
            "print(type(references(['F2-1a'])).__name__)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "References"


# --- the data files ---------------------------------------------------------------------

def _script(name: str) -> list[str]:
    return [sys.executable, str(ROOT / "scripts" / name)]


def test_the_fact_sheet_is_generated_from_the_data_and_up_to_date():
    # fastbook's "clean copies": lems_facts.md is what build_fact_sheet.py writes.
    assert SHEET.startswith("<!-- Generated from facts.yaml")
    result = subprocess.run([*_script("build_fact_sheet.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_migrating_the_generated_sheet_gives_the_same_data():
    result = subprocess.run([*_script("migrate_fact_sheet.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_migration_fails_naming_the_line_of_a_fact_it_cannot_attribute(tmp_path):
    sheet = tmp_path / "sheet.md"
    sheet.write_text(SHEET.replace(
        "\n## References\n",
        "\n## 99. New section\n\n- **F99-1** A new claim. — Smith et al. 2020\n\n"
        "## References\n", 1), encoding="utf-8")
    result = subprocess.run([*_script("migrate_fact_sheet.py"), str(sheet), "--out",
                             str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "F99-1" in result.stderr and "Smith et al. 2020" in result.stderr
    line = next(n for n, text in enumerate(sheet.read_text("utf-8").splitlines(), 1)
                if "F99-1" in text)
    assert f"sheet.md:{line}:" in result.stderr


def test_migration_takes_new_sections_and_their_reference_subsections(tmp_path):
    sheet = tmp_path / "sheet.md"
    sheet.write_text(SHEET.replace(
        "\n## References\n",
        "\n## 99. New section\n\n- **F99-1** A new claim. — Smith J, *Neurology* 2020, "
        "PMID 12345678, https://pubmed.ncbi.nlm.nih.gov/12345678/\n\n## References\n", 1)
        + "\n### References added for section 99\n- Smith J. A title. *Neurology* 2020. "
        "PMID 12345678.\n", encoding="utf-8")
    result = subprocess.run([*_script("migrate_fact_sheet.py"), str(sheet), "--out",
                             str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    import yaml
    facts = yaml.safe_load((tmp_path / "facts.yaml").read_text("utf-8"))["facts"]
    assert facts[-1]["id"] == "F99-1" and facts[-1]["sources"] == [{"key": "smith2020"}]


def test_shipped_data_pass_their_schemas_and_cross_references():
    assert refs_module.check_data() == []


def test_schema_problems_name_the_file_the_entry_and_the_field():
    import yaml
    data = yaml.safe_load((PACKAGE_DIR / "data" / "facts.yaml").read_text("utf-8"))
    data["facts"][0]["status"] = ["sourced", "secondary"]
    del data["facts"][1]["claim"]
    problems = schemas.schema_problems(data, "facts", "facts.yaml")
    assert any(p.startswith("facts.yaml: F1.1-1 field status") for p in problems)
    assert "facts.yaml: F1.1-2 field claim: missing (required)" in problems


def test_each_work_is_listed_once():
    import copy

    import yaml
    refs = yaml.safe_load((PACKAGE_DIR / "data" / "references.yaml").read_text("utf-8"))
    facts = yaml.safe_load((PACKAGE_DIR / "data" / "facts.yaml").read_text("utf-8"))
    assert refs_module._check(facts, refs) == []
    copied = copy.deepcopy(next(r for r in refs["references"] if r.get("id") == "maddison2020"))
    copied["id"] = "maddison2020-again"
    refs["references"].append(copied)
    problems = refs_module._check(facts, refs)
    assert ("references.yaml: maddison2020-again field DOI: the same work as maddison2020; "
            "cite one key") in problems


def test_every_sourced_fact_names_a_reference_with_an_identifier():
    data = refs_module.load_data()
    missing = [fact_id for fact_id, fact in data.facts.items()
               if fact["status"] == ["sourced"] and not any(
                   {"PMID", "PMCID", "DOI", "URL"} & set(data.refs[s["key"]])
                   for s in fact["sources"])]
    assert missing == []


def _cited_ids() -> dict[str, set[str]]:
    import json
    cited: dict[str, set[str]] = {}
    for path in sorted((ROOT / "lessons").glob("*.ipynb")):
        cells = json.loads(path.read_text("utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells
                         if c["cell_type"] in ("markdown", "code"))
        cited[path.name] = set(find_fact_ids(text, expand_ranges=True))
    for path in sorted((PACKAGE_DIR / "quiz" / "items").glob("L*.json")):
        text = path.read_text("utf-8")
        cited[path.name] = set(find_fact_ids(text, expand_ranges=True))
    import ast
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        docs = [ast.get_docstring(node) or "" for node in ast.walk(tree)
                if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                     ast.AsyncFunctionDef))]
        cited[str(path.relative_to(PACKAGE_DIR))] = set(
            find_fact_ids("\n".join(docs), expand_ranges=True))
    return cited


def test_every_fact_id_cited_in_lessons_items_and_docstrings_resolves():
    cited = _cited_ids()
    assert sum(map(len, cited.values())) > 200     # the scan really finds citations
    unknown = {where: sorted(ids - known_fact_ids()) for where, ids in cited.items()
               if ids - known_fact_ids()}
    assert unknown == {}
    for ids in cited.values():
        for fact_id in ids:
            assert citations(fact_id)


def test_lessons_do_not_pay_for_jsonschema():
    # Importing jsonschema takes seconds on a busy machine (format checkers); the
    # schema pass runs in the tests, `validate` and the build script, not in lessons.
    code = ("import sys\nfrom lems_course.quiz import load_items\nload_items()\n"
            "from lems_course.references import references\nreferences(['F2-1a']).text()\n"
            "print('jsonschema' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
