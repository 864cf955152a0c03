"""Bar charts drawn on the server as SVG, so the same chart goes into a page and into a PDF.

Only presentation attributes are used (no `style` attribute): the pages' CSP forbids inline styles.
Every chart carries a title and a text description for screen readers, and its values are also
printed as numbers, so colour is never the only signal.
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

PALETTE = ["#0b4f8a", "#2e8b57", "#c77c02", "#8e44ad", "#b03a2e", "#5d6d7e"]
FONT = "DejaVu Sans, Arial, sans-serif"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str  # what is printed beside the bar (a masked count shows "< 5")


def _svg(width: int, height: int, title: str, body: list[str], description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label={quoteattr(title)} font-family="{FONT}" font-size="11">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>{''.join(body)}</svg>"
    )


def horizontal_bars(title: str, bars: list[Bar], *, width: int = 520) -> str:
    # Labels are not cut: the label column widens with the longest one (about 6 px a character).
    label_width = min(max((len(bar.label) for bar in bars), default=10) * 6 + 12, 300)
    row = 22
    height = max(len(bars), 1) * row + 10
    top = max((bar.value for bar in bars), default=0) or 1
    room = width - label_width - 70
    body = []
    for index, bar in enumerate(bars):
        y = 5 + index * row
        length = max(bar.value / top * room, 0)
        colour = PALETTE[index % len(PALETTE)]
        body.append(
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end" fill="#222">{escape(bar.label)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" fill="{colour}"/>'
            f'<text x="{label_width + length + 5:.1f}" y="{y + 14}" fill="#222">{escape(bar.display)}</text>'
        )
    if not bars:
        body.append('<text x="10" y="20" fill="#555">Aucune donnée</text>')
    description = "; ".join(f"{bar.label} : {bar.display}" for bar in bars) or "Aucune donnée"
    return _svg(width, height, title, body, description)


def vertical_bars(title: str, bars: list[Bar], *, width: int = 520, height: int = 200) -> str:
    bottom, top_margin = height - 36, 18
    top = max((bar.value for bar in bars), default=0) or 1
    slot = (width - 20) / max(len(bars), 1)
    body = [f'<line x1="10" y1="{bottom}" x2="{width - 10}" y2="{bottom}" stroke="#888" stroke-width="1"/>']
    for index, bar in enumerate(bars):
        x = 10 + index * slot
        bar_height = bar.value / top * (bottom - top_margin)
        body.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{bottom - bar_height:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{bar_height:.1f}" fill="{PALETTE[0]}"/>'
            f'<text x="{x + slot / 2:.1f}" y="{bottom - bar_height - 4:.1f}" text-anchor="middle" fill="#222">'
            f"{escape(bar.display)}</text>"
            f'<text x="{x + slot / 2:.1f}" y="{bottom + 14}" text-anchor="middle" fill="#222" font-size="9">'
            f"{escape(bar.label)}</text>"
        )
    description = "; ".join(f"{bar.label} : {bar.display}" for bar in bars) or "Aucune donnée"
    return _svg(width, height, title, body, description)
