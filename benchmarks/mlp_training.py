"""How fast does notebook 04's network train, plain and tuned? Against the matmul bound and PyTorch.

    python -m benchmarks.mlp_training                       # from the repository root
    python -m benchmarks.mlp_training --torch-python /tmp/torchvenv/bin/python

Trains the reference `train_mlp` of `solutions/04_mnist_mlp/mnist_mlp.ipynb` (executed from its
answer cell, so the benchmark always measures the code the notebook ships: the plain version, one
expression per step of the prose) and `tuned_train_mlp` below (the same arithmetic written for
speed: how fast plain NumPy goes) on MNIST: 5 epochs, batches of 128, 512 hidden units, float32.
Prints one JSON line:

* `epoch_seconds`: the notebook's reference, the median epoch time over all epochs of all repeats;
* `test_accuracy`: of its last repeat's network on the 10,000 test images;
* `tuned_epoch_seconds` and `tuned_test_accuracy`: the same for `tuned_train_mlp`;
* `matmul_bound_seconds`: the epoch's matrix-multiply work (about 98 GFLOP: five products per
  batch, with the batch shapes of the real run) divided by `matmul_gflops`, the float32 rate BLAS
  reaches on exactly those products, measured in this run (best of several tries).  No NumPy
  training loop can beat it; the gap is everything else the loop does;
* `forward_backward_seconds`: one epoch of the same batches with the forward and backward passes
  only (gather, five products, ReLU, softmax, gradients; no optimizer, no metrics), written as
  lean as NumPy allows, in the same run.  What any NumPy training loop pays before it updates a
  single weight: the part of the gap to the bound that the optimizer is not responsible for;
* `torch_epoch_seconds` (and `torch_test_accuracy`): the same network, loss and optimizer
  (RMSprop, lr 0.001, rho 0.9, eps 1e-7) trained with PyTorch in the same run, when PyTorch is
  importable here or `--torch-python` names an interpreter that has it.  Each PyTorch repeat runs in
  its own process, alternating with the NumPy repeats, so both see the same machine load.

`--subset N`, `--epochs E`, `--repeats R` and `--no-torch` make quick runs (the tests use them).
The machine's other work changes the numbers: run it when the machine is quiet, and repeat.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "solutions" / "04_mnist_mlp" / "mnist_mlp.ipynb"
MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", re.M)
BATCH_SIZE, HIDDEN, CLASSES, FEATURES = 128, 512, 10, 28 * 28

if str(ROOT) not in sys.path:  # the torch worker may run with another interpreter
    sys.path.insert(0, str(ROOT))


def reference_train_mlp(notebook: Path = NOTEBOOK):
    """The notebook's reference `train_mlp`: its answer cell with the solution markers removed, executed.

    Reads the notebook as plain JSON (no nbformat), so that this works in a bare PyTorch venv.
    """
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "train_mlp":
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            namespace = {"__name__": "reference_train_mlp"}
            exec(compile(MARKER.sub("", source), f"{notebook.name}:train_mlp", "exec"), namespace)
            return namespace["train_mlp"]
    raise LookupError(f"{notebook} has no answer cell train_mlp")


def tuned_train_mlp(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Notebook 04's train_mlp, tuned: the same numbers as the plain reference (up to rounding), faster.

    As Keras' fit with RMSprop (lr 0.001, rho 0.9, eps 1e-7) and categorical crossentropy:
    Glorot-uniform weights and zero biases, then per epoch a new random order of the rows and
    mini-batches of batch_size (the last may be shorter). Every random draw comes from
    np.random.default_rng(seed). Prints one line per epoch (TrainingLog).

    What the plain reference in the notebook does with one expression per step, this does with the
    fewest passes over memory: every temporary overwritten in place, RMSprop's state kept rescaled
    (see the comment below), and the update walked in blocks that fit the processor's cache.
    """
    from notebook_helpers.plots import TrainingLog

    x = np.asarray(x, dtype=np.float32)  # no copy when x is float32 already
    y = np.asarray(y_onehot, dtype=np.float32)
    if x.ndim != 2 or y.ndim != 2 or len(x) != len(y):
        raise ValueError(f"expected x (N, features) and y_onehot (N, classes), got shapes {x.shape} and {y.shape}")
    n, features = x.shape
    classes = y.shape[1]
    lr, rho, eps = 0.001, 0.9, 1e-7
    rng = np.random.default_rng(seed)  # the only source of randomness in the run

    def glorot(fan_in, fan_out):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)

    W1, W2 = glorot(features, hidden), glorot(hidden, classes)
    b1, b2 = np.zeros(hidden, np.float32), np.zeros(classes, np.float32)
    params = [W1, b1, W2, b2]
    # RMSprop's state, kept as s = (cache + eps) / (1 - rho) rather than as Keras' cache. The step
    # becomes s' = rho * s + grad**2 + eps, then param -= step_size * grad / sqrt(s'): Keras' numbers
    # (up to rounding) with the fewest passes over the weights, and the state of a weight that stops
    # getting gradients settles at eps / (1 - rho) instead of decaying into subnormal floats (which
    # are very slow to compute with).
    scaled_caches = [np.full_like(p, eps / (1 - rho)) for p in params]
    step_size = lr / (1 - rho) ** 0.5
    grads = [np.empty_like(p) for p in params]  # buffers reused by every step
    # The update walks over blocks of about 64K numbers (views, not copies): each of its eight passes
    # then finds the block in the processor's cache, instead of streaming all of W1 from memory.
    blocks = []
    for param, grad, scaled in zip(params, grads, scaled_caches):
        rows_per_block = max(1, 2**16 // (param.size // len(param)))
        for first in range(0, len(param), rows_per_block):
            part = slice(first, first + rows_per_block)
            blocks.append((param[part], grad[part], scaled[part], np.empty_like(param[part])))

    log = TrainingLog(epochs)
    for _epoch in range(epochs):
        order = rng.permutation(n)  # a new order every epoch, as Keras shuffles
        loss_sum, correct = 0.0, 0
        for start in range(0, n, batch_size):
            rows = order[start : start + batch_size]
            xb, yb = x[rows], y[rows]  # a copy of one batch, not of the data
            # forward, overwriting each temporary in place
            h = xb @ W1
            h += b1
            np.maximum(h, 0, out=h)  # relu; h > 0 exactly where z1 > 0
            probs = h @ W2
            probs += b2
            probs -= probs.max(axis=1, keepdims=True)
            np.exp(probs, out=probs)
            probs /= probs.sum(axis=1, keepdims=True)
            # what the epoch line reports: crossentropy (clipped as Keras) and accuracy
            loss_sum -= float(np.sum(yb * np.log(np.clip(probs, 1e-7, 1 - 1e-7))))
            correct += int(np.count_nonzero(probs.argmax(axis=1) == yb.argmax(axis=1)))
            # backward
            d_logits = probs - yb
            d_logits *= 1.0 / len(rows)
            d_h = d_logits @ W2.T
            d_h *= h > 0
            np.matmul(xb.T, d_h, out=grads[0])
            d_h.sum(axis=0, out=grads[1])
            np.matmul(h.T, d_logits, out=grads[2])
            d_logits.sum(axis=0, out=grads[3])
            # RMSprop in place: s' = rho * s + grad**2 + eps, param -= step_size * grad / sqrt(s')
            for param, grad, scaled, tmp in blocks:
                np.square(grad, out=tmp)
                tmp += eps
                scaled *= rho
                scaled += tmp
                np.sqrt(scaled, out=tmp)
                np.divide(grad, tmp, out=tmp)
                tmp *= step_size
                param -= tmp
        log.epoch_done(loss_sum / n, correct / n)
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    ### END SOLUTION


def mnist(subset: int | None = None):
    """Flattened float32 images in [0, 1], one-hot float32 labels and integer labels, as in notebook 04."""
    from notebook_helpers import load_mnist

    (train_images, train_labels), (test_images, test_labels) = load_mnist()
    if subset:
        train_images, train_labels = train_images[:subset], train_labels[:subset]
        test_images, test_labels = test_images[:subset], test_labels[:subset]
    x_train = train_images.reshape(len(train_images), FEATURES).astype(np.float32) / 255
    x_test = test_images.reshape(len(test_images), FEATURES).astype(np.float32) / 255
    y_train = np.eye(CLASSES, dtype=np.float32)[train_labels]
    return x_train, y_train, train_labels, x_test, test_labels


def epoch_matmul_flops(n: int, batch_size: int = BATCH_SIZE, hidden: int = HIDDEN) -> float:
    """Multiply-add FLOPs of one epoch: x@W1, h@W2 forward; h.T@d, d@W2.T, x.T@dh backward (2 per MAC)."""
    per_sample = FEATURES * hidden * 2 + hidden * CLASSES * 3
    return 2.0 * n * per_sample


def matmul_gflops(batch_size: int = BATCH_SIZE, hidden: int = HIDDEN, steps: int = 100, tries: int = 7) -> float:
    """The float32 rate of one training step's five matrix products, with its shapes, best of `tries`."""
    rng = np.random.default_rng(0)
    x = rng.random((batch_size, FEATURES), dtype=np.float32)
    W1 = rng.random((FEATURES, hidden), dtype=np.float32)
    W2 = rng.random((hidden, CLASSES), dtype=np.float32)
    d = rng.random((batch_size, CLASSES), dtype=np.float32)
    h = np.empty((batch_size, hidden), np.float32)
    logits = np.empty((batch_size, CLASSES), np.float32)
    gW1 = np.empty_like(W1)
    gW2 = np.empty_like(W2)
    dh = np.empty_like(h)

    def step():
        np.matmul(x, W1, out=h)
        np.matmul(h, W2, out=logits)
        np.matmul(h.T, d, out=gW2)
        np.matmul(d, W2.T, out=dh)
        np.matmul(x.T, dh, out=gW1)

    for _ in range(20):
        step()
    best = float("inf")
    for _ in range(tries):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        best = min(best, (time.perf_counter() - start) / steps)
    return epoch_matmul_flops(batch_size, batch_size, hidden) / best / 1e9


def forward_backward_seconds(data, batch_size: int = BATCH_SIZE, hidden: int = HIDDEN, seed: int = 0) -> float:
    """One epoch of forward and backward passes without an optimizer, every array preallocated."""
    x_train, y_train = data[0], data[1]
    rng = np.random.default_rng(seed)
    W1 = rng.uniform(-0.07, 0.07, (FEATURES, hidden)).astype(np.float32)
    W2 = rng.uniform(-0.1, 0.1, (hidden, CLASSES)).astype(np.float32)
    b1, b2 = np.zeros(hidden, np.float32), np.zeros(CLASSES, np.float32)
    xb, yb = np.empty((batch_size, FEATURES), np.float32), np.empty((batch_size, CLASSES), np.float32)
    h, d_h = np.empty((batch_size, hidden), np.float32), np.empty((batch_size, hidden), np.float32)
    probs = np.empty((batch_size, CLASSES), np.float32)
    grads = [np.empty_like(W1), np.empty_like(b1), np.empty_like(W2), np.empty_like(b2)]
    order = rng.permutation(len(x_train))
    full_batches = len(x_train) // batch_size
    start_time = time.perf_counter()
    for start in range(0, full_batches * batch_size, batch_size):
        rows = order[start : start + batch_size]
        np.take(x_train, rows, axis=0, out=xb)
        np.take(y_train, rows, axis=0, out=yb)
        np.matmul(xb, W1, out=h)
        h += b1
        np.maximum(h, 0, out=h)
        np.matmul(h, W2, out=probs)
        probs += b2
        probs -= probs.max(axis=1, keepdims=True)
        np.exp(probs, out=probs)
        probs /= probs.sum(axis=1, keepdims=True)
        probs -= yb
        probs *= 1.0 / batch_size
        np.matmul(probs, W2.T, out=d_h)
        d_h *= h > 0
        np.matmul(xb.T, d_h, out=grads[0])
        d_h.sum(axis=0, out=grads[1])
        np.matmul(h.T, probs, out=grads[2])
        probs.sum(axis=0, out=grads[3])
    return (time.perf_counter() - start_time) * len(x_train) / (full_batches * batch_size)


def numpy_run(train_mlp, data, epochs: int) -> tuple[list, float]:
    """Train once; return the per-epoch seconds (from the progress display) and the test accuracy."""
    from notebook_helpers.plots import TrainingLog

    x_train, y_train, _, x_test, test_labels = data
    with contextlib.redirect_stdout(io.StringIO()):
        params = train_mlp(x_train, y_train, epochs=epochs, batch_size=BATCH_SIZE, hidden=HIDDEN, seed=0)
    seconds = list(TrainingLog.last.seconds)
    h = np.maximum(x_test @ params["W1"] + params["b1"], 0)
    accuracy = float(np.mean((h @ params["W2"] + params["b2"]).argmax(axis=1) == test_labels))
    return seconds, accuracy


def torch_run(data, epochs: int, seed: int = 0) -> tuple[list, float]:
    """The same network, loss and optimizer in PyTorch (float32, the library's defaults otherwise)."""
    import torch

    x_train, _, train_labels, x_test, test_labels = data
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(FEATURES, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, CLASSES))
    for layer in (model[0], model[2]):
        torch.nn.init.xavier_uniform_(layer.weight)  # Keras' glorot_uniform
        torch.nn.init.zeros_(layer.bias)
    optimizer = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9, eps=1e-7)
    loss_function = torch.nn.CrossEntropyLoss()  # softmax + categorical crossentropy, on the logits
    x, y = torch.from_numpy(x_train), torch.from_numpy(train_labels.astype(np.int64))
    generator = torch.Generator().manual_seed(seed)
    seconds = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(len(x), generator=generator)
        for first in range(0, len(x), BATCH_SIZE):
            rows = order[first : first + BATCH_SIZE]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_function(model(x[rows]), y[rows])
            loss.backward()
            optimizer.step()
        seconds.append(time.perf_counter() - start)
    with torch.no_grad():
        predicted = model(torch.from_numpy(x_test)).argmax(dim=1).numpy()
    return seconds, float(np.mean(predicted == test_labels))


def torch_interpreter(requested: str | None) -> str | None:
    """The Python that runs the PyTorch repeats: --torch-python, else this one if it has torch, else none."""
    if requested:
        return requested
    try:
        import importlib.util

        return sys.executable if importlib.util.find_spec("torch") is not None else None
    except (ImportError, ValueError):
        return None


def torch_worker(python: str, subset: int | None, epochs: int) -> dict:
    """One PyTorch repeat in a fresh process (so that its thread pool and BLAS never meet NumPy's)."""
    command = [python, "-m", "benchmarks.mlp_training", "--torch-worker", "--epochs", str(epochs)]
    if subset:
        command += ["--subset", str(subset)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def benchmark(
    subset: int | None = None,
    epochs: int = 5,
    repeats: int = 3,
    torch_python: str | None = None,
    with_torch: bool = True,
) -> dict:
    """Run the benchmark and return the JSON line's contents (see the module docstring)."""
    train_mlp = reference_train_mlp()
    data = mnist(subset)
    python = torch_interpreter(torch_python) if with_torch else None
    numpy_seconds, tuned_seconds, torch_seconds, rates, lean_seconds = [], [], [], [], []
    accuracy = tuned_accuracy = torch_accuracy = None
    for _ in range(repeats):
        rates.append(matmul_gflops())
        seconds, accuracy = numpy_run(train_mlp, data, epochs)
        numpy_seconds += seconds
        seconds, tuned_accuracy = numpy_run(tuned_train_mlp, data, epochs)
        tuned_seconds += seconds
        lean_seconds.append(forward_backward_seconds(data))
        if python:
            result = torch_worker(python, subset, epochs)
            torch_seconds += result["seconds"]
            torch_accuracy = result["test_accuracy"]
    rate = max(rates)
    result = {
        "epoch_seconds": round(statistics.median(numpy_seconds), 3),
        "test_accuracy": round(accuracy, 4),
        "tuned_epoch_seconds": round(statistics.median(tuned_seconds), 3),
        "tuned_test_accuracy": round(tuned_accuracy, 4),
        "matmul_bound_seconds": round(epoch_matmul_flops(len(data[0])) / (rate * 1e9), 3),
        "matmul_gflops": round(rate, 1),
        "forward_backward_seconds": round(statistics.median(lean_seconds), 3),
        "epoch_gflop": round(epoch_matmul_flops(len(data[0])) / 1e9, 2),
        "epochs": epochs,
        "repeats": repeats,
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
    }
    if torch_seconds:
        result["torch_epoch_seconds"] = round(statistics.median(torch_seconds), 3)
        result["torch_test_accuracy"] = round(torch_accuracy, 4)
    result["ratio_to_matmul_bound"] = round(result["epoch_seconds"] / result["matmul_bound_seconds"], 2)
    result["tuned_ratio_to_matmul_bound"] = round(result["tuned_epoch_seconds"] / result["matmul_bound_seconds"], 2)
    return result


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subset", type=int, default=None, help="train and test on the first N images only")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3, help="full trainings per library (medians are reported)")
    parser.add_argument(
        "--torch-python",
        default=os.environ.get("DL_FOUNDATIONS_TORCH_PYTHON"),
        help="an interpreter with PyTorch for the comparison (default: this one, if it has torch)",
    )
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch comparison")
    parser.add_argument("--torch-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.subset is not None and args.subset < BATCH_SIZE:
        parser.error(f"--subset must be at least one batch ({BATCH_SIZE} images), got {args.subset}")
    if args.torch_worker:
        seconds, accuracy = torch_run(mnist(args.subset), args.epochs)
        print(json.dumps({"seconds": seconds, "test_accuracy": accuracy}))
        return 0
    result = benchmark(args.subset, args.epochs, args.repeats, args.torch_python, with_torch=not args.no_torch)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
