"""The QR code of the registration form, for the printed invitation.

segno draws it; error correction level Q (a quarter of the code may be smudged or covered
and it still reads) is the usual choice for print, and segno raises it to H when that fits
in the same size. The quiet zone is the standard four modules.
"""

from __future__ import annotations

from pathlib import Path

import segno

QUIET_ZONE_MODULES = 4
PNG_PIXELS_PER_MODULE = 12  # about 40 mm wide at 300 dpi for a typical form URL
SVG_UNITS_PER_MODULE = 10
FORMATS = (".png", ".svg")


class QrError(ValueError):
    """The QR code cannot be written; the message is one sentence for the organiser."""


def form_url(outputs: dict[str, str]) -> str:
    """The form's address from the stack's outputs: the public base URL, else the API's."""
    base = outputs.get("PublicBaseUrl") or outputs.get("ApiUrl")
    if not base:
        raise QrError("The stack names no public URL (PublicBaseUrl or ApiUrl): pass --url.")
    return base.rstrip("/") + "/"


def check_url(url: str) -> str:
    if not url.startswith(("https://", "http://")) or any(c.isspace() for c in url):
        raise QrError(f"{url!r} is not a web address (https://…).")
    return url


def make_qr(url: str) -> segno.QRCode:
    return segno.make_qr(check_url(url), error="q", boost_error=True)


def write_qr(url: str, output: Path) -> Path:
    """Write the QR code of ``url`` as PNG or SVG, chosen by the file's suffix."""
    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise QrError(f"Name a .png or .svg file for the QR code, not {output.name!r}.")
    code = make_qr(url)
    if suffix == ".png":
        code.save(str(output), kind="png", scale=PNG_PIXELS_PER_MODULE, border=QUIET_ZONE_MODULES)
    else:
        code.save(
            str(output),
            kind="svg",
            scale=SVG_UNITS_PER_MODULE,
            border=QUIET_ZONE_MODULES,
            title=url,
            xmldecl=True,
        )
    return output
