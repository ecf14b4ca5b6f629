"""`visa-monitor serve`: a read-only web app over the store (pages, Atom feeds, JSON)."""

from monitor.web.app import create_app

__all__ = ["create_app"]
