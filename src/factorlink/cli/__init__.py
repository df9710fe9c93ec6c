"""The `factorlink` command-line tool."""
