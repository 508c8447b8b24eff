"""Quiz item files on disk: the stored format, strict JSON reading, sealed answer keys.

Authors write a plaintext ``"key"``; ``python -m lems_course.quiz seal`` replaces it with a
``"sealed"`` string so that answers are not readable at a glance in the installed
package. Sealing is obfuscation, not security: a learner can unseal, as the teacher does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import zlib
from pathlib import Path
from typing import Any

_SEAL_PREFIX = "v1:"


class QuizError(ValueError):
    """An item file is invalid, or an item cannot be found; names file, item and field."""


def _keystream(item_id: str, length: int) -> bytes:
    # Salted by the item ID, so a sealed blob copied onto another item does not decode.
    blocks = (hashlib.sha256(f"lems-course:{item_id}:{n}".encode()).digest()
              for n in range(length // 32 + 1))
    return b"".join(blocks)[:length]


def _xor(data: bytes, item_id: str) -> bytes:
    return bytes(a ^ b for a, b in zip(data, _keystream(item_id, len(data)), strict=True))


def _strict_json(text: str | bytes) -> Any:
    # NaN and Infinity are not JSON, though Python's parser accepts them.
    return json.loads(text, parse_constant=lambda name: _raise(f"{name} is not a number"))


def _raise(message: str) -> Any:
    raise ValueError(message)


def seal_key(item_id: str, key: dict[str, Any]) -> str:
    """Deterministic sealed form of ``key`` for item ``item_id``."""
    payload = f"{item_id}\n{json.dumps(key, ensure_ascii=False, separators=(',', ':'))}"
    sealed = _xor(zlib.compress(payload.encode(), 9), item_id)
    return _SEAL_PREFIX + base64.b64encode(sealed).decode("ascii")


def unseal_key(item_id: str, sealed: str) -> dict[str, Any]:
    """Inverse of :func:`seal_key`; raises ValueError if the blob is not this item's."""
    if not isinstance(sealed, str) or not sealed.startswith(_SEAL_PREFIX):
        raise ValueError(f"sealed value must be a string starting with {_SEAL_PREFIX!r}")
    try:
        mixed = base64.b64decode(sealed[len(_SEAL_PREFIX):], validate=True)
        payload = zlib.decompress(_xor(mixed, item_id)).decode()
    except (ValueError, zlib.error) as error:
        raise ValueError(f"sealed value does not decode for item {item_id} "
                         f"(copied from another item, or damaged): {error}") from None
    owner, _, text = payload.partition("\n")
    if owner != item_id:
        raise ValueError(f"sealed value belongs to another item, not {item_id}")
    key = _strict_json(text)
    if not isinstance(key, dict):
        raise ValueError(f"sealed value of {item_id} does not hold a key object")
    return key


def dump_bank(data: dict[str, Any]) -> str:
    """The one file format: 2-space indent, UTF-8 text, author's key order kept."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _rewrite_keys(path: str | os.PathLike[str], old: str, new: str, convert: Any) -> int:
    """Replace field ``old`` by ``new`` = convert(item ID, value) in place, keeping the
    field order (small diffs); rewrite the file only if it changes. Returns the count."""
    path = Path(path)
    original = path.read_text(encoding="utf-8")
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise QuizError(f"{path.name}: field 'items' must be a list of items")
    count = 0
    for index, entry in enumerate(data["items"]):
        if not isinstance(entry, dict) or old not in entry:
            continue
        item_id = entry.get("id")
        if not isinstance(item_id, str):
            raise QuizError(f"{path.name}: item #{index + 1}: field 'id' is missing")
        try:
            value = convert(item_id, entry[old])
        except ValueError as error:
            raise QuizError(f"{path.name}: item {item_id}: field '{old}': {error}") from None
        data["items"][index] = {(new if name == old else name): (value if name == old else v)
                                for name, v in entry.items() if name != new}
        count += 1
    if dump_bank(data) != original:
        temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        temporary.write_text(dump_bank(data), encoding="utf-8")
        os.replace(temporary, path)   # a reader never sees half a file
    return count


def seal_file(path: str | os.PathLike[str]) -> int:
    """Seal every plaintext key in one file (an edited key wins over a stale sealed one);
    return how many. Idempotent: a sealed, well-formatted file stays byte-for-byte the same."""
    return _rewrite_keys(path, "key", "sealed", seal_key)


def unseal_file(path: str | os.PathLike[str]) -> int:
    """Turn every sealed key of one file back into plaintext for editing."""
    return _rewrite_keys(path, "sealed", "key", unseal_key)


def read_json(path: Path) -> Any:
    try:
        return _strict_json(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise QuizError(f"{path.name}: not valid JSON: line {error.lineno}, "
                        f"column {error.colno}: {error.msg}") from None
    except ValueError as error:
        raise QuizError(f"{path.name}: not valid JSON: {error}") from None
