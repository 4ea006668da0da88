"""Pagefind's bundle made byte-stable: the search stage's post-processing.

Pagefind (1.5) writes the values of each filter, and the list of filters in its
metadata file, in hash-map order, which changes from run to run. This module decodes
those few files (gzip of ``pagefind_dcd`` + CBOR), sorts them, encodes them again,
and names them by their content, so that the same briefs give the same bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct

_MAGIC = b"pagefind_dcd"


def stable_bundle(files: dict[str, bytes]) -> dict[str, bytes]:
    """``files`` (paths inside pagefind/) with filters and metadata in a canonical order."""
    out = dict(files)
    renamed = {}
    for path in sorted(p for p in files if p.startswith("filter/") and p.endswith(".pf_filter")):
        name, values = _decode(files[path])
        data = _encode([name, sorted(([v, sorted(pages)] for v, pages in values), key=lambda e: e[0])])
        new = f"{path.split('/')[1].split('_')[0]}_{hashlib.sha256(data).hexdigest()[:7]}"
        renamed[path.removeprefix("filter/").removesuffix(".pf_filter")] = new
        del out[path]
        out[f"filter/{new}.pf_filter"] = data
    for path in sorted(p for p in files if p.endswith(".pf_meta")):
        meta = _rename(_decode(files[path]), renamed)
        data = _encode(meta)
        language = path.removeprefix("pagefind.").split("_")[0]
        old_hash = path.removeprefix("pagefind.").removesuffix(".pf_meta")
        new_hash = f"{language}_{hashlib.sha256(data).hexdigest()[:10]}"
        del out[path]
        out[f"pagefind.{new_hash}.pf_meta"] = data
        entry = json.loads(out["pagefind-entry.json"])
        for info in entry["languages"].values():
            if info.get("hash") == old_hash:
                info["hash"] = new_hash
        out["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return out


def _rename(value, renamed: dict[str, str]):
    """Replace old filter file names, and sort every list of [filter name, file name] pairs."""
    if isinstance(value, str):
        return renamed.get(value, value)
    if not isinstance(value, list):
        return value
    items = [_rename(v, renamed) for v in value]
    pairs = all(isinstance(v, list) and len(v) == 2 and isinstance(v[1], str) and v[1] in renamed.values()
                for v in items)
    return sorted(items, key=lambda v: v[0]) if items and pairs else items


def _decode(data: bytes):
    raw = gzip.decompress(data)
    if not raw.startswith(_MAGIC):
        raise ValueError("not a Pagefind data file")
    value, end = _read(raw, len(_MAGIC))
    if end != len(raw):
        raise ValueError("trailing bytes in a Pagefind data file")
    return value


def _encode(value) -> bytes:
    return gzip.compress(_MAGIC + _write(value), compresslevel=9, mtime=0)


def _read(buf: bytes, i: int):
    """One CBOR item (definite lengths: integers, strings, arrays, maps, simple values)."""
    major, info = buf[i] >> 5, buf[i] & 31
    i += 1
    if info < 24:
        arg = info
    elif info <= 27:
        size = 1 << (info - 24)
        arg = int.from_bytes(buf[i:i + size], "big")
        i += size
    else:
        raise ValueError("indefinite-length CBOR is not expected here")
    if major == 0:
        return arg, i
    if major == 1:
        return -1 - arg, i
    if major in (2, 3):
        chunk = buf[i:i + arg]
        return (bytes(chunk) if major == 2 else chunk.decode("utf-8")), i + arg
    if major in (4, 5):
        items = []
        for _ in range(arg * (2 if major == 5 else 1)):
            item, i = _read(buf, i)
            items.append(item)
        return (items if major == 4 else _Map(zip(items[::2], items[1::2]))), i
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], i
    if major == 7 and info == 27:
        return struct.unpack(">d", buf[i - 8:i])[0], i
    raise ValueError(f"unexpected CBOR item (major type {major})")


class _Map(list):
    """A CBOR map kept as (key, value) pairs in their order."""


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise ValueError("integer too large for CBOR")


def _write(value) -> bytes:
    if value is None or isinstance(value, bool):
        return bytes([0xF6 if value is None else (0xF5 if value else 0xF4)])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, _Map):
        return _head(5, len(value)) + b"".join(_write(k) + _write(v) for k, v in value)
    return _head(4, len(value)) + b"".join(_write(v) for v in value)
