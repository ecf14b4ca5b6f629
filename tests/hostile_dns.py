"""A rebinding name server, plugged into a crawl as Scrapy's resolver (TWISTED_DNS_RESOLVER).

A hostile DNS server answers each query for its name as it likes: with a
time-to-live of 0 nothing caches the answer, so the n-th query can get a
public address and the next a private one. This resolver is that server
behind Scrapy's own caching resolver: `$HOSTILE_DNS` is `name=addr,addr,...`
and the n-th lookup of `name` that reaches it answers the n-th address of the
list, round and round; every other name resolves as usual. Scrapy's
`dnscache` (DNSCACHE_ENABLED) still sits in front of it, as it would in front
of a real server.
"""

from __future__ import annotations

import os
import threading

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.base import ThreadedResolver


class _HostileServer(ThreadedResolver):
    def __init__(self, reactor):
        super().__init__(reactor)
        name, _, answers = os.environ["HOSTILE_DNS"].partition("=")
        self.name = name
        self.answers = answers.split(",")
        self.asked = 0
        self.lock = threading.Lock()

    def getHostByName(self, name, timeout=()):  # noqa: N802 - twisted's API
        if name != self.name:
            return super().getHostByName(name, timeout)
        with self.lock:
            answer = self.answers[self.asked % len(self.answers)]
            self.asked += 1
        return defer.succeed(answer)


class RebindingResolver(CachingThreadedResolver, _HostileServer):
    """Scrapy's caching resolver in front of the hostile server (the MRO puts it there)."""
