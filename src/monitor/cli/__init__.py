"""The `visa-monitor` command line: a thin layer over the library."""
