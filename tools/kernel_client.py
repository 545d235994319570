"""A kernel client for our notebook runners that cannot sit on a reply that has already arrived.

Why this exists: driving a kernel through nbclient (which uses jupyter_client's asyncio channels),
between one in ten and one in a hundred (by run) of the cells that create a widget came back
exactly `timeout` seconds late, although the kernel had replied within milliseconds (its own
timestamps say so) and no error was raised. The reply was in the client's socket all along: zmq
signals "readable" through an edge-triggered file descriptor, and a send on the same socket (the
next execute request) can consume that edge, so the asyncio reader is never woken; pyzmq only looks
again when the poll's timeout fires. With a 300 s cell timeout that is a 300 s stall;
`tools/soak_notebooks.py` found three of them in 42 notebook runs, and
`python tools/kernel_client.py` reproduces it in a minute (see `main`).

The fix here is small and local: `get_msg` waits in slices of `POLL_SLICE` seconds, and every
slice ends with pyzmq's own non-blocking look at the socket, so a missed wake-up costs at most one
slice instead of the whole timeout. nbval (CI) uses the blocking client, whose `zmq_poll` is
level-triggered and not affected; JupyterLab is not affected either (jupyter_server reads with
ZMQStream). Used by `tools/run_notebooks.py` and, through it, `tools/soak_notebooks.py`.
"""

from __future__ import annotations

import time
from queue import Empty

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from traitlets import Type, default

POLL_SLICE = 0.25  # seconds: the longest a reply that has already arrived can wait to be read


class SlicedPollChannel(AsyncZMQSocketChannel):
    """An asyncio channel whose `get_msg` looks at the socket at least every `POLL_SLICE` s."""

    async def get_msg(self, timeout: float | None = None) -> dict:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = POLL_SLICE if deadline is None else max(0.0, deadline - time.monotonic())
            if await self.socket.poll(int(min(POLL_SLICE, left) * 1000)):
                return await self._recv()
            if deadline is not None and time.monotonic() >= deadline:
                raise Empty


class SlicedPollKernelClient(AsyncKernelClient):
    """`AsyncKernelClient` with `SlicedPollChannel` for the shell, iopub, stdin and control channels."""

    shell_channel_class = Type(SlicedPollChannel)
    iopub_channel_class = Type(SlicedPollChannel)
    stdin_channel_class = Type(SlicedPollChannel)
    control_channel_class = Type(SlicedPollChannel)


class SlicedPollKernelManager(AsyncKernelManager):
    """A kernel manager whose clients are `SlicedPollKernelClient`s.

    Give it to nbclient as ``NotebookClient(..., kernel_manager_class=SlicedPollKernelManager)``:
    nbclient then still owns the manager and shuts the kernel down as usual.
    """

    @default("client_factory")
    def _client_factory_default(self) -> type:
        return SlicedPollKernelClient


def late_widget_cells(manager_class, n: int, timeout: float, late_after: float = 1.0) -> list:
    """Run `n` cells that each show a widget, in one kernel of `manager_class`; return the
    (cell index, seconds) of every cell that took longer than `late_after` seconds."""
    import nbformat
    from nbclient import NotebookClient

    setup = "import ipywidgets as w\nfrom IPython.display import display"
    cell = "s = w.FloatSlider(value=1.0); o = w.Output(); display(w.VBox([s, o]))\nwith o: print('hi')"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(setup)]
                                  + [nbformat.v4.new_code_cell(cell) for _ in range(n)])
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            kernel_manager_class=manager_class)
    late = []
    with client.setup_kernel():
        for index, c in enumerate(nb.cells):
            t0 = time.perf_counter()
            client.execute_cell(c, index)
            took = time.perf_counter() - t0
            if took > late_after:
                late.append((index, round(took, 1)))
    if not all(c.outputs for c in nb.cells[1:]):
        raise RuntimeError("late_widget_cells: a widget cell showed nothing")
    return late


def main(argv: list[str] | None = None) -> int:
    """Reproduce the stall: run N widget cells with and without the sliced client, count late ones."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("-n", type=int, default=300, help="widget cells per client (300)")
    parser.add_argument("--timeout", type=int, default=10, help="cell timeout in seconds (10)")
    args = parser.parse_args(argv)
    late = {}
    for label, manager in [("jupyter_client's AsyncKernelClient", AsyncKernelManager),
                           ("SlicedPollKernelClient", SlicedPollKernelManager)]:
        late[label] = late_widget_cells(manager, args.n, args.timeout)
        print(f"{label}: {len(late[label])} of {args.n} cells late (>1 s): {late[label]}", flush=True)
    return 1 if late["SlicedPollKernelClient"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
