"""Ingest: read files, clean scraped pages, extract metadata, chunk by the speech's outline, update the index."""
