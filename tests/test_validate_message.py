"""nbgrader's Validate button says what it checked, through the course's own small JupyterLab extension.

nbgrader's extension ends a passing validation with "Success! Your notebook passes all the tests.",
though a student version holds only the visible checks.  `tools/jupyter_selfstudy/data/labextensions/
dl-foundations-validate` rewords that sentence in the dialog (tests/test_browser.py clicks Validate and
reads the new one).  These tests hold the extension to what it relies on: nbgrader's shipped sentence and
the dialog's `validation-success` box, and JupyterLab finding the extension where `course.py lab` points it.
"""

import glob
import re
from pathlib import Path

import nbformat
from jupyter_core.paths import jupyter_path

from tools import korean, selfstudy

EXTENSION = selfstudy.SELFSTUDY_DATA / "labextensions" / "dl-foundations-validate"
SCRIPT = EXTENSION / "static" / "remoteEntry.js"


def script_constant(name: str) -> str:
    return re.search(rf'var {name} = "([^"]+)";', SCRIPT.read_text(encoding="utf-8")).group(1)


def nbgrader_extension_code() -> str:
    """The JavaScript of nbgrader's JupyterLab extension, as installed in this environment."""
    folders = [Path(p) / "@jupyter" / "nbgrader" / "static" for p in jupyter_path("labextensions")]
    files = [f for folder in folders for f in glob.glob(str(folder / "*.js"))]
    assert files, f"nbgrader's JupyterLab extension is not installed (looked in {folders})"
    return "".join(Path(f).read_text(encoding="utf-8") for f in files)


def test_nbgrader_still_shows_the_sentence_the_extension_rewords_in_its_success_box():
    code = nbgrader_extension_code()
    sentence = script_constant("NBGRADER_SUCCESS")
    assert f'innerText="{sentence}"' in code, "nbgrader's Validate sentence changed: update remoteEntry.js"
    success_branch = code[code.index(sentence) : code.index(sentence) + 200]
    assert 'classList.add("validation-success")' in success_branch


def test_the_new_sentence_claims_only_the_visible_checks():
    message = script_constant("MESSAGE")
    assert "visible checks" in message and "hidden tests" in message and "all the tests" not in message


def test_the_korean_edition_gets_the_sentence_in_korean_in_the_feedbacks_words():
    """A Korean notebook (its `language_edition` metadata, which every Korean student version carries) gets
    MESSAGE_KO, in the words of the Korean check messages: "눈에 보이는 확인" (visible checks) and "비공개 테스트"
    (hidden tests), as a Korean student's feedback says them.  Fails on the extension that spoke English only."""
    message = script_constant("MESSAGE_KO")
    catalogue = {m.id: m.string for m in korean.read_catalogue(korean.check_messages_paths()[0]) if m.id}
    for english, words in (("visible checks", "눈에 보이는 확인"), ("hidden test", "비공개 테스트")):
        assert words in message and any(english in k and words in v for k, v in catalogue.items()), words
    script = SCRIPT.read_text(encoding="utf-8")
    assert 'getMetadata("language_edition")' in script and 'edition.language === "ko"' in script
    for student_version in sorted((korean.COURSE / "notebooks").glob("*/*.ipynb")):
        edition = nbformat.read(student_version, as_version=4).metadata.get("language_edition", {})
        assert edition.get("language") == "ko", f"{student_version} does not say it is the Korean edition"


def test_jupyterlab_finds_the_extension_in_course_py_lab_instructor(monkeypatch):
    """Where nbgrader's Validate button is shown (self-study leaves nbgrader's extension out): JupyterLab's
    server lists the extensions it finds on the Jupyter path `course.py lab --instructor` sets."""
    from jupyterlab_server.config import get_federated_extensions

    env = selfstudy.lab_environment(instructor=True)
    monkeypatch.setenv("JUPYTER_PATH", env["JUPYTER_PATH"])
    found = get_federated_extensions(jupyter_path("labextensions"))
    assert "dl-foundations-validate" in found and "@jupyter/nbgrader" in found
    build = found["dl-foundations-validate"]["jupyterlab"]["_build"]
    assert Path(found["dl-foundations-validate"]["ext_path"]) / build["load"] == SCRIPT and SCRIPT.exists()
    assert build["extension"] == "./extension" and '"./extension": function' in SCRIPT.read_text()
