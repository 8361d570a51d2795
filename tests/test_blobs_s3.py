"""Blobs in a bucket: the same store through fsspec/s3fs against a real moto S3 server on loopback.

The archive's files go to ``s3://bucket/prefix`` under the same sha256 names as the local folder;
import, show, cat, open and verify work through it, a blob altered in the bucket is caught, and a
missing bucket is one line."""
from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from conftest import run_cli  # noqa: E402
from fault_files import report_text  # noqa: E402

BUCKET = "xxgk-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_env():
    """A moto S3 server on a free loopback port, one bucket; the AWS_* variables that reach it."""
    try:
        from moto.server import ThreadedMotoServer
        import s3fs  # noqa: F401
    except ImportError as e:
        pytest.skip(f"S3 tests need moto[server] and s3fs ({e.name} missing): pip install -e '.[scale,dev]'")
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        import fsspec

        fsspec.filesystem("s3", skip_instance_cache=True).mkdir(BUCKET)
        yield env
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        server.stop()


def _fs():
    import fsspec

    return fsspec.filesystem("s3", skip_instance_cache=True, use_listings_cache=False)


def test_remote_store_names_writes_reads_and_checks_like_the_local_one(s3_env, tmp_path):
    from archive.blobs import BlobStore, open_blob_store, sha256_bytes
    from archive.errors import BlobError

    remote, local = open_blob_store(f"s3://{BUCKET}/unit"), BlobStore(tmp_path / "blobs")
    data = "政府信息公开工作年度报告".encode() * 100
    sha, new = remote.put_bytes(data)
    assert (sha, new) == (sha256_bytes(data), True) and remote.put_bytes(data) == (sha, False)
    assert remote.key_for(sha) == f"{BUCKET}/unit/" + local.path_for(sha).relative_to(local.root).as_posix()
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(9 << 20))  # above one PUT's size: streamed (multipart), still one object
    big_sha, _ = remote.put_file(big)
    assert remote.read_verified(big_sha) == big.read_bytes() and remote.size(big_sha) == 9 << 20
    assert sorted(remote.iter_shas()) == sorted([sha, big_sha])
    assert remote.has(sha) and remote.check(sha) == "ok" and remote.read_verified(sha) == data

    _fs().pipe_file(remote.key_for(sha), data.replace("年度".encode(), "月度".encode()))  # altered in the bucket
    assert remote.check(sha) == "altered"
    with pytest.raises(BlobError) as e:
        remote.read_verified(sha)
    assert e.value.reason == "blob_altered" and sha[:12] in str(e.value)
    # moved aside as evidence, so the true bytes can be stored again
    assert not remote.has(sha) and any(".altered-" in k for k in _fs().find(f"{BUCKET}/unit"))
    assert remote.check(sha) == "missing" and list(remote.iter_shas()) == [big_sha]
    with pytest.raises(BlobError) as e:
        remote.read_verified(sha)
    assert e.value.reason == "blob_missing"
    assert remote.put_bytes(data) == (sha, True) and remote.read_verified(sha) == data


def test_an_archive_with_its_blobs_in_a_bucket(s3_env, tmp_path):
    src, home, out = tmp_path / "in", tmp_path / "home", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    for i in range(3):
        (src / f"r{i}.txt").write_text(report_text(i), encoding="utf-8")
    url = f"s3://{BUCKET}/archive"
    r = run_cli("--blobs", url, "import", str(src), "--home", str(home), env=s3_env)
    assert r.returncode == 0, r.stderr
    env = {**s3_env, "XXGK_BLOBS": url}  # the environment variable does what --blobs does
    keys = [k for k in _fs().find(f"{BUCKET}/archive")]
    assert len(keys) == 3 and not any((home / "blobs").rglob("*"))

    reports = json.loads(run_cli("reports", "--json", "--home", str(home), env=env).stdout)
    rid = reports[0]["id"] if isinstance(reports, list) else reports["reports"][0]["id"]
    shown = run_cli("show", str(rid), "--home", str(home), env=env)
    assert shown.returncode == 0 and "Traceback" not in shown.stderr
    assert "信息公开" in run_cli("cat", str(rid), "--home", str(home), env=env).stdout
    saved = run_cli("open", str(rid), "-o", str(out), "--home", str(home), env=env)
    assert saved.returncode == 0, saved.stderr
    original = Path(saved.stdout.strip()).read_bytes()
    assert any(original == p.read_bytes() for p in src.iterdir())

    assert run_cli("verify", "--home", str(home), env=env).returncode == 0
    victim = keys[0]
    _fs().pipe_file(victim, _fs().cat_file(victim).replace(b"1984", b"9984"))
    r = run_cli("verify", "--home", str(home), "--json", env=env)
    assert r.returncode == 1
    problems = json.loads(r.stdout)["problems"]
    assert [(p["status"], p["sha256"]) for p in problems] == [("altered", victim.rsplit("/", 1)[1])]
    # an orphan (a blob no row names) is counted where the blobs are
    _fs().pipe_file(f"{BUCKET}/archive/00/00/" + "0" * 64, b"orphan")
    assert json.loads(run_cli("status", "--json", "--home", str(home), env=env).stdout)["status"]["orphans"] == 1


def test_a_missing_bucket_is_one_line(s3_env, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "r.txt").write_text(report_text(0), encoding="utf-8")
    r = run_cli("--blobs", "s3://no-such-bucket/x", "import", str(src), "--home", str(tmp_path / "home"), env=s3_env)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "no-such-bucket" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
