"""The WARC and WACZ exports replayed by pywb (`wb-manager init/add`, `wayback` on a free loopback port):
every archived URL of the demo home answers with the same bytes, each redirect hop with its status;
the WACZ's index is the one pywb makes, and Webrecorder's validator (`wacz validate`) accepts it.

pywb (and py-wacz, which needs it) cannot live in the project's venv (it installs a top-level ``tests``
package that shadows ours), so it gets a venv of its own, made once and kept at ``.venv-pywb/`` in the
repository (ignored by git; tests/pywb_venv.py, which the test command starts in the background);
without PyPI the test skips, saying so.
"""
from __future__ import annotations

import hashlib
import http.client
import json
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import pywb_venv
from cli_homes import demo_home
from conftest import run_cli

pytestmark = pytest.mark.slow

START_TIMEOUT = 60


def _pywb_bin() -> Path:
    """The pywb venv's bin folder (tests/pywb_venv.py: made by the test command in the background, or now)."""
    made = pywb_venv.ensure()
    if isinstance(made, str):
        pytest.skip(made)
    return made


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def wayback(tmp_path_factory):
    bin_dir = _pywb_bin()
    home = demo_home(tmp_path_factory)
    work = tmp_path_factory.mktemp("pywb")
    warc = work / "demo.warc.gz"
    wacz = work / "demo.wacz"
    r = run_cli("export", "--warc", str(warc), "--wacz", str(wacz), "--home", str(home))
    assert r.returncode == 0, r.stderr
    for args in (["init", "warc"], ["add", "warc", str(warc)], ["init", "wacz"], ["add", "--unpack-wacz", "wacz",
                                                                                  str(wacz)]):
        done = subprocess.run([str(bin_dir / "wb-manager"), *args], cwd=work, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
    port = _free_port()
    proc = subprocess.Popen([str(bin_dir / "wayback"), "-p", str(port), "-b", "127.0.0.1"], cwd=work,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                _get(port, "/")
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("wayback did not start")
                time.sleep(0.2)
        yield home, port, work, bin_dir
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _ts14(iso: str) -> str:
    return "".join(ch for ch in iso if ch.isdigit())[:14]


@pytest.mark.parametrize("collection", ["warc", "wacz"])
def test_every_archived_url_replays_the_same_bytes(wayback, collection):
    home, port, _, _ = wayback
    conn = sqlite3.connect(f"file:{home / 'catalog.sqlite'}?mode=ro", uri=True)
    with conn:
        captures = conn.execute(
            "SELECT COALESCE(s.final_url, s.url), s.fetched_at, d.sha256, s.redirects_json FROM sources s "
            "JOIN documents d ON d.id = s.document_id WHERE s.kind = 'crawl'").fetchall()
        list_pages = conn.execute(
            "SELECT url, at, sha256 FROM fetches WHERE document_id IS NULL AND sha256 IS NOT NULL AND error IS NULL "
            "AND not_modified = 0 AND url NOT IN (SELECT url FROM sources) GROUP BY url HAVING id = MAX(id)").fetchall()
    assert len(captures) > 100 and list_pages
    wrong, hops = [], 0
    for url, at, sha, redirects in [(*c[:3], c[3]) for c in captures] + [(*p, None) for p in list_pages]:
        status, body = _get(port, f"/{collection}/{_ts14(at)}id_/{url}")
        if status != 200 or hashlib.sha256(body).hexdigest() != sha:
            wrong.append((url, status))
        for hop_status, hop in json.loads(redirects or "[]"):
            status, _ = _get(port, f"/{collection}/{_ts14(at)}id_/{hop}")
            hops += 1
            if status != hop_status:
                wrong.append((hop, status))
    assert not wrong and hops


def test_the_wacz_index_is_the_one_pywb_makes(wayback):
    """pywb indexes the WACZ's WARC itself: each of our CDXJ lines names the same record as one of its."""
    _, _, work, _ = wayback
    import zipfile

    def entries(lines) -> set:
        out = set()
        for line in lines:
            key, ts, fields = line.split(" ", 2)
            f = json.loads(fields)
            out.add((key, ts, f["url"], f.get("digest"), f["offset"], f["length"]))
        return out

    with zipfile.ZipFile(work / "demo.wacz") as z:
        ours = entries(z.read("indexes/index.cdx").decode("utf-8").splitlines())
    index = work / "collections" / "wacz" / "indexes" / "index.cdxj"
    theirs = entries(index.read_text(encoding="utf-8").splitlines())
    assert len(ours) > 100 and ours <= theirs


def test_webrecorders_validator_accepts_the_wacz(wayback):
    _, _, work, bin_dir = wayback
    done = subprocess.run([str(bin_dir / "wacz"), "validate", "-f", str(work / "demo.wacz")], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0 and "Validation succeeded" in done.stdout + done.stderr, done.stdout + done.stderr
