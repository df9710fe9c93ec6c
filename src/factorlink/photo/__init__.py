"""Photos of carriers: upload, order, cover, serving."""
