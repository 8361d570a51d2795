"""What the replica publishes, as data a test can compare an archive with.

``ReportTruth`` is one annual report: who published it (publisher, region, agency, level), which
year it covers, its format and expected metric values, and where it lives (page URL, attachment
URLs, parent-portal copies, list pages and 图解 variants). ``NoiseTruth`` is a non-report item
listed in the same columns (指南, 通知, 解读, 图解). ``Truth`` holds both and answers the questions
end-to-end tests ask: which reports a correct crawl must find (``expected``), which are out of
reach and why (robots, bot defence, soft 404), and which URL must never be requested
(``forbidden``). Plain data; ``Truth.as_dict`` gives it as JSON-ready dicts.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["AttachmentTruth", "ReportTruth", "NoiseTruth", "Truth"]


@dataclass(slots=True)
class AttachmentTruth:
    #: the URL linked from the page (for Hanweb, the downfile.jsp URL that redirects)
    url: str
    media_type: str
    name: str
    #: where the bytes finally come from (after redirects); equals ``url`` when not redirected
    final_url: str = ""


@dataclass(slots=True)
class ReportTruth:
    key: str
    site: str
    publisher: str
    region: str
    region_code: str | None
    agency: str | None
    #: province | city | district | town | department
    level: str
    year: int
    #: legacy | gb2019 | gb2021
    format: str
    title: str
    #: YYYY-MM-DD as the page states it
    published: str
    metrics: dict[str, int | float]
    #: the article page; None when the list links straight to an attachment
    page_url: str | None
    attachments: list[AttachmentTruth] = field(default_factory=list)
    #: the URL whose bytes hold the values (the page, or the attachment for a stub page)
    primary_url: str = ""
    primary_media_type: str = "text/html"
    #: the same report re-published elsewhere (the parent portal's 年报 column)
    copies: list[str] = field(default_factory=list)
    #: list pages (first hop of discovery) that link to it
    listed_on: list[str] = field(default_factory=list)
    #: 图解 / 图片版 copies of this report (variants: never a second report)
    variants: list[str] = field(default_factory=list)
    #: None when a correct crawl reaches it; else "robots" | "blocked:<kind>" | "soft404"
    unreachable: str | None = None
    #: who "we" are in its prose (我市, 我区, 我局 …) and who signs it
    subject: str = ""
    office: str = ""
    #: how it is drawn: "word" (Word-pasted markup), "word_fullwidth" (and full-width digits
    #: in the tables) or "clean"
    layout: str = "clean"
    #: bumped by ``ReplicaServer.change_report``
    version: int = 1

    @property
    def reachable(self) -> bool:
        return self.unreachable is None

    def urls(self) -> list[str]:
        """Every URL that carries this report (page, attachments, copies)."""
        out = [self.page_url] if self.page_url else []
        return out + [a.url for a in self.attachments] + list(self.copies)


@dataclass(slots=True)
class NoiseTruth:
    site: str
    url: str
    title: str
    #: 指南 | 通知 | 解读 | 图解 | missing (a listed link whose page does not exist)
    kind: str


@dataclass(slots=True)
class Truth:
    reports: list[ReportTruth] = field(default_factory=list)
    noise: list[NoiseTruth] = field(default_factory=list)
    #: (host, path prefix) a correct crawler never requests (robots.txt Disallow)
    forbidden: list[tuple[str, str]] = field(default_factory=list)

    def expected(self, site: str | None = None) -> list[ReportTruth]:
        """Reports a correct crawl finds (one per publisher and year), optionally of one site."""
        return [r for r in self.reports if r.reachable and (site is None or r.site == site)]

    def unreachable(self) -> list[ReportTruth]:
        return [r for r in self.reports if not r.reachable]

    def by_key(self, key: str) -> ReportTruth:
        for r in self.reports:
            if r.key == key:
                return r
        raise KeyError(key)

    def find(self, publisher: str, year: int) -> ReportTruth | None:
        for r in self.reports:
            if r.publisher == publisher and r.year == year:
                return r
        return None

    def by_url(self, url: str) -> ReportTruth | None:
        for r in self.reports:
            if url in r.urls() or url == r.primary_url or any(a.final_url == url for a in r.attachments):
                return r
        return None

    def is_forbidden(self, host: str, path: str) -> bool:
        return any(host == h and path.startswith(p) for h, p in self.forbidden)

    def as_dict(self) -> dict:
        return {"reports": [asdict(r) for r in self.reports],
                "noise": [asdict(n) for n in self.noise],
                "forbidden": [list(f) for f in self.forbidden]}
