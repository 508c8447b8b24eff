"""The fixture notebooks under ``fixtures/`` are inputs to the teacher tools, not lessons:
nbval must not collect them."""

collect_ignore_glob = ["fixtures/*"]
