"""Broken submissions: files and notebooks damaged the ways students damage them.

Unless a fixture says otherwise every answer in it is right, so whatever it loses is lost to the damage.
"""

import json

import nbformat

from . import filled, fixture, meta, to_bytes

ALL_02 = ["relu", "sigmoid", "sigmoid_derivative", "softmax"]


def _index(nb, grade_id):
    return next(i for i, c in enumerate(nb.cells) if meta(c).get("grade_id") == grade_id)


@fixture("invalid_json", "broken", "02_activations", zero=ALL_02, issues=("invalid_json",))
def invalid_json():
    """A right notebook cut off half-way through the file (an interrupted upload): not valid JSON."""
    data = to_bytes(filled("02_activations", "right"))
    return data[: len(data) // 2]


@fixture("other_assignment", "broken", "02_activations", zero=ALL_02, issues=("wrong_notebook",))
def other_assignment():
    """The losses notebook (03, every answer right) submitted as activations.ipynb."""
    return to_bytes(filled("03_losses", "right"))


@fixture("deleted_cells", "broken", "02_activations", full=ALL_02, issues=("restored_cell",))
def deleted_cells():
    """Right answers; the first read-only cell (the imports every answer uses) and `sigmoid_tests` deleted."""
    nb = filled("02_activations", "right")
    first_locked = next(i for i, c in enumerate(nb.cells) if meta(c).get("locked") and not meta(c).get("grade"))
    del nb.cells[_index(nb, "sigmoid_tests")]
    del nb.cells[first_locked]
    return to_bytes(nb)


@fixture("duplicated_cells", "broken", "02_activations", full=ALL_02, issues=("duplicate_cell",))
def duplicated_cells():
    """Right answers in the end: the `relu` answer cell was copied below its test cell and fixed there
    (the copy above the test is still wrong), and `softmax_tests` was duplicated."""
    from .cheats import filled_wrong

    nb = filled("02_activations", "right")
    answer = _index(nb, "relu")
    fixed = nb.cells[answer]
    wrong = json.loads(json.dumps(fixed))
    wrong["source"] = filled_wrong("relu")
    nb.cells[answer] = nbformat.from_dict(wrong)
    nb.cells.insert(_index(nb, "relu_tests") + 1, fixed)
    test = _index(nb, "softmax_tests")
    nb.cells.insert(test + 1, nbformat.from_dict(json.loads(json.dumps(nb.cells[test]))))
    for number, cell in enumerate(nb.cells):
        cell["id"] = f"dup-{number}"
    return to_bytes(nb)


@fixture("changed_grade_ids", "broken", "02_activations", full=ALL_02, issues=("unknown_cell_id",))
def changed_grade_ids():
    """Right answers; the `relu` answer cell's grade_id became `relu_1` and `softmax_tests`' became
    `softmax_tests_copy` (as copying cells in some editors does)."""
    nb = filled("02_activations", "right")
    nb.cells[_index(nb, "relu")].metadata["nbgrader"]["grade_id"] = "relu_1"
    nb.cells[_index(nb, "softmax_tests")].metadata["nbgrader"]["grade_id"] = "softmax_tests_copy"
    return to_bytes(nb)


@fixture("changed_cell_types", "broken", "02_activations", full=ALL_02, issues=("restored_cell",))
def changed_cell_types():
    """Right answers; the test cell `relu_tests` became a markdown cell and the first read-only cell a raw one."""
    nb = filled("02_activations", "right")
    test = nb.cells[_index(nb, "relu_tests")]
    nb.cells[_index(nb, "relu_tests")] = _retyped(test, "markdown")
    first_locked = next(
        i
        for i, c in enumerate(nb.cells)
        if meta(c).get("locked") and not meta(c).get("grade") and c.cell_type == "code"
    )
    nb.cells[first_locked] = _retyped(nb.cells[first_locked], "raw")
    return to_bytes(nb)


@fixture("answer_to_markdown", "broken", "02_activations", full=ALL_02, issues=("answer_not_code",))
def answer_to_markdown():
    """Right answers; the `sigmoid` answer cell was turned into a markdown cell (its text is the code)."""
    nb = filled("02_activations", "right")
    index = _index(nb, "sigmoid")
    nb.cells[index] = _retyped(nb.cells[index], "markdown")
    return to_bytes(nb)


@fixture("changed_kernelspec", "broken", "02_activations", full=ALL_02, issues=("kernelspec",))
def changed_kernelspec():
    """Right answers; the notebook's kernel spec names an R kernel that the grader does not have."""
    nb = filled("02_activations", "right")
    nb.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    nb.metadata["language_info"] = {"name": "R"}
    return to_bytes(nb)


def _retyped(cell, cell_type):
    maker = {"markdown": nbformat.v4.new_markdown_cell, "raw": nbformat.v4.new_raw_cell}[cell_type]
    new = maker(cell.source)
    new.metadata = cell.metadata
    new["id"] = cell.get("id")
    return new


@fixture("list_grade_id", "broken", "02_activations", full=ALL_02, issues=("bad_cell_id",))
def list_grade_id():
    """Right answers; relu's answer cell has a list, not a string, as its nbgrader `grade_id`."""
    nb = filled("02_activations", "right")
    nb.cells[_index(nb, "relu")].metadata["nbgrader"]["grade_id"] = ["relu"]
    return to_bytes(nb)


def _files_named_like_folders(folder, context):
    """Plain files with the names of the folders the grader used to make in the working folder."""
    for name in (".matplotlib", ".ipython", ".tmp", ".course", ".student-process.log"):
        (folder / name).write_text("a file, not a folder")


@fixture("file_named_like_folder", "attack", "02_activations", full=ALL_02, extra=_files_named_like_folders)
def file_named_like_folder():
    """Right answers; beside the notebook, plain files named `.matplotlib`, `.ipython`, `.tmp`, `.course`."""
    return to_bytes(filled("02_activations", "right"))
