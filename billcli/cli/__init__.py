"""The command line: Typer parsing, a service call, a renderer. Nothing else."""
