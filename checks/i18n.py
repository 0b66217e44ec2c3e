"""The language of the check messages, hints and solution commentary: English unless told otherwise.

Messages are marked in the sources with `_("...")` (gettext).  Their Korean lives in
`checks/locale/ko/LC_MESSAGES/checks.po`, edited by translators; `python3 course.py korean` extracts
the marked messages, updates that catalogue and compiles it to `checks.mo` with Babel, and this
module reads the compiled file with the standard library's `gettext`, so a student install needs no
Babel.

Nothing on the learner's side chooses the language, not even the machine's locale.  It changes only:
- in the Korean notebooks, whose locked cell `i18n.use_language("ko")` runs before any check module
  is imported (hints and case descriptions are translated when their module is imported);
- in the Korean nbgrader course (`ko/nbgrader_config.py`), which sets `DL_FOUNDATIONS_LANGUAGE=ko`
  for the grader, so that the feedback of a Korean class is in Korean too.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "checks"
LANGUAGE_VARIABLE = "DL_FOUNDATIONS_LANGUAGE"
ENGLISH = "en"

_translation: gettext.NullTranslations = gettext.NullTranslations()


def available_languages() -> list[str]:
    """English, and every language with a compiled catalogue under `checks/locale/`."""
    compiled = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return [ENGLISH, *compiled]


def use_language(language: str) -> None:
    """Show the check messages in `language` from now on ("en" or a code of `available_languages()`)."""
    global _translation
    if language == ENGLISH:
        _translation = gettext.NullTranslations()
        return
    if language not in available_languages():
        raise ValueError(
            _("no check messages in {language!r}; available: {available}").format(
                language=language, available=", ".join(available_languages())
            )
        )
    _translation = gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[language])


def _(message: str) -> str:
    """`message` in the current language (itself when it has no translation)."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for `count`, in the current language."""
    return _translation.ngettext(singular, plural, count)


use_language(os.environ.get(LANGUAGE_VARIABLE) or ENGLISH)
