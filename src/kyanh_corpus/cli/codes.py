"""Exit codes of every subcommand."""

from typing import Final

EXIT_OK: Final = 0
"""Success (valid data, build written)."""
EXIT_INVALID: Final = 1
"""Invalid data: a bad input page, a record that fails the schema, a stale folder."""
EXIT_USAGE: Final = 2
"""Usage error: bad arguments, missing files (argparse also exits 2)."""
