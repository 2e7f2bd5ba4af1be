"""Every YAML and JSON the course reads has a size cap, an alias limit and a depth limit (issue 14, item 5).

Each failure names the file and the limit, comes quickly (no alias is expanded, nothing recurses) and is a
``ValueError`` (``LimitError``) or, through ``load_yaml``, a ``ContentError``.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from resilience_course.core import limits
from resilience_course.core.content import ContentError, load_schema, load_yaml
from resilience_course.core.limits import LimitError, load_json_file, load_yaml_file, loads_json, loads_yaml

# The "billion laughs": 9 levels of 9 aliases, 342 bytes that stand for 9**9 (387 million) strings.
ALIAS_BOMB = "".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
        *(f"{b}: &{b} [{','.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi")),
    ]
)


def test_alias_bomb_is_refused_at_once_naming_the_file_and_the_limit(tmp_path):
    path = tmp_path / "scale.yml"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    assert len(ALIAS_BOMB) < 400
    start = time.perf_counter()
    with pytest.raises(LimitError) as info:
        load_yaml_file(path)
    assert time.perf_counter() - start < 2
    assert info.value.limit == "aliases"
    assert str(path) in str(info.value) and "aliases" in str(info.value) and "limit" in str(info.value)


def test_alias_bomb_in_a_selfcheck_file_ends_quickly_with_a_plain_message(tmp_path):
    """`selfcheck validate` on the 358-byte bomb used to run without end (1.5 GB after 2 minutes)."""
    path = tmp_path / "bomb.yml"
    # the bomb where a text belongs: the old check printed the (expanded) value in its message
    path.write_text("id: bomb\ntitle:\n" + "".join(f"  {line}\n" for line in ALIAS_BOMB.splitlines()),
                    encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "resilience_course.cli", "selfcheck", "validate", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert str(path) in proc.stderr and "aliases" in proc.stderr


def test_few_aliases_that_stand_for_too_much_are_refused():
    # 4 aliases only, but each doubles the size: refused by the expansion count, not the alias count
    text = "a: &a [" + ", ".join(["x"] * 60_000) + "]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    with pytest.raises(LimitError) as info:
        loads_yaml(text, "many.yml")
    assert info.value.limit == "aliases" and "many.yml" in str(info.value)


def test_an_alias_inside_its_own_anchor_is_refused():
    with pytest.raises(LimitError, match="contains it"):
        loads_yaml("a: &x [1, *x]", "loop.yml")


def test_ordinary_aliases_still_load():
    assert loads_yaml("x: &a {k: 1}\ny: *a\nz: [*a, *a]") == {"x": {"k": 1}, "y": {"k": 1},
                                                            "z": [{"k": 1}, {"k": 1}]}


@pytest.mark.parametrize("text", ["[" * 50 + "]" * 50, "[" * 5000 + "]" * 5000,
                                  "".join("  " * i + "- \n" for i in range(60)) + "  " * 60 + "x\n",
                                  "".join("  " * i + "k:\n" for i in range(60)) + "  " * 60 + "v: 1\n"])
def test_deep_yaml_names_the_depth_limit_not_recursion(tmp_path, text):
    path = tmp_path / "deep.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LimitError) as info:
        load_yaml_file(path)
    assert info.value.limit == "depth" and str(path) in str(info.value)
    assert f"{limits.YAML_LIMITS.max_depth} levels" in str(info.value)


def test_yaml_depth_limit_is_exact():
    assert loads_yaml("[[1]]", max_depth=2) == [[1]]
    with pytest.raises(LimitError):
        loads_yaml("[[1]]", max_depth=1)


def test_big_yaml_is_refused_before_it_is_read_in_full(tmp_path):
    path = tmp_path / "big.yml"
    path.write_bytes(b"a: " + b"x" * (limits.YAML_LIMITS.max_bytes + 10))
    with pytest.raises(LimitError) as info:
        load_yaml_file(path)
    assert info.value.limit == "size" and str(path) in str(info.value) and "KB" in str(info.value)


def test_load_yaml_turns_each_limit_into_a_content_error_naming_file_and_limit(tmp_path):
    cases = {"bomb.yml": ALIAS_BOMB, "deep.yml": "[" * 3000 + "]" * 3000,
             "big.yml": "a: " + "x" * (limits.YAML_LIMITS.max_bytes + 1)}
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ContentError) as info:
            load_yaml(path, "selfcheck")
        assert info.value.file == str(path)
        assert "limit" in info.value.reason


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, '{"a":' * 5000 + "1" + "}" * 5000])
def test_deep_json_names_the_depth_limit_not_recursion(tmp_path, text):
    path = tmp_path / "deep.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LimitError) as info:
        load_json_file(path)
    assert info.value.limit == "depth" and str(path) in str(info.value)


def test_json_depth_ignores_brackets_inside_strings_and_is_exact():
    assert loads_json('{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "b": "\\"]["}', max_depth=1) == {
        "a": "[" * 36, "b": '"]['}
    assert loads_json("[[1]]", max_depth=2) == [[1]]
    with pytest.raises(LimitError):
        loads_json("[[1]]", max_depth=1)


def test_big_json_is_refused(tmp_path):
    path = tmp_path / "big.json"
    path.write_text('"' + "x" * 2000 + '"', encoding="utf-8")
    with pytest.raises(LimitError) as info:
        load_json_file(path, max_bytes=1000)
    assert info.value.limit == "size" and str(path) in str(info.value)


def test_syntax_errors_are_still_the_parsers_own():
    with pytest.raises(ValueError) as info:
        loads_json("{oops")
    assert not isinstance(info.value, LimitError)


def test_limit_error_is_a_value_error_so_existing_handlers_catch_it():
    assert issubclass(LimitError, ValueError)


def test_shipped_schemas_load_within_the_limits():
    assert load_schema("selfcheck")["type"] == "object"


def test_check_depth_on_parsed_data():
    limits.check_depth({"a": [{"b": 1}]}, 3)
    with pytest.raises(LimitError):
        limits.check_depth({"a": [{"b": [1]}]}, 3)


def test_the_hub_cohort_file_is_read_within_the_limits(tmp_path):
    from resilience_course.hub import roster

    path = tmp_path / "cohort.yml"
    path.write_text("learners:\n" + "".join(f"  {line}\n" for line in ALIAS_BOMB.splitlines()), encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(roster.RosterError) as info:
        roster.load(path)
    assert time.perf_counter() - start < 2
    assert str(path) in str(info.value) and "aliases" in str(info.value)
    path.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    with pytest.raises(roster.RosterError, match="nested too deeply"):
        roster.load(path)
