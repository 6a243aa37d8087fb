"""The `interview-study` entry point: hand `run` and `aggregate` to the study's warm runner when one
is up (flows/runner.py), else run the command line in this process.

Kept to the standard library and the catalog, so that a handed-over command costs the start of a
bare Python process. A command is run here, as before, whenever the runner cannot take it: no
runner for this study, not POSIX, Prefect settings of the user's own in the environment (the
runner works with the study's), or the runner declining (its code changed on disk).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import sys
from pathlib import Path
from typing import BinaryIO

from tasks.core.catalog.paths import Catalog

WARM = ("run", "aggregate")  # the commands that start a flow
HEADER = struct.Struct("!I")  # the request's length, sent with the caller's three streams
STREAMS = (0, 1, 2)  # stdin, stdout, stderr
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def main() -> None:
    code = handed_over(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from flows.cli import main as here

    here()


def handed_over(args: list[str]) -> int | None:
    """The command's exit code when the study's runner ran it; None when it must run here."""
    if not args or args[0] not in WARM or os.name != "posix" or not hasattr(socket, "send_fds"):
        return None
    if any(key.startswith("PREFECT_") for key in os.environ) or "--help" in args:
        return None
    path = Catalog(Path(study_folder(args[1:])).absolute()).runner_socket
    try:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.connect(str(path))
    except OSError:
        return None
    with connection:
        replies = connection.makefile("rb")
        try:
            _send(connection, args)
            first = replies.readline().decode().split()
        except OSError:
            return None
        if first[:1] != ["ok"] or len(first) != 2:
            return None  # declined: this process runs it
        return _follow(int(first[1]), replies)


def study_folder(options: list[str]) -> str:
    """The --study value as the command line would read it (the current folder when not given)."""
    for n, option in enumerate(options):
        if option == "--":
            break
        if option == "--study" and n + 1 < len(options):
            return options[n + 1]
        if option.startswith("--study="):
            return option.split("=", 1)[1]
    return "."


def _send(connection: socket.socket, args: list[str]) -> None:
    request = json.dumps({"argv": ["interview-study", *args], "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    socket.send_fds(connection, [HEADER.pack(len(request))], list(STREAMS))
    connection.sendall(request)


def _follow(pid: int, replies: BinaryIO) -> int:
    """Pass Ctrl+C and termination on to the command's process, and wait for its exit code."""

    def forward(signum: int, frame: object) -> None:
        try:
            os.kill(pid, signum)
        except OSError:
            pass

    for signum in FORWARDED:
        signal.signal(signum, forward)
    while True:
        try:
            line = replies.readline()
        except InterruptedError:
            continue
        words = line.decode().split()
        if words[:1] == ["exit"] and len(words) == 2:
            return int(words[1])
        if not line:
            print(
                "error: the study's runner process ended before the command did; run it again "
                "(interview-study server stop, then start, if it happens again)",
                file=sys.stderr,
            )
            return 2
