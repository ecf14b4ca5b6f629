"""Persistence: models, migrations, the crawl writer and the read queries.

It stores; it does not decide.
"""
