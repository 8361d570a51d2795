"""Issue 14, item 15: `--lang zh` (or XXGK_LANG=zh) speaks Chinese -- messages, table headers and
help; English stays the default, and JSON keys, TSV headers and logs stay English in every language."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from archive.i18n import catalog, lang_from, translate_error
from cli_homes import examples_home
from conftest import run_cli

ZH = {"XXGK_LANG": "zh", "COLUMNS": "80"}


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> str:
    return str(examples_home(tmp_path_factory.mktemp("lang") / "home"))


def test_help_in_chinese_fits_80_columns():
    for args in (["--help"], ["reports", "--help"], ["compare", "--help"], ["search", "--help"], ["check", "--help"],
                 ["show", "--help"], ["chart", "--help"]):
        r = run_cli(*args, env=ZH)
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith("用法：xxgk") and "显示本帮助后退出。" in r.stdout, args
        assert max(cell_len(line) for line in r.stdout.splitlines()) <= 80, args
        english = run_cli(*args, env={"COLUMNS": "80"}).stdout  # help with Chinese examples fits in English too
        assert max(cell_len(line) for line in english.splitlines()) <= 80, args
    top = run_cli("--lang", "zh", "--help", env={"COLUMNS": "80"}).stdout
    assert "采集、存档、解析、检索和比较政府信息公开工作年度报告。" in top and "命令" in top
    assert "  reports  列出档案中的报告" in top
    english = run_cli("--help", env={"COLUMNS": "80"}).stdout
    assert english.startswith("Usage: xxgk") and "Show this message and exit." in english


def test_messages_and_headers_in_chinese_json_stays_english(home: str):
    r = run_cli("show", "1", "--home", home, env=ZH)
    assert r.returncode == 1 and r.stderr.strip() == "错误：没有编号为 1 的报告（见 `xxgk reports`）"
    r = run_cli("reports", "--region", "火星", "--home", home, env=ZH)
    assert r.stderr.startswith("错误：未知地名“火星”")
    r = run_cli("--lang", "zh", "reports", "--format", "table", "--home", home, env={"COLUMNS": "120"})
    head = r.stdout.splitlines()[0].split()
    assert head[:3] == ["编号", "年度", "地区"] and "标题" in head and r.stdout.rstrip().endswith("份报告")
    rows = json.loads(run_cli("reports", "--json", "--home", home, env=ZH).stdout)
    assert set(rows[0]) >= {"id", "year", "region", "title"}  # JSON keys stay English
    tsv = run_cli("reports", "--home", home, env=ZH).stdout
    assert tsv.splitlines()[0].startswith("id\tyear\tregion")  # so do TSV headers, for scripts
    rid = str(rows[0]["id"])
    shown = run_cli("show", rid, "--home", home, env=ZH).stdout
    assert "发布机关：" in shown and "年度：" in shown and "来源：" in shown and "发现的问题：" in shown
    status = run_cli("status", "--home", home, env=ZH).stdout
    assert status.startswith("档案目录") and "报告" in status and "孤立文件" in status
    english = run_cli("show", "1", "--home", home)
    assert english.stderr.startswith("error: no report with id 1")


def test_import_summary_in_chinese(tmp_path: Path):
    from conftest import SAMPLES

    r = run_cli("--lang", "zh", "import", str(SAMPLES / "yuhang-2017.txt"), "--home", str(tmp_path / "h"),
                "--no-index")
    assert r.returncode == 0 and r.stdout.startswith("新增 1 个，已存档 0 个，解析 1 个")


def test_language_choice_and_catalog():
    assert lang_from(["--lang", "zh", "reports"], {}) == "zh"
    assert lang_from(["--lang=en"], {"XXGK_LANG": "zh"}) == "en"
    assert lang_from(["reports"], {"XXGK_LANG": "zh-CN"}) == "zh"
    assert lang_from(["reports"], {}) == "en"
    zh = catalog("zh")
    for english, chinese in zh["messages"].items():  # every template keeps its fields
        import string

        fields = lambda t: sorted(f for _, f, _, _ in string.Formatter().parse(t) if f)  # noqa: E731
        assert fields(english) == fields(chinese), english
    import archive.i18n as i18n

    i18n.set_lang("zh")
    try:
        assert translate_error("cannot write /x/y.csv: no such folder /x") == "无法写入 /x/y.csv：文件夹 /x 不存在"
        assert translate_error("some message no catalog knows") == "some message no catalog knows"
    finally:
        i18n.set_lang("en")
