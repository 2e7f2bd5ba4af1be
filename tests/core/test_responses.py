"""Reading a folder of anonymous response files: size limits, de-duplication, skipped files with reasons."""

import json
import os

import pytest
from resilience_course.core.responses import (
    MAX_DEPTH,
    ResponseFileError,
    Skipped,
    keep_one_per_id,
    parse_json,
    read_folder,
)


def test_read_folder_lists_json_files_and_skips_the_rest_with_reasons(tmp_path):
    (tmp_path / "b.json").write_bytes(b"{}")
    (tmp_path / "a.json").write_bytes(b"[]")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / ".hidden.json").write_text("x")
    (tmp_path / "sub.json").mkdir()
    os.mkfifo(tmp_path / "pipe.json")
    files, skipped = read_folder(tmp_path, 100)
    assert [n for n, _ in files] == ["a.json", "b.json"]
    assert skipped == [Skipped("notes.txt", "not a .json file"), Skipped("pipe.json", "not an ordinary file")]
    files, skipped = read_folder(tmp_path, 100, list_others=False)
    assert skipped == [Skipped("pipe.json", "not an ordinary file")]


def test_read_folder_reads_no_more_than_the_limit(tmp_path):
    (tmp_path / "big.json").write_bytes(b" " * 10_000)
    [(name, raw)], _ = read_folder(tmp_path, 100)
    assert len(raw) == 101
    with pytest.raises(ResponseFileError, match="too large"):
        parse_json(raw, 100)


def test_read_folder_explains_a_missing_folder_or_a_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_folder(tmp_path / "nope", 10)
    (tmp_path / "f").write_text("x")
    with pytest.raises(NotADirectoryError):
        read_folder(tmp_path / "f", 10)


@pytest.mark.parametrize("raw, words", [
    (b"", "empty"),
    (b"\x89PNG\x00\x01", "not text"),
    (json.dumps({"a": 1}).encode("utf-16"), "not text"),
    (b"{'single': 1}", "not valid JSON .it cannot be read as JSON: line 1"),
    (("[" * 100_000 + "]" * 100_000).encode(), "nested too deeply"),
    (('{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1)).encode(), "nested too deeply"),
])
def test_parse_json_refuses_bad_files_with_a_reason_and_never_a_recursion_error(raw, words):
    with pytest.raises(ResponseFileError, match=words) as err:
        parse_json(raw, 1_000_000)
    assert "cannot be read as JSON" in str(err.value) or words in ("empty", "not text")


def test_parse_json_accepts_a_byte_order_mark_and_shallow_data():
    assert parse_json(b'\xef\xbb\xbf{"a": [1, {"b": 2}]}', 100) == {"a": [1, {"b": 2}]}


def test_keep_one_per_id_keeps_the_first_by_rank_and_lists_the_copies():
    items = [("c.json", {"id": "x", "rev": 1}), ("a.json", {"id": "y", "rev": 1}), ("b.json", {"id": "x", "rev": 2})]
    kept, skipped = keep_one_per_id(items, key=lambda d: d["id"])
    assert [n for n, _ in kept] == ["b.json", "a.json"]
    assert skipped == [Skipped("c.json", "a duplicate of b.json (same response id)")]
    kept, skipped = keep_one_per_id(items, key=lambda d: d["id"], rank=lambda i: -i[1]["rev"],
                                    why=lambda k, c: f"older than {k[0]}")
    assert [n for n, _ in kept] == ["b.json", "a.json"] and skipped == [Skipped("c.json", "older than b.json")]
