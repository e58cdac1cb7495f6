"""The engine on hand-built cases with known answers, and properties that
hold for any input."""

from collections import Counter
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from practica.mentoring import matching
from practica.mentoring.matching import History, Need, Offer, Window

TF, K8S, GO = 1, 2, 3
MARCH = date(2026, 3, 16)  # USA on summer time, Europe not yet
APRIL = date(2026, 4, 6)  # both on summer time
DST_WEEK = date(2026, 3, 23)  # Europe changes on Sunday 29 March


def offer(i: int, person: int | None = None, **kw) -> Offer:
    fields = {
        "skills": {TF: 5},
        "formats": frozenset({"answer", "pair", "mentor"}),
        "capacity": 2,
        "capacity_left": 2,
        "time_zone": "Europe/Berlin",
        "windows": (Window(0, 9 * 60, 12 * 60),),
    }
    fields.update(kw)
    return Offer(id=i, person=100 + i if person is None else person, **fields)


def need(i: int, person: int | None = None, **kw) -> Need:
    fields = {
        "skills": frozenset({TF}),
        "format": "pair",
        "time_zone": "Europe/Berlin",
        "windows": (Window(0, 9 * 60, 12 * 60),),
    }
    fields.update(kw)
    return Need(id=i, person=200 + i if person is None else person, **fields)


def pairs(offers, needs, **kw) -> set[tuple[int, int]]:
    return {(p.need, p.offer) for p in matching.assign(offers, needs, **kw)}


class TestTime:
    def test_same_zone_overlap(self):
        h = matching.overlap_hours(
            "Europe/Berlin",
            [Window(0, 9 * 60, 12 * 60)],
            "Europe/Berlin",
            [Window(0, 11 * 60, 13 * 60)],
            monday=APRIL,
        )
        assert h == 1.0

    def test_daylight_saving_gap_between_continents(self):
        berlin = [Window(2, 17 * 60, 18 * 60)]
        new_york = [Window(2, 12 * 60, 13 * 60)]
        # 17:00 CET and 12:00 EDT are both 16:00 UTC in mid-March ...
        assert (
            matching.overlap_hours(
                "Europe/Berlin", berlin, "America/New_York", new_york,
                monday=MARCH,
            )
            == 1.0
        )  # fmt: skip
        # ... and an hour apart once Europe changes too.
        assert (
            matching.overlap_hours(
                "Europe/Berlin", berlin, "America/New_York", new_york,
                monday=APRIL,
            )
            == 0.0
        )  # fmt: skip

    def test_the_night_the_clocks_change_is_an_hour_short(self):
        # Sunday 29 March 2026, 01:00-04:00 in Berlin: 02:00-03:00 never
        # happens, so the window is 00:00-02:00 UTC, two real hours.
        berlin = [Window(6, 60, 4 * 60)]
        utc = [Window(6, 0, 3 * 60)]
        h = matching.overlap_hours(
            "Europe/Berlin", berlin, "UTC", utc, monday=DST_WEEK
        )
        assert h == 2.0
        mask = matching.slot_mask("Europe/Berlin", tuple(berlin), DST_WEEK)
        assert mask.sum() * 15 / 60 == 2.0

    def test_windows_wrap_around_the_week(self):
        # Monday 08:00-10:00 in Tokyo is Sunday 23:00 to Monday 01:00 UTC.
        tokyo = [Window(0, 8 * 60, 10 * 60)]
        utc = [Window(6, 23 * 60, 24 * 60), Window(0, 0, 30)]
        assert (
            matching.overlap_hours(
                "Asia/Tokyo", tokyo, "UTC", utc, monday=APRIL
            )
            == 1.5
        )

    def test_window_past_midnight(self):
        late = [Window(4, 22 * 60, 2 * 60)]  # Friday 22:00 to 02:00
        early = [Window(5, 0, 60)]  # Saturday 00:00 to 01:00
        assert (
            matching.overlap_hours("UTC", late, "UTC", early, monday=APRIL)
            == 1.0
        )

    def test_half_hour_zone(self):
        kolkata = [Window(0, 14 * 60, 15 * 60)]  # 08:30-09:30 UTC
        utc = [Window(0, 9 * 60, 10 * 60)]
        assert (
            matching.overlap_hours(
                "Asia/Kolkata", kolkata, "UTC", utc, monday=APRIL
            )
            == 0.5
        )


class TestScore:
    def test_levels_weigh_skills(self):
        n = need(1, skills=frozenset({TF, K8S}))
        expert = offer(1, skills={TF: 5, K8S: 5})
        half = offer(2, skills={TF: 5})
        novice = offer(3, skills={TF: 1, K8S: 1})
        assert matching.parts(expert, n).skill == 1.0
        assert matching.parts(half, n).skill == 0.5
        assert matching.parts(novice, n).skill == pytest.approx(0.2)

    @pytest.mark.parametrize(
        ("o", "n", "why"),
        [
            (offer(1, person=7), need(1, person=7), "themselves"),
            (offer(1, capacity_left=0), need(1), "no place left"),
            (offer(1, skills={GO: 5}), need(1), "none of the skills"),
            (
                offer(1, time_zone="Asia/Tokyo"),
                need(1, time_zone="America/Chicago"),
                "no hours in common",
            ),
        ],
    )
    def test_not_eligible(self, o, n, why):
        p = matching.parts(o, n, monday=APRIL)
        assert not p.eligible
        assert why in p.why_not
        assert matching.score(o, n, monday=APRIL) == 0.0

    def test_no_hours_in_common_is_fine_for_a_review(self):
        o = offer(1, time_zone="Asia/Tokyo")
        n = need(1, time_zone="America/Chicago", format="review")
        assert matching.parts(o, n, monday=APRIL).eligible

    def test_crossing_departments_only_when_preferred(self):
        o = offer(1, department=1)
        n = need(1, department=2)
        plain = matching.score(o, n, monday=APRIL)
        crossing = matching.score(
            o, n, monday=APRIL,
            weights=matching.Weights(prefer_crossing=True),
        )  # fmt: skip
        assert crossing == pytest.approx(plain + 0.05)
        glad = offer(1, department=1, glad_departments=frozenset({2}))
        assert matching.score(glad, n, monday=APRIL) == pytest.approx(
            plain + 0.05
        )

    def test_explained_in_plain_words(self):
        o = offer(
            1,
            skills={TF: 5},
            history=History(helped=4, accepted_answers=2),
            capacity=3,
            capacity_left=2,
            department=1,
            glad_departments=frozenset({2}),
        )
        n = need(1, department=2, format="mentor")
        reasons = matching.explain(
            o,
            n,
            names=matching.Names(
                skills={TF: "Terraform"},
                departments={2: "Research"},
                community="Platform",
            ),
            monday=APRIL,
        )
        assert reasons[:2] == [
            "both in Europe/Berlin",
            "3 hours a week when both are free",
        ]
        assert "expert in Terraform" in reasons
        assert "offers to mentor over weeks" in reasons
        assert "helped 4 people in Platform this quarter" in reasons
        assert "2 accepted answers" in reasons
        assert "glad to help people from Research" in reasons
        assert "2 of 3 places left this month" in reasons

    def test_explains_a_format_mismatch_and_distance(self):
        o = offer(1, formats=frozenset({"review"}), time_zone="Asia/Tokyo")
        n = need(1, format="answer", time_zone="America/Chicago")
        reasons = matching.explain(o, n, monday=APRIL)
        assert (
            "no hours in common each week (Asia/Tokyo and America/Chicago)"
            in reasons
        )
        assert "asked to answer questions; offers to review work" in reasons


class TestAssign:
    def test_global_beats_greedy(self):
        # Greedy would give the all-rounder to the Terraform request (its
        # best score) and leave the Kubernetes request without anyone.
        all_round = offer(1, skills={TF: 5, K8S: 5}, capacity=1,
                          capacity_left=1)  # fmt: skip
        tf_only = offer(2, skills={TF: 4}, capacity=1, capacity_left=1)
        needs = [need(1, skills=frozenset({TF})),
                 need(2, skills=frozenset({K8S}))]  # fmt: skip
        assert pairs([all_round, tf_only], needs, monday=APRIL) == {
            (1, 2),
            (2, 1),
        }

    def test_capacity_is_never_exceeded(self):
        o = offer(1, capacity=3, capacity_left=2)
        needs = [need(i) for i in range(1, 6)]
        result = matching.assign([o], needs, monday=APRIL)
        assert len(result) == 2

    def test_urgent_requests_first_when_places_are_short(self):
        o = offer(1, capacity=1, capacity_left=1)
        needs = [need(1), need(2, urgency="high"), need(3, urgency="low")]
        assert pairs([o], needs, monday=APRIL) == {(2, 1)}

    def test_full_helper_gets_nobody(self):
        o = offer(1, capacity=2, capacity_left=0)
        assert pairs([o], [need(1)], monday=APRIL) == set()

    def test_nobody_is_matched_with_themselves(self):
        me = offer(1, person=5, skills={TF: 5})
        other = offer(2, person=6, skills={TF: 2})
        assert pairs([me, other], [need(1, person=5)], monday=APRIL) == {
            (1, 2)
        }

    def test_time_zone_edge_decides(self):
        berlin = offer(1, windows=(Window(2, 17 * 60, 18 * 60),),
                       skills={TF: 5})  # fmt: skip
        chicago = offer(2, time_zone="America/Chicago",
                        windows=(Window(2, 11 * 60, 12 * 60),),
                        skills={TF: 3})  # fmt: skip
        n = need(1, time_zone="America/New_York",
                 windows=(Window(2, 12 * 60, 13 * 60),))  # fmt: skip
        # March: Berlin 17:00 meets New York 12:00; the expert wins.
        assert pairs([berlin, chicago], [n], monday=MARCH) == {(1, 1)}
        # April: Berlin is an hour off; only Chicago shares the hour.
        assert pairs([berlin, chicago], [n], monday=APRIL) == {(1, 2)}

    def test_declined_pairs_are_not_proposed_again(self):
        a, b = offer(1), offer(2, skills={TF: 2})
        assert pairs([a, b], [need(1)], monday=APRIL) == {(1, 1)}
        assert pairs([a, b], [need(1)], monday=APRIL, exclude=[(1, 1)]) == {
            (1, 2)
        }

    def test_nothing_to_match(self):
        assert matching.assign([], [need(1)]) == []
        assert matching.assign([offer(1)], []) == []

    def test_matrix_agrees_with_each_pair(self):
        offers = [
            offer(1),
            offer(2, skills={K8S: 3}, time_zone="Asia/Tokyo"),
            offer(3, capacity_left=0),
            offer(4, person=201, department=3),
        ]
        needs = [
            need(1),
            need(2, skills=frozenset({TF, K8S}), format="review",
                 department=3),
            need(3, windows=(), format="answer", urgency="high"),
        ]  # fmt: skip
        w = matching.Weights(prefer_crossing=True)
        s = matching.score_all(offers, needs, weights=w, monday=APRIL)
        for i, n in enumerate(needs):
            for j, o in enumerate(offers):
                assert s.total[i, j] == pytest.approx(
                    matching.score(o, n, weights=w, monday=APRIL), abs=1e-5
                )
                assert (
                    s.eligible[i, j]
                    == matching.parts(o, n, monday=APRIL).eligible
                )


ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata")
windows = st.lists(
    st.builds(
        Window,
        day=st.integers(0, 6),
        start=st.integers(0, 95).map(lambda q: q * 15),
        end=st.integers(1, 96).map(lambda q: q * 15),
    ).filter(lambda w: w.start != w.end),
    max_size=3,
).map(tuple)
offers_st = st.lists(
    st.builds(
        Offer,
        id=st.integers(0, 10_000),
        person=st.integers(0, 8),
        skills=st.dictionaries(st.integers(0, 4), st.integers(1, 5),
                               min_size=1, max_size=3),
        formats=st.frozensets(st.sampled_from(matching.FORMATS), min_size=1),
        capacity=st.just(5),
        capacity_left=st.integers(0, 5),
        time_zone=st.sampled_from(ZONES),
        windows=windows,
    ),
    max_size=8,
    unique_by=lambda o: o.id,
)  # fmt: skip
needs_st = st.lists(
    st.builds(
        Need,
        id=st.integers(0, 10_000),
        person=st.integers(0, 8),
        skills=st.frozensets(st.integers(0, 4), min_size=1, max_size=3),
        format=st.sampled_from(matching.FORMATS),
        urgency=st.sampled_from(list(matching.URGENCY)),
        time_zone=st.sampled_from(ZONES),
        windows=windows,
    ),
    max_size=15,
    unique_by=lambda n: n.id,
)


@settings(max_examples=150, deadline=None)
@given(offers=offers_st, needs=needs_st, top_k=st.integers(1, 10))
def test_assignment_keeps_the_rules(offers, needs, top_k):
    result = matching.assign(offers, needs, monday=APRIL, top_k=top_k)
    by_offer = {o.id: o for o in offers}
    by_need = {n.id: n for n in needs}
    load = Counter(p.offer for p in result)
    for offer_id, n in load.items():
        assert n <= by_offer[offer_id].capacity_left
    assert len({p.need for p in result}) == len(result)
    for p in result:
        o, n = by_offer[p.offer], by_need[p.need]
        assert o.person != n.person
        assert matching.parts(o, n, monday=APRIL).eligible


@settings(max_examples=60, deadline=None)
@given(offers=offers_st, needs=needs_st)
def test_assignment_is_optimal_on_small_cases(offers, needs):
    """Against brute force over the same graph (all candidates kept)."""
    from scipy.optimize import linear_sum_assignment

    result = matching.assign(offers, needs, monday=APRIL, top_k=100)
    if not offers or not needs:
        assert result == []
        return
    s = matching.score_all(offers, needs, monday=APRIL)
    urgency = np.array([matching.URGENCY[n.urgency] for n in needs])
    value = np.where(s.eligible, s.total * urgency[:, None], 0.0)
    cols = [j for j, o in enumerate(offers) for _ in range(o.capacity_left)]
    if not cols:
        assert result == []
        return
    dense = value[:, cols]
    r, c = linear_sum_assignment(dense, maximize=True)
    best = dense[r, c].sum()
    pos = {n.id: i for i, n in enumerate(needs)}
    got = sum(
        p.score * matching.URGENCY[needs[pos[p.need]].urgency] for p in result
    )
    assert got == pytest.approx(best, abs=1e-4)
