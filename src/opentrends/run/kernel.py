"""The kernel manager the runner uses: the project's `opentrends` kernel over IPC sockets.

IPC (Unix domain sockets) keeps kernel traffic off TCP ports, so parallel kernels cannot
collide on ports and ipykernel has no reason to warn about unencrypted TCP on every start.
jupyter_client would name the sockets `kernel-ipc-N` in the working directory, shared by
every kernel started there; each kernel here gets its own private folder instead, removed
when the kernel's resources are cleaned up at shutdown.

`launch_env` (set through the notebook client's traitlets config) is the kernel's whole
environment, so the runner never has to change `os.environ` of its own process.

Every kernel this process starts is listed in `running_kernels` until it is cleaned up, so a worker
whose run was killed (`kill -9`, which no handler sees) can take its kernel down with it.
"""

import contextlib
import os
import shutil
import signal
import tempfile
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Dict, Unicode, default

running_kernels: set[int] = set()  # pids of this process's live kernels (each leads its own process group)


def kill_running_kernels() -> None:
    """SIGKILL every kernel this process started and has not cleaned up, with anything the kernel started."""
    for pid in list(running_kernels):
        with contextlib.suppress(OSError):  # already gone
            os.killpg(pid, signal.SIGKILL)  # jupyter_client starts each kernel in a new session: pgid == pid
        running_kernels.discard(pid)


class LocalKernelManager(AsyncKernelManager):
    """AsyncKernelManager with IPC transport, a private socket folder per kernel and an explicit environment."""

    transport = Unicode("ipc")
    launch_env = Dict(help="The kernel process's environment (empty: inherit this process's).").tag(config=True)

    @default("ip")
    def _private_socket_prefix(self) -> str:
        return f"{tempfile.mkdtemp(prefix='opentrends-kernel-')}/{uuid.uuid4().hex[:12]}"

    async def _async_start_kernel(self, **kw) -> None:
        if self.launch_env:
            # jupyter_client's local provisioner uses `env` instead of os.environ when given
            kw["env"] = {**self.launch_env, **kw.get("env", {})}
        await super()._async_start_kernel(**kw)
        if self.provisioner is not None and getattr(self.provisioner, "pid", None):
            running_kernels.add(self.provisioner.pid)

    start_kernel = _async_start_kernel

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        if self.provisioner is not None:
            running_kernels.discard(getattr(self.provisioner, "pid", None))
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(Path(self.ip).parent, ignore_errors=True)

    cleanup_resources = _async_cleanup_resources
