"""Every `python -m dashboard COMMAND` handler, one module each, imported by dashboard/cli.py
alone. Handlers parse nothing (cli.py does), call the domain modules, which return values,
and do the printing."""
