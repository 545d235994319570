"""The notebook runners read a kernel's reply as soon as it is there (tools/kernel_client.py).

With jupyter_client's asyncio client, between one widget cell in ten and one in a hundred (by
run) came back exactly `timeout` seconds late (the reply sat unread in the client's socket); the
soak found 300 s stalls.
"""

import importlib.util
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[2] / "tools"
_spec = importlib.util.spec_from_file_location("kernel_client", TOOLS / "kernel_client.py")
kernel_client = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kernel_client)


def test_the_runners_use_the_sliced_poll_client():
    for script in ("run_notebooks.py", "soak_notebooks.py"):
        assert "SlicedPollKernelManager" in (TOOLS / script).read_text(), script
    assert kernel_client.POLL_SLICE <= 1.0


def test_no_widget_cell_waits_for_its_timeout():
    late = kernel_client.late_widget_cells(kernel_client.SlicedPollKernelManager, n=80, timeout=20,
                                           late_after=5)
    assert not late, f"cells that returned late (index, seconds): {late}"
