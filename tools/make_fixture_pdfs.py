"""Generate the PDF fixtures: `python tools/make_fixture_pdfs.py` (writes under fixtures/sites/).

The generated files are committed; this script documents how they were made and
rebuilds them when their wording changes (`--check` tells whether they are current).
It needs the test extras (fpdf2 for layout, Pillow for the scanned page, pypdf for
encryption). Output is deterministic: fixed creation dates, no random file ids.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

SITES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"
CREATED = datetime(2025, 6, 1, tzinfo=UTC)

# Riverside's policy document: the home page only links it; page 2 decides.
POLICY = [
    [
        ("h", "Riverside Medical Center - Graduate Medical Education"),
        ("h", "Policy GME-12: Visa Sponsorship"),
        ("p", "Effective July 1, 2025. Approved by the Graduate Medical Education Committee."),
        ("h", "1. Purpose"),
        ("p", "This policy describes the visa categories under which residents of the "
              "Riverside Internal Medicine Residency who are not U.S. citizens or permanent "
              "residents may train, and the documents the GME office needs from them after "
              "the Match."),
        ("h", "2. Scope"),
        ("p", "It applies to all applicants and residents of the Internal Medicine "
              "Residency. Fellowship programs publish their own policies."),
    ],
    [
        ("h", "3. Policy"),
        ("p", "The Riverside Internal Medicine Residency sponsors J-1 visas only, through "
              "ECFMG. The program does not sponsor H-1B visas for residents, and applicants "
              "who need an H-1B visa should not apply."),
        ("h", "4. Procedure"),
        ("p", "Matched applicants must send their ECFMG certificate and DS-2019 request "
              "materials to the GME office within ten business days of the Match."),
    ],
]

# An IMG eligibility document that opens only with a password.
IMG_ELIGIBILITY = [
    [
        ("h", "International Medical Graduates: Eligibility"),
        ("p", "The Riverside Internal Medicine Residency sponsors H-1B visas for all "
              "international medical graduates."),
    ],
]
IMG_PASSWORD = "riverside-2025"

# The GME office's scanned policy: an image of text, no text layer.
SCAN_LINES = [
    "RIVERSIDE HEALTH - GME OFFICE",
    "VISA SPONSORSHIP POLICY (SCANNED COPY)",
    "Riverside Health sponsors H-1B visas for all residents.",
]


def text_pdf(pages: list[list[tuple[str, str]]], title: str) -> bytes:
    pdf = FPDF(format="letter")
    pdf.set_creation_date(CREATED)
    pdf.set_title(title)
    pdf.set_margins(25, 25)
    for blocks in pages:
        pdf.add_page()
        for kind, text in blocks:
            if kind == "h":
                pdf.set_font("Helvetica", "B", 13)
                pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
            else:
                # A narrow column wraps sentences mid-line, as real policy PDFs do.
                pdf.set_font("Helvetica", "", 11)
                pdf.multi_cell(120, 6, text, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(3)
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    image = Image.new("L", (850, 300), color=255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(SCAN_LINES):
        draw.text((40, 40 + row * 60), line, fill=0)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    pdf = FPDF(format="letter")
    pdf.set_creation_date(CREATED)
    pdf.add_page()
    pdf.image(BytesIO(buffer.getvalue()), x=20, y=20, w=170)
    return bytes(pdf.output())


def encrypted(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    # Fixed file id so that the encrypted bytes are the same on every run.
    writer._ID = None
    writer.encrypt(user_password=user_password, owner_password="riverside-owner",
                   algorithm="RC4-128")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def build() -> dict[Path, bytes]:
    return {
        SITES / "riverside-im/docs/visa-sponsorship-policy.pdf": text_pdf(POLICY, "GME-12"),
        SITES / "riverside-im/docs/img-eligibility.pdf": encrypted(
            text_pdf(IMG_ELIGIBILITY, "IMG eligibility"), IMG_PASSWORD),
        SITES / "riverside-health/gme/visa-policy-scan.pdf": scanned_pdf(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a file differs")
    args = parser.parse_args(argv)
    stale = []
    for path, data in build().items():
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(SITES.parent.parent)} ({len(data)} bytes)")
    for path in stale:
        print(f"stale: {path}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
