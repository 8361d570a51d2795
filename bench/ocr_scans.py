"""Real-looking scans for the OCR bench and tests: a text PDF -> an image-only PDF.

``scan_pdf(pdf_bytes, dpi, tilt=0, blur=0, noise=0, seed=0)`` renders every page with pypdfium2 in
grey, then degrades it as a scanner and a photocopier do (a slight rotation, a Gaussian blur,
salt-and-pepper and Gaussian noise) and writes the images back as a PDF with no text layer, at
the same page size. Used by ``bench/bench_ocr.py`` and to make ``tests/data/ocr/*.pdf``.
"""
from __future__ import annotations

import io
import random

__all__ = ["scan_pdf", "CONDITIONS"]

# name -> (tilt degrees, blur radius px, noise share)
CONDITIONS: dict[str, tuple[float, float, float]] = {
    "clean": (0.0, 0.0, 0.0),
    "tilt": (0.8, 0.0, 0.0),
    "blur": (0.0, 1.2, 0.0),
    "noise": (0.0, 0.0, 0.04),
    "tilt+blur+noise": (0.6, 1.0, 0.03),
}


def scan_pdf(data: bytes, dpi: int = 200, tilt: float = 0.0, blur: float = 0.0, noise: float = 0.0,
             seed: int = 0, max_pages: int | None = None, quality: int = 50) -> bytes:
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    pdf = pdfium.PdfDocument(data)
    images = []
    try:
        for i in range(len(pdf) if max_pages is None else min(len(pdf), max_pages)):
            img = pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            if tilt:
                img = img.rotate(rng.uniform(-tilt, tilt), resample=Image.BICUBIC, expand=False, fillcolor=255)
            if blur:
                img = img.filter(ImageFilter.GaussianBlur(blur))
            if noise:
                arr = np.asarray(img).astype(np.int16)
                gen = np.random.default_rng(seed + i)
                arr = arr + gen.normal(0, 18, arr.shape).astype(np.int16)
                specks = gen.random(arr.shape) < noise / 10
                arr[specks] = gen.choice([0, 255], size=int(specks.sum()))
                img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
            images.append(img)
    finally:
        pdf.close()
    buf = io.BytesIO()
    images[0].save(buf, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:], quality=quality)
    return buf.getvalue()
