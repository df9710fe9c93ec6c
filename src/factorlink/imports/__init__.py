"""Imports and exports of listings: spreadsheets, CSV and JSON in, the same headers out."""
