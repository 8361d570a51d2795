"""Every knob of `xxgk serve`, with its default, in one place (``WebSettings``)."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["WebSettings", "DEFAULT_HOST", "DEFAULT_PORT", "RENDER_TIMEOUT"]

DEFAULT_HOST = "127.0.0.1"  # localhost only unless asked: the archive is the user's
DEFAULT_PORT = 8080
RENDER_TIMEOUT = 60.0  # seconds for drawing a chart or writing a download (matplotlib, XlsxWriter)


@dataclass(frozen=True, slots=True)
class WebSettings:
    query_timeout: float = 10.0  # seconds a page's query may take before the page says 503
    render_timeout: float = RENDER_TIMEOUT
    readers: int = 4  # catalog + index readers open at once (each query holds one)
    results_per_page: int = 20
    max_results_per_page: int = 100
    page_cache_bytes: int = 64 * 1024 * 1024  # rendered PDF page images kept in memory
    page_max_pixels: int = 1600  # the longer side of a rendered PDF page image
    max_pdf_page: int = 2000  # a page number past this is refused before the PDF is opened
    download_chunk: int = 256 * 1024
    chart_max_publishers: int = 20
    chart_max_metrics: int = 12
    coverage_rows: int = 200  # publishers a coverage page shows (a province has thousands)
    max_coverage_rows: int = 5000  # the most an API call may ask for

    def __post_init__(self) -> None:
        if self.query_timeout <= 0 or self.render_timeout <= 0 or self.readers < 1 or self.page_max_pixels < 100:
            raise ValueError("query_timeout > 0, render_timeout > 0, readers >= 1 and page_max_pixels >= 100")
