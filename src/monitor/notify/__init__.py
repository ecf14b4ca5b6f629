"""Alerts: subscriptions, the outbox written with each change event, messages, the sender.

`subscriptions` (who hears about what), `outbox` (rows owed to subscribers,
written in the crawl's transaction; the delivery log), `message` (adviser-
quality text cut to a service's limits), `sender` (claims rows atomically and
delivers them with Apprise, retrying with backoff), `secrets` (Apprise URLs
carry tokens: masking them in everything shown or logged).
"""
