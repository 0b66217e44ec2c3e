"""Runaway answers: one exercise never returns, ends the process or eats memory; the others are right.

Only the runaway exercise may lose its points.  The tests that grade these set small limits first
(a few seconds, 512 MB), so the machine is never at risk.
"""

import functools
from typing import Callable

from . import filled, fixture, to_bytes

INFINITE_LOOP = '''
def relu(x):
    """Forgot to move on: this loop never ends."""
    i = 0
    while i < 10:
        i = i * 1
    return x
'''

SWALLOWS_INTERRUPT = '''
import time


def relu(x):
    """Retries forever, and even Ctrl-C (KeyboardInterrupt) cannot stop it."""
    while True:
        try:
            time.sleep(0.05)
        except KeyboardInterrupt:
            pass
'''

OS_EXIT = '''
import os


def sigmoid(x):
    """Ends the whole process instead of returning."""
    os._exit(0)
'''

SYS_EXIT = '''
import sys


def sigmoid_derivative(x):
    """Leaves by sys.exit(), from inside the function."""
    sys.exit("giving up")
'''

EXIT_KERNEL = '''
def sigmoid_derivative(x):
    """Calls IPython's exit(), which asks the kernel to shut down."""
    exit()
'''

MEMORY_HOG = '''
import numpy as np


def softmax(x, axis=-1):
    """Builds a 4 GiB table first: far more memory than a grader gives one answer."""
    table = np.ones(2 ** 29)          # 2**29 float64 = 4 GiB, every page touched
    x = np.asarray(x, dtype=float)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True) + 0 * table[0]
'''

OTHERS = ["relu", "sigmoid", "sigmoid_derivative", "softmax"]


def _others(name):
    return [n for n in OTHERS if n != name]


def runaway(name: str, exercise: str, **expected):
    """Register the decorated function as the runaway `name`: `exercise` answered by the code the function
    returns, the other three answers right.  `exercise` must earn nothing and the others their points;
    `expected` as `fixture` takes it."""

    def register(answer: Callable[[], str]) -> Callable[[], bytes]:
        @functools.wraps(answer)
        def build() -> bytes:
            return to_bytes(filled("02_activations", "right", overrides={exercise: answer()}))

        return fixture(name, "runaway", "02_activations", zero=[exercise], full=_others(exercise), **expected)(build)

    return register


@runaway("infinite_loop", "relu", student_message="time limit")
def infinite_loop():
    """`relu` loops forever when called; the other three answers are right."""
    return INFINITE_LOOP


@runaway("swallows_interrupt", "relu", student_message="time limit", tampering=("KeyboardInterrupt",))
def swallows_interrupt():
    """`relu` loops forever and swallows KeyboardInterrupt; the other three answers are right."""
    return SWALLOWS_INTERRUPT


@runaway("os_exit", "sigmoid", student_message="os._exit", tampering=("os._exit",))
def os_exit():
    """`sigmoid` calls `os._exit(0)` when called; the other three answers are right."""
    return OS_EXIT


@runaway("sys_exit", "sigmoid_derivative", student_message="SystemExit", tampering=("sys.exit",))
def sys_exit():
    """`sigmoid_derivative` calls `sys.exit()` when called; the other three answers are right."""
    return SYS_EXIT


@runaway("exit_kernel", "sigmoid_derivative", tampering=("exit()",))
def exit_kernel():
    """`sigmoid_derivative` calls IPython's `exit()` when called; the other three answers are right."""
    return EXIT_KERNEL


@runaway("memory_hog", "softmax", student_message="MemoryError")
def memory_hog():
    """`softmax` allocates 4 GiB when called; the other three answers are right."""
    return MEMORY_HOG
