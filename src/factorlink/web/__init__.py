"""The web interface: server-rendered pages over the same services the API calls."""
