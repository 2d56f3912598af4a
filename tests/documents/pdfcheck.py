"""Reading a PDF back with poppler: fonts, text, page size."""

import re
import subprocess
import tempfile
from types import SimpleNamespace

A4 = (595, 842)  # points


def read_pdf(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        fonts = subprocess.run(["pdffonts", f.name], capture_output=True, text=True, check=True).stdout
        text = subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True, check=True).stdout
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=True).stdout
    width, height = (round(float(x)) for x in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    embedded = [line.split()[0] for line in fonts.splitlines()[2:] if "CJK" in line and " yes " in line]
    return SimpleNamespace(fonts=fonts, cjk_embedded=embedded, text=text, size=(width, height), pages=pages,
                           compact="".join(text.split()))


def assert_cjk_pdf(data, *strings, landscape=False):
    """The PDF embeds a CJK font (not boxes), is A4 in the orientation asked, and reads back
    the given Chinese strings."""
    assert data[:5] == b"%PDF-"
    pdf = read_pdf(data)
    assert pdf.cjk_embedded, pdf.fonts
    assert pdf.size == (A4[::-1] if landscape else A4), pdf.size
    for s in strings:
        assert "".join(s.split()) in pdf.compact, s
    return pdf
