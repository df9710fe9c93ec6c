"""The pure retrieval core: text normalisation and tokens, BM25, dense vectors, their fusion, and
`TextIndex`, one corpus searchable by words, by meaning or both (no database, no files)."""
