"""One module per area of the web interface; each exposes `router`."""
