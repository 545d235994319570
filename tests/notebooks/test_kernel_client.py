"""The notebook runners read a kernel's reply as soon as it is there (tools/kernel_client.py).

With jupyter_client's asyncio client, about one widget cell in ten to twenty came back exactly
`timeout` seconds late (the reply sat unread in the client's socket); the soak found 300 s stalls.
"""

import importlib.util
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def load(name):
    sys.path.insert(0, str(TOOLS))
    try:
        spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(TOOLS))


def test_the_runners_use_the_sliced_poll_client():
    kernel_client = load("kernel_client")
    for script in ("run_notebooks.py", "soak_notebooks.py"):
        assert "SlicedPollKernelManager" in (TOOLS / script).read_text(), script
    assert kernel_client.POLL_SLICE <= 1.0


def test_no_widget_cell_waits_for_its_timeout():
    kernel_client = load("kernel_client")
    setup = "import ipywidgets as w\nfrom IPython.display import display"
    cell = "s = w.FloatSlider(value=1.0); o = w.Output(); display(w.VBox([s, o]))\nwith o: print('hi')"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(setup)]
                                  + [nbformat.v4.new_code_cell(cell) for _ in range(80)])
    client = NotebookClient(nb, timeout=20, kernel_name="python3",
                            kernel_manager_class=kernel_client.SlicedPollKernelManager)
    late = []
    with client.setup_kernel():
        for index, c in enumerate(nb.cells):
            t0 = time.perf_counter()
            client.execute_cell(c, index)
            if time.perf_counter() - t0 > 5:
                late.append((index, round(time.perf_counter() - t0, 1)))
    assert not late, f"cells that returned late (index, seconds): {late}"
    assert all(c.outputs for c in nb.cells[1:]), "every widget cell shows its widget"
