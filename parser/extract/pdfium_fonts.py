"""PDFium with CJK fonts of our own, whatever fonts the machine has.

A PDF whose CJK font is not embedded (reportlab's STSong-Light, many an older report) leaves PDFium
to find a font on the machine. Without one it has no glyph metrics: every glyph box is flat, so its
fake-bold filter drops repeated lines, and a text object of one glyph gives no text at all. Such a
page went through pdfminer (``pdf_recover``: 80–130 ms a page against 3–10 ms), and what PDFium read
depended on the fonts of the machine the parse ran on.

So PDFium is started again, once, before this process opens any document, with the CJK fonts that
``mplfonts`` installs (Noto Sans/Serif CJK SC, Source Han, SimHei: the charts' dependency) as its
font folder, in place of the system's: the same metrics on every machine. Latin base-14 fonts stay
PDFium's built-in ones. The text read is the same (the replica's and the real corpus' PDFs, checked
in the tests); only pages that lost text no longer need pdfminer. Where ``mplfonts`` is missing,
PDFium keeps the system's fonts and the slow path stays as it was.

Import this module before any ``pypdfium2`` document is opened (every module of ours that uses
PDFium imports it first): restarting PDFium closes nothing, so a document opened before would dangle.
"""
from __future__ import annotations

import ctypes
import importlib.util
import os
from pathlib import Path

import pypdfium2  # noqa: F401 — loads and starts PDFium (pypdfium2 does it on import)
import pypdfium2.raw as pdfium_c

__all__ = ["FONT_FOLDER"]


def _font_folder() -> Path | None:
    # the package's folder is found, not imported: mplfonts' __init__ imports matplotlib, 0.2 s of
    # every parsing process's first PDF for a path
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))).resolve() / "fonts"
    return folder if any(folder.glob("*CJK*")) else None


def _restart_with(folder: Path) -> list:
    """Restart PDFium with ``folder`` as its font folder; return what must outlive the library (PDFium
    keeps the pointers of the configuration and reads the folder when it first maps a font)."""
    path = ctypes.create_string_buffer(os.fsencode(folder))
    paths = (ctypes.POINTER(ctypes.c_char) * 2)(ctypes.cast(path, ctypes.POINTER(ctypes.c_char)), None)
    config = pdfium_c.FPDF_LIBRARY_CONFIG(version=2, m_pUserFontPaths=paths, m_pIsolate=None, m_v8EmbedderSlot=0)
    pdfium_c.FPDF_DestroyLibrary()
    pdfium_c.FPDF_InitLibraryWithConfig(config)
    return [path, paths, config]


FONT_FOLDER = _font_folder()
_KEPT = _restart_with(FONT_FOLDER) if FONT_FOLDER is not None else []
