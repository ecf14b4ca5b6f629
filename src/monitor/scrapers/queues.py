"""The scheduler's queue: the least busy host first, without looking at every host.

Scrapy's default `DownloaderAwarePriorityQueue` keeps a queue per download
slot (host) and, on every pop, counts the active downloads of every slot that
has requests waiting to pick the least busy one. A crawl of thousands of
programs has thousands of such slots, so each request cost a pass over all of
them: at 2,000 programs a quarter of the crawl process's time, and more than
the bare spider's whole work per page at 13,000.

This queue keeps the same per-slot queues and the same choice (a slot with
the fewest active downloads; each slot's own queue still pops by priority,
so a program is read breadth-first), but walks the slots round-robin and
takes the first idle one it meets, which with many hosts is almost always
the first it looks at. Only when every slot is busy does it compare them all.
"""

from __future__ import annotations

from collections import deque
from contextlib import suppress
from pathlib import Path

from scrapy.pqueues import DownloaderAwarePriorityQueue, _path_safe


class RoundRobinIdleQueue(DownloaderAwarePriorityQueue):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._ring: deque[str] = deque(self.pqueues)  # slots with requests waiting

    def push(self, request) -> None:
        slot = self._downloader_interface.get_slot_key(request)
        new = slot not in self.pqueues
        super().push(request)
        if new:
            self._ring.append(slot)

    def pop(self):
        slot = self._idle_slot()
        if slot is None:
            return None
        queue = self.pqueues[slot]
        request = queue.pop()
        if len(queue) == 0:
            del self.pqueues[slot]
            self._ring.pop()  # the chosen slot, turned to the back
            queue.close()
            if self.key:
                with suppress(OSError):
                    Path(self.key, _path_safe(slot)).rmdir()
        return request

    def peek(self):
        slot = self._idle_slot(turn=False)
        return None if slot is None else self.pqueues[slot].peek()

    def _idle_slot(self, turn: bool = True) -> str | None:
        """The next slot round-robin with no active download, else the least busy one."""
        ring = self._ring
        if not ring:
            return None
        active = self._downloader_interface._active_downloads
        position, slot = next(
            ((position, slot) for position, slot in enumerate(ring) if active(slot) == 0),
            (None, None),
        )
        if slot is None:
            position, slot = min(enumerate(ring), key=lambda entry: active(entry[1]))
        if turn:
            # The chosen slot goes to the back: the others come first next time.
            ring.rotate(-(position + 1))
        return slot

    def close(self):
        self._ring.clear()
        return super().close()
