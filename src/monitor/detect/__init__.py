"""Change detection: its rules (`changes`), the crawl's closing step (`flow`) and
re-reading stored texts with the installed classifier (`reread`)."""
