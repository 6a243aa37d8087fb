"""The `interview-study` command line: the commands, wired onto the app explicitly; they only
dispatch to the flows and the plain functions."""

from __future__ import annotations

from flows.app import StudyOption, app, fail_cleanly
from flows.commands import check, exchange, init, run, serve, server, status, withdraw
from flows.session import err, open_and_check, out, prefect_session, setup_logging

COMMANDS = (run, status, check, withdraw, init, serve, server, exchange)  # each module registers its commands on `app`

__all__ = ["COMMANDS", "StudyOption", "app", "err", "fail_cleanly", "main", "open_and_check", "out", "prefect_session", "setup_logging"]


def main() -> None:
    app()


if __name__ == "__main__":
    main()
