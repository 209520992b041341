"""The command line: thin modules that parse options, call the core, render, map errors."""
