"""A process's own peak memory, as the crawl reports it (benchmarks/crawl.py prints it).

`getrusage(...).ru_maxrss` is not that: Linux carries the high-water mark of the
process that forked across exec, so a page reader spawned by a crawl holding
140 MB reports at least 140 MB however little it uses. The kernel's VmHWM is
the high-water mark of the process's own memory.
"""

from __future__ import annotations

import resource


def peak_rss_kb() -> int:
    """This process's peak resident set, in KiB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # (not Linux: the best there is)
