"""Issue 14, item 9: `xxgk metrics` is the researcher's codebook; --metrics takes groups and Chinese labels."""
from __future__ import annotations

import json
import re

import pytest

from archive.compare.metric_keys import metric_groups
from cli_homes import examples_home
from conftest import run_cli

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_codebook_lists_every_key_with_label_place_era_and_unit():
    r = run_cli("metrics", "--format", "json")
    assert r.returncode == 0, r.stderr
    book = {e["key"]: e for e in json.loads(r.stdout)}
    every = {k for keys in metric_groups().values() for k in keys}
    assert every <= set(book)
    labels = [e["label"] for e in book.values()]
    assert len(labels) == len(set(labels))  # a label names one key: --metrics may use it
    for e in book.values():
        assert CJK.search(e["label"]) and e["table"] and e["eras"] and e["unit"], e
    assert book["applications.denied.state_secret.natural"] == {
        "key": "applications.denied.state_secret.natural", "label": "不予公开：属于国家秘密·自然人", "table": "table3",
        "row": "不予公开：属于国家秘密", "column": "自然人", "eras": "gb2019 gb2021", "unit": "件"}
    assert book["rules.made"]["eras"] == "gb2019" and book["rules.issued"]["eras"] == "gb2021"
    assert book["applications.new.total"]["eras"] == "legacy gb2019 gb2021"
    assert book["disclosure_rate"]["unit"] == "比例"
    table4 = json.loads(run_cli("metrics", "--group", "表四", "--format", "json").stdout)
    assert {e["key"] for e in table4} == set(metric_groups()["table4"])
    tsv = run_cli("metrics", "--find", "复议").stdout.splitlines()
    assert tsv[0].startswith("key\tlabel") and all("复议" in line for line in tsv[1:])


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> str:
    return str(examples_home(tmp_path_factory.mktemp("metrics") / "home"))


def _keys(home: str, *metrics: str) -> list[str]:
    r = run_cli("compare", "--metrics", ",".join(metrics), "--headers", "keys", "--format", "csv", "--home", home)
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()[0].split(",")[9:]


def test_metrics_accept_chinese_labels_and_groups(home: str):
    assert _keys(home, "新收申请", "行政复议·纠正", "公开率") == ["applications.new.total", "review.corrected",
                                                          "disclosure_rate"]
    assert _keys(home, "核心") == _keys(home, "headline")
    r = run_cli("compare", "--metrics", "新收", "--home", home)
    assert r.returncode == 1 and "`xxgk metrics` lists them" in r.stderr
