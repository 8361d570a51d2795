"""``python -m replica [--seed N] [--delays S] [--log FILE]``: run the replica until Ctrl-C and
print its resolve map and entry URLs (for a Fetcher, or curl --resolve)."""
from __future__ import annotations

import argparse
import json
import time

from .server import ReplicaServer


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m replica", description=__doc__)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--delays", type=float, default=1.0, help="seconds the slow page takes")
    ap.add_argument("--log", default=None, help="append every request to this JSONL file")
    ap.add_argument("--no-throttle", action="store_true")
    args = ap.parse_args(argv)
    with ReplicaServer(seed=args.seed, delays=args.delays, log_path=args.log,
                       throttle=not args.no_throttle) as replica:
        info = replica.info
        print(json.dumps({"port": info.port, "https_port": info.https_port,
                          "resolve": info.resolve,
                          "entry_urls": {k: s.entry_url for k, s in info.sites.items()},
                          "reports": len(replica.truth.expected())}, ensure_ascii=False, indent=2),
              flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
