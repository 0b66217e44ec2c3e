"""The check messages speak English by default and Korean in the Korean edition, from gettext catalogues.

The catalogue `checks/locale/ko/LC_MESSAGES/checks.po` holds every `_()`-marked message of `checks/`
(extracted with Babel), each translated; the compiled `checks.mo` that students' installs read is
the compilation of that `.po`.  The language changes only when told (`use_language`, or the Korean
course's `DL_FOUNDATIONS_LANGUAGE`), never from the machine's locale.
"""
import os
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
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment,
                            cwd=notebooks.ROOT, check=True)
    return result.stdout.strip()


def test_the_korean_catalogue_has_every_marked_message_translated():
    catalogue = korean.updated_check_messages()
    untranslated = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy)]
    assert not untranslated, f"check messages without Korean (run `python3 course.py korean`, then translate): {untranslated}"
    po_path, _ = korean.check_messages_paths()
    committed = {m.id: m.string for m in korean.read_catalogue(po_path) if m.id}
    assert committed == {m.id: m.string for m in catalogue if m.id}, "checks.po is stale: run `python3 course.py korean`"


def test_the_compiled_catalogue_is_the_committed_po():
    po_path, mo_path = korean.check_messages_paths()
    assert mo_path.read_bytes() == korean.mo_bytes(korean.read_catalogue(po_path)), \
        "checks.mo is stale: run `python3 course.py korean`"


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
