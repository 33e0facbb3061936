"""The body of every command, free of Typer and click: one module per command group.

A group module in `billcli.cli` only declares its commands to Typer (options, help,
completion) and hands the parsed values on unchanged: `body.create(**locals())`.
`cli.fastpath` calls the same bodies without importing Typer at all, reading the line
with the table `python -m billcli.cli.signature_table` writes from the declarations;
each table entry names its body (`billcli.cli.bodies.<module>:<function>`, the
declaring module's and function's own names). Adding a command is: write its body
here, declare it, regenerate the table.

Bodies import services inside themselves, so running one loads only what it needs.
"""
