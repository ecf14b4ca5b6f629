"""A process's own peak memory (monitor.scrapers.usage), as the crawl reports its readers'."""

from __future__ import annotations

import multiprocessing

from monitor.scrapers.usage import peak_rss_kb

MIB = 1024 * 1024


def _touch(size: int) -> bytearray:
    block = bytearray(size)
    for i in range(0, size, 4096):
        block[i] = 1  # resident, not just reserved
    return block


def test_peak_grows_with_what_the_process_touches():
    before = peak_rss_kb()
    block = _touch(64 * MIB)
    assert peak_rss_kb() >= before + 60 * 1024
    del block


def test_a_spawned_process_does_not_report_its_parents_memory():
    # The page readers are spawned by a crawl process of a few hundred MB; ru_maxrss
    # would report at least the parent's size for each of them.
    held = _touch(256 * MIB)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        child = pool.apply(peak_rss_kb)
    assert peak_rss_kb() >= 256 * 1024
    assert child < 128 * 1024, child
    del held
