"""The safeguards at irreversible steps in the browser, at a desktop width and on a phone.

- The award: the call-off unit sees the deadline and the suppliers that may still offer before
  anything is awarded; a lower-ranked offer without a reason comes back with the error at its field
  and the focus on the error summary; nothing scrolls sideways.
- The internal search: a pool member who matches the whole period and was never asked is named in
  a warning; closing the search without saying why comes back with the error at the action form.
"""

from __future__ import annotations

from typing import Any

import pytest

from hyrkoll.assignments.models import Assignment
from hyrkoll.ordering.tests.conftest import flow  # noqa: F401  (the cast of roles)
from hyrkoll.ordering.tests.test_views_award import with_two_offers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_award_is_confirmed_and_a_deviation_needs_a_reason(
    live_server: Any,
    login: Any,
    flow: dict[str, Any],  # noqa: F811
    viewport: tuple[int, int],
) -> None:
    call_off, first, second = with_two_offers(flow)
    unit = login("avrop.a")
    unit.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    unit.goto(f"{live_server.url}/ordering/needs/{call_off.need_id}/")
    unit.locator(f"a[href$='/offers/{second.pk}/award/']").click()
    unit.wait_for_url(f"**/offers/{second.pk}/award/")
    main = unit.locator("main").inner_text()
    assert "2 av 2 anbud" in main  # its rank among the offers that passed every check
    assert "Sista svarsdag har inte passerat" in main  # the deadline is days away
    _no_sideways_scroll(unit)

    # Without a reason: the same page again, the error at the field, the focus on the summary.
    unit.locator(f"form[action$='/offers/{second.pk}/award/'] button.primary").click()
    unit.wait_for_load_state()
    assert not Assignment.objects.exists()
    assert unit.locator("#id_deviation_reason_error").is_visible()
    assert unit.evaluate("document.activeElement.classList.contains('error-summary')")
    _no_sideways_scroll(unit)

    unit.fill("#id_deviation_reason", "Konsulten har arbetat på enheten tidigare.")
    unit.locator(f"form[action$='/offers/{second.pk}/award/'] button.primary").click()
    unit.wait_for_url(f"**/ordering/needs/{call_off.need_id}/")
    assert Assignment.objects.get().offer == second


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_pool_warning_and_the_error_at_the_action_form(
    live_server: Any,
    login: Any,
    flow: dict[str, Any],  # noqa: F811
    viewport: tuple[int, int],
) -> None:
    """A pool member matches the whole period and nobody asked them: the page warns, and closing the
    internal search without a reason comes back with the error at the field, focused."""
    from hyrkoll.ordering.models import NeedStatus
    from hyrkoll.ordering.tests.test_views_decisions import submitted_need
    from hyrkoll.pool.models import PoolMember

    need = submitted_need(flow)
    PoolMember.objects.create(
        region=flow["region_a"], first_name="Hel", last_name="Period", profession=need.profession,
        level=need.level, competence=need.competence, available_from=need.starts_on,
    )  # fmt: skip
    unit = login("avrop.a")
    unit.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    unit.goto(f"{live_server.url}/ordering/needs/{need.pk}/")
    warning = unit.locator(".notice.warn")
    assert "Hel Period" in warning.inner_text()
    unit.fill("#exhaust_reason", "Poolen tillfrågad")
    unit.locator("form[action$='/internal-exhausted/'] button.primary").click()
    unit.wait_for_load_state()
    need.refresh_from_db()
    assert need.status == NeedStatus.INTERNAL_SEARCH
    assert unit.locator("#exhaust_override_reason_error").is_visible()
    focused = unit.evaluate(
        "document.activeElement.closest('form') && document.activeElement.closest('form').action"
    )
    assert focused and focused.endswith("/internal-exhausted/")  # the summary inside that form has the focus
    unit.fill("#exhaust_override_reason", "Hel Period är inskriven på en annan enhet hela perioden.")
    unit.locator("form[action$='/internal-exhausted/'] button.primary").click()
    unit.wait_for_url(f"**/ordering/needs/{need.pk}/")
    need.refresh_from_db()
    assert need.status == NeedStatus.AWAITING_APPROVAL
