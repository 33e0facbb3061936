"""Allows ``python -m billcli`` where the console script is not on PATH."""

from billcli.cli.main import main

main()
