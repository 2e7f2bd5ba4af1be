"""The load benchmark's own arithmetic and protocol helpers (benchmarks/load.py, benchmarks/load_protocol.py).

The benchmark itself starts servers and browsers (run it under the heavy-run lock); these are the parts
that decide what its figures mean: percentiles, which process a CPU-second is charged to, the server
settings for a room, the kernel id read from a page, a websocket frame, and the SHARENOW self-check's
widgets found in a real ``update_states`` reply.
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import load  # noqa: E402
import load_protocol  # noqa: E402


def test_percentile_interpolates_and_handles_nothing():
    assert load.percentile([], 0.95) is None
    assert load.percentile([2.0], 0.95) == 2.0
    assert load.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == 3.0
    assert load.percentile(list(map(float, range(1, 21))), 0.95) == pytest.approx(19.05)
    assert load.summary([3.0, 1.0, 2.0]) == {"n": 3, "p50": 2.0, "p95": 2.9, "max": 3.0}


def test_cpu_is_charged_to_the_part_that_used_it():
    assert load.part_of(["/v/python", "-m", "ipykernel_launcher", "-f", "/tmp/kernel-1.json"], "python") == "kernels"
    assert load.part_of(["/v/python", "-m", "resilience_course.cli", "serve", "--port", "1"], "python") == "server"
    assert load.part_of(["/usr/lib/chromium/chromium", "--type=renderer", "--user-data-dir=/tmp/playwright_x"],
                        "chromium") == "browser:renderer"
    assert load.part_of(["/usr/lib/chromium/chromium", "--type=zygote"], "chromium") == "browser:renderer"
    assert load.part_of(["/usr/lib/chromium/chromium", "--headless"], "chromium") == "browser:browser"
    assert load.part_of(["/x/playwright/driver/node", "/x/playwright/driver/package/cli.js"], "node") == \
        "playwright_driver"


def test_cpu_used_counts_a_kernel_that_ended_once():
    # a kernel (pid 3) used 1.0 s before the window and 2.5 s in all; it ended, and the server reaped it
    before = {1: ("harness_script", 5.0, 0.0), 2: ("server", 10.0, 0.0), 3: ("kernels", 1.0, 0.0),
              4: ("browser:renderer", 0.5, 0.0)}
    after = {1: ("harness_script", 5.5, 0.0), 2: ("server", 10.4, 2.5), 4: ("browser:renderer", 1.5, 0.0),
             5: ("kernels", 0.7, 0.0)}  # a kernel started in the window
    used = load.cpu_used(before, after, machine=5.0)
    assert used["server"] == pytest.approx(0.4)
    assert used["kernels"] == pytest.approx(1.5 + 0.7)
    assert used["browser"] == pytest.approx(1.0)
    assert used["harness_script"] == pytest.approx(0.5)
    assert used["rest_of_machine"] == pytest.approx(5.0 - 0.4 - 2.2 - 1.0 - 0.5)


def test_pool_arguments_change_only_the_self_checks_pool():
    assert load.pool_arguments(None) == []
    (arg,) = load.pool_arguments(25)
    prefix = "--voila-arg=--VoilaKernelManager.kernel_pools_config="
    assert arg.startswith(prefix)
    pools = json.loads(arg[len(prefix):])
    assert pools[load.PAGE]["pool_size"] == 25
    # every other pool is as the repository's settings have it (publish/voila/voila.py)
    assert pools["default"]["pool_size"] == 0
    assert pools["course/home.ipynb"]["pool_size"] == 1


def test_kernel_id_from_the_page_config_only_once_complete():
    config = {"baseUrl": "/", "kernelId": "4b9e5c1e-0000-4000-8000-000000000001"}
    html = (b'<body><script id="jupyter-config-data" type="application/json">\n  '
            + json.dumps(config).encode() + b"\n</script><div>")
    assert load_protocol.kernel_id_from(html) == config["kernelId"]
    assert load_protocol.kernel_id_from(html[:60]) is None
    assert load_protocol.kernel_id_from(b"<html>no config</html>") is None


def test_decode_reads_json_and_binary_frames():
    msg = {"header": {"msg_type": "comm_msg", "date": "2026-01-01T00:00:00Z"}, "parent_header": {},
           "content": {"data": {"method": "update_states"}}, "channel": "iopub"}
    assert load_protocol.decode(json.dumps(msg))["content"]["data"]["method"] == "update_states"
    body, buf = json.dumps(msg).encode(), b"\x01\x02"
    frame = struct.pack("!III", 2, 12, 12 + len(body)) + body + buf
    decoded = load_protocol.decode(frame)
    assert decoded["content"] == msg["content"] and decoded["buffers"] == [buf]


def test_sharenow_widgets_found_in_a_real_states_reply(store):
    import ipywidgets as widgets
    from ipywidgets.widgets.widget import _instances
    from resilience_course.selfcheck.widgets import SelfCheck

    earlier = set(_instances)  # widgets other tests in this process made (a page's kernel has none)
    pages = [SelfCheck("signs-of-reducing-resilience", store=store), SelfCheck("sharenow", store=store)]
    states = {k: v for k, v in widgets.Widget.get_manager_state(drop_defaults=False)["state"].items()
              if k not in earlier}
    found = load_protocol.sharenow_widgets(states)
    sharenow = pages[1]
    assert found is not None and found["self_check"] == sharenow.model_id
    assert found["items"] == [c.model_id for c in sharenow.controls]
    assert found["submit"] == sharenow.submit_button.model_id
    assert found["message"] == sharenow.message_html.model_id
    assert found["options"] == [len(c.options) for c in sharenow.controls]
    # what the page's buttons send: each item's index, then a click; the page then says it was saved
    for i, ctl in enumerate(sharenow.controls):
        ctl.set_state({"index": i % found["options"][i]})
    sharenow.submit_button._handle_button_msg(None, {"event": "click"}, None)
    assert load_protocol.SAVED in sharenow.message_html.value
    assert len(store.selfcheck_history("sharenow")) == 1
    assert load_protocol.sharenow_widgets({k: v for k, v in states.items() if k != sharenow.model_id}) is None
