"""Runaway answers: one exercise never returns, ends the process or eats memory; the others are right.

Only the runaway exercise may lose its points.  The tests that grade these set small limits first
(a few seconds, 512 MB), so the machine is never at risk.
"""

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


@fixture(
    "infinite_loop", "runaway", "02_activations", zero=["relu"], full=_others("relu"), student_message="time limit"
)
def infinite_loop():
    """`relu` loops forever when called; the other three answers are right."""
    return to_bytes(filled("02_activations", "right", overrides={"relu": INFINITE_LOOP}))


@fixture(
    "swallows_interrupt",
    "runaway",
    "02_activations",
    zero=["relu"],
    full=_others("relu"),
    student_message="time limit",
    tampering=("KeyboardInterrupt",),
)
def swallows_interrupt():
    """`relu` loops forever and swallows KeyboardInterrupt; the other three answers are right."""
    return to_bytes(filled("02_activations", "right", overrides={"relu": SWALLOWS_INTERRUPT}))


@fixture(
    "os_exit",
    "runaway",
    "02_activations",
    zero=["sigmoid"],
    full=_others("sigmoid"),
    student_message="os._exit",
    tampering=("os._exit",),
)
def os_exit():
    """`sigmoid` calls `os._exit(0)` when called; the other three answers are right."""
    return to_bytes(filled("02_activations", "right", overrides={"sigmoid": OS_EXIT}))


@fixture(
    "sys_exit",
    "runaway",
    "02_activations",
    zero=["sigmoid_derivative"],
    full=_others("sigmoid_derivative"),
    student_message="SystemExit",
    tampering=("sys.exit",),
)
def sys_exit():
    """`sigmoid_derivative` calls `sys.exit()` when called; the other three answers are right."""
    return to_bytes(filled("02_activations", "right", overrides={"sigmoid_derivative": SYS_EXIT}))


@fixture(
    "exit_kernel",
    "runaway",
    "02_activations",
    zero=["sigmoid_derivative"],
    full=_others("sigmoid_derivative"),
    tampering=("exit()",),
)
def exit_kernel():
    """`sigmoid_derivative` calls IPython's `exit()` when called; the other three answers are right."""
    return to_bytes(filled("02_activations", "right", overrides={"sigmoid_derivative": EXIT_KERNEL}))


@fixture(
    "memory_hog", "runaway", "02_activations", zero=["softmax"], full=_others("softmax"), student_message="MemoryError"
)
def memory_hog():
    """`softmax` allocates 4 GiB when called; the other three answers are right."""
    return to_bytes(filled("02_activations", "right", overrides={"softmax": MEMORY_HOG}))
