"""The JSON Schemas shipped in ``lems_course/data/schemas`` (facts, references, quiz
items), and their violations in an author's words: file, entry and field named."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["schema", "schema_errors", "schema_problems"]


def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in ``lems_course/data/schemas`` (facts, references, quiz_items)."""
    path = resources.files("lems_course").joinpath("data", "schemas", f"{name}.schema.json")
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _validator(name: str, ref: str = "") -> Any:
    import jsonschema  # imported here: only checks need it, not `import lems_course`

    document = schema(name)
    if ref:   # one of its $defs (a quiz key, checked once unsealed)
        document = {"$defs": document["$defs"], "$ref": f"#/$defs/{ref}"}
    return jsonschema.Draft202012Validator(document)


def schema_errors(data: Any, name: str, ref: str = "") -> list[tuple[list[Any], str]]:
    """(path, message) of each violation of a shipped schema, in an author's words; a
    missing or unknown field ends the path."""
    found = []
    for error in sorted(_validator(name, ref).iter_errors(data),
                        key=lambda e: [str(part) for part in e.absolute_path]):
        path, message, rule = list(error.absolute_path), error.message, error.validator
        if rule in ("required", "additionalProperties") and "'" in message:
            path.append(message.split("'")[1])
            message = "missing (required)" if rule == "required" else (
                f"unknown field (not in schemas/{name}.schema.json)")
        elif rule == "pattern" and error.validator_value == "\\S":
            message = "must not be blank"
        elif rule == "type":
            message = f"must be {error.validator_value}, got {error.instance!r}"
        elif rule == "oneOf" and all("required" in s for s in error.validator_value):
            names = " or ".join(repr(s["required"][0]) for s in error.validator_value)
            message = f"needs exactly one of {names}"
        found.append((path, message))
    return found


def schema_problems(data: Any, name: str, file_name: str) -> list[str]:
    """Schema violations of a data file as messages naming the file, the entry and the field."""
    problems = []
    for path, message in schema_errors(data, name):
        entry = ""
        if len(path) >= 2 and isinstance(path[1], int):
            item = data[path[0]][path[1]]
            name = item.get("id") if isinstance(item, dict) else None
            entry = f" {name or f'{path[0]}[{path[1]}]'}"
            path = path[2:]
        field = ".".join(map(str, path)) or "(top level)"
        problems.append(f"{file_name}:{entry} field {field}: {message}")
    return problems
