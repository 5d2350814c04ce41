"""Office files (XLSX, DOCX) with the same bytes for the same content.

openpyxl and python-docx stamp the time of saving into ``docProps/core.xml`` and into every zip
entry; :func:`fixed_zip` rewrites the archive with fixed entry times, a fixed file mode and the
document's creation and modification dates set to ``stamp``, so one result gives one file.
"""

from __future__ import annotations

import io
import re
import zipfile

#: the zip entries' time (the earliest a zip can say)
ENTRY_TIME = (1980, 1, 1, 0, 0, 0)


def fixed_zip(data: bytes, stamp: str = "2000-01-01T00:00:00Z") -> bytes:
    """The same archive with fixed entry times and ``stamp`` as the document's dates."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ENTRY_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                for tag in (rb"dcterms:created", rb"dcterms:modified"):
                    body = re.sub(
                        rb"(<" + tag + rb"[^>]*>)[^<]*(</" + tag + rb">)",
                        rb"\g<1>" + stamp.encode() + rb"\g<2>",
                        body,
                    )
            dst.writestr(fixed, body)
    return out.getvalue()
