"""What the learned outcome parts (the side-effect filter, the effect model) share: the
column scikit-learn's stateless `FeatureHasher` gives a token, and their weights files (a
numpy `.npz` of plain arrays, no pickle) with the hash that names them."""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np


@cache
def _murmur() -> Callable[..., int]:
    # (scikit-learn is imported when weights are loaded, not with this module: `import
    # aggregator.outcomes` stays light for the commands that never read a thread)
    from sklearn.utils import murmurhash3_32

    return murmurhash3_32  # type: ignore[no-any-return]


def hashed_column(n_features: int) -> Callable[[str], int]:
    """The column FeatureHasher(n_features, alternate_sign=False) puts a token in, as a
    function of the token: its signed 32-bit murmur hash (seed 0) of its UTF-8, made
    positive, modulo the width. (FeatureHasher maps -2**31, whose absolute value overflows in
    C, to (2**31 - n_features) % n_features: 2**31 % n_features, which Python's abs() gives.)
    A lone surrogate, which UTF-8 cannot hold, is hashed as its surrogate-pass bytes."""
    murmur = _murmur()

    def column(token: str) -> int:
        try:
            h = murmur(token)
        except UnicodeEncodeError:
            h = murmur(token.encode("utf-8", "surrogatepass"))
        return abs(h) % n_features

    return column


def weights_digest(version: str, arrays: dict[str, np.ndarray]) -> str:
    """A hash of a weights file's arrays and of its features' `version` (stored outcomes
    are re-read when it changes)."""
    sha = hashlib.sha1(version.encode(), usedforsecurity=False)
    for name, array in sorted(arrays.items()):
        sha.update(name.encode())
        sha.update(np.ascontiguousarray(array).tobytes())
    return sha.hexdigest()


def save_arrays(arrays: dict[str, np.ndarray], path: Path) -> None:
    """Write a weights file (numpy's `.npz`: plain arrays, no pickle)."""
    np.savez_compressed(path, **arrays)


def read_arrays(path: Path | str, what: str, error: type[ValueError]) -> dict[str, np.ndarray]:
    """The arrays of an `.npz` weights file (no pickle allowed); an unreadable file raises
    `error`, one line naming the file and `what` it should have been."""
    # (a `.npy` file loads as one bare array, with no `.files`; a member whose deflated
    # data is garbled raises zlib.error, which is no ValueError)
    try:
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except (OSError, ValueError, TypeError, AttributeError, zipfile.BadZipFile,
            EOFError, zlib.error) as exc:
        raise error(f"{path}: not a readable {what} ({exc})") from None
