"""The benchmarking command line."""

from __future__ import annotations

import json

from resilience_course.cli import main

from .helpers import raw, resp, write_team


# -- the command line ----------------------------------------------------------------------------------
def test_cli_aggregate_compare_and_factors(tmp_path, capsys):
    write_team(tmp_path / "c1", 6, cycle="c1", low="culture")
    write_team(tmp_path / "c1", 0)
    (tmp_path / "c1" / "bad.json").write_text("{")
    (tmp_path / "c1" / "south.json").write_bytes(raw(resp(team="south", cycle="c1")))
    assert main(["benchmark", "aggregate", str(tmp_path / "c1"), "--out", str(tmp_path / "r1")]) == 0
    out, err = capsys.readouterr()
    assert "6 valid response(s)" in out and "Weakest factors: Culture" in out
    assert "bad.json: the file is not valid JSON" in err and "south.json" in err
    rep = json.loads((tmp_path / "r1" / "report.json").read_text())
    assert rep["responses"] == 6 and rep["ranking"][0] == "culture"
    assert "<!DOCTYPE html>" in (tmp_path / "r1" / "report.html").read_text()
    assert main(["benchmark", "aggregate", str(tmp_path / "c1"), "--out", str(tmp_path / "r2"),
                 "--team", "south"]) == 0
    out, _ = capsys.readouterr()
    assert "4 more needed" in out
    assert "factors" not in json.loads((tmp_path / "r2" / "report.json").read_text())
    write_team(tmp_path / "c2", 5, cycle="c2", low="support")
    assert main(["benchmark", "compare", str(tmp_path / "r1" / "report.json"), str(tmp_path / "c2"),
                 "--out", str(tmp_path / "cmp")]) == 0
    out, _ = capsys.readouterr()
    assert "7. Culture: median 1 -> 4 (improved)" in out and "1. Support: median 4 -> 1 (worse)" in out
    assert (tmp_path / "cmp" / "comparison.html").is_file()
    assert main(["benchmark", "compare", str(tmp_path / "r2" / "report.json"), str(tmp_path / "c2")]) == 1
    assert "fewer than 5" in capsys.readouterr().err
    assert main(["benchmark", "aggregate", str(tmp_path / "none"), "--out", str(tmp_path / "r3")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["benchmark", "factors"]) == 0
    out, _ = capsys.readouterr()
    assert "7 factors, 60 indicators" in out and "   7i  " in out
