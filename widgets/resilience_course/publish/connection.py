"""The connection between a page and its kernel (jupyter_server's, with every message sent at once, and
telling the kernel manager when the page closed it)."""

from __future__ import annotations

from .lifetime import PAGE_CLOSE_CODES

__all__ = ["_prompt_connection_class"]


def _prompt_connection_class():
    from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

    class PromptConnection(ZMQChannelsWebsocketConnection):
        """jupyter_server's connection between a page and its kernel, with every message sent at once.

        Tornado leaves Nagle's algorithm on for websockets (``set_nodelay`` is off unless a handler
        turns it on), and jupyter_server never turns it on: a small message to the page (a kernel's
        "busy") went out, and the next one (the answer the page was waiting for) waited for the
        browser's acknowledgement, which a browser delays by up to 40 ms. A page asks its kernel
        two questions before its widgets can be drawn (``kernel_info``, then the widgets' states):
        each waited. Here every message is sent as soon as it is written (``TCP_NODELAY``).
        """

        def connect(self):
            try:
                self.websocket_handler.set_nodelay(True)
            except Exception:  # not connected after all: jupyter_server's own handling follows
                self.log.debug("could not switch off Nagle's algorithm for %s", self.kernel_id, exc_info=True)
            return super().connect()

        def disconnect(self):
            """As jupyter_server's, then telling the kernel manager when the page closed the connection itself
            (a close code, publish/lifetime.py): its kernel then ends within seconds even if the page's
            request to stop it was lost."""
            closed = getattr(self.websocket_handler, "close_code", None) in PAGE_CLOSE_CODES
            manager, kernel_id = self.multi_kernel_manager, self.kernel_id
            super().disconnect()
            note = getattr(manager, "page_closed_connection", None)
            if closed and note is not None:
                note(kernel_id)

    PromptConnection.__module__ = "resilience_course.publish.server"
    return PromptConnection
