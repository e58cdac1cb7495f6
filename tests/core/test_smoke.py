def test_coordinator_counts(coordinator, community):
    community.refresh_from_db()
    assert community.member_count == 1
