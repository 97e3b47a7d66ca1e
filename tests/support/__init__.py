"""Shared test helpers: paths, generators of records and folders, CLI and script runners."""
