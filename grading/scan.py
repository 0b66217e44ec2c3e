"""A static scan of a submission's own code for attempts to fool a grader, reported to the instructor.

The judge makes these attempts harmless (the tests never run in the student's process), so the scan
is information, not a verdict: an instructor may want to know that an answer cell patched
`np.allclose`, appended an IPython input transformer, or printed text that imitates a passing test.
It reads the code with `ast` after IPython's own transformation of magics; code that builds code at
run time is named as such, since a scan cannot read it.
"""

from __future__ import annotations

import ast
from typing import Iterable, Optional

from .student import SHELL_METHODS, SHELL_TRANSFORMERS

WATCHED_MODULES = (
    "numpy",
    "math",
    "builtins",
    "checks",
    "sys",
    "os",
    "atexit",
    "IPython",
    "importlib",
    "unittest",
    "pytest",
    "warnings",
    "signal",
    "gc",
    "inspect",
    "ctypes",
    "resource",
)
# The shell's transformer lists and the methods that run a cell or show its error, which the student
# process also watches while each cell runs (defined there: the sandbox holds no other module of ours).
SHELL_HOOKS = (
    *SHELL_TRANSFORMERS,
    *SHELL_METHODS,
    "events",
    "display_pub",
    "displayhook",
    "set_custom_exc",
    "ex",
    "ev",
    "user_ns",
)
HARMLESS_MAGICS = ("matplotlib", "timeit", "time", "pinfo", "pinfo2", "who", "whos", "precision")
CALLS = {
    "os._exit": "stops the process with os._exit",
    "sys.exit": "calls sys.exit",
    "exit": "calls exit()",
    "quit": "calls quit()",
    "os.kill": "sends a signal to a process",
    "os.killpg": "sends a signal to processes",
    "os.abort": "aborts the process",
    "signal.signal": "installs a signal handler",
    "atexit.register": "registers an atexit handler",
    "sys.settrace": "installs a trace function",
    "sys.setprofile": "installs a profile function",
    "sys.addaudithook": "installs an audit hook",
    "sys._getframe": "inspects the caller's frames",
    "inspect.currentframe": "inspects the caller's frames",
    "inspect.stack": "inspects the caller's frames",
    "gc.get_objects": "walks every object in memory",
    "gc.get_referrers": "walks the objects that refer to a value",
    "importlib.reload": "reloads a module",
    "resource.setrlimit": "changes the process's resource limits",
    "os.system": "runs a shell command",
    "os.fork": "forks the process",
    "exec": "runs code built at run time",
    "eval": "runs code built at run time",
    "compile": "compiles code at run time",
    "__import__": "imports a module by a computed name",
    "importlib.import_module": "imports a module by a computed name",
    "setattr": None,
    "delattr": None,
}
RESULT_WORDS = ("✔", "✓", "all tests pass", "tests passed", "all visible checks pass")
IMPORT_ONLY = {
    "ctypes": "uses ctypes (raw memory access)",
    "subprocess": "starts other programs",
    "multiprocessing": "starts other processes",
    "threading": "starts threads",
    "atexit": "imports atexit",
    "grading": "imports the grader's own code (course internals)",
    "answer_key": "imports the instructor's answer key (course internals)",
    "solutions": "imports the instructor's solutions (course internals)",
    "socket": "uses the network",
    "urllib": "uses the network",
    "http": "uses the network",
    "requests": "uses the network",
    "ssl": "uses the network",
    "ftplib": "uses the network",
    "smtplib": "uses the network",
}
# Attributes that lead from any object to the code around it: a function's module globals, every class,
# the frames of the callers (through a traceback or a generator).  In the student process they reach the
# grader's own student module, whose replies decide what the judge sees changed in place.
INTERNALS = (
    "__globals__",
    "__subclasses__",
    "f_back",
    "f_globals",
    "f_locals",
    "tb_frame",
    "gi_frame",
    "cr_frame",
    "ag_frame",
)
FILE_CALLS = {
    "os.symlink": "creates a symbolic link",
    "os.link": "creates a hard link",
    "symlink_to": "creates a symbolic link",
    "hardlink_to": "creates a hard link",
    "shutil.copytree": "copies folders",
    "os.chmod": "changes file permissions",
}


def _transform(source: str) -> Optional[str]:
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)
    except Exception:
        return source


class _Scanner(ast.NodeVisitor):
    def __init__(self, test_names: set):
        self.aliases: dict = {}  # local name -> module path
        self.findings: list = []
        self.test_names = test_names
        self.depth = 0  # > 0 inside a function or class: local names shadow nothing

    def add(self, node: ast.AST, text: str) -> None:
        self.findings.append((getattr(node, "lineno", 0), text))

    def dotted(self, node: ast.AST) -> Optional[str]:
        """`np.testing.assert_allclose` -> 'numpy.testing.assert_allclose' (following import aliases)."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Name):
            base = self.aliases.get(node.id, node.id)
            return ".".join([base] + parts[::-1])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "get_ipython":
            return ".".join(["get_ipython()"] + parts[::-1])
        return None

    def watched(self, path: Optional[str]) -> bool:
        return bool(path) and (
            path.split(".")[0] in WATCHED_MODULES or path.startswith("get_ipython()") or path.startswith("__builtins__")
        )

    # imports
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.aliases[alias.asname or alias.name.split(".")[0]] = (
                alias.name if alias.asname else alias.name.split(".")[0]
            )
            top = alias.name.split(".")[0]
            if top in IMPORT_ONLY:
                self.add(node, IMPORT_ONLY[top])
            self.check_rebinding(node, alias.asname or top, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}" if node.module else alias.name
            self.check_rebinding(node, alias.asname or alias.name, f"{node.module}.{alias.name}")
            if (node.module or "").split(".")[0] in IMPORT_ONLY:
                self.add(node, IMPORT_ONLY[(node.module or "").split(".")[0]])

    def check_rebinding(self, node: ast.AST, name: str, target: str) -> None:
        if self.depth:
            return
        expected = {
            "np": "numpy",
            "q": "checks.",
            "expect": "checks.hidden.expect",
            "expect_true": "checks.hidden.expect_true",
            "math": "math",
            "warnings": "warnings",
        }
        if name in self.test_names and name in expected and not target.startswith(expected[name]):
            self.add(node, f"binds `{name}`, a name the tests use, to {target}")

    # definitions that shadow what tests use
    def visit_FunctionDef(self, node) -> None:
        if node.name in self.test_names and not self.depth:
            self.add(node, f"defines `{node.name}`, a name the test cells use")
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_ClassDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    # assignments
    def assigned(self, target: ast.AST, node: ast.AST) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.assigned(element, node)
            return
        if isinstance(target, ast.Name):
            if target.id in self.test_names and not self.depth:
                self.add(node, f"assigns `{target.id}`, a name the test cells use")
            if target.id == "__builtins__":
                self.add(node, "replaces __builtins__")
            return
        if isinstance(target, ast.Subscript):
            path = self.dotted(target.value)
            if path in ("sys.modules", "__builtins__", "builtins.__dict__") or (path or "").endswith("__dict__"):
                self.add(node, f"changes {path}[...]")
            return
        if isinstance(target, ast.Attribute):
            path = self.dotted(target)
            if self.watched(path):
                self.add(node, f"replaces {path}")

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self.assigned(target, node)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.assigned(node.target, node)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.assigned(node.target, node)
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            path = self.dotted(target.value if isinstance(target, ast.Subscript) else target)
            if self.watched(path):
                self.add(node, f"deletes from {path}")
        self.generic_visit(node)

    # calls and references
    def visit_Call(self, node: ast.Call) -> None:
        path = self.dotted(node.func)
        attribute = node.func.attr if isinstance(node.func, ast.Attribute) else None
        for name in (path, attribute):
            if name in FILE_CALLS:
                self.add(node, FILE_CALLS[name])
        if (
            path in ("open", "io.open", "os.open")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and _outside(node.args[0].value)
        ):
            self.add(node, f"opens a file outside its working folder ({node.args[0].value[:80]!r})")
        if path in CALLS and CALLS[path]:
            self.add(node, CALLS[path])
        elif path in ("setattr", "delattr") and node.args:
            target = self.dotted(node.args[0])
            if self.watched(target):
                self.add(node, f"{path}() on {target}")
        elif path and path.startswith("get_ipython()"):
            name = path.split(".")[1] if "." in path else ""
            if (
                name in ("run_line_magic", "run_cell_magic")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value in HARMLESS_MAGICS
            ):
                pass
            elif name not in ("system", "getoutput"):
                self.add(node, f"calls {path}() (can change how later cells run)")
        elif (
            path
            and path.split(".")[0] in ("sys", "builtins")
            and path.split(".")[-1] in ("update", "pop", "clear", "setdefault", "insert", "append", "__setitem__")
        ):
            if path.startswith(("sys.modules", "sys.meta_path", "sys.path_hooks", "builtins.__dict__")):
                self.add(node, f"changes {path.rsplit('.', 1)[0]}")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        path = self.dotted(node)
        if path and path.startswith("get_ipython()") and node.attr in SHELL_HOOKS:
            self.add(node, f"reaches the IPython shell's {node.attr}")
        if node.attr in INTERNALS:
            self.add(
                node,
                f"reads {node.attr}, which reaches the code around it (the grader's own student "
                "module is there: course internals)",
            )
        elif path == "sys.modules" and isinstance(node.ctx, ast.Load):
            self.add(node, "reads sys.modules, where the grader's own student module is (course internals)")
        self.generic_visit(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        names = []
        if isinstance(node.type, ast.Name):
            names = [node.type.id]
        elif isinstance(node.type, ast.Tuple):
            names = [e.id for e in node.type.elts if isinstance(e, ast.Name)]
        if "KeyboardInterrupt" in names or "BaseException" in names or "SystemExit" in names or node.type is None:
            caught = ", ".join(names) if names else "everything (bare except)"
            self.add(node, f"catches {caught}, so an interrupt cannot stop it")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            lowered = node.value.lower()
            if any(word in lowered for word in RESULT_WORDS):
                self.add(node, "has text that imitates a passing test")
            if lowered.split(".")[0] in ("grading", "answer_key", "solutions"):
                self.add(node, "reaches the grader's own code or the instructor's material (course internals)")
            if any(word in lowered for word in ("gradebook", "solutions/", "autograded", "submitted/")):
                self.add(node, "names the course's grading files")


def _outside(path: str) -> bool:
    """A file name that leaves the working folder: absolute (but the temporary folder) or going up."""
    return (
        (path.startswith("/") and not path.startswith(("/tmp/", "/dev/null")))
        or path.startswith("..")
        or path.startswith("~")
    )


def scan_source(source: str, test_names: Iterable[str] = ()) -> list:
    """`[(line, finding)]` for one cell of student code."""
    code = _transform(source)
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    scanner = _Scanner(set(test_names))
    scanner.visit(tree)
    seen, unique = set(), []
    for line, text in scanner.findings:
        if text not in seen:
            seen.add(text)
            unique.append((line, text))
    return unique


def free_names(tree: ast.AST) -> tuple:
    """(names the code reads but never binds, builtins left out; names it imports from `checks`)."""
    import builtins

    loaded, bound, from_checks = set(), set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Import):
            bound.update(alias.asname or alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names = {alias.asname or alias.name for alias in node.names}
            bound.update(names)
            if (node.module or "").split(".")[0] == "checks":
                from_checks.update(names)
    return {name for name in loaded - bound if not hasattr(builtins, name)}, from_checks


def names_used_by_tests(test_sources: Iterable[str], exercises: Iterable[str]) -> set:
    """Names a student might redefine to fool a test: what the test cells read without defining it
    (besides the exercises themselves), and the helpers they import from `checks`."""
    used = set()
    for source in test_sources:
        try:
            tree = ast.parse(_transform(source) or "")
        except SyntaxError:
            continue
        unbound, from_checks = free_names(tree)
        used |= unbound | from_checks
    return used - set(exercises)


def scan_notebook(notebook) -> list:
    """Findings for every student-written code cell of a rebuilt notebook: `[{cell, line, what, how}]`."""
    from .plan import nbgrader_meta, role_of

    tests, exercises = [], []
    for cell in notebook.cells:
        meta = nbgrader_meta(cell)
        role = role_of(cell.cell_type, meta)
        if role == "test":
            tests.append(cell.source)
        elif role == "answer":
            exercises.append(meta.get("grade_id"))
    test_names = names_used_by_tests(tests, exercises)
    findings = []
    for index, cell in enumerate(notebook.cells):
        meta = nbgrader_meta(cell)
        role = role_of(cell.cell_type, meta)
        if role not in ("answer", "free"):
            continue
        label = meta.get("grade_id") if role == "answer" else f"cell {index + 1} (your own)"
        for line, what in scan_source(cell.source, test_names):
            findings.append({"cell": label, "line": line, "what": what, "how": "found in the code"})
    return findings
