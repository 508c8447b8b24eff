"""Teacher tools behind the ``lems-course`` command.

One source, several outputs: the committed lessons are the instructor version
(solutions in place, outputs stored). The modules here turn them into student
copies (``student``), an answer key (``answer_key``), offline HTML (``export``) and
an installation check (``check``); ``lessons`` finds the lessons on disk.

Grading uses nbgrader itself: ``student.configure_nbgrader`` plugs the same student
preprocessing into ``nbgrader generate_assignment``.
"""
