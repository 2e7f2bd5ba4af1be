"""The certificate of completion: what is still missing, or a certificate to preview and write."""

from __future__ import annotations

import ipywidgets as widgets
from traitlets import Bool, Unicode

from ..core.course import Outline
from ..core.dates import display_date
from ..core.exports import export_dir as default_export_folder
from ..core.exports import write_new_file
from ..core.html import esc
from ..core.store import Store
from ..ui.controls import button, text_input
from ..ui.download import download_link_html
from .base_widgets import RecordWidget
from .certificate import certificate_html, certificate_status

__all__ = ["CertificatePanel", "certificate"]

#: The longest name a certificate shows.
MAX_NAME = 120


class CertificatePanel(RecordWidget):
    """The certificate of completion: what is still missing, or a printable certificate to preview and write.

    Parameters
    ----------
    store : Store, optional
    outline : Outline, optional
    banks : dict, optional
        Module id -> question ids, instead of reading each module's questions.yml (tests).
    folder : str, optional
    """

    name = Unicode("", help="Optional name to print on the certificate (never saved)")
    previewed = Bool(False, help="Whether the certificate has been previewed")

    def __init__(self, store: Store | None = None, outline: Outline | None = None, banks: dict | None = None,
                 folder: str | None = None, **kwargs):
        super().__init__(store, outline, **kwargs)
        self.banks = banks
        self.status = None
        self.check_button = button("Check my progress again", icon="refresh")
        self.check_button.on_click(lambda _b: self.refresh())
        self.status_html = widgets.HTML()
        self.name_input = text_input("Name to print (optional, never saved)")
        self.name_input.observe(lambda ch: setattr(self, "name", ch["new"]), names="value")
        self.preview_button = button("Preview my certificate", icon="eye")
        self.preview_button.on_click(lambda _b: self.preview())
        self.folder = text_input("Folder to save it in", value=folder or str(default_export_folder()))
        self.write_button = button("Write the certificate file", icon="download",
                                           button_style="primary")
        self.write_button.on_click(lambda _b: self.write())
        self.ready_box = widgets.VBox([self.name_input, self.preview_button, self.folder, self.write_button],
                                      layout=widgets.Layout())  # its own layout: shown when ready
        self.preview_html = widgets.HTML()
        self.message_html = widgets.HTML()
        self.children = [self.status_html, self.ready_box, self.message_html, self.preview_html, self.check_button]
        self.observe(self._render, names=["name", "previewed", "message"])
        self.refresh()

    # The name is never refused as it is typed (a refused name left the older one to be printed):
    # preview() checks its length (MAX_NAME) and says so.

    def refresh(self) -> None:
        self.status = certificate_status(self.store, self.outline, self.banks)
        self.previewed = False
        self._render()

    def html(self) -> str:
        return certificate_html(self.status, self.name)

    def preview(self) -> str:
        if not self.status.complete:
            self.message = "The certificate is available once every module is complete."
            return ""
        self.previewed = False
        if len(self.name) > MAX_NAME:
            self.message = (f"The name is {len(self.name)} characters long; a certificate can show at most "
                            f"{MAX_NAME}. Please shorten it, then preview again.")
            return ""
        self.previewed = True
        self.message = "Preview below. Print it from the file once it is written."
        return self.preview_html.value

    def write(self) -> str | None:
        """Write the previewed certificate to a new private HTML file; returns its path (None, with a message)."""
        if not self.status.complete:
            self.message = "The certificate is available once every module is complete."
            return None
        if not self.previewed:
            self.message = "Preview the certificate first."
            return None
        try:
            path = write_new_file(self.folder.value, f"certificate-{self.status.completed_on}.html", self.html())
        except OSError as exc:
            self.message = (f"The certificate could not be written to {self.folder.value!r} "
                            f"({exc.strerror or exc.__class__.__name__}). Choose another folder.")
            return None
        self.message = f"Written: {path}. Open it in your browser and print it, or save it as a PDF."
        return str(path)

    def _render(self, change=None):
        s = self.status
        if change is not None and change["name"] == "name":
            self.previewed = False
        if s.complete:
            self.status_html.value = (f'<div class="rc-ok" role="status"><p><strong>Well done: you have completed '
                                      f"every module</strong> ({s.hours:g} hours of study, finishing on "
                                      f"{esc(display_date(s.completed_on))}). Your certificate is ready.</p></div>")
            self.ready_box.layout.display = None
        else:
            self.status_html.value = f'<div class="rc-note">{s.missing_html()}</div>'
            self.ready_box.layout.display = "none"
        self.message_html.value = self._status()
        if self.previewed and s.complete:
            body = self.html()
            inner = body[body.index("<main"): body.index("</main>") + 7]
            inner = inner.replace("<h1>", "<h4>").replace("</h1>", "</h4>").replace("<h2>", "<h5>").replace(
                "</h2>", "</h5>").replace("<main", "<div").replace("</main>", "</div>")
            link = download_link_html(f"certificate-{s.completed_on}.html", body)  # the exact file, downloaded
            self.preview_html.value = (f'<p class="rc-download-row">{link}</p>'
                                       f'<section class="rc-card" aria-label="Preview of your certificate">{inner}'
                                       "</section>")
        else:
            self.preview_html.value = ""


def certificate(**kwargs) -> CertificatePanel:
    return CertificatePanel(**kwargs)
