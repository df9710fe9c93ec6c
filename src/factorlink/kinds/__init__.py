"""What each kind of factor is, in one place: a descriptor per kind (in the kind's own folder,
`<kind>/kind.py`) and the registry that the features using kinds — matching, imports, the web,
introductions, statistics — read instead of keeping tables and if-chains of their own."""
