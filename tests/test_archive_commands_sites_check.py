"""`xxgk sites check --live` through the real console script: against the replica (ok, blocked,
robots) and against hosts that do not answer (unreachable, one clean line each, no traceback)."""
from __future__ import annotations

import json
import socket

from conftest import run_cli
from replica import ReplicaServer


def _resolve_args(resolve: dict[str, str]) -> list[str]:
    return [a for host, target in resolve.items() for a in ("--resolve", f"{host}={target}")]


def test_live_check_against_the_replica():
    with ReplicaServer(seed=0, delays=0) as rep:
        sites = ["taizhou", "zhaoqing", "pinghu", "hubei-wlt", "nanjing-sfj"]
        args = ["sites", "check", "--live", "--json", *[a for s in sites for a in ("--site", s)]]
        r = run_cli(*args, *_resolve_args(rep.info.resolve))
    out = {row["name"]: row for row in json.loads(r.stdout)}
    assert set(out) == set(sites) and all(row["ok"] for row in out.values())
    status = {name: {e["status"] for e in row["live"]["entries"]} for name, row in out.items()}
    assert status == {"taizhou": {"ok"}, "zhaoqing": {"ok"}, "pinghu": {"ok"},
                      "hubei-wlt": {"blocked"}, "nanjing-sfj": {"robots"}}
    assert all(e["links"] > 0 for e in out["taizhou"]["live"]["entries"])
    assert r.returncode == 2   # something answered other than expected: the user should look


def test_live_check_without_network_says_unreachable_per_site():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"127.0.0.1:{s.getsockname()[1]}"
    hosts = ["www.shanghai.gov.cn", "hpq.sh.gov.cn", "zwgk.mwr.gov.cn"]
    resolve = {h: dead for h in hosts} | {f"https://{h}": dead for h in hosts}
    r = run_cli("sites", "check", "--live", "--site", "shanghai", "--site", "huangpu", "--site", "mwr",
                *_resolve_args(resolve))
    assert r.returncode == 2 and "Traceback" not in r.stderr + r.stdout
    lines = [ln for ln in r.stdout.splitlines() if "live" in ln and "unreachable" in ln]
    assert len(lines) == 3, r.stdout


def test_an_unknown_site_name_is_one_clear_error():
    r = run_cli("sites", "check", "--site", "nowhere")
    assert r.returncode != 0 and "nowhere" in r.stderr and "Traceback" not in r.stderr
