"""Fonts for the PDFs billcli writes: every character a customer's name, a line or a memo
can hold must print on a document that is sent to the customer, on any machine.

Two fonts ship with billcli (`render/fonts`, their licences beside them), so no system
font is needed: DejaVu Sans for Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew,
Arabic and many symbols, and Droid Sans Fallback for Chinese, Japanese and Korean.
fpdf2 embeds only the glyphs a document uses (a subset), and shapes text with HarfBuzz
(uharfbuzz): Arabic letters join, Hebrew and Arabic run right to left. A character
neither has may still be found in an installed TrueType font (fontconfig's `fc-list
:charset=…`); one that no font has prints as U+FFFD and is reported, so the command can
say which.
"""

from __future__ import annotations

import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

BUNDLED = Path(__file__).with_name("fonts")
REGULAR = BUNDLED / "DejaVuSans.ttf"
BOLD = BUNDLED / "DejaVuSans-Bold.ttf"
# Shipped fallbacks, tried before any system font: Chinese, Japanese and Korean.
SHIPPED_FALLBACKS = (BUNDLED / "DroidSansFallback.ttf",)
FAMILY = "DejaVu"
REPLACEMENT = "\ufffd"


@cache
def _characters(path: Path) -> frozenset[int]:
    # startup: fontTools loads only when a PDF is drawn
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def _drawn(text: str) -> str:
    """`text` as it is drawn: control characters (a CR from a spreadsheet) are spaces."""
    return "".join(" " if unicodedata.category(c) == "Cc" and c != "\n" else c for c in text)


@dataclass(frozen=True)
class FontPlan:
    """The fonts a document needs, and the characters none of them has."""

    fallbacks: tuple[Path, ...]
    missing: frozenset[str]

    def install(self, pdf: FPDF) -> None:
        """The fonts on `pdf`, fallbacks glyph by glyph, and HarfBuzz shaping."""
        pdf.add_font(FAMILY, "", str(REGULAR))
        pdf.add_font(FAMILY, "B", str(BOLD))
        names = []
        for number, path in enumerate(self.fallbacks):
            names.append(f"fallback{number}")
            pdf.add_font(names[-1], "", str(path))
        if names:
            pdf.set_fallback_fonts(names, exact_match=False)
        pdf.set_text_shaping(True)

    def printable(self, value: object) -> str:
        """The text to draw: what no font has becomes U+FFFD."""
        text = _drawn(str(value))
        return "".join(REPLACEMENT if c in self.missing else c for c in text)

    def warning(self) -> str | None:
        """What to tell the person who asked for the document, if anything is missing."""
        if not self.missing:
            return None
        named = ", ".join(
            f"{c} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in sorted(self.missing)
        )
        return (
            f"no font here has {named}: printed as {REPLACEMENT}; install a font that has "
            "it (fontconfig finds it)"
        )


def plan(texts: Iterable[object]) -> FontPlan:
    """The fonts that draw `texts`: DejaVu Sans, then the shipped fallbacks, then system
    fonts for what they lack; only those a character of `texts` needs."""
    bundled = _characters(REGULAR)
    lacking = sorted({c for t in texts for c in _drawn(str(t)) if ord(c) not in bundled} - {"\n"})
    fallbacks: list[Path] = []
    for char in lacking:
        if any(ord(char) in _characters(path) for path in fallbacks):
            continue
        shipped = [path for path in SHIPPED_FALLBACKS if ord(char) in _characters(path)]
        found = shipped[0] if shipped else _system_font_with(char)
        if found is not None:
            fallbacks.append(found)
    missing = {c for c in lacking if not any(ord(c) in _characters(p) for p in fallbacks)}
    return FontPlan(tuple(fallbacks), frozenset(missing))


@cache
def _system_font_with(char: str) -> Path | None:
    """An installed TrueType font that has `char`, as fontconfig knows them."""
    try:
        listed = subprocess.run(
            ["fc-list", f":charset={ord(char):x}", "file"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in sorted(listed.splitlines()):
        path = Path(line.split(":")[0].strip())
        if path.suffix.lower() == ".ttf" and ord(char) in _characters(path):
            return path
    return None
