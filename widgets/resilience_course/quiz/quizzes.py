"""Module quizzes graded with nbgrader: the question data in ``assessments/quizzes/*.yml`` (no widgets).

Each file holds one quiz: its autograded questions (with the answer key), its manually graded
reflective questions (with the mark scheme) and the learning outcome every item tests. The
generator ``assessments/build_quizzes.py`` turns a file into the nbgrader source notebook, and
the item analysis (:mod:`resilience_course.quiz.item_analysis`) reads the outcome of every
item from here.

Names used in the notebooks (nbgrader ``grade_id``):

* question *n* with id ``x``: answer cell ``qNN-x-answer``, test cell ``qNN-x`` (graded), variable ``answer_n``;
* reflective question with id ``y``: answer cell ``reflection-y`` (graded by hand).

Options are written in the YAML in any order (usually the keyed one first) and **shuffled when the
quiz is loaded**, deterministically (:func:`shuffle_plan`): within each quiz the key of the
single-answer questions goes to the letter A to D used least so far (ties broken by a hash of the
quiz and question ids), the other options follow in a hashed order, and an option marked
``last: true`` (such as "None of these") stays last. Everything built from a quiz (the nbgrader
notebook, the marking guide, the quiz page, the tests) sees the shuffled letters; the YAML keeps
the letters its author wrote.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..core.content import ContentError, load_yaml
from ..core.course import course_root, load_outline

__all__ = ["Question", "Reflection", "Item", "Quiz", "load_quiz", "quiz_dir", "quiz_path", "quiz_files",
           "load_all_quizzes", "outcome_map", "shuffle_plan", "key_balance"]

LETTERS = "ABCDEF"


@dataclass(frozen=True)
class Question:
    """One autograded question; ``answer`` is the key as sorted capital letters (e.g. ``"AC"``)."""

    number: int
    id: str
    outcome: str
    type: str
    points: int
    stem: str
    options: tuple[tuple[str, str], ...]  # (letter, text)
    answer: str
    source: str

    @property
    def grade_id(self) -> str:
        return f"q{self.number:02d}-{self.id}"

    @property
    def answer_cell_id(self) -> str:
        return f"{self.grade_id}-answer"

    @property
    def variable(self) -> str:
        return f"answer_{self.number}"

    @property
    def letters(self) -> str:
        return "".join(letter for letter, _ in self.options)


@dataclass(frozen=True)
class Reflection:
    """One reflective answer, written in Markdown and graded by hand against ``mark_scheme``."""

    number: int
    id: str
    outcome: str
    points: int
    prompt: str
    guidance: str
    mark_scheme: tuple[tuple[int, str], ...]  # (points, criterion)
    marker_notes: str

    @property
    def grade_id(self) -> str:
        return f"reflection-{self.id}"


@dataclass(frozen=True)
class Item:
    """A graded cell as the gradebook sees it."""

    grade_id: str
    label: str  # "Q3" or "R1"
    kind: str  # "auto" or "manual"
    outcome: str
    points: int


@dataclass(frozen=True)
class Quiz:
    assignment: str
    module: str
    title: str
    minutes: int
    questions: tuple[Question, ...]
    reflections: tuple[Reflection, ...]
    path: Path | None = None

    @property
    def items(self) -> tuple[Item, ...]:
        auto = [Item(q.grade_id, f"Q{q.number}", "auto", q.outcome, q.points) for q in self.questions]
        manual = [Item(r.grade_id, f"R{r.number}", "manual", r.outcome, r.points) for r in self.reflections]
        return tuple(auto + manual)

    @property
    def max_score(self) -> int:
        return sum(i.points for i in self.items)

    @property
    def notebook(self) -> str:
        """The notebook's file name inside the assignment folder."""
        return f"{self.assignment}.ipynb"


def quiz_dir(root: Path | None = None) -> Path:
    return (root or course_root()) / "assessments" / "quizzes"


def quiz_path(assignment: str, root: Path | None = None) -> Path:
    return quiz_dir(root) / f"{assignment}.yml"


def quiz_files(root: Path | None = None) -> list[Path]:
    return sorted(quiz_dir(root).glob("module-*-quiz.yml"))


def _rank(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256(":".join(parts).encode("utf-8")).digest()[:8], "big")


def _hashed(assignment: str, qid: str, n: int, pinned: list[int], salt: int) -> list[int]:
    extra = ["salt", str(salt)] if salt else []
    return sorted((i for i in range(n) if i not in pinned), key=lambda i: _rank(assignment, qid, str(i), *extra))


def shuffle_plan(assignment: str, questions: list[dict]) -> list[list[int]]:
    """For each question (YAML data, authored order), the authored option indices in their shuffled order.

    Deterministic: it depends only on the quiz's assignment name and on its questions' ids, types,
    keys and number of options. Single-answer keys are balanced within the quiz over the letters A to
    D; multi-answer questions get a hashed order. Options marked ``last`` stay at the end.
    """
    used = dict.fromkeys("ABCD", 0)
    multi_at_a = [0, 0]  # multi-answer keys so far that do not / do include A
    plans = []
    for q in questions:
        opts = q["options"]
        n = len(opts)
        pinned = [i for i, o in enumerate(opts) if o.get("last")]
        key = [i for i, o in enumerate(opts) if o["id"] in q["answer"]]
        free = _hashed(assignment, q["id"], n, pinned, 0)
        if q["type"] == "multiple":  # alternate keys that include A and keys that do not, within the quiz
            want_a = multi_at_a[1] < multi_at_a[0]
            candidates = (_hashed(assignment, q["id"], n, pinned, salt) for salt in range(16))
            free = next((order for order in candidates if ((order + pinned)[0] in key) == want_a), free)
            multi_at_a[(free + pinned)[0] in key] += 1
        order = free + pinned
        if q["type"] == "single" and key[0] not in pinned:
            k = key[0]
            slots = [pos for pos in range(min(n - len(pinned), 4))]
            pos = min(slots, key=lambda p: (used[LETTERS[p]], _rank(assignment, q["id"], "slot", str(p))))
            rest = [i for i in free if i != k]
            order = rest[:pos] + [k] + rest[pos:] + pinned
        if q["type"] == "single":
            letter = LETTERS[order.index(key[0])]
            if letter in used:
                used[letter] += 1
        plans.append(order)
    return plans


def key_balance(quizzes: list[Quiz]) -> dict:
    """Figures that show whether keys give themselves away, over every question of *quizzes*.

    ``single_letters``: share of single-answer keys on each letter; ``multiple_start_at_a``: how many
    multi-answer keys include A, of how many; ``longest_keyed``: share of questions whose longest option
    (ties included) is keyed.
    """
    singles = [q for quiz in quizzes for q in quiz.questions if q.type == "single"]
    multis = [q for quiz in quizzes for q in quiz.questions if q.type == "multiple"]
    every = singles + multis
    letters = {letter: sum(q.answer == letter for q in singles) / len(singles) for letter in LETTERS}

    def longest_is_keyed(q: Question) -> bool:
        most = max(len(t) for _, t in q.options)
        return any(len(t) == most for letter, t in q.options if letter in q.answer)

    return {
        "single": len(singles),
        "single_letters": letters,
        "multiple": len(multis),
        "multiple_start_at_a": sum(q.answer.startswith("A") for q in multis),
        "longest_keyed": sum(longest_is_keyed(q) for q in every) / len(every),
        "longest_keyed_single": sum(longest_is_keyed(q) for q in singles) / len(singles),
    }


def load_quiz(path_or_assignment: str | Path, check_outcomes: bool = True, shuffle: bool = True) -> Quiz:
    """Load one quiz file (a path, or an assignment name such as ``"module-03-quiz"``) and check it.

    Checks beyond the schema: the file is named after the assignment, the assignment matches the
    module, question and reflection ids are unique, options are lettered A, B, C... in order, the
    key uses only the question's letters (one letter for a single-answer question), each mark
    scheme adds up to the reflection's points, and every outcome belongs to the quiz's module in
    ``course/course.yml``. Options are then shuffled (see :func:`shuffle_plan`) unless *shuffle* is false.
    """
    if isinstance(path_or_assignment, str) and not path_or_assignment.endswith((".yml", ".yaml")):
        path = quiz_path(path_or_assignment)
    else:
        path = Path(path_or_assignment)
    data = load_yaml(path, "quiz")
    f = str(path)
    if path.stem != data["assignment"]:
        raise ContentError(f, "assignment", f"the file must be named {data['assignment']}.yml")
    if data["assignment"] != f"module-{data['module']}-quiz":
        raise ContentError(f, "assignment", f"module {data['module']} needs the assignment name "
                                            f"module-{data['module']}-quiz")
    outcomes = None
    if check_outcomes:
        try:
            outcomes = {o["id"] for o in load_outline().module(data["module"]).outcomes}
        except (ContentError, KeyError) as exc:
            raise ContentError(f, "module", f"module {data['module']!r} is not in the course outline "
                                            f"({exc})") from None
    seen: set[str] = set()
    questions = []
    for n, q in enumerate(data["questions"], start=1):
        where = f"questions[{n - 1}]"
        if q["id"] in seen:
            raise ContentError(f, f"{where}.id", f"duplicate id {q['id']!r}")
        seen.add(q["id"])
        letters = "".join(o["id"] for o in q["options"])
        if letters != LETTERS[: len(letters)]:
            raise ContentError(f, f"{where}.options", f"options must be lettered {', '.join(LETTERS[:len(letters)])}"
                                                      f" in order (found {', '.join(letters)})")
        texts = [o["text"].strip().lower() for o in q["options"]]
        if len(set(texts)) != len(texts):
            raise ContentError(f, f"{where}.options", "two options have the same text")
        key = q["answer"]
        if len(set(key)) != len(key):
            raise ContentError(f, f"{where}.answer", f"the key {key!r} repeats a letter")
        wrong = sorted(set(key) - set(letters))
        if wrong:
            raise ContentError(f, f"{where}.answer", f"the key uses {', '.join(wrong)}, which is not an option")
        if q["type"] == "single" and len(key) != 1:
            raise ContentError(f, f"{where}.answer", "a single-answer question needs exactly one letter in its key")
        if q["type"] == "multiple" and len(key) == len(letters):
            raise ContentError(f, f"{where}.answer", "every option is right; add an option that is wrong")
        if outcomes is not None and q["outcome"] not in outcomes:
            raise ContentError(f, f"{where}.outcome", f"outcome {q['outcome']} is not an outcome of module "
                                                      f"{data['module']} ({', '.join(sorted(outcomes))})")
    plans = shuffle_plan(data["assignment"], data["questions"]) if shuffle else \
        [list(range(len(q["options"]))) for q in data["questions"]]
    for n, (q, order) in enumerate(zip(data["questions"], plans), start=1):
        opts = [q["options"][i] for i in order]
        new_letter = {o["id"]: LETTERS[pos] for pos, o in enumerate(opts)}
        questions.append(Question(n, q["id"], q["outcome"], q["type"], q["points"], q["stem"].strip(),
                                  tuple((LETTERS[pos], o["text"].strip()) for pos, o in enumerate(opts)),
                                  "".join(sorted(new_letter[letter] for letter in q["answer"])), q["source"]))
    reflections = []
    for n, r in enumerate(data["reflections"], start=1):
        where = f"reflections[{n - 1}]"
        if r["id"] in seen:
            raise ContentError(f, f"{where}.id", f"duplicate id {r['id']!r}")
        seen.add(r["id"])
        total = sum(m["points"] for m in r["mark_scheme"])
        if total != r["points"]:
            raise ContentError(f, f"{where}.mark_scheme", f"the mark scheme adds up to {total} but the "
                                                          f"question is worth {r['points']}")
        if outcomes is not None and r["outcome"] not in outcomes:
            raise ContentError(f, f"{where}.outcome", f"outcome {r['outcome']} is not an outcome of module "
                                                      f"{data['module']}")
        reflections.append(Reflection(n, r["id"], r["outcome"], r["points"], r["prompt"].strip(),
                                      r.get("guidance", "").strip(),
                                      tuple((m["points"], m["criterion"].strip()) for m in r["mark_scheme"]),
                                      r.get("marker_notes", "").strip()))
    return Quiz(data["assignment"], data["module"], data["title"], data["minutes"], tuple(questions),
                tuple(reflections), path)


def load_all_quizzes(root: Path | None = None) -> list[Quiz]:
    return [load_quiz(p) for p in quiz_files(root)]


def outcome_map(assignment: str, root: Path | None = None) -> dict[str, tuple[str, str]]:
    """``{grade_id: (label, outcome)}`` for every graded cell of *assignment*."""
    quiz = load_quiz(quiz_path(assignment, root))
    return {i.grade_id: (i.label, i.outcome) for i in quiz.items}
