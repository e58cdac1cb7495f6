import pytest

from practica.accounts.models import User
from practica.notifications.models import Delivery, Follow, Notification
from practica.web import demo, demo_notifications

pytestmark = pytest.mark.django_db


def test_demo_people_get_follows_and_a_few_unread_notifications():
    demo.build()
    first = demo_notifications.load()
    assert first["added"] == first["notifications"] > 0
    amara = User.objects.get(email=demo.SIGN_INS[1][0])
    assert Follow.objects.filter(user=amara, auto=False).exists()
    assert Follow.objects.filter(user=amara, auto=True).exists()  # took part
    mine = Notification.objects.filter(user=amara)
    assert mine.count() > demo_notifications.UNREAD
    assert 0 < amara.inbox_unread <= demo_notifications.UNREAD
    assert amara.inbox_unread == mine.filter(read_at__isnull=True).count()
    for person in User.objects.all():
        unread = person.notifications.filter(read_at__isnull=True).count()
        assert person.inbox_unread == unread <= demo_notifications.UNREAD
    assert not Delivery.objects.exists()  # no email for history
    again = demo_notifications.load()
    assert again["added"] == 0
    assert again["notifications"] == first["notifications"]
    assert again["follows"] == first["follows"]
