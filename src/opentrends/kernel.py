"""The kernel manager the runner uses: the environment's own `python3` kernel over IPC sockets.

IPC (Unix domain sockets in a private runtime folder) keeps kernel traffic off TCP ports, so
parallel kernels cannot collide on ports and ipykernel has no reason to warn about
unencrypted TCP transport on every start.
"""

from jupyter_client.manager import AsyncKernelManager
from traitlets import Unicode


class LocalKernelManager(AsyncKernelManager):
    """AsyncKernelManager with IPC transport."""

    transport = Unicode("ipc")
