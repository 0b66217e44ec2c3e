"""Self-study in JupyterLab: the learner's own copy of the notebooks, and the server that opens it.

`notebooks/` holds the tracked student versions, which `course.py generate` rewrites; a learner
never works there.  `course.py lab` copies each student notebook into the learner's folder
(`my-notebooks/` at the repository root, which git ignores; `DL_FOUNDATIONS_MY_NOTEBOOKS` chooses
another) the first time it is missing, never over an existing one, and opens JupyterLab on that
folder.  Answers, saves and `.ipynb_checkpoints` therefore stay out of the tracked files.
`course.py reset NAME` starts one exercise or one notebook afresh, keeping the previous file.

Self-study shows none of nbgrader's instructor tools: `tools/jupyter_selfstudy/` (put on
`JUPYTER_CONFIG_PATH`) disables nbgrader's JupyterLab extension (its menu, Formgrader, Course List,
Assignment List, Create Assignment, Validate) and its server extensions, so nothing writes
`gradebook.db` or looks for an exchange.  `course.py lab --instructor` opens the repository with
all of them, as plain `jupyter lab` does.  In both, `tools/jupyter_selfstudy/data/` (put on
`JUPYTER_PATH`) holds the python3 kernel as ipykernel installs it with its own log quiet, so that
opening a notebook prints no kernel warning under the start message, and the course's JupyterLab
extension `dl-foundations-validate`, which rewords nbgrader's Validate success ("passes all the
tests") as what it checked: the visible checks, the hidden tests running at grading.
"""

from __future__ import annotations

import filecmp
import os
import secrets
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from grading.cells import nbgrader_meta

from . import notebooks

SELFSTUDY_CONFIG = notebooks.ROOT / "tools" / "jupyter_selfstudy"
SELFSTUDY_DATA = SELFSTUDY_CONFIG / "data"
STARTUP_SECONDS = 120  # a first start on a busy machine builds JupyterLab's caches


def my_notebooks(language: str = "en") -> Path:
    """The learner's folder: `DL_FOUNDATIONS_MY_NOTEBOOKS`, else `my-notebooks/` in the repository.

    Another edition than English gets a folder of its own beside it (`my-notebooks-ko/`).
    """
    folder = Path(os.environ.get("DL_FOUNDATIONS_MY_NOTEBOOKS", notebooks.ROOT / "my-notebooks")).resolve()
    return folder if language == "en" else folder.with_name(f"{folder.name}-{language}")


def student_files(source: Path | None = None) -> list[Path]:
    """Every file of the student versions in `source` (notebooks/), relative to it; hidden files left out."""
    source = source or notebooks.NOTEBOOKS
    return sorted(
        path.relative_to(source)
        for path in source.rglob("*")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(source).parts)
    )


def ensure_copy(folder: Path, source: Path | None = None) -> list[Path]:
    """Copy into `folder` each student file of `source` (notebooks/) it lacks; never overwrite one.  Returns the
    files copied."""
    source = source or notebooks.NOTEBOOKS
    copied = []
    for relative in student_files(source):
        target = folder / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / relative, target)
            copied.append(relative)
    return copied


def keep_previous(path: Path) -> Path:
    """Move `path` aside as `<name>.before-reset-<time><suffix>` next to it, and return the new path."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.stem}.before-reset-{stamp}{path.suffix}")
    path.replace(kept)
    return kept


def answer_cells(path: Path) -> dict:
    """`{exercise name: cell}` for the answer cells of a notebook (nbgrader `solution` cells)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return {
        nbgrader_meta(cell)["grade_id"]: cell
        for cell in nb.cells
        if cell.cell_type == "code" and nbgrader_meta(cell).get("solution")
    }


def holds_learner_work(path: Path) -> bool:
    """Whether a student notebook has been worked in: a cell has run (outputs, a count) or an answer is written.

    A student version as nbgrader writes it has neither: no outputs, and every answer cell still
    holds its stub (`notebooks.ANSWER_STUB`).
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    ran = any(cell.get("outputs") or cell.get("execution_count") for cell in nb.cells if cell.cell_type == "code")
    return ran or not all(still_a_stub(cell.source) for cell in answer_cells(path).values())


def still_a_stub(source: str) -> bool:
    """Whether an answer cell still holds nbgrader's stub lines (at any indentation)."""
    lines = {line.strip() for line in source.splitlines()}
    return all(line in lines for line in notebooks.ANSWER_STUB.splitlines())


def reset(name: str, folder: Path, source: Path | None = None) -> str:
    """Start an exercise (by its name) or a notebook (by its assignment folder) afresh in `folder`.

    `source` is the edition's student folder (notebooks/, or ko/notebooks/).  The learner's previous
    file is kept beside it (see `keep_previous`); returns what was done.
    """
    import nbformat

    source = source or notebooks.NOTEBOOKS
    ensure_copy(folder, source)
    assignment = [p for p in student_files(source) if p.parts[0] == name and p.suffix == ".ipynb"]
    if assignment:
        lines = []
        for relative in assignment:
            if filecmp.cmp(folder / relative, source / relative, shallow=False):
                lines.append(f"{relative} is untouched: nothing to reset")
                continue
            kept = keep_previous(folder / relative)
            shutil.copy2(source / relative, folder / relative)
            lines.append(f"{relative} starts afresh; your previous version is {kept.relative_to(folder)}")
        return "\n".join(lines)
    for relative in (p for p in student_files(source) if p.suffix == ".ipynb"):
        stubs = answer_cells(source / relative)
        if name in stubs:
            mine = nbformat.read(folder / relative, as_version=4)
            for cell in mine.cells:
                if nbgrader_meta(cell).get("grade_id") == name:
                    cell.source, cell.outputs, cell.execution_count = stubs[name].source, [], None
            kept = keep_previous(folder / relative)
            nbformat.write(mine, folder / relative)
            return (
                f"{name} in {relative} is back to its stub; your previous version is "
                f"{kept.relative_to(folder)}.\nIf the notebook is open in JupyterLab, reload it "
                f"(File > Reload Notebook from Disk) before saving."
            )
    known = sorted({p.parts[0] for p in student_files(source)})
    raise ValueError(f"{name!r} is neither an exercise nor an assignment; assignments: {', '.join(known)}")


def lab_command(root: Path, open_path: str, extra: list[str]) -> list[str]:
    """The JupyterLab command: quiet log (warnings and errors only), one Ctrl-C stops it."""
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.log_level=WARN",
        "--LabApp.log_level=WARN",
        "--ServerApp.answer_yes=True",
        *extra,
    ]
    if open_path:
        command.append(f"--LabApp.default_url=/lab/tree/{open_path}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # classroom containers often run as root; Jupyter refuses without this
    return command


def lab_environment(instructor: bool) -> dict:
    """The server's environment: its token, and for self-study the config that leaves nbgrader's tools out."""
    env = notebooks.subprocess_env()
    # A token of our own: Jupyter then prints no banner of URLs, and the start message gives the one to open.
    env.setdefault("JUPYTER_TOKEN", secrets.token_hex(24))
    # The python3 kernel as ipykernel installs it, with its own log quiet (its start-up warning that it
    # talks TCP unencrypted, on this machine only, would print a line per notebook opened); errors still show.
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(SELFSTUDY_DATA), env.get("JUPYTER_PATH", "")) if p)
    if not instructor:
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
            p for p in (str(SELFSTUDY_CONFIG), env.get("JUPYTER_CONFIG_PATH", "")) if p
        )
    return env


def server_url(process: subprocess.Popen, timeout: float = STARTUP_SECONDS) -> str | None:
    """The URL (with its token) of the JupyterLab server `process` runs, once it serves; None if it stopped."""
    import json

    from jupyter_core.paths import jupyter_runtime_dir

    info = Path(jupyter_runtime_dir()) / f"jpserver-{process.pid}.json"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if info.exists():
            try:
                details = json.loads(info.read_text())
            except ValueError:  # written as we read it
                details = None
            if details:
                return f"{details['url'].rstrip('/')}/lab?token={details['token']}"
        time.sleep(0.2)
    return None


def start_message(folder: Path, url: str, instructor: bool) -> str:
    where = (
        "the repository, with nbgrader's instructor tools"
        if instructor
        else f"your own copy of the notebooks, {folder}\n"
        "(your answers are saved there; the tracked student notebooks are never changed)"
    )
    return f"JupyterLab is running on {where}.\nStop it with Ctrl-C in this window.\nOpen {url}"


def wait_through_ctrl_c(process: subprocess.Popen) -> int:
    """Wait for `process`; a Ctrl-C reaches it too, so wait on while it shuts down."""
    while True:
        try:
            return process.wait()
        except KeyboardInterrupt:
            continue


def run_lab(args: list[str], language: str = "en", source: Path | None = None) -> int:
    """`course.py lab [--instructor] [JupyterLab options]`: start JupyterLab and say where and how to stop.

    `source` is the edition's student folder (notebooks/, or ko/notebooks/ for `--lang ko`).
    """
    source = source or notebooks.NOTEBOOKS
    instructor = "--instructor" in args
    extra = [a for a in args if a != "--instructor"]
    if instructor:
        folder = notebooks.ROOT
        command = lab_command(folder, str(source.relative_to(notebooks.ROOT)), extra)
    else:
        folder = my_notebooks(language)
        copied = ensure_copy(folder, source)
        if copied:
            print(f"Copied {len(copied)} student files into {folder} (made once; never overwritten).")
        command = lab_command(folder, "", extra)
    print("Starting JupyterLab ...", flush=True)
    process = subprocess.Popen(command, env=lab_environment(instructor))
    try:
        url = server_url(process)
        if url:
            print(start_message(folder, url, instructor), flush=True)
    except KeyboardInterrupt:
        pass
    status = wait_through_ctrl_c(process)
    if not instructor:
        print(f"JupyterLab stopped. Your work is in {folder}.")
    return status


def run_reset(args: list[str]) -> int:
    """`course.py reset [--lang ko] NAME`: an exercise (describe_tensor) or a notebook (01_tensors) starts afresh
    in the learner's copy of that edition."""
    from . import korean

    language, args = korean.language_option(args)
    if len(args) != 1:
        print("Name one exercise (such as describe_tensor) or one assignment (such as 01_tensors).", file=sys.stderr)
        return 2
    try:
        print(reset(args[0], my_notebooks(language), korean.edition_notebooks(language)[0]))
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    return 0
