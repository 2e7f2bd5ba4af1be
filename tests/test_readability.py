"""Every section of the course reads at Flesch-Kincaid grade 11 or below (issue 15).

A *section* is the prose under one heading of a page: the Markdown cells of each notebook of the course
(01.01, 02.04, home, My record...) are cut at every heading of level 1 to 3, so "## Summary" and
"## Key points" are measured on their own, not averaged into the whole page. The words before a page's
first heading are a section too. Sections of fewer than 100 words are too short for a readability
formula to mean much and are not measured. Each whole page is measured as well.

Flesch-Kincaid grade level (Kincaid et al., 1975):

    grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59

How the text is prepared before counting:
- Markdown is reduced to plain words: links keep their text, URLs, inline code, HTML tags, emphasis marks
  and table rules are dropped.
- A sentence ends at ".", "!" or "?" followed by a space or the end of a line, and at the end of every
  heading, list item or table row (a bullet point is read as one unit even without a full stop).
  Abbreviations that carry a full stop ("e.g.", "i.e.", "et al.", "p.", "Dr.") do not end a sentence.
- A word is a run of letters (with inner apostrophes or hyphens); a hyphenated word counts once, with the
  syllables of its parts. Numbers ("2015", "30%") count as words of one syllable.

Syllables are counted by a documented heuristic, since no dictionary is installed:
1. lower-case the word and keep letters only;
2. count groups of consecutive vowels (a, e, i, o, u and y);
3. subtract one for a silent final "e" ("care", "role"), but not for "-le" after a consonant ("able");
4. subtract one for a final "-es" or "-ed" after a consonant that is not sounded ("makes", "shared";
   "-ted", "-ded", "-ses", "-ces", "-ges", "-zes", "-xes", "-ches", "-shes" are sounded and keep it);
5. add one for vowel pairs that are usually two syllables: "ia" or "io" after a consonant other than
   t/s/c/g ("via", "period"), and "ien" in "-ience", "-iency", "-ient" ("resilience", "patient" is an
   accepted over-count);
6. every word has at least one syllable.
The heuristic is checked below against words whose syllables are known, so a change to it cannot silently
make every text look easier.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_GRADE = 11.0
MIN_WORDS = 100

_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|et al|etc|p|pp|Dr|vs|no|approx)\.", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?]+(?=[\s\"'”’)\]]|$)")
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*|\d[\d,.%]*")
_SOUNDED_ES = ("tes", "des", "ses", "ces", "ges", "zes", "xes", "ches", "shes")
_SOUNDED_ED = ("ted", "ded")


def syllables(word: str) -> int:
    """Syllables in one word, by the heuristic in this module's docstring."""
    if any(ch.isdigit() for ch in word):
        return 1
    parts = [p for p in re.split(r"[-'’]", word.lower()) if p]
    if len(parts) > 1:
        return sum(syllables(p) for p in parts)
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 0
    count = len(re.findall(r"[aeiouy]+", w))
    if len(w) > 2 and w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    elif len(w) > 2 and w.endswith("le") and w[-3] in "aeiouy" and count > 1:
        count -= 1
    elif w.endswith("es") and len(w) > 3 and w[-3] not in "aeiouy" and not w.endswith(_SOUNDED_ES) and count > 1:
        count -= 1
    elif w.endswith("ed") and len(w) > 3 and w[-3] not in "aeiouy" and not w.endswith(_SOUNDED_ED) and count > 1:
        count -= 1
    count += len(re.findall(r"[^tscg](?:ia|io)", w)) + len(re.findall(r"ien(?:ce|cy|t)", w))
    return max(1, count)


def plain_units(markdown: str) -> list[str]:
    """The prose of some Markdown, as a list of units each of which ends a sentence at its end."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"https?://\S+|\b[\w.-]+\.(?:ly|uk|org|com)/\S*", " ", text)
    text = re.sub(r"`[^`]*`", " ", text)
    units = []
    for line in text.splitlines():
        line = line.strip()
        if not line or re.fullmatch(r"[|:\-\s]+", line):
            continue
        line = re.sub(r"^(#+|[-*+]|\d+[.)]|>)\s+", "", line)
        line = line.replace("|", ". ").replace("*", "").replace("_", " ")
        units.append(line)
    return units


def measure(markdown: str) -> tuple[int, int, int]:
    """(words, sentences, syllables) of some Markdown prose."""
    words = sentences = syl = 0
    paragraph: list[str] = []

    def flush() -> None:
        nonlocal words, sentences, syl
        text = _ABBREVIATIONS.sub(lambda m: m.group(1).replace(".", ""), " ".join(paragraph))
        for sentence in _SENTENCE_END.split(text):
            toks = _WORD.findall(sentence)
            if toks:
                sentences += 1
                words += len(toks)
                syl += sum(syllables(t) for t in toks)
        paragraph.clear()

    for raw in markdown.splitlines():
        stripped = raw.strip()
        structural = (not stripped or re.match(r"^(#+|[-*+]|\d+[.)]|>)\s+", stripped)
                      or stripped.startswith("|"))
        if structural:
            flush()
        paragraph.extend(plain_units(raw))
        if structural and stripped:
            flush()
    flush()
    return words, sentences, syl


def grade(markdown: str) -> float:
    words, sentences, syl = measure(markdown)
    if not words:
        return 0.0
    return 0.39 * words / sentences + 11.8 * syl / words - 15.59


def notebook_prose(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            src = cell["source"]
            cells.append("".join(src) if isinstance(src, list) else src)
    return "\n\n".join(cells)


PAGES = sorted([*ROOT.glob("modules/*/*.ipynb"), *ROOT.glob("course/**/*.ipynb")])


def sections(prose: str) -> list[tuple[str, str]]:
    """(heading, text) of each part of a page's prose, cut at headings of level 1 to 3."""
    parts = re.split(r"(?m)^(?=#{1,3} )", prose)
    return [(part.splitlines()[0].lstrip("# ").strip() if part.startswith("#") else "(introduction)", part)
            for part in parts if part.strip()]


def measured_sections() -> list[tuple[str, str]]:
    found = []
    for path in PAGES:
        for heading, text in sections(notebook_prose(path)):
            if measure(text)[0] >= MIN_WORDS:
                found.append((f"{path.stem}: {heading}", text))
    return found


MEASURED = measured_sections()
@pytest.mark.parametrize("word, expected", [
    ("care", 1), ("role", 1), ("team", 1), ("makes", 1), ("shared", 1), ("stress", 1),
    ("able", 2), ("people", 2), ("support", 2), ("visitor", 3), ("wanted", 2), ("practices", 3),
    ("resilience", 4), ("compassion", 3), ("organisation", 5), ("period", 3),
    ("family", 3), ("health", 1), ("studies", 2), ("experience", 4), ("self-compassion", 4), ("responsibilities", 6),
])
def test_syllable_heuristic_on_known_words(word, expected):
    assert syllables(word) == expected


def test_the_formula_separates_plain_from_dense_text():
    plain = "We meet once a week. We talk about the work. Then we go home and rest. " * 10
    dense = ("Organisational determinants of occupational resilience, incorporating individual, societal and "
             "environmental interaction, necessitate contextually sensitive interventions. ") * 10
    assert measure(plain) == (160, 30, 170)
    assert grade(plain) < 0
    assert grade(dense) > 20


def test_bullets_headings_and_abbreviations():
    text = "## Key points\n\n- First point without a stop\n- Second point, e.g. this one\n\nA sentence. Another."
    words, sentences, _ = measure(text)
    assert sentences == 5
    assert words == 15


def test_sections_are_cut_at_headings():
    prose = "Intro words here.\n\n## Summary\n\nOne. Two.\n\n### Detail\n\nThree.\n\n#### Small\n\nFour."
    assert [h for h, _ in sections(prose)] == ["(introduction)", "Summary", "Detail"]
    assert len(PAGES) >= 35
    assert len(MEASURED) >= 60


@pytest.mark.parametrize("name, text", MEASURED, ids=[name for name, _ in MEASURED])
def test_section_reads_at_grade_11_or_below(name, text):
    words, sentences, _ = measure(text)
    g = grade(text)
    assert g <= MAX_GRADE, f"{name}: grade {g:.1f} over {words} words in {sentences} sentences"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_page_reads_at_grade_11_or_below(path):
    prose = notebook_prose(path)
    if measure(prose)[0] < MIN_WORDS:
        pytest.skip("too short to measure")
    assert grade(prose) <= MAX_GRADE
