"""Zip archives of JSON and NumPy arrays, written atomically and read defensively.

Reading trusts nothing in the file. Before a byte is inflated, the central
directory is checked: member names (no absolute paths, ``..``, backslashes or
duplicates), only stored/deflated members, declared sizes against the caller's
caps, and the compression ratio (a zip bomb declares a huge size or an
implausible ratio, and is refused without being inflated). Reads are then
capped at the declared size. Arrays are parsed with ``allow_pickle=False`` after
their ``.npy`` header has been checked, so an object (pickled) array is refused by
name rather than by a NumPy exception.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Mapping

import numpy as np

from .._npy import read_header
from .atomic import atomic_write

# Deflate cannot exceed ~1032:1; real JSON and float arrays stay far below 100:1.
MAX_RATIO = 100
_RATIO_FLOOR = 1 << 20  # members smaller than this cannot be a meaningful bomb
_CHUNK = 1 << 20
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # identical content gives identical bytes
_ARRAY_KINDS = "biufU"  # numbers, bools and fixed-width text; never objects
_SAFE_NAME = re.compile(r"[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)*")


class UnsafeFileError(ValueError):
    """A file was refused: not a myelin archive, damaged, or crafted to do harm."""


def write_archive(
    path: str | os.PathLike,
    members: Mapping[str, bytes],
    stored: tuple[str, ...] = (),
    overwrite: bool = True,
) -> None:
    """Atomically write a zip with the given members.

    Args:
        path: Destination file; replaced only once the new archive is complete.
        members: Member name -> content, written in this order.
        stored: Names written uncompressed (already-dense data such as ``.npz``,
            where deflate costs time and saves nothing).
        overwrite: If False, refuse to replace an existing file.
    """
    with atomic_write(path, overwrite=overwrite) as f:
        write_zip(f, members, stored)


def write_zip(f, members: Mapping[str, bytes], stored: tuple[str, ...] = ()) -> None:
    """Write the members as a zip into the binary file object ``f``."""
    with zipfile.ZipFile(f, "w") as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)


def array_bytes(arrays: Mapping[str, np.ndarray]) -> bytes:
    """Serialize arrays as an uncompressed ``.npz`` (no pickles: object arrays refused)."""
    for key, array in arrays.items():
        if np.asarray(array).dtype.kind not in _ARRAY_KINDS:
            raise TypeError(f"array_bytes: {key!r} has dtype {array.dtype}; only numbers, "
                            "bools and text can be saved (never Python objects).")
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def open_zip(
    source, where: str, accept: Callable[[str], bool], max_members: int, max_total: int
) -> zipfile.ZipFile:
    """Open a zip after checking its central directory (see module docstring).

    Args:
        source: A path or a binary file object.
        where: How to name the file in errors.
        accept: Returns whether a member name is expected in this kind of archive.
        max_members: Most members the archive may have.
        max_total: Most bytes all members together may declare.

    Returns:
        The open ``ZipFile``; every member in it has passed the checks.

    Raises:
        UnsafeFileError: For any file that fails a check.
    """
    _refuse_known_formats(source, where)
    try:
        archive = zipfile.ZipFile(source)
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError) as error:
        raise UnsafeFileError(
            f"{where} is not a valid myelin file: it is not a complete zip archive ({error}). "
            "The file may be truncated (an interrupted copy or download) or of another format."
        ) from None
    try:
        _check_members(archive.infolist(), where, accept, max_members, max_total)
    except BaseException:
        archive.close()
        raise
    return archive


def read_member(archive: zipfile.ZipFile, name: str, max_bytes: int, where: str) -> bytes:
    """Read one member, refusing it if it declares or yields more than ``max_bytes``."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise UnsafeFileError(f"{where} has no {name!r} member; it is not a complete "
                              "myelin file.") from None
    if info.file_size > max_bytes:
        raise UnsafeFileError(
            f"{where}: member {name!r} declares {info.file_size:,} bytes, far more than the "
            f"{max_bytes:,} this model can need; refusing to inflate it (possible zip bomb)."
        )
    chunks, size = [], 0
    try:
        with archive.open(info) as f:
            while chunk := f.read(_CHUNK):
                size += len(chunk)
                if size > info.file_size:
                    raise UnsafeFileError(f"{where}: member {name!r} inflates past its "
                                          "declared size; refusing it.")
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
            NotImplementedError) as error:
        # zlib.error: a damaged deflate stream, found before the CRC check at its end;
        # NotImplementedError: zipfile's answer to a damaged "version needed" field
        raise UnsafeFileError(f"{where}: member {name!r} is damaged ({error}). The file may "
                              "be truncated or corrupted.") from None
    return b"".join(chunks)


def read_json(archive: zipfile.ZipFile, name: str, max_bytes: int, where: str) -> dict:
    """Read a JSON-object member (at most ``max_bytes``), refusing anything else."""
    data = read_member(archive, name, max_bytes, where)
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise UnsafeFileError(f"{where}: {name} is not valid JSON ({error}).") from None
    if not isinstance(value, dict):
        raise UnsafeFileError(f"{where}: {name} should hold a JSON object, found "
                              f"{type(value).__name__}.")
    return value


def json_bytes(value) -> bytes:
    """``value`` as UTF-8 JSON; NumPy scalars and arrays become plain numbers and lists."""
    return json.dumps(value, indent=1, default=_plain).encode("utf-8")


def _plain(value):
    if isinstance(value, (np.generic, np.ndarray)):
        return value.tolist()
    raise TypeError(f"{value!r} of type {type(value).__name__} cannot be saved as JSON; "
                    "a get_config() must return plain numbers, strings, lists and dicts "
                    "(serialize objects with myelin.saving.serialize).")


def read_arrays(source, where: str, max_total: int, max_arrays: int = 100_000) -> dict:
    """Read every array of an ``.npz`` (path, file object or bytes) without pickles.

    Returns:
        Array name (without ``.npy``) -> array, in the file's order.
    """
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    with open_zip(source, where, _is_npy, max_arrays, max_total) as archive:
        return {
            info.filename[:-4]: _parse_npy(
                read_member(archive, info.filename, max_total, where), f"{where}:{info.filename}"
            )
            for info in archive.infolist()
        }


def _is_npy(name: str) -> bool:
    return name.endswith(".npy")


def _parse_npy(data: bytes, where: str) -> np.ndarray:
    f = io.BytesIO(data)
    try:
        shape, dtype = read_header(f)
    except (ValueError, EOFError, SyntaxError, TypeError) as error:
        raise UnsafeFileError(f"{where} is not a valid .npy array ({error}).") from None
    if dtype.hasobject:
        raise UnsafeFileError(
            f"{where} holds a Python-object (pickled) array; myelin files never contain "
            "pickles and loading one could run arbitrary code. Refusing the file."
        )
    if dtype.kind not in _ARRAY_KINDS:
        raise UnsafeFileError(f"{where} has dtype {dtype}; expected numbers, bools or text.")
    expected = math.prod(shape) * dtype.itemsize  # Python ints: a crafted shape cannot overflow
    if len(data) - f.tell() != expected:
        raise UnsafeFileError(
            f"{where}: header says {shape} {dtype} ({expected:,} bytes) but "
            f"{len(data) - f.tell():,} bytes follow; the array is truncated or corrupted."
        )
    f.seek(0)
    return np.lib.format.read_array(f, allow_pickle=False)


def _check_members(infos, where, accept, max_members, max_total) -> None:
    if len(infos) > max_members:
        raise UnsafeFileError(f"{where} has {len(infos):,} members; at most {max_members:,} "
                              "are expected. Refusing it.")
    seen, total = set(), 0
    for info in infos:
        name = info.filename
        if not _SAFE_NAME.fullmatch(name) or {".", ".."} & set(name.split("/")):
            raise UnsafeFileError(
                f"{where} contains a member named {name!r}: absolute paths, '..', "
                "backslashes and unusual characters are refused (path traversal)."
            )
        if name in seen:
            raise UnsafeFileError(f"{where} contains {name!r} twice; refusing an ambiguous file.")
        seen.add(name)
        if not accept(name):
            raise UnsafeFileError(f"{where} contains an unexpected member {name!r}; it is not "
                                  "a myelin file of this kind.")
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED,
                                                              zipfile.ZIP_DEFLATED):
            raise UnsafeFileError(f"{where}: member {name!r} is encrypted or uses an "
                                  "unsupported compression; myelin writes only stored/deflate.")
        _check_size(info, where)
        total += info.file_size
        if total > max_total:
            raise UnsafeFileError(
                f"{where} declares {total:,}+ bytes of content, more than the {max_total:,} "
                "this kind of file can need; refusing to inflate it (possible zip bomb)."
            )


def _check_size(info: zipfile.ZipInfo, where: str) -> None:
    if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
        raise UnsafeFileError(f"{where}: stored member {info.filename!r} declares inconsistent "
                              "sizes; the file is corrupted or crafted.")
    if info.file_size > max(_RATIO_FLOOR, MAX_RATIO * info.compress_size):
        raise UnsafeFileError(
            f"{where}: member {info.filename!r} would inflate {info.compress_size:,} bytes to "
            f"{info.file_size:,} (ratio above {MAX_RATIO}:1); refusing a likely zip bomb."
        )


def _refuse_known_formats(source, where: str) -> None:
    # Friendlier than "not a zip" for the files people most often pass by mistake.
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            head = f.read(8)
    else:
        position = source.tell()
        head = source.read(8)
        source.seek(position)
    if head.startswith(b"\x89HDF"):
        raise UnsafeFileError(f"{where} is an HDF5 (.h5) file, e.g. from Keras 2; myelin reads "
                              "only its own zip format. Re-save the model with myelin.")
    if head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        raise UnsafeFileError(f"{where} is a Python pickle; myelin never loads pickles because "
                              "they can run arbitrary code.")
