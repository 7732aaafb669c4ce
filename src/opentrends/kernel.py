"""The kernel manager the runner uses: the environment's own `python3` kernel over IPC sockets.

IPC (Unix domain sockets) keeps kernel traffic off TCP ports, so parallel kernels cannot
collide on ports and ipykernel has no reason to warn about unencrypted TCP on every start.
jupyter_client would name the sockets `kernel-ipc-N` in the working directory, shared by
every kernel started there; each kernel here gets its own private folder instead, removed
when the kernel's resources are cleaned up at shutdown.
"""

import shutil
import tempfile
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Unicode, default


class LocalKernelManager(AsyncKernelManager):
    """AsyncKernelManager with IPC transport and a private socket folder per kernel."""

    transport = Unicode("ipc")

    @default("ip")
    def _private_socket_prefix(self) -> str:
        return f"{tempfile.mkdtemp(prefix='opentrends-kernel-')}/{uuid.uuid4().hex[:12]}"

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(Path(self.ip).parent, ignore_errors=True)

    cleanup_resources = _async_cleanup_resources
