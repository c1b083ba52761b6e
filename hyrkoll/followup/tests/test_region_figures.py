"""The cache of a region's figures from Hyrkoll's records: kept until the region's time, invoices or
ledger change, never shared between regions, off when the setting is 0."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from hyrkoll.followup import region_figures


@pytest.fixture
def figures_cached(settings):
    settings.FOLLOWUP_FIGURES_CACHE_SECONDS = 3600
    cache.clear()
    yield
    cache.clear()


def counting(results: list[int]):
    def compute() -> int:
        results.append(len(results) + 1)
        return results[-1]

    return compute


@pytest.mark.django_db
def test_figures_are_computed_once_until_the_region_changes(
    figures_cached, django_capture_on_commit_callbacks
) -> None:
    calls: list[int] = []
    compute = counting(calls)
    assert region_figures.cached(1, "preliminary", ("2026-12-06",), compute) == 1
    assert region_figures.cached(1, "preliminary", ("2026-12-06",), compute) == 1
    # Another region, another day or another name is another result.
    assert region_figures.cached(2, "preliminary", ("2026-12-06",), compute) == 2
    assert region_figures.cached(1, "preliminary", ("2026-12-07",), compute) == 3
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        region_figures.changed(1)
        # Not before the commit: a reader meanwhile still gets the figures of the committed state.
        assert region_figures.cached(1, "preliminary", ("2026-12-06",), compute) == 1
    assert len(callbacks) == 1
    assert region_figures.cached(1, "preliminary", ("2026-12-06",), compute) == 4
    assert region_figures.cached(2, "preliminary", ("2026-12-06",), compute) == 2  # untouched


@pytest.mark.django_db
def test_an_evicted_version_never_answers_with_an_older_result(figures_cached) -> None:
    calls: list[int] = []
    compute = counting(calls)
    assert region_figures.cached(1, "preliminary", (), compute) == 1
    cache.delete(region_figures._version_key(1))
    assert region_figures.cached(1, "preliminary", (), compute) == 2


def test_the_cache_is_off_at_zero_seconds(settings) -> None:
    settings.FOLLOWUP_FIGURES_CACHE_SECONDS = 0
    calls: list[int] = []
    compute = counting(calls)
    assert region_figures.cached(1, "preliminary", (), compute) == 1
    assert region_figures.cached(1, "preliminary", (), compute) == 2
