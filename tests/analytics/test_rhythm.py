"""Events and mentoring in the health figures and the help network."""

from datetime import timedelta

import pytest
from django.utils import timezone

from practica.analytics import figures, network
from practica.communities.models import Role
from practica.events import services as events
from tests.events.factories import event, soon
from tests.factories import CommunityFactory, member

pytestmark = pytest.mark.django_db


def test_sessions_held_attendance_and_hosting_edges():
    c = CommunityFactory()
    host = member(c, Role.COORDINATOR, user__display_name="Host")
    came, skipped = member(c), member(c)
    e = event(c, host, start=soon(days=-10))
    events.attendance_mark(
        actor=host, event=e, original_start=e.starts_at, user=came
    )
    now = timezone.now()
    f = figures.compute(
        [c.pk], period="week", tz=figures.ZoneInfo("UTC"), now=now, community=c
    )
    assert sum(f.get("events_held").values) == 1
    assert sum(f.get("attended").values) == 1
    assert f.now["pathway"]["on_pathway"] == 0
    assert set(f.now["rhythm"]) >= {"planned", "held", "cancelled"}
    net = network.build([c.pk], now - timedelta(days=365), now)
    assert net.by_kind == {"hosting": 1}
    assert [p.name for p in net.isolated] == [skipped.name]
