"""The built folder's format, in one place.

A built folder (``kyanh-corpus build ... --out DIR``) is a Hugging Face dataset repository:
``data/<config>/train-NNNNN-of-NNNNN.parquet``, ``hf/<config>/``, ``schema/``, ``README.md``,
``croissant.json``, ``build_report.json`` and, written last, ``manifest.json``
(docs/design.md, "The built folder").

* :mod:`.manifest` -- the manifest: its records, reading and writing it, the canonical JSON
  writer every JSON file of the folder goes through, checksums and row counts;
* :mod:`.folder` -- the one reader of a folder: open it, verify what is read against the
  manifest (size, SHA-256, Arrow schema, row counts) and iterate a config's Parquet batches;
* :mod:`.paths` -- the names of the folder's files (shards, ``hf/``, the report...);
* :mod:`.json` -- the writers of JSON values that grow with the corpus (a list spilled to a file
  as it comes, an object streamed in order), laid out exactly as the canonical writer lays them.
"""
