"""Set up an nbgrader course folder from the lessons.

nbgrader does the grading; this only lays out its folder so teachers do not have to:

    COURSEDIR/nbgrader_config.py              course id, root, the course's student copy
    COURSEDIR/source/<lesson>/<lesson>.ipynb  one assignment per lesson

``nbgrader generate_assignment`` then writes the same student copies as
``lems-course student`` (see ``student.configure_nbgrader``), and ``autograde`` runs
the hidden tests of the lessons' graded cells.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbgrader import utils as nbgrader_utils

from .learner import source_of
from .lessons import read_lesson
from .student import EmbedLocalImages

COURSE_ID = "lems-course"

CONFIG_TEMPLATE = '''\
"""nbgrader configuration for the LEMS course (written by `lems-course nbgrader-course`)."""
import os

from lems_course.teacher.student import configure_nbgrader

c = get_config()  # noqa: F821 (nbgrader provides it)
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
# Student copies keep each answer variable as `name = None  # YOUR ANSWER HERE` and drop
# cells tagged instructor-only, exactly like `lems-course student`.
configure_nbgrader(c)
# A student's endless loop must not stop the class's grading.
c.ExecutePreprocessor.timeout = 60
'''


def graded_points(nb: nbformat.NotebookNode) -> float:
    """Total points of a notebook's autograded cells."""
    return sum(float(cell.metadata["nbgrader"].get("points", 0)) for cell in nb.cells
               if nbgrader_utils.is_grade(cell))


def write_course(lessons: list[Path], course_dir: Path, course_id: str = COURSE_ID
                 ) -> list[tuple[Path, float]]:
    """Write the config and one source assignment per lesson; return (lesson, points)."""
    config = course_dir / "nbgrader_config.py"
    if not config.exists():  # a teacher's own edits win
        config.write_text(CONFIG_TEMPLATE.format(course_id=course_id), encoding="utf-8")
    written = []
    for lesson in lessons:
        lesson = source_of(lesson)  # a learner version has no hidden tests to grade
        nb = read_lesson(lesson)
        # Images travel inside the notebook: the source folder has no ../assets.
        nb, _ = EmbedLocalImages().preprocess(nb, {"metadata": {"path": str(lesson.parent)}})
        folder = course_dir / "source" / lesson.stem
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / lesson.name)
        written.append((lesson, graded_points(nb)))
    return written
