"""``python -m lems_course.quiz seal|unseal|validate [FILES]``: tools for item authors.

- ``seal [FILES]``   replace each plaintext ``key`` by ``sealed`` (default: all lesson files)
- ``unseal FILES``   turn sealed keys back into plaintext for editing
- ``validate [FILES]`` check the schema (``data/schemas/quiz_items.schema.json``), the
  rules a schema cannot say and lesson coverage, and the facts data
  (``facts.yaml``, ``references.yaml``); exit status 1 on problems
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lems_course import sources

from ._files import QuizError, read_json, seal_file, unseal_file
from ._items import check_bank, coverage_problems, item_files


def _files(names: list[str]) -> list[Path]:
    return [Path(name) for name in names] if names else item_files()


def _validate(paths: list[Path]) -> int:
    # The facts the items cite are data too: check them against their schemas first.
    failures = 0
    for message in sources.check_data():
        print(f"PROBLEM {message}")
        failures = 1
    if not paths:
        print("No item files found.")
        return failures
    for path in paths:
        try:
            data = read_json(path)
        except (QuizError, OSError) as error:
            print(f"PROBLEM {error}")
            failures += 1
            continue
        # Authors validate before sealing, so plaintext keys are reported, not refused.
        items, problems = check_bank(data, path.name, allow_plaintext=True)
        problems += coverage_problems(data, items, path.name)
        plaintext = [entry.get("id") for entry in data.get("items", [])
                     if isinstance(entry, dict) and "key" in entry]
        for message in problems:
            print(f"PROBLEM {message}")
        if plaintext:
            print(f"NOTE    {path.name}: {len(plaintext)} plaintext key(s) to seal before "
                  f"committing: python -m lems_course.quiz seal {path}")
        if problems:
            failures += 1
        else:
            graded = sum(item.graded for item in items)
            print(f"OK      {path.name}: {len(items)} items ({graded} graded)")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lems_course.quiz",
                                     description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("seal", "seal plaintext answer keys (default: all lesson files)"),
                       ("unseal", "turn sealed keys back into plaintext for editing"),
                       ("validate", "check item files (default: all lesson files)")):
        command = commands.add_parser(name, help=text)
        command.add_argument("files", nargs="+" if name == "unseal" else "*")
    arguments = parser.parse_args(argv)
    paths = _files(arguments.files)

    if arguments.command == "validate":
        return _validate(paths)
    status = 0
    for path in paths:
        try:
            if arguments.command == "seal":
                count = seal_file(path)
                print(f"{path}: sealed {count} key(s)" if count else
                      f"{path}: nothing to seal")
            else:
                count = unseal_file(path)
                print(f"{path}: unsealed {count} key(s); seal again before committing")
        except (QuizError, OSError) as error:
            print(f"PROBLEM {error}", file=sys.stderr)
            status = 1
    if arguments.command == "seal" and status == 0:
        status = _validate(paths)
    return status


if __name__ == "__main__":
    sys.exit(main())
