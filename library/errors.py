"""Errors of the library layer, worded for the user who has to act on them."""


class SourceError(Exception):
    """A file cannot be read as a source; the message says which file and why."""
