"""Small shared building blocks: the repository base and pagination."""
