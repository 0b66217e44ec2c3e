"""The Korean edition (ko/) is a translation of the English one, tied to it and graded the same.

- every markdown cell of solutions/ has a Korean translation of its *current* English (the drift
  test), and a copy with one English cell edited is caught, by name;
- ko/solutions/ is exactly what `course.py korean` builds from solutions/ and the catalogues, and
  ko/notebooks/ exactly what nbgrader writes from it;
- code cells, their metadata and grade_ids are the English ones (so the exercise tests and hidden
  tests that hold for solutions/ hold for ko/solutions/), plus one locked cell that selects Korean;
- the glossary is true to the text, and translations keep every code span and formula.
"""

import filecmp
import re

import nbformat
import pytest

from grading.cells import nbgrader_meta
from tools import commands, korean, notebooks

ENGLISH = notebooks.solution_notebooks()
HANGUL = range(0xAC00, 0xD7A4)  # the precomposed Hangul syllables
CODE_SPAN = re.compile(r"`[^`\n]+`|\$\$.+?\$\$|\$[^$\n]+\$", re.S)


def read(path):
    return nbformat.read(path, as_version=4)


def grade_id(cell):
    return nbgrader_meta(cell).get("grade_id")


def relative_files(folder):
    return sorted(p.relative_to(folder) for p in folder.rglob("*.ipynb"))


def is_language_cell(cell):
    return cell.id.endswith("-ko-language")


@pytest.mark.parametrize("source", ENGLISH, ids=lambda p: p.parent.name)
def test_every_markdown_cell_translates_the_current_english(source):
    """The drift test: fails, naming each cell, when an English cell changed after its translation."""
    stale = korean.stale_units(source)
    assert not stale, "\n".join(map(str, stale)) + "\n(translate them in i18n/ko/, then `python3 course.py korean`)"


def edited_copy(tmp_path, source, edit):
    copy = tmp_path / source.parent.name / source.name
    copy.parent.mkdir()
    nb = read(source)
    edit(nb)
    nbformat.write(nb, copy)
    return copy


def first_translated_markdown(source):
    translated = {u.cell_id for u in korean.units(source)} - {s.unit.cell_id for s in korean.stale_units(source)}
    return next(u for u in korean.units(source) if u.cell_id in translated)


def reworded_copy(tmp_path, source, reword):
    """`(unit, copy)`: the first translated markdown cell of `source` and a copy of `source` in which
    `reword(english)` rewrote that cell's English."""
    target = first_translated_markdown(source)

    def edit(nb):
        cell = next(c for c in nb.cells if c.id == target.cell_id)
        cell.source = reword(cell.source)

    return target, edited_copy(tmp_path, source, edit)


def test_the_drift_test_names_an_english_cell_edited_after_its_translation(tmp_path):
    source = ENGLISH[0]
    target, copy = reworded_copy(tmp_path, source, lambda english: english.replace(" ", "  ", 1))  # one more space
    stale = korean.stale_units(copy, korean.catalogue_path(source))
    before = {s.unit.cell_id for s in korean.stale_units(source)}
    assert {s.unit.cell_id for s in stale} == before | {target.cell_id}
    report = next(str(s) for s in stale if s.unit.cell_id == target.cell_id)
    assert f"id {target.cell_id}" in report and f"cell {target.number}" in report
    assert "English changed after its translation" in report


def test_sync_keeps_the_old_korean_as_fuzzy_beside_the_english_it_translated(tmp_path):
    source = ENGLISH[0]
    target = first_translated_markdown(source)
    new_cell = nbformat.v4.new_markdown_cell("A brand-new paragraph.", id="tensors-new")

    def edit(nb):
        cell = next(c for c in nb.cells if c.id == target.cell_id)
        cell.source += "\nOne more sentence."
        nb.cells.insert(1, new_cell)

    copy = edited_copy(tmp_path, source, edit)
    old = {m.context: m for m in korean.read_catalogue(korean.catalogue_path(source)) if m.id}
    synced = {
        m.context: m
        for m in korean.synced_catalogue(copy, korean.read_catalogue(korean.catalogue_path(source)))
        if m.id
    }
    changed = synced[target.cell_id]
    assert changed.fuzzy and changed.string == old[target.cell_id].string
    assert changed.id.endswith("One more sentence.") and changed.previous_id == [old[target.cell_id].id]
    assert synced["tensors-new"].string == "" and not synced["tensors-new"].fuzzy
    written = tmp_path / "written.po"  # and the PO file keeps the English the translation was made from
    committed = korean.read_catalogue(korean.catalogue_path(source))
    written.write_bytes(korean.po_text(korean.synced_catalogue(copy, committed)))
    reread = {m.context: m for m in korean.read_catalogue(written) if m.id}[target.cell_id]
    assert reread.fuzzy and reread.previous_id == [old[target.cell_id].id] and not reread.user_comments
    assert korean.stale_units(copy, korean.catalogue_path(source))  # still stale until a translator acts


def test_a_deleted_cell_keeps_its_translation_as_obsolete(tmp_path):
    source = ENGLISH[0]
    target = first_translated_markdown(source)
    copy = edited_copy(
        tmp_path, source, lambda nb: nb.cells.remove(next(c for c in nb.cells if c.id == target.cell_id))
    )
    synced = korean.synced_catalogue(copy, korean.read_catalogue(korean.catalogue_path(source)))
    assert target.cell_id not in {m.context for m in synced if m.id}
    assert any(m.context == target.cell_id and m.string for m in synced.obsolete.values())
    written = tmp_path / "written.po"  # and a second sync keeps it still
    written.write_bytes(korean.po_text(synced))
    again = korean.synced_catalogue(copy, korean.read_catalogue(written))
    assert any(m.context == target.cell_id and m.string for m in again.obsolete.values())


@pytest.mark.parametrize("source", ENGLISH, ids=lambda p: p.parent.name)
def test_korean_instructor_notebook_is_up_to_date(source):
    """ko/solutions/ is what `course.py korean` builds now (cell types, ids, sources, metadata)."""
    built = korean.korean_notebook(source)
    committed = read(korean.korean_path(source))
    shape = [(c.cell_type, c.id, c.source, c.metadata) for c in built.cells]
    assert shape == [(c.cell_type, c.id, c.source, c.metadata) for c in committed.cells], (
        "ko/solutions is stale: run `python3 course.py korean`"
    )
    assert committed.metadata["language_edition"] == built.metadata["language_edition"]


def test_korean_student_versions_are_up_to_date(tmp_path):
    """ko/notebooks/ is exactly what nbgrader writes from ko/solutions/ with ko/nbgrader_config.py."""
    notebooks.generate_student_versions(release_dir=tmp_path, course_root=korean.COURSE)
    assert relative_files(tmp_path) == relative_files(korean.STUDENT_NOTEBOOKS)
    stale = [
        str(p)
        for p in relative_files(tmp_path)
        if not filecmp.cmp(tmp_path / p, korean.STUDENT_NOTEBOOKS / p, shallow=False)
    ]
    assert not stale, f"stale Korean student versions (run `python3 course.py korean`): {stale}"


@pytest.mark.parametrize("source", ENGLISH, ids=lambda p: p.parent.name)
def test_korean_code_cells_are_the_english_ones(source):
    """Same code, metadata and grade_ids: graded the same, by the same hidden tests and grader."""
    english = [
        (c.id, c.source, c.metadata, c.get("outputs") is not None) for c in read(source).cells if c.cell_type == "code"
    ]
    committed = read(korean.korean_path(source))
    code = [c for c in committed.cells if c.cell_type == "code"]
    assert [(c.id, c.source, c.metadata, True) for c in code if not is_language_cell(c)] == english
    extra = [grade_id(c) for c in code if is_language_cell(c)]
    assert len(extra) == 1 and nbgrader_meta(code[[grade_id(c) for c in code].index(extra[0])])["locked"]
    english_ids = {grade_id(c) for c in read(source).cells if grade_id(c)}
    assert {grade_id(c) for c in committed.cells if grade_id(c)} == english_ids | set(extra)


@pytest.mark.parametrize("source", ENGLISH, ids=lambda p: p.parent.name)
def test_the_language_cell_comes_before_any_check_is_imported(source):
    cells = [c for c in read(korean.korean_path(source)).cells if c.cell_type == "code"]
    first = next(i for i, c in enumerate(cells) if "checks" in c.source)
    assert is_language_cell(cells[first])


@pytest.mark.parametrize("source", ENGLISH, ids=lambda p: p.parent.name)
def test_translations_are_korean_and_keep_every_code_span_and_formula(source):
    translated = {m.context: m.string for m in korean.read_catalogue(korean.catalogue_path(source)) if m.id}
    for unit in korean.units(source):
        text = translated.get(unit.cell_id)
        if not text:
            continue  # the drift test reports it
        assert any(ord(ch) in HANGUL for ch in text), f"{unit.describe()}: no Korean in its translation"
        missing = sorted(set(CODE_SPAN.findall(unit.english)) - set(CODE_SPAN.findall(text)))
        assert not missing, f"{unit.describe()}: the translation lost {missing}"
        assert text.count("```") == unit.english.count("```"), f"{unit.describe()}: code blocks differ"


@pytest.mark.parametrize("source", ENGLISH, ids=lambda p: p.parent.name)
def test_glossary_terms_are_taught_where_it_says(source):
    terms = korean.glossary(source.parent.name)
    assert terms, f"no glossary terms for {source.parent.name}"
    english = {c.id: c.source for c in read(source).cells}
    translated = {m.context: m.string for m in korean.read_catalogue(korean.catalogue_path(source)) if m.id}
    for term in terms:
        assert term.cell_id in english, f"glossary: {term.korean} names unknown cell {term.cell_id}"
        assert term.english.lower() in one_line(english[term.cell_id]).lower(), (
            f"glossary: {term.english!r} is not in English cell {term.cell_id}"
        )
        if translated.get(term.cell_id):
            assert term.korean in one_line(translated[term.cell_id]), (
                f"glossary: {term.korean!r} is not in the Korean of cell {term.cell_id}"
            )


def one_line(text):
    """The text with its line breaks as spaces, so a term broken over two lines is still found."""
    return " ".join(text.split())


@pytest.mark.parametrize("source", ENGLISH, ids=lambda p: p.parent.name)
def test_every_english_notebook_has_its_korean_terms_note_after_the_title(source):
    """One note, right after the title, saying what the glossary says now (its terms, the Korean notebook)."""
    cells = read(source).cells
    notes = [i for i, c in enumerate(cells) if korean.is_korean_terms_note(c)]
    assert notes == [1], f"{source.name}: Korean terms notes at cells {[i + 1 for i in notes]}, want one at cell 2"
    assert cells[0].source.startswith("# ")
    assert not korean.stale_english_notes([source]), (
        "stale Korean terms note: run `python3 course.py korean --english-notes`"
    )
    note = cells[1].source
    named = [t for t in korean.glossary(source.parent.name) if t.english_note == "yes"]
    assert named and all(f"{t.english} ({t.korean})" in note for t in named)
    korean_student_version = korean.STUDENT_NOTEBOOKS / source.relative_to(notebooks.SOLUTIONS)
    assert f"`{korean_student_version.relative_to(notebooks.ROOT)}`" in note


def edited_glossary(tmp_path, monkeypatch, edit):
    """Point the build at a copy of the glossary with `edit(rows)` applied (rows: lists of cells)."""
    import csv

    with korean.GLOSSARY.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    edit(rows)
    copy = tmp_path / "glossary.csv"
    with copy.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    monkeypatch.setattr(korean, "GLOSSARY", copy)


def test_an_english_note_behind_the_glossary_is_reported(tmp_path, monkeypatch):
    source = ENGLISH[0]
    term = next(t for t in korean.glossary(source.parent.name) if t.english_note == "yes")

    def retranslate(rows):
        row = next(r for r in rows if r[:3] == [term.assignment, term.korean, term.english])
        row[1] = term.korean + "(새 번역)"

    edited_glossary(tmp_path, monkeypatch, retranslate)
    assert korean.stale_english_notes([source]) == [
        f"solutions/{source.parent.name}/{source.name}: its Korean terms note (cell {source.stem}-korean-terms) "
        f"is not what {korean.GLOSSARY} gives now"
    ]
    copy = edited_copy(tmp_path, source, lambda nb: nb.cells.pop(1))
    assert korean.stale_english_notes([copy])[0].endswith("tensors.ipynb: no Korean terms note")


@pytest.mark.parametrize("source", ENGLISH, ids=lambda p: p.parent.name)
def test_the_korean_glossary_takes_the_place_of_the_english_note(source):
    """The note is not translated (no unit, so the drift test ignores it): the Korean glossary stands there."""
    note = next(c for c in read(source).cells if korean.is_korean_terms_note(c))
    assert note.id not in {u.cell_id for u in korean.units(source)}
    assert note.id not in {m.context for m in korean.read_catalogue(korean.catalogue_path(source)) if m.id}
    cells = read(korean.korean_path(source)).cells
    assert not any(korean.is_korean_terms_note(c) or c.id == note.id for c in cells)
    assert cells[1].id == f"{source.stem}-ko-glossary"
    assert sum(c.id.endswith("-ko-glossary") for c in cells) == 1


@pytest.mark.parametrize("source", ENGLISH, ids=lambda p: p.parent.name)
def test_korean_student_versions_give_nothing_away(source):
    """nbgrader's stubs in every answer cell, no solution or hidden-test marker, no outputs."""
    student_path = korean.STUDENT_NOTEBOOKS / source.relative_to(notebooks.SOLUTIONS)
    text = student_path.read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text, f"{student_path.name}: {marker} reached students"
    student = read(student_path)
    answers = [c for c in student.cells if nbgrader_meta(c).get("solution")]
    assert answers and all("raise NotImplementedError()" in c.source for c in answers)
    assert all(not c.get("outputs") for c in student.cells if c.cell_type == "code")


def test_lang_option_chooses_the_edition_of_lab_and_the_headless_run():
    assert korean.language_option(["--headless", "--lang", "ko", "01_tensors"]) == ("ko", ["--headless", "01_tensors"])
    assert korean.language_option(["--lang=ko"]) == ("ko", [])
    assert korean.language_option(["--no-browser"]) == ("en", ["--no-browser"])
    with pytest.raises(SystemExit, match="--lang must be one of en, ko"):
        korean.language_option(["--lang", "fr"])
    folder, sources = korean.edition_notebooks("ko")
    assert folder == korean.STUDENT_NOTEBOOKS
    assert sources(["01_tensors"]) == [korean.SOLUTIONS / "01_tensors" / "tensors.ipynb"]
    assert korean.edition_notebooks("en") == (notebooks.NOTEBOOKS, notebooks.solution_notebooks)


def test_the_headless_run_covers_both_editions_unless_told_one(monkeypatch, capsys):
    """`course.py lab --headless` runs the English and the Korean notebooks; `--lang` chooses one edition."""
    ran = []

    def pretend(path, write=False):
        ran.append(path)
        return notebooks.RunResult(path, True, 0.0)

    monkeypatch.setattr(notebooks, "execute_notebook", pretend)
    english = notebooks.SOLUTIONS / "02_activations" / "activations.ipynb"
    in_korean = korean.SOLUTIONS / "02_activations" / "activations.ipynb"
    for options, expected in ([], [english, in_korean]), (["--lang", "ko"], [in_korean]), (["--lang=en"], [english]):
        ran.clear()
        assert commands.lab(["--headless", *options, "02_activations"]) == 0
        assert ran == expected, options
        lines = capsys.readouterr().out.splitlines()
        assert [line.split()[1] for line in lines[:-1]] == [str(p.relative_to(notebooks.ROOT)) for p in expected]
        assert lines[-1].startswith(f"{len(expected)} of {len(expected)} notebooks ran clean")


def test_check_reports_every_kind_of_staleness_and_fails(tmp_path, monkeypatch, capsys):
    """`course.py korean --check` names a Korean notebook behind the build (and where), a stale English note."""
    source = ENGLISH[1]
    assert korean.main(["--check", source.parent.name]) == 0, capsys.readouterr().out
    assert "is up to date" in capsys.readouterr().out
    committed = read(korean.korean_path(source))
    korean_copy = tmp_path / "ko" / source.relative_to(notebooks.SOLUTIONS)
    korean_copy.parent.mkdir(parents=True)
    changed = next(c for c in committed.cells if c.cell_type == "code" and not is_language_cell(c))
    changed.source += "\n# edited by hand"
    nbformat.write(committed, korean_copy)
    monkeypatch.setattr(korean, "SOLUTIONS", tmp_path / "ko")
    assert korean.main(["--check", source.parent.name]) == 1
    out = capsys.readouterr().out
    index = [c.id for c in committed.cells].index(changed.id)
    assert f"{korean_copy} differs from the build from cell {index + 1} (id {changed.id}) on" in out
    assert "1 item of the Korean edition stale (nothing was written)" in out
    assert read(korean_copy).cells[index].source == changed.source  # --check wrote nothing

    def retranslate_a_noted_term(rows):
        next(r for r in rows if r[0] == source.parent.name and r[4] == "yes")[1] = "바뀐 용어"

    edited_glossary(tmp_path, monkeypatch, retranslate_a_noted_term)  # the Korean glossary cell, the English note
    assert korean.main(["--check", source.parent.name]) == 1
    out = capsys.readouterr().out
    assert f"differs from the build from cell 2 (id {source.stem}-ko-glossary) on" in out
    assert f"{source.name}: its Korean terms note (cell {source.stem}-korean-terms) is not what" in out
    assert "2 items of the Korean edition stale" in out


def test_check_names_an_english_cell_edited_after_its_translation(tmp_path, monkeypatch, capsys):
    source = ENGLISH[1]
    target, copy = reworded_copy(tmp_path, source, lambda english: english + " More.")
    catalogue = korean.catalogue_path(source)
    monkeypatch.setattr(korean, "catalogue_path", lambda path: catalogue)  # the copy's is the source's
    monkeypatch.setattr(notebooks, "solution_notebooks", lambda chosen=None: [copy])
    assert korean.main(["--check"]) == 1
    out = capsys.readouterr().out
    assert f"cell {target.number} (id {target.cell_id}" in out and "English changed after its translation" in out


def test_the_build_refuses_while_a_cell_is_stale_and_marks_it_fuzzy(tmp_path, monkeypatch, capsys):
    """`course.py korean` syncs the catalogue (the old Korean kept, fuzzy), names the cell and builds nothing."""
    source = ENGLISH[1]
    target, copy = reworded_copy(tmp_path, source, lambda english: english + " More.")
    catalogue = tmp_path / "catalogue.po"
    catalogue.write_bytes(korean.catalogue_path(source).read_bytes())
    monkeypatch.setattr(korean, "catalogue_path", lambda path: catalogue)
    monkeypatch.setattr(notebooks, "solution_notebooks", lambda chosen=None: [copy])
    monkeypatch.setattr(korean, "build", lambda *args, **kwargs: pytest.fail("built with a stale cell"))
    assert korean.main([]) == 1
    out = capsys.readouterr().out
    assert f"cell {target.number} (id {target.cell_id}" in out and "marked fuzzy" in out
    assert "the Korean edition was not rebuilt" in out
    unit = next(m for m in korean.read_catalogue(catalogue) if m.context == target.cell_id)
    assert unit.fuzzy and unit.previous_id == [target.english] and unit.id == target.english + " More."
