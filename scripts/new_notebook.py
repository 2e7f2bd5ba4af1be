"""Write a course notebook from a simple text file (for authors; learners never need this).

Usage:  python scripts/new_notebook.py SOURCE.txt OUT.ipynb

In SOURCE, cells are separated by a line holding only ``%%``; a cell whose first line is
``%% code`` is a code cell, anything else is markdown. The notebook is written with no outputs
and the ``python3`` kernelspec, as the hygiene tests require.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat


def build(text: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    cells = []
    for chunk in text.split("\n%%"):
        chunk = chunk[2:] if chunk.startswith("%%") else chunk
        kind = "markdown"
        if chunk.startswith(" code"):
            kind = "code"
            chunk = chunk[len(" code"):]
        body = chunk.strip("\n")
        if not body.strip():
            continue
        cells.append(nbformat.v4.new_code_cell(body) if kind == "code" else nbformat.v4.new_markdown_cell(body))
    nb.cells = cells
    for n, c in enumerate(nb.cells, start=1):
        c.id = f"cell-{n:02d}"  # stable ids keep diffs small
    return nb


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__)
        return 2
    nb = build(Path(argv[1]).read_text(encoding="utf-8"))
    nbformat.write(nb, argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
