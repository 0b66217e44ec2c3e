"""Self-study as a learner meets it, in a real browser: `course.py lab`, then notebook 01 in JupyterLab.

One JupyterLab is started exactly as `python3 course.py lab` starts it (the same command, on a
learner's copy made in a temporary folder, so that no real learner's work is touched) and driven
with Playwright in Debian's Chromium.  The steps run in order on one page:

1. Run All with every answer still a stub reaches the last cell; the checks fail visibly;
2. a wrong `describe_tensor` gets its message: what was expected, what came back, and a hint;
3. a right one gets the ✔;
4. none of nbgrader's instructor tools is on screen or served, and the server wrote no gradebook
   and logged no exchange error;
5. Ctrl-C stops the server with its goodbye line.

A Korean learner's test starts `python3 course.py lab --lang ko` (its own learner's copy,
`my-notebooks-ko/`) and, in the same Chromium, opens the Korean notebook 01: the prose is Korean,
a wrong `describe_tensor` gets its check message and its hint in Korean, a right one gets the ✔.

A third test starts `course.py lab --instructor`, finds Formgrader served there, and clicks nbgrader's
Validate on a notebook whose test cell passes: the dialog says that the visible checks pass and that
the hidden tests run at grading (the course's extension, see tests/test_validate_message.py), not
nbgrader's "passes all the tests".  The three tests share one Chromium; each starts its own server.

Screenshots of each step go to `artifacts/browser/` (git ignores `artifacts/`; CI keeps the
folder of its clone), and their paths are printed.  Without Chromium the test is skipped with the
reason shown in pytest's warnings summary (`.ci/run` installs Chromium where apt-get can).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import nbformat
import pytest

from grading.cells import nbgrader_meta
from tools.notebooks import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = ROOT / "artifacts" / "browser"
NOTEBOOK = "01_tensors/tensors.ipynb"
START_SECONDS = 150
RUN_ALL_SECONDS = 120
STEP_MS = 60_000
WRONG_ANSWER = """import numpy as np


def describe_tensor(x):
    array = np.asarray(x)
    return array.ndim, array.shape, array.dtype
"""
RIGHT_ANSWER = WRONG_ANSWER.replace("array.dtype\n", "array.dtype.name\n")
VALIDATE_MESSAGE = "All visible checks pass; the hidden tests run when your work is graded."
VALIDATE_MESSAGE_KO = "눈에 보이는 확인을 모두 통과했습니다. 비공개 테스트는 과제를 채점할 때 실행됩니다."
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# The Korean label of a hint, then the Korean check message for WRONG_ANSWER, as the checks write them
# (their wording may change: the test asserts that the browser shows this very message).
KOREAN_VERDICT = f"""
from checks import i18n
i18n.use_language("ko")
from checks import tensors as q
{WRONG_ANSWER}
print(i18n._("Hint: {{hint}}").split("{{hint}}")[0].strip())
try:
    q.describe_tensor.check(describe_tensor)
except Exception as failure:
    print(failure)
"""
INSTRUCTOR_WORDS = ("Nbgrader", "Formgrader", "Course List", "Assignment List", "Create Assignment", "Validate")

if CHROMIUM is None:
    reason = "no Chromium on this machine (Debian: apt-get install -y chromium); the browser test cannot run"
    warnings.warn(reason, stacklevel=1)
    pytest.skip(reason, allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402  (only once Chromium is known to exist)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    print(f"screenshot: {path}")
    return path


class Lab:
    """`python3 course.py lab` in a process group of its own, on a learner's copy in `folder`.

    With `language="ko"` it is `course.py lab --lang ko`, whose copy goes beside: `<folder>-ko`.
    """

    def __init__(self, folder: Path, log: Path, *options: str, language: str = "en", **environment: str):
        self.folder = folder if language == "en" else folder.with_name(f"{folder.name}-{language}")
        if language != "en":
            options = (*options, "--lang", language)
        self.log_path = log
        # This interpreter's environment is the series' one: course.py runs the command in it directly.
        env = dict(
            os.environ,
            DL_FOUNDATIONS_VENV=sys.prefix,
            DL_FOUNDATIONS_MY_NOTEBOOKS=str(folder),
            PYTHONUNBUFFERED="1",
            **environment,
        )
        self.log = open(log, "w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "course.py"),
                "lab",
                *options,
                "--no-browser",
                f"--ServerApp.port={free_port()}",
                "--ServerApp.port_retries=0",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text()

    def url(self) -> str:
        """The URL the start message ends with, once it is printed."""
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            text = self.output()
            if "Open http" in text:
                return text.rsplit("Open ", 1)[1].split()[0]
            assert self.process.poll() is None, f"course.py lab stopped:\n{text}"
            time.sleep(0.5)
        raise AssertionError(f"course.py lab printed no URL within {START_SECONDS} s:\n{self.output()}")

    def ctrl_c(self) -> int:
        """Send Ctrl-C as a terminal does (to the whole process group) and wait for the exit."""
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
            self.log.close()


def formgrader_status(url: str) -> int:
    """The HTTP status of nbgrader's Formgrader page on the server at `url` (404: not there)."""
    import urllib.error
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        return urllib.request.build_opener(NoRedirect).open(url.replace("/lab?", "/formgrader?"), timeout=60).status
    except urllib.error.HTTPError as error:
        return error.code


def cell_with(page, text: str):
    """The notebook cell whose editor holds `text`."""
    return page.locator(".jp-Notebook .jp-Cell").filter(has=page.locator(".cm-content", has_text=text)).first


@contextlib.contextmanager
def screenshot_if_it_fails(page, name: str):
    """Run the block on `page`: when it raises, the screenshot `name` is taken first; the page is closed either way."""
    try:
        yield page
    except Exception:
        screenshot(page, name)
        raise
    finally:
        page.close()


def replace_source(page, cell, source: str) -> None:
    """Select all of a cell's code and put `source` in its place, as pasted (no auto-indent, no brackets)."""
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(source)


def run_answer_and_check(page, answer_cell, check_cell) -> str:
    """Shift-Enter in the answer cell, then in its check cell; return the check's output text."""
    answer_cell.locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")
    run_cell(page, check_cell)
    return check_cell.locator(".jp-OutputArea").inner_text()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = tmp_path_factory.mktemp("learner") / "my-notebooks"
    server = Lab(folder, folder.parent / "course-lab.log")
    yield server
    if server.process.poll() is None:
        server.ctrl_c()


@pytest.fixture(scope="module")
def browser():
    """One Chromium for every test of the module (a launch costs seconds)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def lab_ko(tmp_path_factory):
    folder = tmp_path_factory.mktemp("learner-ko") / "my-notebooks"
    server = Lab(folder, folder.parent / "course-lab.log", language="ko")
    yield server
    if server.process.poll() is None:
        server.ctrl_c()


def hangul_share(text: str) -> float:
    """The fraction of the letters of `text` that are Hangul syllables."""
    letters = [c for c in text if c.isalpha()]
    return sum(bool(HANGUL.match(c)) for c in letters) / max(1, len(letters))


def run_cell(page, cell) -> None:
    """Shift-Enter in `cell` and wait until it has run (its prompt shows a new number)."""
    cell.locator(".cm-content").click()
    previous = cell.locator(".jp-InputPrompt").inner_text()
    page.keyboard.press("Shift+Enter")
    expect(cell.locator(".jp-InputPrompt")).not_to_have_text(previous, timeout=STEP_MS)
    expect(cell.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"), timeout=STEP_MS)


def open_notebook(browser, url: str, notebook: str):
    """A 1400x900 page on `notebook` of the server at `url`, once its kernel is idle."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(url.replace("/lab?", f"/lab/tree/{notebook}?"))
    expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=STEP_MS)
    expect(page.locator(".jp-StatusBar-Widget", has_text="| Idle")).to_have_count(1, timeout=STEP_MS)
    return page


def test_a_learner_works_through_notebook_01_in_jupyterlab(lab, browser):
    gradebooks_before = {p: p.stat().st_mtime for p in ROOT.glob("gradebook.db")}
    url = lab.url()
    assert (lab.folder / NOTEBOOK).exists(), "course.py lab made no learner's copy"
    message = lab.output().strip().splitlines()
    assert message[-1].startswith("Open http") and "Ctrl-C" in message[-2], message
    assert formgrader_status(url) == 404

    page = open_notebook(browser, url, NOTEBOOK)
    with screenshot_if_it_fails(page, "failed-here"):
        # 1. Run All with stubs reaches the end.
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
        last_prompt = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt").last
        expect(last_prompt).to_have_text(re.compile(r"\[\d+\]"), timeout=RUN_ALL_SECONDS * 1000)
        last_prompt.scroll_into_view_if_needed()
        screenshot(page, "1-run-all-reached-the-last-cell")
        check_cell = cell_with(page, "q.describe_tensor.check(describe_tensor)")
        expect(check_cell.locator(".jp-OutputArea")).to_contain_text("describe_tensor", timeout=STEP_MS)
        check_cell.scroll_into_view_if_needed()
        screenshot(page, "2-check-of-a-stub")
        page.keyboard.press("Control+s")
        expect(page.locator(".jp-mod-dirty")).to_have_count(0, timeout=STEP_MS)
        ran = nbformat.read(lab.folder / NOTEBOOK, as_version=4)
        code = [c for c in ran.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code if c.source.strip()), "Run All left cells unrun"
        failed = [c for c in code if any(o.output_type == "error" for o in c.outputs)]
        checks = [c for c in code if nbgrader_meta(c).get("grade") and ".check(" in c.source]
        assert checks and all(c in failed for c in checks), "every check fails while its answer is a stub"

        # 2. A wrong answer: expected, got, hint.
        answer_cell = cell_with(page, "def describe_tensor")
        replace_source(page, answer_cell, WRONG_ANSWER)
        verdict = run_answer_and_check(page, answer_cell, check_cell)
        for word in ("expected", "got", "hint"):
            assert word in verdict.lower(), f"no {word!r} in the failure message:\n{verdict}"
        check_cell.scroll_into_view_if_needed()
        screenshot(page, "3-wrong-answer")

        # 3. A right answer: the tick.
        replace_source(page, answer_cell, RIGHT_ANSWER)
        verdict = run_answer_and_check(page, answer_cell, check_cell)
        assert "\u2714" in verdict, verdict
        screenshot(page, "4-right-answer")

        # 4. No instructor tools.
        chrome = " ".join(
            text
            for selector in ("#jp-menu-panel", ".jp-NotebookPanel-toolbar")
            for text in page.locator(selector).all_inner_texts()
        )
        tab_titles = page.locator(".jp-SideBar .lm-TabBar-tab").evaluate_all(
            "tabs => tabs.map(t => t.getAttribute('title') || t.textContent)"
        )
        for word in INSTRUCTOR_WORDS:
            assert word not in chrome and not any(word in (t or "") for t in tab_titles), word

    # 5. Ctrl-C stops it; nothing instructor-side happened on the way.
    assert lab.ctrl_c() == 0
    log = lab.output()
    assert "JupyterLab stopped" in log
    assert "Exchange" not in log and "nbgrader" not in log.lower(), log
    assert "[IPKernelApp]" not in log, "the kernel's own log (its TCP warning) reached the terminal"
    assert not list(lab.folder.rglob("gradebook.db"))
    assert {p: p.stat().st_mtime for p in ROOT.glob("gradebook.db")} == gradebooks_before


def test_a_korean_learner_sees_korean_prose_checks_and_hints(lab_ko, browser):
    """`course.py lab --lang ko`: the Korean notebook 01 in the learner's own Korean copy, checks in Korean."""
    url = lab_ko.url()
    copy = lab_ko.folder / NOTEBOOK
    assert copy.read_bytes() == (ROOT / "ko" / "notebooks" / NOTEBOOK).read_bytes(), "not the Korean edition's copy"
    hint_label, *expected = (
        subprocess.run([sys.executable, "-c", KOREAN_VERDICT], cwd=ROOT, capture_output=True, text=True, check=True)
        .stdout.strip()
        .splitlines()
    )
    hints = [line[len(hint_label) :] for line in expected if line.startswith(hint_label)]
    assert hangul_share(hint_label) == 1 and len(hints) == 1 and hangul_share(hints[0]) > 0.5, expected
    assert HANGUL.search(expected[0]), expected

    page = open_notebook(browser, url, NOTEBOOK)
    with screenshot_if_it_fails(page, "ko-failed-here"):
        # Korean prose: the notebook's title and its first paragraph.
        first = page.locator(".jp-MarkdownCell .jp-RenderedMarkdown").first
        expect(first).to_contain_text("01", timeout=STEP_MS)
        assert hangul_share(first.inner_text()) > 0.6, first.inner_text()
        screenshot(page, "ko-1-korean-prose")

        # The edition's language cell, as a learner runs it first (Run All would too).
        run_cell(page, cell_with(page, "i18n.use_language"))

        # A wrong answer: the Korean message, with the expected value, what came back, and the hint.
        check_cell = cell_with(page, "q.describe_tensor.check(describe_tensor)")
        answer_cell = cell_with(page, "def describe_tensor")
        replace_source(page, answer_cell, WRONG_ANSWER)
        verdict = run_answer_and_check(page, answer_cell, check_cell)
        missing = [line.strip() for line in expected if line.strip() not in verdict]
        assert not missing, f"the browser shows no {missing} of the Korean message:\n{verdict}"
        assert "'int64'" in verdict and "expected" not in verdict.lower() and "hint" not in verdict.lower(), verdict
        check_cell.scroll_into_view_if_needed()
        screenshot(page, "ko-2-wrong-answer")

        # A right answer: the tick, with a Korean sentence.
        replace_source(page, answer_cell, RIGHT_ANSWER)
        verdict = run_answer_and_check(page, answer_cell, check_cell)
        assert "\u2714" in verdict and HANGUL.search(verdict), verdict
        screenshot(page, "ko-3-right-answer")
    assert lab_ko.ctrl_c() == 0


def passing_notebook(path: Path, edition: dict | None = None) -> None:
    """A notebook with one graded test cell that passes, for nbgrader's Validate (`edition`: its
    `language_edition` metadata, as the Korean notebooks carry it)."""
    test = nbformat.v4.new_code_cell(
        "assert 1 + 1 == 2",
        metadata={
            "nbgrader": {
                "grade": True,
                "grade_id": "passes",
                "locked": True,
                "points": 1,
                "schema_version": 3,
                "solution": False,
                "task": False,
            }
        },
    )
    nb = nbformat.v4.new_notebook(cells=[test])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    if edition:
        nb.metadata["language_edition"] = edition
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def test_instructors_get_nbgrader_back_and_validate_says_what_it_checked(tmp_path, browser):
    """`course.py lab --instructor` serves Formgrader (the same check that finds none in self-study), and
    nbgrader's Validate button, on a notebook whose test cells pass, says the visible checks pass and the
    hidden tests run at grading (tools/jupyter_selfstudy/data/labextensions/dl-foundations-validate), not
    nbgrader's "passes all the tests"; on a Korean notebook it says so in Korean."""
    server = Lab(
        tmp_path / "my-notebooks",
        tmp_path / "course-lab.log",
        "--instructor",
        DL_FOUNDATIONS_GRADEBOOK=f"sqlite:///{tmp_path / 'gradebook.db'}",
    )
    notebook = ARTIFACTS / "validate-me.ipynb"  # under the server's root (the repository); git ignores it
    korean_notebook = ARTIFACTS / "validate-me-ko.ipynb"
    passing_notebook(notebook)
    passing_notebook(korean_notebook, {"language": "ko"})
    try:
        url = server.url()
        assert "nbgrader's instructor tools" in server.output()
        assert formgrader_status(url) in (200, 302)
        for path, message, shot in (
            (notebook, VALIDATE_MESSAGE, "instructor-validate"),
            (korean_notebook, VALIDATE_MESSAGE_KO, "instructor-validate-ko"),
        ):
            # `reset`: a workspace of its own, so that the notebook opened before is not restored in front
            page = open_notebook(browser, f"{url}&reset", str(path.relative_to(ROOT)))
            with screenshot_if_it_fails(page, f"{shot}-failed-here"):
                page.locator(".jp-NotebookPanel-toolbar").get_by_text("Validate", exact=True).click()
                dialog = page.locator(".jp-Dialog", has_text="Validation Results")
                expect(dialog).to_be_visible(timeout=STEP_MS)
                expect(dialog.locator(".validation-success")).to_have_text(message, timeout=STEP_MS)
                screenshot(page, shot)
                assert "passes all the tests" not in dialog.inner_text()
    finally:
        notebook.unlink()
        korean_notebook.unlink()
        assert server.ctrl_c() == 0
