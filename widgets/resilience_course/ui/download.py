"""The one "save to folder or download" component.

A learner on a shared server cannot open a folder on the server, so every file a tool makes is
offered as a **browser download** (a link carrying the file itself, named with the file name) and,
when the tool allows it, can also be **written** into a folder (the export folder by default).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import ipywidgets as widgets
from traitlets import Bytes, Unicode

from ..core.exports import export_dir, write_new_file
from ..core.html import esc
from .controls import button
from .guard import guarded
from .style import LABEL_STYLE, message_html
from .submit import Submits

__all__ = ["MIME_TYPES", "download_link_html", "SaveOrDownload"]

MIME_TYPES = {"html": "text/html", "md": "text/markdown", "csv": "text/csv", "json": "application/json",
              "txt": "text/plain"}


def _mime(filename: str) -> str:
    return MIME_TYPES.get(filename.rpartition(".")[2].lower(), "application/octet-stream")


def _size(n: int) -> str:
    return f"{n} bytes" if n < 1024 else f"{n / 1024:.0f} KB"


def download_link_html(filename: str, data: bytes | str, mime: str = "", label: str = "") -> str:
    """An accessible link that downloads *data* as *filename* from the page itself (a ``data:`` URI).

    Nothing is fetched from a server, so it works on a shared hub and offline. The link text names
    the file (``Download report.html``) and its size follows in plain text.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    mime = mime or _mime(filename)
    charset = ";charset=utf-8" if mime.startswith("text/") or mime == "application/json" else ""
    href = f"data:{mime}{charset};base64,{base64.b64encode(raw).decode('ascii')}"
    text = label or f"Download {filename}"
    return (f'<a class="rc-download" href="{href}" download="{esc(filename)}">{esc(text)}</a> '
            f'<span class="rc-muted">({_size(len(raw))})</span>')


Writer = Callable[[str, str, bytes], Path]


def _write_new(folder: str, filename: str, data: bytes) -> Path:
    return write_new_file(folder, filename, data)


class SaveOrDownload(Submits, widgets.VBox):
    """Offer one file as a browser download and, optionally, write it into a folder.

    Call :meth:`offer` with the file's name and exact content once the learner has previewed it;
    :meth:`clear` when the content no longer matches what is on screen. ``on_submit`` callbacks get
    ``(widget, path)`` after :meth:`write`.

    Parameters
    ----------
    folder : path-like, optional
        The folder first offered (default: the course's export folder).
    allow_folder : bool
        Show the folder box and the Save button (default True); a page on a shared server may offer
        the download only.
    writer : callable, optional
        ``writer(folder_text, filename, data) -> Path`` (default: a new private file that never
        overwrites another, :func:`~..core.exports.write_new_file`).
    """

    filename = Unicode("", help="The name of the file on offer (empty: nothing on offer yet)")
    data = Bytes(b"", help="The exact bytes of the file on offer")
    message = Unicode("", help="A status or error message about writing the file")
    written_path = Unicode("", help="Where the file was last written")

    def __init__(self, folder: str | Path | None = None, allow_folder: bool = True, writer: Writer | None = None,
                 folder_label: str = "Or save a copy in this folder", write_label: str = "Save the file in the folder",
                 **kwargs):
        super().__init__(**kwargs)
        self._writer = writer or _write_new
        self.add_class("rc-save-or-download")
        self.link_html = widgets.HTML()
        self.folder_text = widgets.Text(value=str(folder or export_dir()), description=folder_label,
                                        style=LABEL_STYLE, layout=widgets.Layout(width="100%", max_width="40rem"))
        self.write_button = button(write_label, icon="save", tooltip="Write the file shown above into that folder")
        self.write_button.on_click(lambda _b: self.write())
        self.status_html = widgets.HTML()
        folder_row = [self.folder_text, self.write_button] if allow_folder else []
        self.children = [self.link_html, *folder_row, self.status_html]
        self.observe(self._render, names=["filename", "data", "message"])
        self._render()

    def offer(self, filename: str, data: bytes | str) -> None:
        """Put a file on offer (its exact bytes; text is written as UTF-8)."""
        self.data = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        self.filename = filename
        self.message = ""

    def clear(self) -> None:
        """Withdraw the file on offer (for example when the learner changes what it would hold)."""
        self.filename, self.data, self.message = "", b"", ""

    def write(self) -> Path | None:
        """Write the file on offer into the folder in the box; returns where, or None with a message."""
        if not self.filename:
            self.message = "There is no file to save yet: preview it first."
            return None
        path = guarded(lambda: self._writer(self.folder_text.value, self.filename, self.data), self,
                       "The file could not be saved in that folder. You can still download it with the link above.",
                       expected=(OSError, ValueError), what="writing an export")
        if path is None:
            return None
        self.written_path = str(path)
        self.message = f"Saved: {path}"
        self._submitted(self, path)
        return path

    def _render(self, change=None):
        self.link_html.value = download_link_html(self.filename, self.data) if self.filename else ""
        self.write_button.disabled = not self.filename
        kind = "ok" if self.message.startswith("Saved") else "warn"
        self.status_html.value = message_html(self.message, kind)
