"""``python -m kyanh_corpus`` runs the command-line interface."""

from .cli import main

raise SystemExit(main())
