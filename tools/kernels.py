"""Kernels of this environment, shared by ``tools/execute.py`` and ``tools/grade.py``.

A notebook is always run by the Python running the tool (``.venv/bin/python`` under ``make``),
never by whatever ``python3`` kernelspec the machine has registered elsewhere, and with
encrypted transport where pyzmq supports it (ipykernel warns on stderr about plain TCP otherwise).
"""

from __future__ import annotations

from pathlib import Path

import ipykernel.kernelspec
import zmq
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from traitlets import CaselessStrEnum, default

import nbtools

KERNEL_NAME = nbtools.CANONICAL_METADATA["kernelspec"]["name"]
STARTUP_TIMEOUT = 120  # seconds for a kernel to start on a busy machine


class ThisEnvironment(KernelSpecManager):
    """``python3`` means the Python running this script, never a kernelspec found elsewhere
    (a user-wide ``~/.local/share/jupyter/kernels/python3`` may point at another Python)."""

    def get_kernel_spec(self, kernel_name):
        if kernel_name == KERNEL_NAME:
            return self.kernel_spec_class(resource_dir=ipykernel.kernelspec.RESOURCES,
                                          **ipykernel.kernelspec.get_kernel_dict())
        return super().get_kernel_spec(kernel_name)


class ThisEnvironmentKernel(AsyncKernelManager):
    """A kernel manager for :class:`ThisEnvironment`'s kernels. Asynchronous, as nbclient expects:
    with a blocking client, a kernel that dies leaves nbclient waiting for output forever."""

    transport_encryption = CaselessStrEnum(
        ["disabled", "auto", "required"], default_value="auto" if zmq.has("curve") else "disabled")

    @default("kernel_spec_manager")
    def _default_kernel_spec_manager(self):
        return ThisEnvironment()


def client(nb, cwd: Path, timeout: float) -> NotebookClient:
    """An nbclient client that runs ``nb`` in a fresh kernel of this environment, in ``cwd``,
    with ``timeout`` seconds per cell, collecting every error instead of stopping at the first."""
    return NotebookClient(
        nb,
        kernel_manager_class=ThisEnvironmentKernel,
        timeout=timeout,
        startup_timeout=STARTUP_TIMEOUT,
        kernel_name=KERNEL_NAME,
        allow_errors=True,
        record_timing=False,
        # Widget state is dropped with the rest of the metadata, but nbclient needs it while
        # running: with store_widget_state=False it fails on ipywidgets' Output widgets.
        store_widget_state=True,
        resources={"metadata": {"path": str(cwd)}},  # the kernel's working directory
    )
