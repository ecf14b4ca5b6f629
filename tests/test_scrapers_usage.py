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


def _peak_before_and_after_touching(size: int) -> tuple[int, int]:
    before = peak_rss_kb()
    block = _touch(size)
    after = peak_rss_kb()
    del block
    return before, after


def test_peak_grows_with_what_the_process_touches():
    # In a fresh process: the test runner's own peak may already be far above
    # anything this test touches.
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        before, after = pool.apply(_peak_before_and_after_touching, (64 * MIB,))
    assert after >= before + 60 * 1024


def test_a_spawned_process_does_not_report_its_parents_memory():
    # The page readers are spawned by a crawl process of a few hundred MB; ru_maxrss
    # would report at least the parent's size for each of them.
    held = _touch(256 * MIB)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        child = pool.apply(peak_rss_kb)
    assert peak_rss_kb() >= 256 * 1024
    assert child < 128 * 1024, child
    del held
