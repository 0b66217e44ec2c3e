"""What an instructor hands out (`course.py handout DIR`) holds what students need and no reference solution."""

import ast
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import numpy as np
import pytest

from checks.exercise import reference_source
from grading.cells import nbgrader_meta
from tools import handout


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("handout") / "class"
    return handout.build(folder)


def wheel_of(folder):
    (wheel,) = folder.glob("*.whl")
    return wheel


def disguised(name):
    """The reference solution of exercise `name`, renamed throughout and stripped of its docstring."""
    tree = ast.parse(reference_source(name))
    renames = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            node.name = "helper_" + node.name
            if ast.get_docstring(node):
                node.body = node.body[1:]
        elif isinstance(node, ast.arg):
            node.arg = renames.setdefault(node.arg, f"a{len(renames)}")
        elif isinstance(node, ast.Name) and node.id != "np":
            node.id = renames.setdefault(node.id, f"a{len(renames)}")
    return ast.unparse(tree)


def installed(wheel, target):
    """`target`, once pip has installed `wheel` into it (the wheel alone: no dependencies, no index)."""
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target", str(target)]
    subprocess.run([*command, str(wheel)], check=True)
    return target


def beside_numpy(target):
    """A PYTHONPATH of `target` and NumPy's site-packages: with `python -S` (no site module, so not the
    repository's editable install, a .pth hook) the installed wheel is all there is of the course."""
    return os.pathsep.join([str(target), str(Path(np.__file__).resolve().parent.parent)])


def with_planted_file(folder, tmp_path, name, text):
    """A copy of the handout whose wheel holds one more module."""
    copy = tmp_path / "planted"
    shutil.copytree(folder, copy)
    wheel = wheel_of(copy)
    with zipfile.ZipFile(wheel, "a") as archive:
        archive.writestr(name, text)
    return copy


def test_the_handout_holds_the_student_notebooks_a_wheel_and_instructions(built):
    assignments = sorted(p.name for p in (handout.ROOT / "solutions").iterdir() if p.is_dir())
    assert sorted(p.name for p in (built / "notebooks").iterdir()) == assignments
    readme = (built / "README.txt").read_text()
    assert f"pip install {wheel_of(built).name}" in readme


def test_the_wheel_holds_checks_and_notebook_helpers_only(built):
    names = zipfile.ZipFile(wheel_of(built)).namelist()
    top = {name.split("/")[0] for name in names}
    assert top == {"checks", "notebook_helpers", f"{handout.DISTRIBUTION}-{handout.VERSION}.dist-info"}
    assert any(name.startswith("checks/frozen/") and name.endswith(".json") for name in names)


def test_the_handout_holds_no_reference_solution(built, capsys):
    scan = handout.find_reference_code(built)
    print("\n".join(["given in later notebooks, as tools:"] + [item.line for item in scan.given_later]))
    assert scan.findings == []


def test_a_later_notebook_that_gives_an_open_assignments_answer_is_refused(built):
    """Notebook 04 gives `relu`, the answer of 02: handed out while 02 is open, it would give 02's answer."""
    scan = handout.find_reference_code(built)
    early = scan.not_closed()
    assert early and all("02_activations" in line for line in early)
    assert any(line.startswith("notebooks/04_mnist_mlp/") and "relu is a copy of" in line for line in early)
    assert scan.not_closed(closed={"02_activations"}) == []


def test_the_command_refuses_until_the_earlier_assignment_is_closed(built, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(handout, "build", lambda folder, chosen, language: built)
    assert handout.main([str(tmp_path / "class")]) == 1
    refusal = capsys.readouterr().err
    assert "still open" in refusal and "--closed 02_activations" in refusal
    assert handout.main([str(tmp_path / "class"), "--closed", "02_activations"]) == 0
    assert "note (02_activations is closed)" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args", [[], ["--lang", "fr", "x"], ["x", "99_nothing"], ["x", "--closed", "nothing"], ["x", "--unknown"]]
)
def test_wrong_arguments_get_the_usage(args, capsys):
    assert handout.main(args) == 2
    assert "usage: python3 course.py handout DIR" in capsys.readouterr().err


def test_the_arguments_choose_assignments_closed_ones_and_the_language():
    assert handout.parse_arguments(["out", "04_mnist_mlp", "--closed", "02_activations", "--lang", "ko"]) == (
        Path("out"),
        ["04_mnist_mlp"],
        ["02_activations"],
        "ko",
    )
    assert handout.parse_arguments(["out"]) == (Path("out"), None, [], "en")


def test_every_reference_solution_is_looked_for():
    origins = " ".join(reference.origin for reference in handout.reference_solutions())
    for notebook in sorted((handout.ROOT / "solutions").glob("*/*.ipynb")):
        for cell in json.loads(notebook.read_text())["cells"]:
            grade_id = nbgrader_meta(cell).get("grade_id")
            if nbgrader_meta(cell).get("solution"):
                assert f"answer cell {grade_id}:" in origins
    assert "answer_key/mnist_mlp.py: predict_mlp" in origins


def test_the_scan_finds_a_renamed_copy_in_the_wheel(built, tmp_path):
    planted = with_planted_file(built, tmp_path, "checks/extra.py", "import numpy as np\n\n\n" + disguised("softmax"))
    findings = handout.find_reference_code(planted).findings
    assert findings == [
        f"{wheel_of(planted).name}/checks/extra.py: helper_softmax is a copy of "
        "solutions/02_activations/activations.ipynb answer cell softmax: softmax"
    ]


def test_the_scan_finds_solution_text_kept_in_a_string(built, tmp_path):
    text = f"SOLUTION = {disguised('dense_backward')!r}\n"
    planted = with_planted_file(built, tmp_path, "checks/extra.py", text)
    assert len(handout.find_reference_code(planted).findings) == 1


def test_the_scan_finds_an_answer_key_function_in_a_notebook(built, tmp_path):
    copy = tmp_path / "planted"
    shutil.copytree(built, copy)
    notebook = copy / "notebooks" / "01_tensors" / "tensors.ipynb"
    content = json.loads(notebook.read_text())
    source = textwrap.dedent("""
        def forward(weights, batch):
            hidden = np.maximum(batch @ weights["W1"] + weights["b1"], 0)
            return softmax_rows(hidden @ weights["W2"] + weights["b2"])
    """)
    content["cells"].append(
        {"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None}
    )
    notebook.write_text(json.dumps(content))
    (finding,) = handout.find_reference_code(copy).findings
    assert finding.endswith("forward is a copy of answer_key/mnist_mlp.py: predict_mlp")


def test_a_student_install_of_the_wheel_runs_the_checks_and_has_no_solutions(built, tmp_path):
    target = installed(wheel_of(built), tmp_path / "site")
    script = textwrap.dedent("""
        import numpy as np
        import checks
        from checks import activations as q
        assert checks.__file__.startswith(%r), checks.__file__
        q.softmax.check(lambda x, axis=-1: np.exp(x - np.max(x, axis=axis, keepdims=True))
                        / np.exp(x - np.max(x, axis=axis, keepdims=True)).sum(axis=axis, keepdims=True))
        q.softmax.solution()
        import importlib.util
        print("answer_key importable:", importlib.util.find_spec("answer_key") is not None)
    """) % str(target)
    env = {**os.environ, "PYTHONPATH": beside_numpy(target)}
    done = subprocess.run([sys.executable, "-S", "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert "\u2714 softmax: all" in done.stdout and "visible checks pass" in done.stdout
    assert "Worked solutions are not part of this course" in done.stdout
    assert "answer_key importable: False" in done.stdout


# ------------------------------------------------------------------ no hint or message quotes an answer


def checks_texts():
    """`(module, text)` for every string of checks/ (messages, hints, labels) and every Korean translation."""
    for path in sorted((handout.ROOT / "checks").glob("*.py")):
        yield from ((path.name, text) for text in handout.texts_of_module(path.read_text(encoding="utf-8")))
    for mo in sorted((handout.ROOT / "checks" / "locale").rglob("*.mo")):
        yield from ((mo.name, text) for text in handout.catalogue_texts(mo.read_bytes()))


def test_no_hint_or_message_in_checks_quotes_an_answer():
    quoted = [
        f"{module}: `{code}` is {part.origin} (`{part.code}`), in {text!r}"
        for module, text in checks_texts()
        for code, part in handout.quoted_answers(text)
    ]
    assert quoted == [], "\n".join(quoted)


def test_the_answers_looked_for_include_every_exercise_with_a_one_line_answer():
    parts = {part.code for part in handout.answer_parts().values()}
    assert {
        "np.maximum(x, 0)",
        "x @ W + b",
        "grad_out * (x > 0)",
        "float(np.mean(np.argmax(probs, axis=1) == labels))",
    } <= parts


@pytest.mark.parametrize(
    "hint, answer",
    [
        ("`return np.maximum(x, 0)`.", "np.maximum(x, 0)"),  # the answer as it is
        ("Then return x @ W + b, and you are done.", "x @ W + b"),  # in prose, no backticks
        (
            "Draw `g.uniform(-l, l, size=(a, b)).astype(np.float32)`.",  # renamed
            "rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)",
        ),
        ("`e = np.exp(z - np.max(z, axis=axis, keepdims=True))`", "np.exp(x - np.max(x, axis=axis, keepdims=True))"),
    ],
)
def test_a_hint_that_quotes_an_answer_is_found(hint, answer):
    assert answer in {part.code for _, part in handout.quoted_answers(hint)}


def test_a_hint_that_points_at_the_idea_is_not_flagged():
    assert handout.quoted_answers("Compare every entry with 0 and keep the larger: look up np.maximum.") == []
    assert handout.quoted_answers("`x @ W` has shape (batch, units); `b` broadcasts over the rows.") == []


def test_the_handout_scan_finds_a_planted_hint_that_quotes_an_answer(built, tmp_path):
    planted = with_planted_file(
        built, tmp_path, "checks/extra.py", 'HINTS = ["ReLU keeps the positives.", "`return np.maximum(x, 0)`."]\n'
    )
    (finding,) = handout.find_reference_code(planted).findings
    assert finding.startswith(
        f"{wheel_of(planted).name}/checks/extra.py: a text quotes `np.maximum(x, 0)`, the answer of relu"
    )


# ------------------------------------------------------------------ the Korean handout


@pytest.fixture(scope="module")
def built_korean(tmp_path_factory):
    return handout.build(tmp_path_factory.mktemp("handout") / "class-ko", ["01_tensors"], language="ko")


def test_the_korean_handout_holds_the_korean_student_notebooks(built_korean):
    (notebook,) = (built_korean / "notebooks").glob("*/*.ipynb")
    cells = json.loads(notebook.read_text())["cells"]
    sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells]
    assert any('i18n.use_language("ko")' in s for s, c in zip(sources, cells) if c["cell_type"] == "code")
    assert (
        sum(any("\uac00" <= ch <= "\ud7a3" for ch in s) for s, c in zip(sources, cells) if c["cell_type"] == "markdown")
        > 10
    )  # Hangul in the markdown
    assert not any("### BEGIN SOLUTION" in s or "BEGIN HIDDEN TESTS" in s for s in sources)
    readme = (built_korean / "README.txt").read_text()
    assert "pip install" in readme and "노트북" in readme
    assert handout.find_reference_code(built_korean).findings == []


def test_the_korean_handouts_wheel_speaks_korean_only_when_the_notebook_asks(built_korean, tmp_path):
    wheel = wheel_of(built_korean)
    assert "checks/locale/ko/LC_MESSAGES/checks.mo" in zipfile.ZipFile(wheel).namelist()
    target = installed(wheel, tmp_path / "site")
    script = textwrap.dedent("""
        import sys
        if sys.argv[1] == "ko":
            from checks import i18n
            i18n.use_language("ko")                      # what the Korean notebooks' locked cell does
        from checks import tensors as q
        try:
            q.describe_tensor.check(lambda x: None)
        except AssertionError as failure:
            print(failure)
    """)
    env = {k: v for k, v in os.environ.items() if k != "DL_FOUNDATIONS_LANGUAGE"}
    env.update(PYTHONPATH=beside_numpy(target), LANG="ko_KR.UTF-8", LC_ALL="ko_KR.UTF-8")
    said = {
        language: subprocess.run(
            [sys.executable, "-S", "-c", script, language],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            check=True,
        ).stdout
        for language in ("en", "ko")
    }
    assert "is not right yet" in said["en"] and not any("\uac00" <= ch <= "\ud7a3" for ch in said["en"])
    assert "is not right yet" not in said["ko"] and any("\uac00" <= ch <= "\ud7a3" for ch in said["ko"])
