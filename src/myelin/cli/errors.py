"""The command line's one kind of error: printed as one line, exit status 2."""


class CliError(Exception):
    """A problem with the user's input (file, column, value), shown without a traceback."""
