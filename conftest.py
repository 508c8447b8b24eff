"""Session-wide test settings.

Quiz progress is opt-in and lives in the learner's home folder; point it at a
throw-away folder so that a developer's own progress never changes what the
lessons print under nbval (kernels inherit this environment).
"""

import os
import tempfile

os.environ["LEMS_COURSE_HOME"] = tempfile.mkdtemp(prefix="lems-course-home-")
