"""Exit codes of every subcommand."""

from typing import Final

EXIT_OK: Final = 0
"""Success (valid data, build written)."""
EXIT_INVALID: Final = 1
"""Invalid data: a bad input page, a record that fails the schema, a stale folder."""
EXIT_USAGE: Final = 2
"""Usage error: bad arguments, missing files (argparse also exits 2)."""
EXIT_ENVIRONMENT: Final = 3
"""The machine refused: a full, size-limited or read-only disk, a folder that cannot be written,
a worker process killed. One line names the file and the reason; nothing already built changed."""
