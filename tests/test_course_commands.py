"""The headless run prints one line per notebook and a total, and fails when a notebook fails."""
import nbformat
import pytest

from tools import commands, notebooks


def write_notebook(path, source):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)


@pytest.fixture
def solutions(tmp_path, monkeypatch):
    monkeypatch.setattr(notebooks, "SOLUTIONS", tmp_path)
    return tmp_path


def test_headless_run_reports_each_notebook_and_a_total(solutions, capsys):
    write_notebook(solutions / "01_fine" / "fine.ipynb", "print(1 + 1)")
    write_notebook(solutions / "02_broken" / "broken.ipynb", "1 / 0")
    status = commands.run_headless([])
    lines = capsys.readouterr().out.splitlines()
    assert status == 1
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
