"""`xxgk serve`: the archive in a web page (search, reports with their evidence, compare,
coverage, a JSON API), read-only, on this computer only unless ``--host`` says otherwise.

Starlette, Jinja2 and uvicorn are imported when the command runs, so `xxgk --help` stays fast.
"""
from __future__ import annotations

from typing import Annotated

import typer

from ..cli_common import HomeOpt, err_console
from ..errors import InputError

__all__ = ["register", "serve_cmd"]


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)


def serve_cmd(
    home: HomeOpt = None,
    host: Annotated[str, typer.Option(help="address to listen on; 0.0.0.0 shows the archive to the network")] =
        "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="port to listen on (0: any free port)")] = 8080,
    timeout: Annotated[float, typer.Option(help="seconds a page's query may take before it answers 503")] = 10.0,
) -> None:
    """Browse the archive in a web browser: search, each report with its numbers linked to where
    the report states them, compare with CSV/XLSX downloads, coverage; JSON API at /api (see
    /openapi.json). Read-only.

    Example: xxgk serve --home /tmp/xxgk-demo --port 8080
    """
    import socket

    import uvicorn

    from ..home import resolve_home_path
    from ..web import create_app
    from ..web.settings import RENDER_TIMEOUT, WebSettings

    if timeout <= 0:
        raise InputError("--timeout must be more than 0 seconds")
    path = resolve_home_path(home)
    app = create_app(path, WebSettings(query_timeout=timeout, render_timeout=max(timeout, RENDER_TIMEOUT)))
    # IPPROTO_TCP named: asyncio sets TCP_NODELAY only on sockets that say so, and without it a
    # keep-alive answer written in two parts waits 40 ms for the client's delayed ACK
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)  # before saying where: a client that reads the line may connect at once
    except OSError as e:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port}: {e.strerror or e} (another server there? try --port)") \
            from None
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    err_console.print(f"serving {path} read-only at http://{shown}:{bound}/ (Ctrl-C stops)", markup=False,
                      soft_wrap=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
