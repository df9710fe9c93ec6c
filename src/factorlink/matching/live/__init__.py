"""The live match indexes: the change log every write adds to, snapshots on disk, the vector store,
the encoder and its threads, and the registry that opens, replays, repairs and rebuilds them."""
