"""The check messages speak English by default and Korean in the Korean edition, from gettext catalogues.

The catalogue `checks/locale/ko/LC_MESSAGES/checks.po` holds every `_()`-marked message of `checks/`
(extracted with Babel), each translated; the compiled `checks.mo` that students' installs read is
the compilation of that `.po`.  The language changes only when told (`use_language`, or the Korean
course's `DL_FOUNDATIONS_LANGUAGE`), never from the machine's locale.
"""

import ast
import os
import re
import subprocess
import sys

import pytest

from checks import i18n
from tools import korean, notebooks


def in_fresh_python(code, **env):
    """Run `code` in a new interpreter (the language is chosen when `checks` is imported) and return stdout."""
    environment = {k: v for k, v in os.environ.items() if k != i18n.LANGUAGE_VARIABLE}
    environment.update(env)
    environment["PYTHONPATH"] = str(notebooks.ROOT) + os.pathsep + environment.get("PYTHONPATH", "")
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, cwd=notebooks.ROOT, check=True
    )
    return result.stdout.strip()


def test_the_korean_catalogue_has_every_marked_message_translated():
    catalogue = korean.updated_check_messages()
    untranslated = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy)]
    assert not untranslated, (
        f"check messages without Korean (run `python3 course.py korean`, then translate): {untranslated}"
    )
    po_path, _ = korean.check_messages_paths()
    committed = {m.id: m.string for m in korean.read_catalogue(po_path) if m.id}
    assert committed == {m.id: m.string for m in catalogue if m.id}, (
        "checks.po is stale: run `python3 course.py korean`"
    )


def test_the_compiled_catalogue_is_the_committed_po():
    po_path, mo_path = korean.check_messages_paths()
    assert mo_path.read_bytes() == korean.mo_bytes(korean.read_catalogue(po_path)), (
        "checks.mo is stale: run `python3 course.py korean`"
    )


def a_translated_message():
    translated = [m for m in korean.read_catalogue(korean.check_messages_paths()[0]) if m.id and m.string]
    if not translated:
        pytest.skip("no check message is marked for translation yet")
    return translated[0]


def show(message):
    return f"from checks import i18n; print(i18n._({message.id!r}))"


def test_english_is_the_default_whatever_the_locale():
    message = a_translated_message()
    korean_locale = {"LANG": "ko_KR.UTF-8", "LANGUAGE": "ko", "LC_ALL": "ko_KR.UTF-8", "LC_MESSAGES": "ko_KR.UTF-8"}
    assert in_fresh_python(show(message), **korean_locale) == message.id.strip()


def test_korean_when_the_korean_edition_asks():
    message = a_translated_message()
    selected = "from checks import i18n; i18n.use_language('ko'); " + show(message).split("; ", 1)[1]
    assert in_fresh_python(selected) == message.string.strip()
    assert in_fresh_python(show(message), DL_FOUNDATIONS_LANGUAGE="ko") == message.string.strip()


def test_an_unknown_language_is_refused_clearly():
    with pytest.raises(ValueError, match="available: en, ko"):
        i18n.use_language("xx")


# ------------------------------------------------------------------ every message a learner can see is marked

# Owned by another part of the work (the hidden tests' messages); its messages are marked there.
NOT_SCANNED = ("hidden.py",)
# Strings with three words that are not messages, with the reason.
NOT_MESSAGES = {
    r"name '(\w+)' is not defined": "a pattern that reads Python's own NameError message",
    "evaluate, batch_size=3": "a key of the frozen data (checks/frozen/keras_from_scratch.json)",
    "evaluate(x, y)": "a call, shown as code",
    "evaluate(x, y, batch_size=3)": "a call, shown as code",
}
# Calls whose string arguments are keys of the frozen data (checks/frozen/), not sentences.
DATA_KEY_CALLS = ("expected", "_observed", "frozen_label")
PROSE = re.compile(r"[A-Za-z']+,? [A-Za-z']+")  # two words in a row: a sentence, not code


def _marked_or_displayed(tree) -> set:
    """The ids of the string nodes that reach the learner translated: inside `_()`/`ngettext()`, or a case
    or property label or a hint (extracted by `tools.korean.displayed_literals` and shown through `_()`)."""
    covered = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        pieces = []
        if name in ("_", "ngettext"):
            pieces = node.args
        elif name in korean.LABELLED_CALLS and node.args:
            pieces = node.args[:1]
        elif name in DATA_KEY_CALLS:
            pieces = list(node.args)
        pieces += [k.value for k in node.keywords if k.arg in korean.TEXT_KEYWORDS]
        covered |= {id(n) for piece in pieces for n in ast.walk(piece)}
    return covered


def _data_keys(tree) -> set:
    """The ids of the strings used as dict keys or subscripts (`{"weights after fit": ...}`, `d["loss"]`)."""
    keys = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys |= {id(k) for k in node.keys if k is not None}
        elif isinstance(node, ast.Subscript):
            keys.add(id(node.slice))
    return keys


def _docstrings(tree) -> set:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def unmarked_messages(source: str) -> list:
    """`(line, text)` of every sentence in a checks module that a learner could read untranslated: a string or
    f-string holding prose that is neither a docstring nor marked with `_()` nor a label or hint."""
    tree = ast.parse(source)
    covered, docstrings = _marked_or_displayed(tree) | _data_keys(tree), _docstrings(tree)
    inside_fstrings = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
    found = []
    for node in ast.walk(tree):
        if id(node) in covered or id(node) in docstrings or id(node) in inside_fstrings:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if PROSE.search(text) and text not in NOT_MESSAGES:
            found.append((node.lineno, text))
    return found


def checks_modules():
    return [p for p in sorted((notebooks.ROOT / "checks").glob("*.py")) if p.name not in NOT_SCANNED]


@pytest.mark.parametrize("path", checks_modules(), ids=lambda p: p.name)
def test_every_message_a_learner_can_see_is_marked_for_translation(path):
    unmarked = unmarked_messages(path.read_text(encoding="utf-8"))
    assert not unmarked, (
        f"{path.name}: messages a learner can read that gettext cannot translate (mark them "
        '`_("... {name} ...").format(name=...)`, then `python3 course.py korean`): '
        + "; ".join(f"line {line}: {text!r}" for line, text in unmarked)
    )


def test_the_scan_finds_an_unmarked_message_and_an_f_string():
    source = (
        "from .i18n import _\n"
        "def verdict(out):\n"
        "    if out is None:\n"
        '        return "it gave back nothing at all"\n'
        "    if out < 0:\n"
        '        return f"the value {out} is below zero"\n'
        '    return _("this one is marked") or "x.y(z)"\n'
    )
    assert unmarked_messages(source) == [(4, "it gave back nothing at all"), (6, "the value {} is below zero")]
