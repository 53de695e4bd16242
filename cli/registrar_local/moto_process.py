"""moto's server in a process of its own, so AWS's work runs beside the handlers' own.

In AWS, DynamoDB's and SQS's work runs on AWS's machines: a function waiting on a write
spends none of its CPU on it. In the embedded local stack moto answers in the handlers'
process (see ``inprocess``), so moto's work and the function's share one interpreter, and a
measurement of the function's concurrency measures moto's CPU as well. Started as a child
process, moto answers over loopback HTTP (as AWS answers over the network) with the same
speed-ups (``moto_speedups``) and stream numbering (``moto_streams``) as in process.

``MotoProcess`` has the start/stop/address interface of moto's ``ThreadedMotoServer``.
The child serves until its standard input closes, so it ends with the process that
started it, however that one ends. ``freeze_memory`` asks it to leave what it holds so far
out of its garbage collector's walks (``gc.freeze``), as a benchmark does in process for
tables it seeded: they are DynamoDB's memory in AWS, not a cost of the requests measured.
"""

from __future__ import annotations

import gc
import logging
import subprocess
import sys
from typing import IO

from moto.server import ThreadedMotoServer

from registrar_local import moto_speedups, moto_streams

_LOOPBACK = "127.0.0.1"
_FREEZE, _FROZEN = "freeze", "frozen"


class MotoProcess:
    """moto's server in a child process on a free loopback port."""

    def __init__(self) -> None:
        self._child: subprocess.Popen[str] | None = None
        self._port = 0

    def start(self) -> None:
        child = subprocess.Popen(  # noqa: S603 - this interpreter running this module
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._child = child
        ready = _required(child.stdout).readline().strip()
        if not ready.isdigit():
            self.stop()
            raise RuntimeError("moto's server process did not start")
        self._port = int(ready)

    @property
    def pid(self) -> int:
        """The child's process id (its CPU time can be read apart from the caller's)."""
        return _required(self._child).pid

    def get_host_and_port(self) -> tuple[str, int]:
        if self._child is None:
            raise RuntimeError("moto's server process is not started")
        return _LOOPBACK, self._port

    def freeze_memory(self) -> None:
        """The child's objects so far are left out of its collector's walks (``gc.freeze``)."""
        child = _required(self._child)
        _required(child.stdin).write(_FREEZE + "\n")
        _required(child.stdin).flush()
        if _required(child.stdout).readline().strip() != _FROZEN:
            raise RuntimeError("moto's server process did not answer")

    def stop(self) -> None:
        child, self._child = self._child, None
        if child is None:
            return
        _required(child.stdin).close()  # the child's signal to end
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        _required(child.stdout).close()


def _required[T: IO[str] | subprocess.Popen[str]](value: T | None) -> T:
    if value is None:
        raise RuntimeError("moto's server process is not started")
    return value


def serve() -> None:
    """In the child: serve moto, tell the port on standard output, end when input closes."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # request lines carry tokens
    moto_speedups.apply()
    moto_streams.apply()
    server = ThreadedMotoServer(ip_address=_LOOPBACK, port=0, verbose=False)
    server.start()
    print(server.get_host_and_port()[1], flush=True)
    for line in sys.stdin:  # until the parent closes it (or ends)
        if line.strip() == _FREEZE:
            gc.collect()
            gc.freeze()
            print(_FROZEN, flush=True)
    server.stop()


if __name__ == "__main__":
    serve()
