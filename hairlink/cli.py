"""Every hairlink command, registered on `hairlink.app.app`: import this module to use the
whole command line in process (tests, tools). The console entry point is hairlink.entry,
which loads only the command module a command line names."""

from __future__ import annotations

from hairlink.entry import load_commands

load_commands()


def main() -> None:
    """Run the hairlink command line with every command loaded."""
    from hairlink.app import app

    app()
