"""Stand-ins for the scanned papers the demo's records carry (来信扫描件, 自查报告…)."""

from django.core.files.uploadedfile import SimpleUploadedFile


def demo_pdf(name):
    return SimpleUploadedFile(name, b"%PDF-1.4\n% demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")
