"""The Korean edition (한국어판): built from the English solution notebooks and a translation catalogue.

The English notebooks in `solutions/` stay the single source of truth.  Each markdown cell of a
notebook is one unit of a gettext catalogue, `i18n/ko/<assignment>/<notebook>.po` (read and written
with Babel): its `msgctxt` is the cell's id, its `msgid` the English text, its `msgstr` the Korean.
A translation therefore belongs to the exact English it translates.  When an English cell changes,
its unit no longer matches: `python3 course.py korean` then marks it *fuzzy* in the catalogue, with
the English it was translated from kept as `#| msgid` beside the new English, and refuses to build
until a translator has updated the Korean and removed the flag (a PO editor such as Poedit does both).

The Korean notebooks are the English ones with every markdown cell translated, a glossary cell
(from `i18n/ko/glossary.csv`) after the title, and one locked code cell that switches the check
messages to Korean; every other code cell, its metadata and `grade_id` are the English ones.  They
form an nbgrader course of their own under `ko/` (`ko/nbgrader_config.py` reuses the English
configuration): `ko/solutions/` (instructor versions, executed, as nbval's reference) and
`ko/notebooks/` (student versions, written by nbgrader's own `generate_assignment`).

    python3 course.py korean [A ..]    sync the catalogues; if every unit is translated, build and
                                       execute ko/solutions/, write ko/notebooks/, compile the check
                                       messages (A: assignments; all by default)
    python3 course.py korean --check   write nothing; report, one line each, what is stale: markdown
                                       cells untranslated or translated from older English, Korean
                                       instructor notebooks that are not what the build makes, English
                                       "Korean terms" notes, check messages (exit status 1 if any)
    python3 course.py korean --english-notes
                                       write (or update) the "Korean terms" note of each English
                                       solution notebook, from the glossary (then `course.py generate`)

The English note is a markdown cell tagged `korean-terms` after the title: a pointer to the Korean
edition and a few of the glossary's terms (those marked `english_note`).  It is not translated (it has
no unit in the catalogue, so the drift test ignores it): the Korean notebook has its glossary there.
"""

from __future__ import annotations

import copy
import csv
import datetime
import io
import itertools
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import notebooks

LANGUAGE = "ko"
CATALOGUES = notebooks.ROOT / "i18n" / LANGUAGE
GLOSSARY = CATALOGUES / "glossary.csv"
COURSE = notebooks.ROOT / LANGUAGE
SOLUTIONS = COURSE / "solutions"
STUDENT_NOTEBOOKS = COURSE / "notebooks"
CHECKS_LOCALE = notebooks.ROOT / "checks" / "locale"
CHECKS_DOMAIN = "checks"
# An English markdown cell with this tag is the "Korean terms" note: the Korean glossary takes its place.
KOREAN_TERMS_TAG = "korean-terms"
PO_WIDTH = 0  # no re-wrapping: a unit's lines stay the notebook's lines, so diffs stay readable
HEADER_COMMENT = """\
# Korean translation of one notebook of dl-foundations: one unit per markdown cell.
# msgctxt is the cell's id, msgid its English text (from solutions/), msgstr the Korean.
# Translate msgstr only; `python3 course.py korean` keeps every msgid in step with the notebook
# and marks a unit fuzzy when its English changes (the old English is kept as #| msgid)."""


# --- the catalogue of one notebook -----------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One translatable markdown cell of an English notebook."""

    notebook: Path
    index: int
    cell_id: str
    english: str

    def describe(self) -> str:
        first_line = self.english.strip().splitlines()[0] if self.english.strip() else ""
        where = f"{self.notebook.parent.name}/{self.notebook.name} cell {self.number}"
        return f"{where} (id {self.cell_id}, {first_line[:60]!r})"

    @property
    def number(self) -> int:
        """The cell's position as a reader counts, from 1 (the catalogue's location says the same)."""
        return self.index + 1


@dataclass(frozen=True)
class Stale:
    """A unit whose Korean is missing, or translates English that has changed since."""

    unit: Unit
    reason: str

    def __str__(self) -> str:
        return f"{self.unit.describe()}: {self.reason}"


def is_korean_terms_note(cell) -> bool:
    return KOREAN_TERMS_TAG in cell.get("metadata", {}).get("tags", [])


def units(source: Path) -> list[Unit]:
    """The markdown cells of an English notebook that the Korean edition translates, in order."""
    nb = nbformat.read(source, as_version=4)
    return [
        Unit(source, index, cell.id, cell.source)
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "markdown" and not is_korean_terms_note(cell)
    ]


def catalogue_path(source: Path) -> Path:
    return CATALOGUES / source.parent.name / source.with_suffix(".po").name


def read_catalogue(path: Path):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    if not path.exists():
        return Catalog(
            locale=LANGUAGE,
            project="dl-foundations",
            version="0.1",
            header_comment=HEADER_COMMENT,
            language_team="Korean",
            creation_date=datetime.datetime.now(datetime.timezone.utc),
        )
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=LANGUAGE)
    for message in catalogue:
        recover_previous_id(message)
    return catalogue


def recover_previous_id(message) -> None:
    """Read back the `#| msgid "..."` line of a fuzzy unit (the English it was translated from).

    Babel 2.18 reads `#|` lines as translator comments; `po_text` writes this one as a single line.
    """
    from babel.messages.pofile import unescape

    for comment in [c for c in message.user_comments if c.startswith("| msgid ")]:
        message.previous_id = [unescape(comment[len("| msgid ") :].strip())]
    message.user_comments = [c for c in message.user_comments if not c.startswith("|")]


def po_text(catalogue) -> bytes:
    """The catalogue as a PO file; a fuzzy unit of a cell shows the English it translated as `#| msgid`.

    That line is written here, as one line with escaped newlines (still valid gettext), because Babel
    2.18 writes a multi-line previous msgid in a form it cannot read back.
    """
    from babel.messages.pofile import escape, normalize, write_po

    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=PO_WIDTH, include_previous=False, sort_output=False)
    text = buffer.getvalue().decode("utf-8")
    for message in catalogue:
        if message.id and message.context and message.previous_id:
            context = f"msgctxt {normalize(message.context, width=PO_WIDTH)}\n"
            previous = f"#| msgid {escape(message.previous_id[0])}\n"  # one line: Babel merges equal comment lines
            text = text.replace("\n" + context, "\n" + previous + context, 1)
    return text.encode("utf-8")


def stale_units(source: Path, catalogue_file: Path | None = None) -> list[Stale]:
    """Every markdown cell of `source` without an up-to-date Korean translation in its catalogue.

    Up to date means: the catalogue has a unit for the cell's id whose `msgid` is the cell's current
    English, with a non-empty, non-fuzzy translation.
    """
    catalogue = read_catalogue(catalogue_file or catalogue_path(source))
    found = {message.context: message for message in catalogue if message.id}
    stale = []
    for unit in units(source):
        message = found.get(unit.cell_id)
        if message is None or not message.string:
            stale.append(Stale(unit, "not translated yet"))
        elif message.id != unit.english:
            stale.append(Stale(unit, "the English changed after its translation"))
        elif message.fuzzy:
            stale.append(Stale(unit, "translation marked fuzzy (the English changed; review it, then drop the flag)"))
    return stale


def synced_catalogue(source: Path, catalogue):
    """The catalogue rewritten to follow the notebook: one unit per markdown cell, in cell order.

    A cell whose English changed keeps its old Korean, marked fuzzy, with the English it translated
    kept as the previous msgid; a new cell gets an empty unit (or the translation of an identical
    English text elsewhere); units of deleted cells are kept as obsolete, so no translation is lost.
    """
    from babel.messages.catalog import Catalog

    synced = Catalog(
        locale=LANGUAGE,
        header_comment=catalogue.header_comment,
        project=catalogue.project,
        version=catalogue.version,
        creation_date=catalogue.creation_date,
        revision_date=catalogue.revision_date,
        last_translator=catalogue.last_translator,
        language_team=catalogue.language_team,
        fuzzy=False,
    )
    by_cell = {message.context: message for message in catalogue if message.id}
    kept_obsolete = [m for m in catalogue.obsolete.values() if m.string and m.context not in by_cell]
    by_english = {
        message.id: message.string
        for message in [*catalogue, *kept_obsolete]
        if message.id and message.string and not message.fuzzy
    }
    location = f"solutions/{source.parent.name}/{source.name}"
    for unit in units(source):
        old = by_cell.pop(unit.cell_id, None)
        flags, previous = set(), []
        if old is not None and old.id == unit.english:
            korean, flags, previous = old.string, set(old.flags), list(old.previous_id or [])
        elif old is not None and old.string:
            korean, flags = old.string, {"fuzzy"}
            previous = list(old.previous_id) if old.fuzzy and old.previous_id else [old.id]
        else:
            korean = by_english.get(unit.english, "")
        synced.add(
            unit.english,
            korean,
            context=unit.cell_id,
            locations=[(location, unit.number)],
            flags=flags,
            previous_id=previous,
        )
    current = {message.context for message in synced if message.id}
    for message in [*by_cell.values(), *kept_obsolete]:
        if message.string and message.context not in current:
            synced.obsolete[(message.id, message.context)] = message
    return synced


def sync_catalogue(source: Path) -> bool:
    """Bring the catalogue of `source` in line with it; True when the file changed."""
    path = catalogue_path(source)
    text = po_text(synced_catalogue(source, read_catalogue(path)))
    if path.exists() and path.read_bytes() == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text)
    return True


def translations(source: Path) -> dict[str, str]:
    """`{cell id: Korean}` for the markdown cells of `source`; ValueError naming every stale unit."""
    stale = stale_units(source)
    if stale:
        raise ValueError("untranslated or stale units:\n  " + "\n  ".join(map(str, stale)))
    return {message.context: message.string for message in read_catalogue(catalogue_path(source)) if message.id}


# --- the glossary --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    assignment: str
    korean: str
    english: str
    cell_id: str  # the cell where the term is taught
    english_note: str = ""  # "yes": one of the few terms the English notebook's "Korean terms" note names


def glossary(assignment: str) -> list[Term]:
    with GLOSSARY.open(encoding="utf-8", newline="") as handle:
        rows = [Term(**row) for row in csv.DictReader(handle)]
    return [term for term in rows if term.assignment == assignment]


def heading_before(lines: list[str], heading: str | None) -> str | None:
    """The last markdown heading among `lines`, or `heading` when they hold none."""
    for line in lines:
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
    return heading


def section_of(term: Term, nb) -> str:
    """The heading under which `term` is taught in the (translated) notebook `nb`.

    That is the last heading before the first line of the term's cell that names the term (a cell may
    hold several sections), or of its first line when no single line names the term whole.
    """
    heading = None
    for cell in nb.cells:
        lines = cell.source.splitlines() if cell.cell_type == "markdown" else []
        if cell.id == term.cell_id:
            naming = next((i for i, line in enumerate(lines) if term.korean in line), 0)
            heading = heading_before(lines[: naming + 1], heading)
            if heading is None:
                raise ValueError(f"glossary: cell {term.cell_id} comes before any heading")
            return heading
        heading = heading_before(lines, heading)
    raise ValueError(f"glossary: {term.korean} names cell {term.cell_id}, which the notebook does not have")


def glossary_cell(source: Path, nb):
    rows = [f"| {term.korean} | {term.english} | {section_of(term, nb)} |" for term in glossary(source.parent.name)]
    if not rows:
        raise ValueError(f"{GLOSSARY.relative_to(notebooks.ROOT)} has no terms for {source.parent.name}")
    text = "\n".join(
        [
            "**용어집 (Glossary)**: 이 노트북에서 배우는 용어와 영어 원어, 그리고 그 용어를 설명하는 절입니다. "
            "코드와 영어 문서에서는 영어 용어를 만나게 됩니다.",
            "",
            "| 한국어 | English | 설명하는 절 |",
            "|---|---|---|",
            *rows,
        ]
    )
    return nbformat.v4.new_markdown_cell(text, id=f"{source.stem}-ko-glossary")


def english_note(source: Path) -> str:
    """The "Korean terms" note of an English notebook: where its Korean edition is, and a few of its terms.

    The few are the glossary's terms marked `english_note` (a handful of the notebook's central terms, chosen
    by hand); the whole glossary is the Korean notebook's.
    """
    terms = glossary(source.parent.name)
    named = [term for term in terms if term.english_note == "yes"]
    if not named:
        raise ValueError(
            f"{relative(GLOSSARY)} marks no term of {source.parent.name} for the English note (english_note = yes)"
        )
    student = STUDENT_NOTEBOOKS / source.parent.name / source.name
    where = f"`{relative(student)}` (`python3 course.py lab --lang {LANGUAGE}` opens your own copy of it)"
    return (
        f"**Korean terms (한국어 용어).** The study note this series follows is written in Korean, and the "
        f"series has a Korean edition: in the course repository, {where}, which gives after its title a "
        f"glossary of {len(terms)} terms taught here, each in Korean and English with the section that "
        "teaches it. Among them: " + ", ".join(f"{term.english} ({term.korean})" for term in named) + "."
    )


def add_english_notes(chosen: list[str] | None = None) -> list[Path]:
    """Put the "Korean terms" note after the title of each English source notebook, or bring it up to date.

    The note is a markdown cell tagged `korean-terms`; the Korean edition replaces it by its glossary.
    Returns the notebooks it changed (their student versions then need `course.py generate`).
    """
    changed = []
    for source in notebooks.solution_notebooks(chosen):
        nb = nbformat.read(source, as_version=4)
        text = english_note(source)
        note = next((c for c in nb.cells if is_korean_terms_note(c)), None)
        if note is None:
            note = nbformat.v4.new_markdown_cell(text, id=f"{source.stem}-korean-terms")
            note.metadata["tags"] = [KOREAN_TERMS_TAG]
            nb.cells.insert(1, note)
        elif note.source == text:
            continue
        note.source = text
        nbformat.write(nb, source)
        changed.append(source)
    return changed


# --- the Korean notebook -------------------------------------------------------------------------


def language_cell(stem: str):
    """The locked cell that shows the check messages, hints and solutions in Korean."""
    source = (
        "# 한국어판: 확인 메시지, 힌트, 풀이 설명을 한국어로 보여 줍니다 (checks 모듈을 불러오기 전에 실행).\n"
        "from checks import i18n\n"
        f'i18n.use_language("{LANGUAGE}")'
    )
    cell = nbformat.v4.new_code_cell(source, id=f"{stem}-ko-language")
    cell.metadata["nbgrader"] = {
        "grade": False,
        "grade_id": f"{stem}_cell_{LANGUAGE}",
        "locked": True,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    return cell


def korean_notebook(source: Path):
    """The Korean instructor notebook of one English source notebook (outputs not yet executed)."""
    english = nbformat.read(source, as_version=4)
    korean = copy.deepcopy(english)
    text = translations(source)
    stem = source.stem  # the topic prefix of the notebook's grade_ids (`tensors` of `tensors_cell_01`)
    cells = []
    for cell in korean.cells:
        if cell.cell_type == "markdown" and not is_korean_terms_note(cell):
            cell.source = text[cell.id]
        cells.append(cell)
    korean.cells = cells
    glossary_at = next((i for i, c in enumerate(cells) if is_korean_terms_note(c)), None)
    glossary = glossary_cell(source, korean)
    if glossary_at is None:
        cells.insert(1, glossary)
    else:
        cells[glossary_at] = glossary
    first_code = next(i for i, c in enumerate(cells) if c.cell_type == "code")
    cells.insert(first_code, language_cell(stem))
    korean.metadata["language_edition"] = {
        "language": LANGUAGE,
        "source": f"solutions/{source.parent.name}/{source.name}",
    }
    return korean


def korean_path(source: Path) -> Path:
    return SOLUTIONS / source.relative_to(notebooks.SOLUTIONS)


def build(chosen: list[str] | None = None, execute: bool = True, jobs: int = 2) -> list[Path]:
    """Write the Korean instructor notebooks (executed, as nbval's reference) and the student versions.

    The notebooks execute `jobs` at a time (each in its own kernel), since two of them train a network.
    """
    from concurrent.futures import ThreadPoolExecutor

    targets = []
    for source in notebooks.solution_notebooks(chosen):
        target = korean_path(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(korean_notebook(source), target)
        targets.append(target)
    if execute:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for result in pool.map(lambda path: notebooks.execute_notebook(path, write=True), targets):
                if not result.ok:
                    raise RuntimeError(f"{result.notebook.relative_to(notebooks.ROOT)} failed: {result.error}")
    notebooks.generate_student_versions(release_dir=STUDENT_NOTEBOOKS, chosen=chosen, course_root=COURSE)
    return targets


def korean_solution_notebooks(chosen: list[str] | None = None) -> list[Path]:
    """The Korean instructor notebooks of the chosen assignments (all by default), for the headless run."""
    return sorted(p for a in chosen or notebooks.assignments() for p in (SOLUTIONS / a).glob("*.ipynb"))


# --- the check messages --------------------------------------------------------------------------


def check_messages_paths(language: str = LANGUAGE) -> tuple[Path, Path]:
    folder = CHECKS_LOCALE / language / "LC_MESSAGES"
    return folder / f"{CHECKS_DOMAIN}.po", folder / f"{CHECKS_DOMAIN}.mo"


# The text a learner reads in a checks module, besides `_()` calls: the label of every case and
# property, and every hint.  They are declared as plain literals (`Case("a scalar", ...)`,
# `hints=[...]`, `hint="..."`) and translated where they are shown, so they are extracted here.
LABELLED_CALLS = ("Case", "Property", "property")
TEXT_KEYWORDS = ("hint", "hints", "label")


def literal_texts(node) -> list[str]:
    """The string literals of `node`: a string, or a list or tuple of strings (f-strings are skipped)."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [text for item in node.elts for text in literal_texts(item)]
    return []


def displayed_literals(path: Path) -> list[tuple[int, str]]:
    """`(line, text)` of every case or property label and every hint written as a literal in `path`."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name in LABELLED_CALLS and node.args:
            found += [(node.lineno, text) for text in literal_texts(node.args[0])]
        for keyword in node.keywords:
            if keyword.arg in TEXT_KEYWORDS:
                found += [(keyword.value.lineno, text) for text in literal_texts(keyword.value)]
    return found


def extract_check_messages(package: Path | None = None):
    """Every message of the `checks` package a learner reads, as a Babel template catalogue.

    Babel's Python extractor finds the `_()` and `ngettext()` calls; `displayed_literals` adds the
    labels and hints, which the engine passes through `_()` when it shows them.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    package = package or notebooks.ROOT / "checks"
    template = Catalog(project="dl-foundations", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        package,
        method_map=[("**.py", "python")],
        keywords={"_": None, "ngettext": (1, 2)},
        comment_tags=("TRANSLATORS:",),
    ):
        template.add(message, None, locations=[(f"checks/{filename}", lineno)], auto_comments=comments, context=context)
    for path in sorted(package.glob("*.py")):
        for lineno, text in displayed_literals(path):
            if text.strip():
                template.add(text, None, locations=[(f"checks/{path.name}", lineno)])
    return template


def updated_check_messages(language: str = LANGUAGE):
    """The language's catalogue of check messages, updated from the sources as `pybabel update` does."""
    po_path, _ = check_messages_paths(language)
    catalogue = read_catalogue(po_path)
    catalogue.update(extract_check_messages(), update_creation_date=False)
    return catalogue


def mo_bytes(catalogue) -> bytes:
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    return buffer.getvalue()


def compile_check_messages(language: str = LANGUAGE) -> None:
    """Extract, update and compile `checks/locale/<language>/LC_MESSAGES/checks.{po,mo}`."""
    po_path, mo_path = check_messages_paths(language)
    catalogue = updated_check_messages(language)
    po_path.parent.mkdir(parents=True, exist_ok=True)
    text = po_text(catalogue)
    if not po_path.exists() or po_path.read_bytes() != text:
        po_path.write_bytes(text)
    mo_path.write_bytes(mo_bytes(read_catalogue(po_path)))


# --- what is stale --------------------------------------------------------------------------------


def relative(path: Path) -> Path:
    """`path` as the repository names it (itself when it lies elsewhere)."""
    return path.relative_to(notebooks.ROOT) if path.is_relative_to(notebooks.ROOT) else path


def stale_english_notes(sources: list[Path]) -> list[str]:
    """The English notebooks whose "Korean terms" note is missing, doubled, or not what the glossary gives now."""
    found = []
    for source in sources:
        notes = [c for c in nbformat.read(source, as_version=4).cells if is_korean_terms_note(c)]
        if not notes:
            found.append(f"{relative(source)}: no Korean terms note")
        elif len(notes) > 1:
            ids = ", ".join(c.id for c in notes)
            found.append(f"{relative(source)}: {len(notes)} Korean terms notes (cells {ids}); keep one")
        elif notes[0].source != english_note(source):
            found.append(
                f"{relative(source)}: its Korean terms note (cell {notes[0].id}) is not what "
                f"{relative(GLOSSARY)} gives now"
            )
    return found


def cell_shape(cell) -> tuple:
    """What the build decides about a cell (its outputs come from executing it)."""
    return cell.cell_type, cell.id, cell.source, cell.metadata


def stale_korean_notebook(source: Path) -> str | None:
    """How the committed Korean instructor notebook of `source` differs from what the build makes now, or None.

    Needs every unit of `source` translated (`translations` says which are not).
    """
    target = korean_path(source)
    if not target.exists():
        return f"{relative(target)} is missing"
    built, committed = korean_notebook(source), nbformat.read(target, as_version=4)
    for index, (new, old) in enumerate(itertools.zip_longest(built.cells, committed.cells)):
        if new is None or old is None or cell_shape(new) != cell_shape(old):
            cell = new if new is not None else old
            return f"{relative(target)} differs from the build from cell {index + 1} (id {cell.id}) on"
    if committed.metadata.get("language_edition") != built.metadata["language_edition"]:
        return f"{relative(target)}: its language_edition metadata is not the build's"
    return None


def stale_check_messages(language: str = LANGUAGE) -> list[str]:
    """Check messages without a translation, and a catalogue or compiled file behind the sources of checks/."""
    po_path, mo_path = check_messages_paths(language)
    catalogue = updated_check_messages(language)
    found = [
        f"{relative(po_path)}: no {'reviewed ' if m.string else ''}translation of the check message {m.id!r}"
        for m in catalogue
        if m.id and (not m.string or m.fuzzy)
    ]
    committed = {m.id: m.string for m in read_catalogue(po_path) if m.id}
    if committed != {m.id: m.string for m in catalogue if m.id}:
        found.append(f"{relative(po_path)} does not hold the current messages of checks/")
    elif not mo_path.exists() or mo_path.read_bytes() != mo_bytes(read_catalogue(po_path)):
        found.append(f"{relative(mo_path)} is not the compilation of {po_path.name}")
    return found


def stale_edition(sources: list[Path]) -> list[str]:
    """Everything of the Korean edition that is not up to date with the English sources, one line each:
    untranslated or stale markdown cells, English "Korean terms" notes, Korean instructor notebooks that
    are not what the build makes (checked only for fully translated notebooks), check messages."""
    found = []
    for source in sources:
        units_left = stale_units(source)
        found += map(str, units_left)
        difference = None if units_left else stale_korean_notebook(source)
        if difference:
            found.append(difference)
    return found + stale_english_notes(sources) + stale_check_messages()


# --- the command ---------------------------------------------------------------------------------


def count(items: list, noun: str) -> str:
    return f"{len(items)} {noun}" if len(items) == 1 else f"{len(items)} {noun}s"


FIXES = """\
To bring it up to date: translate the listed cells in i18n/ko/ (the msgstr of the unit with that msgctxt;
remove its fuzzy flag), write the Korean terms notes with `python3 course.py korean --english-notes`,
translate the listed check messages in checks/locale/ko/LC_MESSAGES/checks.po, then `python3 course.py korean`."""


def main(args: list[str]) -> int:
    """`course.py korean [--check | --english-notes] [A ..]`: see the module docstring."""
    check_only = "--check" in args
    chosen = [a for a in args if a not in ("--check", "--english-notes")]
    if "--english-notes" in args:
        for path in add_english_notes(chosen):
            print(f"wrote the Korean terms note into {relative(path)}")
        return 0
    sources = notebooks.solution_notebooks(chosen)
    if check_only:
        stale = stale_edition(sources)
        for line in stale:
            print(line)
        if stale:
            print(f"{count(stale, 'item')} of the Korean edition stale (nothing was written).\n{FIXES}")
            return 1
        print(
            f"the Korean edition of {len(sources)} notebooks is up to date: every markdown cell translated, "
            "ko/solutions/ as the build makes it, the English Korean terms notes and the check messages current"
        )
        return 0
    for source in sources:
        if sync_catalogue(source):
            print(f"updated {relative(catalogue_path(source))}")
    stale = [s for source in sources for s in stale_units(source)]
    for item in stale:
        print(item)
    if stale:
        print(
            f"{len(stale)} markdown cells need a Korean translation in {relative(CATALOGUES)}/; "
            "the Korean edition was not rebuilt"
        )
        return 1
    compile_check_messages()
    for path in build(chosen):
        print(f"built {relative(path)}")
    print(f"Korean student versions written to {relative(STUDENT_NOTEBOOKS)}")
    left = stale_english_notes(sources) + stale_check_messages()
    for line in left:
        print(line)
    if left:
        print(f"{count(left, 'item')} still stale (English notes, or check messages shown in English).\n{FIXES}")
        return 1
    return 0


# --- the editions, for `course.py lab [--headless] --lang ko` ------------------------------------

EDITIONS = ("en", LANGUAGE)


def language_option(args: list[str], default: str | None = "en") -> tuple[str | None, list[str]]:
    """Split `--lang XX` (or `--lang=XX`) off a command's arguments: (edition, or `default` without the
    option; the other arguments)."""
    rest, language = [], default
    items = iter(args)
    for item in items:
        if item == "--lang":
            language = next(items, "")
        elif item.startswith("--lang="):
            language = item.split("=", 1)[1]
        else:
            rest.append(item)
    if language not in (*EDITIONS, default):
        raise SystemExit(f"--lang must be one of {', '.join(EDITIONS)}, not {language!r}")
    return language, rest


def edition_notebooks(language: str):
    """(student notebook folder, source notebooks of the chosen assignments) of an edition."""
    if language == LANGUAGE:
        return STUDENT_NOTEBOOKS, korean_solution_notebooks
    return notebooks.NOTEBOOKS, notebooks.solution_notebooks


def headless_sources(language: str | None):
    """The source notebooks of the chosen assignments that `lab --headless` runs: one edition's with
    `--lang`, else both editions', the English first."""
    if language is not None:
        return edition_notebooks(language)[1]
    return lambda chosen: [*notebooks.solution_notebooks(chosen), *korean_solution_notebooks(chosen)]
