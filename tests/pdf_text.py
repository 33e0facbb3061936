"""Reading back what a PDF draws, beyond pypdf's extracted text: where each glyph stands
on its line (to see right-to-left runs), and which glyphs a font subset holds (to see
joined Arabic letters)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream


def _to_unicode(font: object) -> dict[int, str]:
    """A font's ToUnicode map: glyph code → the characters it stands for."""
    data = font["/ToUnicode"].get_object().get_data().decode()  # type: ignore[index]
    found = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            found[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    return found


def glyph_lines(path: Path) -> list[str]:
    """Each line of the first page as drawn, left to right (glyphs sorted by their
    x position), whatever order the content stream drew them in."""
    reader = PdfReader(path)
    page = reader.pages[0]
    fonts = {
        name: _to_unicode(ref.get_object()) for name, ref in page["/Resources"]["/Font"].items()
    }
    lines: dict[float, list[tuple[float, str]]] = {}
    font, x, y = None, 0.0, 0.0
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tf":
            font = operands[0]
        elif operator == b"Tm":
            x, y = float(operands[4]), float(operands[5])
        elif operator == b"Td":
            x, y = float(operands[0]), float(operands[1])
        elif operator == b"Tj":
            raw = operands[0].get_original_bytes().removeprefix(b"\xfe\xff")
            codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
            text = "".join(fonts[font].get(code, "") for code in codes)
            lines.setdefault(round(y, 1), []).append((x, text))
    return ["".join(t for _, t in sorted(glyphs)) for _, glyphs in sorted(lines.items())]


def subset_glyph_names(path: Path) -> set[str]:
    """The glyph names of every font subset the first page embeds."""
    page = PdfReader(path).pages[0]
    names: set[str] = set()
    for ref in page["/Resources"]["/Font"].values():
        descendant = ref.get_object()["/DescendantFonts"][0].get_object()
        data = descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
        names |= set(TTFont(io.BytesIO(data)).getGlyphOrder())
    return names
