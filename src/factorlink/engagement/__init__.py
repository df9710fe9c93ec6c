"""How visitors engage with a listing: its page views and the members who follow it."""
