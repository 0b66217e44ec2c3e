"""What an instructor hands out, built and checked: `python3 course.py handout DIR [ASSIGNMENT ...]
[--closed ASSIGNMENT ...] [--lang ko]`.

The chosen assignments (all by default) in English, or with `--lang ko` in Korean (the student versions
of `ko/`'s instructor notebooks; the wheel is the same, and its checks speak Korean only where a Korean
notebook's locked first cell asks).  DIR receives

- `notebooks/<assignment>/<name>.ipynb`: the student versions, generated afresh from `solutions/` by
  nbgrader (stubs in the answer cells, hidden tests removed, no outputs);
- `dl_foundations_checks-<version>-py3-none-any.whl`: a wheel of the two packages the notebooks import,
  `checks` (visible checks, hints, frozen expected values) and `notebook_helpers` (MNIST, plots), and
  nothing else (no `answer_key`, no `solutions/`, no `grading`);
- `README.txt`: what a student does with them.

Before it returns, the handout is scanned for every reference solution (`find_reference_code`): each
answer cell of `solutions/` and each function or class of `answer_key`, compared with every function
and class of the handout (including code held in string constants) as normalised code (the syntax tree
with names, docstrings and other strings blanked out), so that a renamed copy is found as well as a
verbatim one.  Its texts (every string of the wheel's modules: messages, hints, labels; and the
translations of its message catalogues) are scanned for the answer expressions of those solutions
(`quoted_answers`): each expression of a solution line, compared with every run of words of a text that
parses as Python, again as normalised syntax trees.  A finding makes the command fail.

A later notebook may give an earlier assignment's answer as a tool (notebook 04's `relu` is the answer
of 02).  That is no finding, but the command refuses the handout while the earlier assignment is open
(`Scan.not_closed`): the instructor hands out the earlier assignment first and the later one once the
earlier is closed, saying so with `--closed 02_activations`.
"""

from __future__ import annotations

import ast
import base64
import builtins
import copy
import functools
import gettext
import hashlib
import io
import json
import re
import sys
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from grading.cells import nbgrader_meta

from . import notebooks

ROOT = notebooks.ROOT
PACKAGES = ("checks", "notebook_helpers")
DISTRIBUTION = "dl_foundations_checks"
VERSION = "0.1.0"
DEPENDENCIES = ("numpy", "matplotlib", "platformdirs")
REFERENCE_PACKAGE = ROOT / "answer_key"
TEXT_PACKAGE = "checks"  # the package whose texts (messages, hints, labels) are scanned for quoted answers


# ------------------------------------------------------------------ building


def wheel_name() -> str:
    return f"{DISTRIBUTION}-{VERSION}-py3-none-any.whl"


def package_files() -> list:
    """`(path in the wheel, file)` for every source and data file of the student packages."""
    files = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".json", ".mo"):
                files.append((path.relative_to(ROOT).as_posix(), path))
    return files


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(folder: Path) -> Path:
    """Write the student wheel into `folder` (a wheel is a zip with metadata; no build tool is needed)."""
    dist_info = f"{DISTRIBUTION}-{VERSION}.dist-info"
    metadata = (
        "\n".join(
            [
                "Metadata-Version: 2.1",
                f"Name: {DISTRIBUTION}",
                f"Version: {VERSION}",
                "Summary: Visible checks and notebook helpers of the deep-learning foundations series",
                "Requires-Python: >=3.10",
                *(f"Requires-Dist: {d}" for d in DEPENDENCIES),
            ]
        )
        + "\n"
    )
    wheel = "Wheel-Version: 1.0\nGenerator: tools.handout\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    entries = [(name, path.read_bytes()) for name, path in package_files()]
    entries += [(f"{dist_info}/METADATA", metadata.encode()), (f"{dist_info}/WHEEL", wheel.encode())]
    record = [_record_line(name, data) for name, data in entries] + [f"{dist_info}/RECORD,,"]
    entries.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))
    target = folder / wheel_name()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # fixed: the same bytes every build
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return target


STUDENT_README = """\
Deep learning foundations: what you need
=========================================

1. Install the checks the notebooks use (Python 3.10 or newer), in the environment of your Jupyter:

       python3 -m pip install {wheel}

   (it brings numpy, matplotlib and platformdirs along if they are missing; JupyterLab you install
   yourself, e.g. `python3 -m pip install jupyterlab`).
2. Open the notebooks: `jupyter lab notebooks/`. Work in each notebook top to bottom; run each answer
   cell, then the check cell below it. `q.<exercise>.hint()` gives a hint, more specific each time.
3. Hand in the notebooks as your instructor asks. The checks in the notebooks are the visible ones;
   your instructor's grader runs hidden tests as well.
"""


STUDENT_README_KO = """\
딥러닝 기초: 필요한 것
=====================

1. 노트북이 쓰는 확인 패키지를 설치하세요(파이썬 3.10 이상). Jupyter를 실행하는 환경에서:

       python3 -m pip install {wheel}

   (numpy, matplotlib, platformdirs가 없으면 함께 설치됩니다. JupyterLab은 직접 설치하세요.
   예: `python3 -m pip install jupyterlab`.)
2. 노트북을 여세요: `jupyter lab notebooks/`. 각 노트북을 위에서 아래로 진행하며, 답 셀을 실행한 다음
   그 아래의 확인 셀을 실행하세요. 확인 메시지와 힌트는 노트북 맨 앞의 잠긴 셀이 한국어로 정합니다.
   `q.<exercise>.hint()`는 물을 때마다 더 구체적인 힌트를 줍니다.
3. 강사가 안내하는 대로 노트북을 제출하세요. 노트북의 확인은 공개된 것이고, 강사의 채점기는 숨겨진
   테스트도 실행합니다.
"""
READMES = {"en": STUDENT_README, "ko": STUDENT_README_KO}


def course_root(language: str) -> Path:
    """The nbgrader course whose solutions/ the student versions are generated from: the repository for
    English, ko/ (built by `course.py korean`) for Korean."""
    if language not in READMES:
        raise ValueError(f"--lang must be one of {', '.join(READMES)}, not {language!r}")
    from . import korean

    return ROOT if language == "en" else korean.COURSE


def build(folder: Path, chosen: Optional[list] = None, language: str = "en") -> Path:
    """Build the handout of the chosen assignments (all by default) in `language` into `folder` (created;
    must be empty or absent) and return it.  The wheel is the same for every language: its checks carry
    every message catalogue, and a Korean notebook's locked first cell chooses Korean."""
    folder = Path(folder)
    root = course_root(language)
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder} is not empty: choose a new folder for the handout")
    folder.mkdir(parents=True, exist_ok=True)
    notebooks.generate_student_versions(release_dir=folder / "notebooks", chosen=chosen, course_root=root)
    wheel = build_wheel(folder)
    (folder / "README.txt").write_text(READMES[language].format(wheel=wheel.name), encoding="utf-8")
    return folder


# ------------------------------------------------------------------ scanning for reference code


class _Normalise(ast.NodeTransformer):
    """Blank out what a copy can change without changing the code: names, docstrings, strings, annotations."""

    def __init__(self):
        self.names: dict = {}

    def _name(self, name: str) -> str:
        return self.names.setdefault(name, f"v{len(self.names)}")

    def visit_Name(self, node):
        node.id = self._name(node.id)
        return node

    def visit_arg(self, node):
        node.arg, node.annotation = self._name(node.arg), None
        return node

    def visit_alias(self, node):
        node.asname = self._name(node.asname or node.name.split(".")[0])
        return node

    def visit_Constant(self, node):
        if isinstance(node.value, str):
            node.value = ""
        return node

    def _definition(self, node):
        node.name = "_"
        node.decorator_list = []
        if hasattr(node, "returns"):
            node.returns = None
        body = node.body
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(getattr(body[0], "value", None), ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
        self.generic_visit(node)
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _definition


def fingerprint(definition: ast.AST) -> str:
    """The normalised form of one function or class: equal for a copy, whatever it renamed."""
    return ast.dump(_Normalise().visit(copy.deepcopy(definition)), annotate_fields=False)


def definitions(source: str) -> Iterator[ast.AST]:
    """Every function and class defined in `source` (at any depth), and in string constants that hold code."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "def " in node.value:
            yield from definitions(node.value)


@dataclass
class Reference:
    """One reference solution: where it comes from, its assignment (None for answer_key) and its fingerprint."""

    origin: str
    assignment: Optional[str]
    fingerprint: str


def code_cells(notebook: Path, keep_markers: bool = False) -> Iterator[tuple]:
    """`(grade_id or None, is an answer cell, source)` for every code cell of a notebook, markers removed
    (kept with `keep_markers`)."""
    from checks.exercise import SOLUTION_MARKER

    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code":
            meta = nbgrader_meta(cell)
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            shown = source if keep_markers else SOLUTION_MARKER.sub("", source)
            yield meta.get("grade_id"), bool(meta.get("solution")), shown


def _given_to_students(student_version: Path) -> dict:
    """`{grade_id: fingerprints}` of what a student version's answer cells show (the scaffolding around a stub)."""
    if not student_version.exists():
        return {}
    return {
        grade_id: {fingerprint(d) for d in definitions(source)}
        for grade_id, is_answer, source in code_cells(student_version)
        if is_answer
    }


def reference_solutions() -> list:
    """Every reference solution: what each answer cell of solutions/ defines beyond the scaffolding its
    student version shows (a property given around the stub), and every definition of answer_key."""
    found = []
    for notebook in sorted(notebooks.SOLUTIONS.glob("*/*.ipynb")):
        given = _given_to_students(notebooks.NOTEBOOKS / notebook.relative_to(notebooks.SOLUTIONS))
        for grade_id, is_answer, source in code_cells(notebook):
            for definition in definitions(source) if is_answer else ():
                shape = fingerprint(definition)
                if shape not in given.get(grade_id, set()):
                    origin = f"{notebook.relative_to(ROOT)} answer cell {grade_id}: {definition.name}"
                    found.append(Reference(origin, notebook.parent.name, shape))
    for module in sorted(REFERENCE_PACKAGE.rglob("*.py")):
        found += [
            Reference(f"{module.relative_to(ROOT)}: {d.name}", None, fingerprint(d))
            for d in definitions(module.read_text(encoding="utf-8"))
        ]
    return found


def handout_sources(folder: Path) -> Iterator[tuple]:
    """`(where, assignment or None, code)` for every Python file of the handout's wheels and every code
    cell of its notebooks."""
    for wheel in sorted(Path(folder).rglob("*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if name.endswith(".py"):
                    yield f"{wheel.name}/{name}", None, archive.read(name).decode("utf-8")
    for notebook in sorted(Path(folder).rglob("*.ipynb")):
        for index, (_, _, source) in enumerate(code_cells(notebook), start=1):
            yield f"{notebook.relative_to(folder)} code cell {index}", notebook.parent.name, source


@dataclass
class GivenLater:
    """An earlier assignment's answer that a later notebook gives as a tool (notebook 04's `relu`, the
    answer of 02): `line` says where, `assignment` is the earlier assignment whose answer it is."""

    line: str
    assignment: str


@dataclass
class Scan:
    """What the scan found: `findings`, reference code that must not be handed out, and `given_later`,
    earlier assignments' answers that later notebooks give (`GivenLater`)."""

    findings: list
    given_later: list

    def not_closed(self, closed=()) -> list:
        """The `given_later` lines whose earlier assignment is not in `closed` (not yet past its deadline):
        handing them out would give the learners of that assignment its answer."""
        return [item.line for item in self.given_later if item.assignment not in closed]


def handout_texts(folder: Path) -> Iterator[tuple]:
    """`(where, text)` for every text of the checks in the handout's wheels: the strings of its Python files
    (messages, hints, labels) and the translations of its message catalogues.  (notebook_helpers' texts
    are API documentation: its TrainingLog's docstring shows a training loop's epoch line.)"""
    for wheel in sorted(Path(folder).rglob("*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if not name.startswith(f"{TEXT_PACKAGE}/"):
                    continue
                if name.endswith(".py"):
                    texts = texts_of_module(archive.read(name).decode("utf-8"))
                elif name.endswith(".mo"):
                    texts = catalogue_texts(archive.read(name))
                else:
                    continue
                yield from ((f"{wheel.name}/{name}", text) for text in texts)


def find_reference_code(folder: Path) -> Scan:
    """Scan a handout for reference solutions and for answer expressions quoted in its texts (see the
    module's docstring)."""
    references = {}
    for reference in reference_solutions():
        references.setdefault(reference.fingerprint, reference)
    scan = Scan([], [])
    for where, assignment, source in handout_sources(folder):
        for definition in definitions(source):
            reference = references.get(fingerprint(definition))
            if reference is None:
                continue
            line = f"{where}: {definition.name} is a copy of {reference.origin}"
            if None not in (assignment, reference.assignment) and reference.assignment < assignment:
                scan.given_later.append(GivenLater(line, reference.assignment))
            else:
                scan.findings.append(line)
    for where, text in handout_texts(folder):
        scan.findings += [
            f"{where}: a text quotes `{code}`, {part.origin} (`{part.code}`)" for code, part in quoted_answers(text)
        ]
    return scan


# ------------------------------------------------------------------ answers quoted in hints and messages

KEPT_NAMES = frozenset(dir(builtins)) | {"np", "numpy", "math"}  # names a renamed copy keeps
MIN_STATEMENT_SIZE = 4  # nodes: the value of a solution line this big is an answer (`grad_out @ W.T`)
MIN_RENAMED_SIZE = 7  # nodes: an answer this big is found under other names too; a smaller one only as it is
MIN_PART_SIZE = 12  # nodes: any part of a solution line this big is an answer too
WINDOW_WORDS = 16  # the longest run of words of a sentence tried as code
_NOT_COUNTED = (ast.expr_context, ast.operator, ast.cmpop, ast.unaryop, ast.boolop)


def size(node: ast.AST) -> int:
    """The number of expression nodes of `node` (names, constants, calls, ...; operators not counted)."""
    return sum(1 for n in ast.walk(node) if not isinstance(n, _NOT_COUNTED))


def canonical(node: ast.AST, rename: bool = True) -> str:
    """The normalised form of one expression: strings blanked, and with `rename` its local names renamed in
    order of appearance, so that `softmax(h @ W2 + b2)` and `softmax(a @ V + c)` are the same."""
    names: dict = {}
    tree = copy.deepcopy(node)
    for item in ast.walk(tree):
        if rename and isinstance(item, ast.Name) and item.id not in KEPT_NAMES:
            item.id = names.setdefault(item.id, f"v{len(names)}")
        elif isinstance(item, ast.Constant) and isinstance(item.value, str):
            item.value = ""
        if hasattr(item, "ctx"):
            item.ctx = ast.Load()
    return ast.dump(tree, annotate_fields=False)


def _solution_lines(source: str) -> set:
    """The line numbers (from 1) between `### BEGIN SOLUTION` and `### END SOLUTION` of an answer cell."""
    lines, inside = set(), False
    for number, line in enumerate(source.splitlines(), start=1):
        marker = line.strip()
        if marker.startswith("### BEGIN SOLUTION"):
            inside = True
        elif marker.startswith("### END SOLUTION"):
            inside = False
        elif inside:
            lines.add(number)
    return lines


def _answer_parts(tree: ast.AST, lines: Optional[set] = None, smallest: int = MIN_STATEMENT_SIZE) -> Iterator[ast.AST]:
    """The expressions of a solution that give its answer away: the value of every statement (a return,
    an assignment, a call) of at least `smallest` nodes, and every part of one of `MIN_PART_SIZE` nodes
    (only on `lines`, when given)."""
    for node in ast.walk(tree):
        if lines is not None and getattr(node, "lineno", None) not in lines:
            continue
        if (
            isinstance(node, (ast.Return, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr))
            and node.value is not None
            and size(node.value) >= smallest
        ):
            yield node.value
        if isinstance(node, ast.expr) and size(node) >= MIN_PART_SIZE:
            yield node


@functools.lru_cache(maxsize=100_000)
def _parsed(span: str) -> Optional[ast.AST]:
    """The syntax tree of `span`, or None when it is not Python (a sentence, a formula)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)  # a sentence's "\\w" is no escape sequence
            warnings.simplefilter("ignore", DeprecationWarning)
            return ast.parse(span)
    except (SyntaxError, ValueError):
        return None


def code_in_text(text: str) -> Iterator[ast.AST]:
    """Every expression written in a sentence: in `backticks`, or any run of its words that parses as Python."""
    spans = [m.group(1) for m in re.finditer(r"`([^`]+)`", text)]
    words = text.replace("`", " ").split()
    for start in range(len(words)):
        for stop in range(start + 1, min(len(words), start + WINDOW_WORDS) + 1):
            if not words[stop - 1].isascii():  # code is ASCII: a Korean word ends the run
                break
            spans.append(" ".join(words[start:stop]).strip(".,;:"))
    seen = set()
    for span in spans:
        if span in seen or not re.search(r"[()\[\]@*/+\-<>=.]", span):
            continue
        seen.add(span)
        tree = _parsed(span)
        if tree is not None:
            yield from (node for node in ast.walk(tree) if isinstance(node, ast.expr) and size(node) >= 2)


@dataclass
class AnswerPart:
    """One expression of a reference solution that no hint or message may quote."""

    origin: str
    code: str


def _given_code(student_version: Path) -> Iterator[str]:
    """The code a student version gives the learner to run: its code cells (stubs and locked cells)."""
    if not student_version.exists():
        return
    for cell in json.loads(student_version.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code":
            yield cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def _given_forms(student_version: Path) -> set:
    """The forms (renamed and as they are) of every expression of the code a student version gives."""
    trees = [tree for tree in map(_parsed, _given_code(student_version)) if tree is not None]
    return {
        canonical(n, rename)
        for tree in trees
        for n in ast.walk(tree)
        if isinstance(n, ast.expr)
        for rename in (True, False)
    }


def _add_part(parts: dict, node: ast.AST, origin: str, given: set = frozenset()) -> None:
    """Record `node` as an answer expression (renamed when it is big enough), unless it is `given` code."""
    rename = size(node) >= MIN_RENAMED_SIZE
    form = canonical(node, rename)
    if form not in given:
        parts.setdefault(form, AnswerPart(origin, ast.unparse(node)))


@functools.lru_cache(maxsize=1)
def answer_parts() -> dict:
    """`{canonical form: AnswerPart}` of every reference solution: the lines between the solution markers of
    each answer cell of solutions/ (leaving out code that the student versions of that notebook and the
    earlier ones give to run: a tool such as notebook 04's forward pass), and the bigger expressions of
    answer_key's code.  What a notebook's text says in words or `code` is not left out: a hint must not
    repeat even an answer that the exercise's text gives."""
    parts: dict = {}
    given: set = set()  # the code that the notebooks up to this one give (they are released in order)
    for notebook in sorted(notebooks.SOLUTIONS.glob("*/*.ipynb")):
        given |= _given_forms(notebooks.NOTEBOOKS / notebook.relative_to(notebooks.SOLUTIONS))
        for grade_id, is_answer, source in code_cells(notebook, keep_markers=True):
            tree = _parsed(source) if is_answer else None
            for node in _answer_parts(tree, _solution_lines(source)) if tree is not None else ():
                _add_part(parts, node, f"the answer of {grade_id}", given)
    for module in sorted(REFERENCE_PACKAGE.rglob("*.py")):
        for definition in definitions(module.read_text(encoding="utf-8")):
            for node in _answer_parts(definition, smallest=MIN_PART_SIZE):
                _add_part(parts, node, f"{module.relative_to(ROOT)}: {definition.name}")
    return parts


def quoted_answers(text: str) -> list:
    """`(code, AnswerPart)` for every reference solution's answer expression that `text` writes out."""
    parts = answer_parts()
    found = {}
    for node in code_in_text(text):
        for rename in (False, True):
            part = parts.get(canonical(node, rename))
            if part is not None:
                found.setdefault(part.code, (ast.unparse(node), part))
    return list(found.values())


def texts_of_module(source: str) -> Iterator[str]:
    """Every text a Python module holds: its string constants and the literal parts of its f-strings joined
    around `{...}` (the messages, hints and labels of a checks module)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            yield "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def catalogue_texts(data: bytes) -> Iterator[str]:
    """The translations of a compiled gettext catalogue (.mo)."""
    catalogue = gettext.GNUTranslations(io.BytesIO(data))
    # `_catalog` is the parsed table {msgid: msgstr}; the standard library offers no public way to list it
    yield from (text for text in catalogue._catalog.values() if isinstance(text, str))


# ------------------------------------------------------------------ the command


USAGE = (
    "usage: python3 course.py handout DIR [ASSIGNMENT ...] [--closed ASSIGNMENT ...] [--lang ko]\n"
    "  DIR: a new or empty folder; ASSIGNMENT: the assignments to hand out (all by default);\n"
    "  --closed: earlier assignments whose answers the learners may have now (their deadline has passed)"
)


def parse_arguments(args: list) -> Optional[tuple]:
    """`(folder, chosen assignments or None, closed assignments, language)`, or None when `args` are wrong."""
    from . import korean

    try:
        language, rest = korean.language_option(list(args))
    except SystemExit:
        return None
    positional, closed, target = [], [], None
    for item in rest:
        if item == "--closed":
            target = closed
        elif item.startswith("-"):
            return None
        else:
            (positional if target is None else target).append(item)
    known = set(notebooks.assignments())
    if not positional or not set(positional[1:] + closed) <= known:
        return None
    return Path(positional[0]), positional[1:] or None, closed, language


def main(args: list) -> int:
    parsed = parse_arguments(args)
    if parsed is None:
        print(USAGE, f"\n  assignments: {', '.join(notebooks.assignments())}", file=sys.stderr)
        return 2
    folder, chosen, closed, language = parsed
    folder = build(folder, chosen, language)
    scan = find_reference_code(folder)
    if scan.findings:
        print("The handout holds reference solutions; do not hand it out:", file=sys.stderr)
        for finding in scan.findings:
            print(f"  {finding}", file=sys.stderr)
        return 1
    early = scan.not_closed(closed)
    if early:
        print("The handout gives the answers of assignments that are still open; do not hand it out:", file=sys.stderr)
        for line in early:
            print(f"  {line}", file=sys.stderr)
        earlier = sorted({item.assignment for item in scan.given_later if item.assignment not in closed})
        print(
            f"Hand out the later notebooks once {', '.join(earlier)} is closed, and say so with "
            f"`--closed {' '.join(earlier)}` (or hand out the earlier assignments alone first).",
            file=sys.stderr,
        )
        return 1
    for item in scan.given_later:
        print(f"note ({item.assignment} is closed): {item.line}")
    print(
        f"Handout written to {folder}: notebooks/, {wheel_name()} and README.txt "
        "(scanned: no reference solution in it)."
    )
    return 0
