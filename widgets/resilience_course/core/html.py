"""Small, safe HTML builders. Every piece of learner or file text goes through :func:`esc`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .escape import esc

__all__ = ["esc", "table", "paragraphs"]


def paragraphs(text: str) -> str:
    """Escaped text with blank lines as paragraphs and single newlines as line breaks."""
    parts = [p.strip() for p in str(text or "").split("\n\n") if p.strip()]
    return "".join(f"<p>{esc(p).replace(chr(10), '<br>')}</p>" for p in parts)


def table(headers: Sequence[str], rows: Iterable[Sequence], caption: str = "", cls: str = "rc-table",
          row_headers: bool = True) -> str:
    """An accessible table: caption, column headers with scope, first cell of each row as a row header."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = []
        for n, cell in enumerate(row):
            if n == 0 and row_headers:
                cells.append(f'<th scope="row">{esc(cell)}</th>')
            else:
                cells.append(f"<td>{esc(cell)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<table class="{cls}">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
