"""The study's warm runner: a process that has imported Prefect and the stages once, and runs each
`run` or `aggregate` handed to it in a fork of itself.

A command that starts a flow otherwise spends seconds importing Prefect, pandas, matplotlib and
python-docx before any work, and the recoding loop (`aggregate` after changing one coding) is
mostly that wait. `interview-study server start` starts this runner beside the study's Prefect
server; `flows/launch.py` hands it the command: its arguments, folder, environment and the
terminal itself (the caller's stdin, stdout and stderr, passed over a Unix socket that only the
user can open). The forked child runs the ordinary command line under the study's lock, against
the study's server (so the run keeps its full Prefect record), prints where the caller prints and
sends back its exit code; the caller passes Ctrl+C on to it.

The runner declines a command (and the caller runs it in its own process, as without a runner)
when any module it has loaded changed on disk since it started (it then exits, and its supervisor
starts a fresh one). POSIX only: it needs fork and file descriptors passed over sockets.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import signal
import socket
import struct
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from flows.launch import HEADER, STREAMS
from flows.session import LOGGER
from tasks.core.catalog import Catalog

MAX_REQUEST = 1 << 20


def preload() -> None:
    """Import what a `run` or `aggregate` needs, so that a forked child starts with it loaded."""
    import prefect.flow_engine  # noqa: F401 - Prefect's engine, loaded at a flow's first call otherwise
    import prefect.task_engine  # noqa: F401

    import flows.cli  # noqa: F401 - every command, Typer and Rich
    import flows.study  # noqa: F401 - the flows, Prefect
    import tasks.aggregation.work  # noqa: F401 - pandas, matplotlib, python-docx
    import tasks.axial_coding.work  # noqa: F401
    import tasks.open_coding.word  # noqa: F401
    import tasks.selective_coding.work  # noqa: F401
    # Not torch (Resemblyzer's): preloaded here, a handed-over transcription of the 3-minute
    # benchmark ran 4 s slower (bench_transcription_cli.py: 21.5 s against 17.1 s).


def serve(study_root: Path) -> int:
    """Preload, then take commands on the study's runner socket until stopped (SIGTERM) or stale."""
    preload()
    started = time.time()
    path = Catalog(study_root).runner_socket
    listener = _listen(path)
    stopping = False

    def on_term(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    try:
        while not stopping:
            _reap()
            try:
                connection, _ = listener.accept()
            except (TimeoutError, InterruptedError):
                continue
            with connection:
                stopping = _take(connection, listener, started)
    finally:
        listener.close()
        path.unlink(missing_ok=True)
    return 0


def _listen(path: Path) -> socket.socket:
    """The runner's socket, in a folder only the user can enter."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder = path.parent.stat()
    if folder.st_uid != os.getuid() or folder.st_mode & 0o077:
        raise SystemExit(f"{path.parent}: not a private folder of this user; the runner does not start")
    path.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    os.chmod(path, 0o600)
    listener.listen(8)
    listener.settimeout(1.0)
    return listener


def _take(connection: socket.socket, listener: socket.socket, started: float) -> bool:
    """Answer one caller: fork a child that runs its command, or decline. True: the runner should stop."""
    connection.settimeout(10.0)
    try:
        if not _same_user(connection):
            return False
        request, fds = _receive(connection)
    except (OSError, ValueError):
        return False
    try:
        if stale(started):
            connection.sendall(b"no the runner's code changed on disk\n")
            return True
        if os.fork() == 0:  # the child: never returns
            listener.close()
            _child(connection, fds, request)
    finally:
        for fd in fds:
            os.close(fd)
    return False


def _same_user(connection: socket.socket) -> bool:
    """Linux tells who connected; elsewhere the private folder keeps others out."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True
    _, uid, _ = struct.unpack("3i", connection.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i")))
    return bool(uid == os.getuid())


def _receive(connection: socket.socket) -> tuple[dict[str, Any], list[int]]:
    header, fds, _, _ = socket.recv_fds(connection, HEADER.size, len(STREAMS))
    if len(fds) != len(STREAMS) or len(header) != HEADER.size:
        for fd in fds:
            os.close(fd)
        raise ValueError("a request without its three streams")
    (size,) = HEADER.unpack(header)
    if size > MAX_REQUEST:
        raise ValueError("request too large")
    payload = bytearray()
    while len(payload) < size:
        chunk = connection.recv(size - len(payload))
        if not chunk:
            raise ValueError("request cut short")
        payload += chunk
    request = json.loads(payload)
    if not isinstance(request, dict):
        raise ValueError("not a request")
    return request, fds


def stale(started: float, modules: Iterable[ModuleType] | None = None) -> bool:
    """Whether a module this process imported (`modules`: all) was changed (an upgrade, an edit) or
    removed after it started."""
    for module in list(sys.modules.values() if modules is None else modules):
        filename = getattr(module, "__file__", None)
        if not filename:
            continue
        try:
            if os.stat(filename).st_mtime > started:
                return True
        except OSError:
            return True
    return False


def _reap() -> None:
    """Collect the children that ended (each reports its own exit code to its caller)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _child(connection: socket.socket, fds: list[int], request: dict[str, Any]) -> None:
    """Become the caller's command: its streams, folder, environment and arguments; run it; report."""
    code = 2
    try:
        os.setsid()  # a `server stop` while this runs lets the command finish
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in zip(STREAMS, fds, strict=True):
            os.dup2(fd, target)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = list(request["argv"])
        for stream in (sys.stdout, sys.stderr):
            stream.reconfigure(line_buffering=stream.isatty())  # type: ignore[union-attr]
        from flows.session import fresh_consoles

        fresh_consoles()
        connection.sendall(f"ok {os.getpid()}\n".encode())
        began = time.perf_counter()
        code = _run_command()
        logging.getLogger(LOGGER).info(
            "%s ran in the study's warm runner (process %d, %.2f s, exit %d)",
            " ".join(sys.argv[1:2]), os.getpid(), time.perf_counter() - began, code,
        )
    except BaseException:  # noqa: BLE001 - the caller must hear an exit code whatever happened
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            atexit._run_exitfuncs()  # noqa: SLF001 - Prefect sends what it still holds, as at a process's end
        finally:
            try:
                connection.sendall(f"exit {code}\n".encode())
            except OSError:
                pass
            os._exit(code)


def _run_command() -> int:
    from flows.cli import main

    try:
        main()
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            return done.code or 0
        print(done.code, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(serve(Path(sys.argv[1])))
