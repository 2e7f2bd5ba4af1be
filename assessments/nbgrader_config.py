# nbgrader configuration for the Resilience with Compassion module quizzes.
# Run every nbgrader command from this folder (assessments/); see README.md here.
import os

import nbgrader
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.converters import Autograde
from nbgrader.preprocessors import ClearHiddenTests, Execute, GetGrades, OverwriteCells
from resilience_course.quiz.sanitize import RemoveSubmittedFiles, SanitizeAnswers

c = get_config()  # noqa: F821 (nbgrader provides get_config when it reads this file)
HERE = os.path.dirname(os.path.abspath(__file__))

# The course, and the folder that holds source/, release/, submitted/, autograded/, feedback/
# and gradebook.db (only source/ and this file are kept in git).
c.CourseDirectory.course_id = "resilience-with-compassion"
c.CourseDirectory.root = HERE

# Single machine: the exchange is a folder next to this file (create it once: mkdir -p exchange).
# For a shared exchange (JupyterHub, or several accounts on one server) set
# c.Exchange.root = "/srv/nbgrader/exchange" in /etc/jupyter/nbgrader_config.py, or pass
# --Exchange.root=/srv/nbgrader/exchange to each command (an option given on the command line wins).
c.Exchange.root = os.path.join(HERE, "exchange")

# Grading runs no learner code. Before anything is executed, every answer cell is reduced to
# `answer_N = '<text>'` by parsing it (never running it), anything else scores as blank and is logged
# as "not readable", cells the learner added are emptied, the trainer's locked cells come back from the
# gradebook, and files submitted beside the notebook are deleted (see README.md, "What is protected").
_sanitize = list(Autograde.class_traits()["sanitize_preprocessors"].default())
_sanitize.insert(_sanitize.index(OverwriteCells) + 1, SanitizeAnswers)
c.Autograde.sanitize_preprocessors = _sanitize
_autograde = list(Autograde.class_traits()["autograde_preprocessors"].default())
_autograde.insert(_autograde.index(Execute), RemoveSubmittedFiles)
c.Autograde.autograde_preprocessors = _autograde

# A quiz notebook runs in a second or two; stop a stuck one after a minute.
c.Execute.timeout = 60
# Short error messages in marked notebooks, so a failed check shows its message and never its code.
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--InteractiveShell.xmode=Minimal"]

# Friendly stubs in the learners' copies, in place of the answer key and the mark scheme.
c.ClearSolutions.code_stub = {
    "python": "# Type your answer between the quotation marks on the line above, then press Shift + Enter."
}
c.ClearSolutions.text_stub = (
    "Write your answer here, in your own words. "
    "(Double-click this box to type in it; press Shift + Enter when you have finished.)"
)

# A learner who deletes a graded cell gets it back when the quiz is marked.
c.OverwriteCells.add_missing_cells = True

# Feedback tells learners which questions they got and what each check said, but keeps the
# hidden checks (and so the answer key) hidden, so a quiz can be used again with the next group.
# The template leaves out MathJax and every other web resource, so feedback opens offline.
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
# (Set for generate_feedback only, so the formgrader keeps its own pages.)
c.GenerateFeedback.HTMLExporter.template_file = "offline.html.j2"
c.GenerateFeedback.HTMLExporter.extra_template_basedirs = [
    os.path.join(HERE, "templates"),
    os.path.join(os.path.dirname(nbgrader.__file__), "server_extensions", "formgrader", "templates"),
]
