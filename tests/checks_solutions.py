"""Find every `Exercise` the `checks` package defines, to test what `solution()` shows."""
import importlib
import pkgutil

import checks
from checks import Exercise


def solution_codes() -> dict:
    """`{exercise name: solution code}` over every notebook module of `checks`."""
    codes = {}
    for module in pkgutil.iter_modules(checks.__path__):
        loaded = importlib.import_module(f"checks.{module.name}")
        for value in vars(loaded).values():
            if isinstance(value, Exercise):
                codes[value.name] = value.solution_code
    return codes
