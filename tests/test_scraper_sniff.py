"""sniff_media_type on real files made here (reportlab PDF, python-docx DOCX, openpyxl XLSX)."""
from __future__ import annotations

import io

import pytest

from scraper.sniff import DOC, DOCX, XLS, XLSX, sniff_media_type, split_content_type


def _pdf() -> bytes:
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(100, 700, "report")
    c.save()
    return buf.getvalue()


def _docx() -> bytes:
    import docx
    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("report")
    d.save(buf)
    return buf.getvalue()


def _xlsx() -> bytes:
    import openpyxl
    buf = io.BytesIO()
    openpyxl.Workbook().save(buf)
    return buf.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100


@pytest.mark.parametrize("body,declared,expected", [
    (_pdf(), "application/octet-stream", "application/pdf"),
    (_docx(), "application/octet-stream", DOCX),
    (_xlsx(), None, XLSX),
    (OLE2 + "WordDocument".encode("utf-16-le"), "application/octet-stream", DOC),
    (OLE2 + "Workbook".encode("utf-16-le"), None, XLS),
    (b"\xef\xbb\xbf<!DOCTYPE html><html><body>x</body></html>", "text/plain", "text/html"),
    (b"  <!-- TRS -->\n<html><head>", None, "text/html"),
    (b'<?xml version="1.0" encoding="UTF-8"?><datastore></datastore>', "text/html", "application/xml"),
    (b'{"success": true, "data": {"html": "<li>"}}', "text/plain", "application/json"),
    (b"\x89PNG\r\n\x1a\n....", None, "image/png"),
    (b"plain words", "text/plain", "text/plain"),
    (b"\x00\x01\x02", None, "application/octet-stream"),
])
def test_sniff(body, declared, expected):
    assert sniff_media_type(body, declared) == expected


def test_split_content_type():
    assert split_content_type('text/html; charset="GBK"') == ("text/html", "gbk")
    assert split_content_type("text/html") == ("text/html", None)
    assert split_content_type(None) == (None, None)
