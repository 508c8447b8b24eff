"""Teacher tools behind the ``lems-course`` command.

One source, several outputs: the lessons are written in ``instructor/`` (the nbgrader
source: solutions in place, hidden tests, outputs stored). The modules here turn them
into the learner versions in ``lessons/`` (``learner``, run by
``scripts/build_learner_lessons.py``), student copies (``student``), an answer key
(``answer_key``), offline HTML (``export``) and an installation check (``check``);
``lessons`` finds both folders on disk.

Grading uses nbgrader itself: ``student.configure_nbgrader`` plugs the same student
preprocessing into ``nbgrader generate_assignment``.
"""
