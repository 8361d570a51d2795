"""A response written to a temporary file first, then sent in chunks: a download or a large JSON
answer is made inside ``Web.run`` (a catalog reader, its time limit) without being held in memory,
and the file goes when it has been sent or the client has gone away."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable

__all__ = ["spooled"]


async def spooled(web: Any, name: str, write: Callable[[Any, Path], None], *, media_type: str, chunk: int,
                  timeout: float | None = None, headers: dict[str, str] | None = None):
    """``write(reader, path)`` run by ``web.run``; then the file at ``path`` as a streamed response."""
    from starlette.responses import StreamingResponse

    folder = Path(tempfile.mkdtemp(prefix="xxgk-web-"))
    path = folder / name
    try:
        await web.run(write, path, timeout=timeout)  # None: the query timeout
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return StreamingResponse(_sent_then_removed(path, chunk), media_type=media_type,
                             headers={**(headers or {}), "content-length": str(path.stat().st_size)})


async def _sent_then_removed(path: Path, chunk: int) -> Any:
    import anyio

    try:
        async with await anyio.open_file(path, "rb") as fh:
            while data := await fh.read(chunk):
                yield data
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
