"""course.py's commands: the headless run, the learner's own copy and `reset`, and the lab's two modes."""

import os
from pathlib import Path

import nbformat
import pytest

from tools import commands, notebooks, selfstudy


def write_notebook(path, source):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)


@pytest.fixture
def solutions(tmp_path, monkeypatch):
    monkeypatch.setattr(notebooks, "SOLUTIONS", tmp_path)
    return tmp_path


def test_headless_run_reports_each_notebook_and_a_total(solutions, capfd):
    """One line per notebook and a total, and nothing else: not even the kernels' own log lines."""
    write_notebook(solutions / "01_fine" / "fine.ipynb", "print(1 + 1)")
    write_notebook(solutions / "02_broken" / "broken.ipynb", "1 / 0")
    status = commands.run_headless([])
    out, err = capfd.readouterr()
    lines = out.splitlines()
    assert status == 1
    assert err == "" and len(lines) == 3
    assert lines[0].startswith("ok") and "01_fine/fine.ipynb" in lines[0] and lines[0].endswith(" s")
    assert lines[1].startswith("FAILED") and "ZeroDivisionError" in lines[1]
    assert lines[2].startswith("1 of 2 notebooks ran clean in")


def test_headless_run_of_chosen_assignments_only(solutions, capsys):
    write_notebook(solutions / "01_fine" / "fine.ipynb", "x = 1")
    write_notebook(solutions / "02_broken" / "broken.ipynb", "1 / 0")
    assert commands.run_headless(["01_fine"]) == 0
    assert "1 of 1 notebooks ran clean" in capsys.readouterr().out


def test_unknown_command_is_refused(capsys):
    assert commands.dispatch(["nonsense"]) == 2
    assert "choose one of" in capsys.readouterr().err


def answer_notebook(path, answers):
    """A student notebook with one answer cell (nbgrader metadata) per exercise name -> source."""
    cells = [
        nbformat.v4.new_code_cell(source, metadata={"nbgrader": {"grade_id": name, "solution": True}})
        for name, source in answers.items()
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


@pytest.fixture
def student_versions(tmp_path, monkeypatch):
    """notebooks/ with one assignment of two exercises, and an empty learner's folder beside it."""
    released = tmp_path / "notebooks"
    stub = "def f():\n    " + notebooks.ANSWER_STUB.replace("\n", "\n    ")
    answer_notebook(released / "01_intro" / "intro.ipynb", {"f": stub, "g": stub.replace("f()", "g()")})
    (released / "01_intro" / ".ipynb_checkpoints").mkdir()
    (released / "01_intro" / ".ipynb_checkpoints" / "intro-checkpoint.ipynb").write_text("{}")
    monkeypatch.setattr(notebooks, "NOTEBOOKS", released)
    return tmp_path / "mine"


def answers_in(path):
    return {name: cell.source for name, cell in selfstudy.answer_cells(path).items()}


def test_the_learners_copy_is_made_once_and_never_overwritten(student_versions):
    mine = student_versions
    assert selfstudy.ensure_copy(mine) == [selfstudy.Path("01_intro/intro.ipynb")]
    assert not (mine / "01_intro" / ".ipynb_checkpoints").exists()
    answer_notebook(mine / "01_intro" / "intro.ipynb", {"f": "def f():\n    return 1", "g": "def g():\n    return 2"})
    assert selfstudy.ensure_copy(mine) == []
    assert answers_in(mine / "01_intro" / "intro.ipynb")["f"] == "def f():\n    return 1"
    assert selfstudy.holds_learner_work(mine / "01_intro" / "intro.ipynb")
    assert not selfstudy.holds_learner_work(notebooks.NOTEBOOKS / "01_intro" / "intro.ipynb")


def test_reset_brings_one_exercise_back_to_its_stub_and_keeps_the_rest(student_versions):
    mine = student_versions
    answer_notebook(mine / "01_intro" / "intro.ipynb", {"f": "def f():\n    return 1", "g": "def g():\n    return 2"})
    message = selfstudy.reset("f", mine)
    answers = answers_in(mine / "01_intro" / "intro.ipynb")
    assert notebooks.ANSWER_STUB.splitlines()[-1] in answers["f"] and answers["g"] == "def g():\n    return 2"
    kept = [p for p in (mine / "01_intro").glob("intro.before-reset-*.ipynb")]
    assert len(kept) == 1 and kept[0].name in message
    assert answers_in(kept[0])["f"] == "def f():\n    return 1"


def test_reset_of_a_notebook_starts_it_afresh_and_keeps_the_old_one(student_versions):
    mine = student_versions
    assert "untouched" in selfstudy.reset("01_intro", mine)
    answer_notebook(mine / "01_intro" / "intro.ipynb", {"f": "def f():\n    return 1", "g": "def g():\n    return 2"})
    selfstudy.reset("01_intro", mine)
    assert not selfstudy.holds_learner_work(mine / "01_intro" / "intro.ipynb")
    assert len(list((mine / "01_intro").glob("intro.before-reset-*.ipynb"))) == 1
    with pytest.raises(ValueError, match="neither an exercise nor an assignment; assignments: 01_intro"):
        selfstudy.reset("nonsense", mine)


def test_reset_lang_ko_works_in_the_korean_copy_from_the_korean_student_versions(student_versions, monkeypatch):
    """`course.py reset --lang ko NAME` resets in my-notebooks-ko/ from ko/notebooks/, and leaves the English copy."""
    from tools import korean

    korean_versions = student_versions.parent / "ko-notebooks"
    stub = "def f():\n    # 한국어판\n    " + notebooks.ANSWER_STUB.replace("\n", "\n    ")
    answer_notebook(korean_versions / "01_intro" / "intro.ipynb", {"f": stub})
    monkeypatch.setattr(korean, "STUDENT_NOTEBOOKS", korean_versions)
    monkeypatch.setenv("DL_FOUNDATIONS_MY_NOTEBOOKS", str(student_versions))
    mine_ko = student_versions.with_name("mine-ko")
    answer_notebook(mine_ko / "01_intro" / "intro.ipynb", {"f": "def f():\n    return 1"})
    assert selfstudy.run_reset(["--lang", "ko", "f"]) == 0
    assert answers_in(mine_ko / "01_intro" / "intro.ipynb")["f"] == stub
    assert not student_versions.exists(), "the English copy was touched"


def test_self_study_leaves_nbgrader_out_and_instructors_keep_it(monkeypatch):
    """Self-study puts the config that disables nbgrader's extensions first on Jupyter's config path."""
    monkeypatch.delenv("JUPYTER_CONFIG_PATH", raising=False)
    config = selfstudy.lab_environment(instructor=False)["JUPYTER_CONFIG_PATH"].split(os.pathsep)
    assert config[0] == str(selfstudy.SELFSTUDY_CONFIG)
    page = (selfstudy.SELFSTUDY_CONFIG / "labconfig" / "page_config.json").read_text()
    server = (selfstudy.SELFSTUDY_CONFIG / "jupyter_server_config.json").read_text()
    assert '"@jupyter/nbgrader": true' in page and server.count(": false") == 4
    assert "JUPYTER_CONFIG_PATH" not in selfstudy.lab_environment(instructor=True)


@pytest.fixture
def fake_venv(tmp_path, monkeypatch):
    """course.py's set-up against a copy of the requirements files and a venv whose pip only records its calls."""
    import course

    for name in {name for command in ("lab", *course.EXTRA_REQUIREMENTS) for name in course.install_inputs(command)}:
        (tmp_path / name).write_bytes((course.ROOT / name).read_bytes())
    monkeypatch.setattr(course, "ROOT", tmp_path)
    monkeypatch.setattr(course, "VENV", tmp_path / "venv")
    course.venv_python().parent.mkdir(parents=True)
    course.venv_python().touch()
    installs = []

    def pip(command, check):
        installs.append(sorted(Path(arg).name for arg in command if tmp_path in (Path(arg), Path(arg).parent)))

    monkeypatch.setattr(course.subprocess, "run", pip)
    return course, installs


def test_each_command_installs_the_requirements_it_needs_and_no_more():
    import course

    assert course.install_inputs("lab") == ("requirements.txt", "pyproject.toml")
    assert set(course.install_inputs("test")) >= {"requirements-dev.txt", "requirements-grading.txt"}
    for command in ("grade", "benchmark"):
        assert set(course.install_inputs(command)) - {"requirements.txt", "pyproject.toml"} == {
            "requirements-grading.txt"
        }
    learners = (course.ROOT / "requirements.txt").read_text()
    assert "pytest" not in learners and "ruff" not in learners, "the learner's install holds the tests' tools"
    for command in course.EXTRA_REQUIREMENTS:
        assert command in commands.COMMANDS, f"course.py names an unknown command {command!r}"


def test_set_up_installs_once_and_again_when_any_requirements_file_changes(fake_venv):
    course, installs = fake_venv
    course.ensure_environment("lab")
    assert installs == [["requirements.txt"], [course.ROOT.name]]  # the learner's set, then the repository
    installs.clear()
    course.ensure_environment("lab")
    assert installs == []
    course.ensure_environment("test")
    assert installs[0] == ["requirements-dev.txt", "requirements-grading.txt", "requirements.txt"]
    installs.clear()
    course.ensure_environment("lab")  # what test installed serves lab too
    course.ensure_environment("grade")
    assert installs == []
    for name in ("requirements.txt", "pyproject.toml", "requirements-dev.txt", "requirements-grading.txt"):
        with open(course.ROOT / name, "a") as file:
            file.write("\n# changed\n")
        course.ensure_environment("test")
        assert installs, f"a change to {name} did not install again"
        installs.clear()
    (course.ROOT / "requirements-grading.txt").write_text("# changed again\n")
    course.ensure_environment("lab")
    assert installs == [], "lab reinstalled for a file it does not need"
    course.ensure_environment("grade")
    assert installs and "requirements-grading.txt" in installs[0]


def test_an_older_stamp_or_another_python_means_install_again(fake_venv, monkeypatch):
    course, installs = fake_venv
    (course.VENV / course.STAMP_NAME).write_text("0123abcd")  # the single digest of earlier versions
    course.ensure_environment("lab")
    assert installs
    installs.clear()
    monkeypatch.setattr(course.sys, "version", course.sys.version + " (another build)")
    course.ensure_environment("lab")
    assert installs
