"""The matching engine: pure functions over plain data.

Nothing here touches the database, so the engine is tested on hand-built
cases and measured on large ones (``bench/matching.py``). Selectors turn
offers and requests into :class:`Offer` and :class:`Need`; the engine
scores every pair, explains a pair in plain words, and assigns a whole
community at once.

Scoring (each part 0..1, weighted, see :class:`Weights`):

- **skill**: for each skill the request wants, the helper's Dreyfus level
  in it divided by 5, averaged over the wanted skills;
- **time**: hours both are available in the coming week, computed on the
  real dates in each person's time zone (so a week with a daylight-saving
  change in one zone and not the other comes out right), full marks from
  two hours on;
- **format**: the helper offers the format the request prefers;
- **capacity**: the share of the helper's monthly places still free (load
  spreads instead of piling on the first expert);
- **history**: people helped, accepted answers, "this helped me" marks and
  earlier mentorships in the community;
- **departments**: the request's department is one the helper is glad to
  help across, or (when the coordinator prefers it) the two differ.

A pair is not eligible when it is one person, when the helper has no
place left, when no wanted skill is offered, or when the format needs
both at once (pairing, mentoring) and their hours never meet.

Availability is a weekly pattern kept as 15-minute slots of a UTC week:
every IANA zone's offset is a multiple of 15 minutes, so overlaps are
exact, and overlaps for all pairs are one matrix product.

Batch assignment is a minimum-cost full matching of requests against
offer places (each offer repeated once per place left), the smaller side
each with a "left unmatched" partner, solved by scipy's LAPJVsp on the
sparse graph of each request's best ``top_k`` candidates: never over
capacity, each request at most once, and the total score as high as the
candidates allow.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

FORMATS = ("answer", "pair", "review", "mentor")
FORMAT_WORDS = {
    "answer": "answer questions",
    "pair": "pair on a problem",
    "review": "review work",
    "mentor": "mentor over weeks",
}
# Formats where both people must be there at the same time.
TOGETHER = frozenset({"pair", "mentor"})
URGENCY = {"low": 0.75, "normal": 1.0, "high": 1.5}
LEVEL_WORDS = {
    1: "a novice in",
    2: "an advanced beginner in",
    3: "competent in",
    4: "proficient in",
    5: "expert in",
}
SLOT = 15  # minutes
WEEK = 7 * 24 * 60
SLOTS = WEEK // SLOT
FULL_HOURS = 2.0  # weekly hours in common that earn the full time score
UNKNOWN_TIME = 0.5  # the time score when someone gave no windows


@dataclass(frozen=True)
class Window:
    """A weekly time someone is free, in their own zone: ``day`` 0 is
    Monday, ``start`` and ``end`` are minutes after midnight; an end at or
    before the start runs past midnight."""

    day: int
    start: int
    end: int


@dataclass(frozen=True)
class History:
    """What a helper has done in the community lately."""

    helped: int = 0  # people helped through confirmed matches
    accepted_answers: int = 0
    helped_marks: int = 0  # "this helped me" on their answers/artifacts
    mentorships: int = 0

    def score(self) -> float:
        weight = (
            self.helped
            + self.mentorships
            + 0.5 * self.accepted_answers
            + 0.25 * self.helped_marks
        )
        return min(weight / 5.0, 1.0)


@dataclass(frozen=True)
class Offer:
    id: int
    person: int
    skills: Mapping[int, int]  # skill id -> Dreyfus level 1..5
    formats: frozenset[str]
    capacity: int
    capacity_left: int
    time_zone: str = "UTC"
    windows: tuple[Window, ...] = ()
    department: int | None = None
    glad_departments: frozenset[int] = frozenset()
    history: History = field(default_factory=History)


@dataclass(frozen=True)
class Need:
    id: int
    person: int
    skills: frozenset[int]
    format: str = "answer"
    urgency: str = "normal"
    time_zone: str = "UTC"
    windows: tuple[Window, ...] = ()
    department: int | None = None


@dataclass(frozen=True)
class Weights:
    skill: float = 0.45
    time: float = 0.2
    format: float = 0.15
    capacity: float = 0.05
    history: float = 0.1
    departments: float = 0.05
    prefer_crossing: bool = False  # reward helping across departments


@dataclass(frozen=True)
class Names:
    """Words for the explanation: skill, department and community names."""

    skills: Mapping[int, str] = field(default_factory=dict)
    departments: Mapping[int, str] = field(default_factory=dict)
    community: str = "the community"


@dataclass(frozen=True)
class Pair:
    need: int
    offer: int
    score: float


# --- time ------------------------------------------------------------------


def week_start(today: date | None = None) -> date:
    """The Monday of the coming week (today's if today is Monday)."""
    today = today or datetime.now(UTC).date()
    return today + timedelta(days=(7 - today.weekday()) % 7)


def _utc_minutes(zone: ZoneInfo, monday: date, day: int, minute: int) -> int:
    """Minutes from Monday 00:00 UTC of the week to a local moment."""
    local = datetime.combine(
        monday + timedelta(days=day + minute // 1440),
        time(minute % 1440 // 60, minute % 60),
        tzinfo=zone,
    )
    origin = datetime.combine(monday, time(0), tzinfo=UTC)
    return int((local - origin).total_seconds() // 60)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@lru_cache(maxsize=65536)
def _window_slots(time_zone: str, w: Window, monday: date) -> tuple[int, int]:
    """The whole 15-minute UTC slots a window covers: [first, last)."""
    zone = _zone(time_zone)
    end = w.end if w.end > w.start else w.end + 1440
    a = _utc_minutes(zone, monday, w.day, w.start)
    b = _utc_minutes(zone, monday, w.day, end)
    return -(-a // SLOT), b // SLOT


@lru_cache(maxsize=8192)
def slot_mask(
    time_zone: str, windows: tuple[Window, ...], monday: date
) -> np.ndarray:
    """The week's 15-minute UTC slots a person is free in (the weekly
    pattern wraps around the week's ends)."""
    mask = np.zeros(SLOTS, dtype=bool)
    for w in windows:
        first, last = _window_slots(time_zone, w, monday)
        if last <= first:
            continue
        if first >= 0 and last <= SLOTS:
            mask[first:last] = True
        else:
            mask[np.arange(first, last) % SLOTS] = True
    mask.setflags(write=False)
    return mask


def overlap_hours(
    a_zone: str,
    a: Sequence[Window],
    b_zone: str,
    b: Sequence[Window],
    *,
    monday: date | None = None,
) -> float:
    """Hours in the week that both people are free."""
    monday = monday or week_start()
    ma = slot_mask(a_zone, tuple(a), monday)
    mb = slot_mask(b_zone, tuple(b), monday)
    return float(np.count_nonzero(ma & mb)) * SLOT / 60


# --- one pair --------------------------------------------------------------


@dataclass(frozen=True)
class Parts:
    skill: float
    time: float
    format: float
    capacity: float
    history: float
    departments: float
    hours: float | None  # None: someone gave no windows
    eligible: bool
    why_not: str = ""

    def total(self, w: Weights) -> float:
        if not self.eligible:
            return 0.0
        return (
            w.skill * self.skill
            + w.time * self.time
            + w.format * self.format
            + w.capacity * self.capacity
            + w.history * self.history
            + w.departments * self.departments
        )


def _departments(o: Offer, n: Need, w: Weights) -> float:
    if n.department is not None and n.department in o.glad_departments:
        return 1.0
    crossing = (
        n.department is not None
        and o.department is not None
        and n.department != o.department
    )
    return 1.0 if w.prefer_crossing and crossing else 0.0


def parts(
    o: Offer, n: Need, *, weights: Weights | None = None,
    monday: date | None = None,
) -> Parts:  # fmt: skip
    """Each part of a pair's score, and whether the pair may be made."""
    w = weights or Weights()
    levels = [o.skills.get(s, 0) for s in n.skills]
    skill = sum(levels) / (5 * len(levels)) if levels else 0.0
    hours: float | None = None
    if o.windows and n.windows:
        hours = overlap_hours(
            o.time_zone, o.windows, n.time_zone, n.windows, monday=monday
        )
        time_score = min(hours / FULL_HOURS, 1.0)
    else:
        time_score = UNKNOWN_TIME
    why_not = ""
    if o.person == n.person:
        why_not = "A person cannot be matched with themselves."
    elif o.capacity_left <= 0:
        why_not = "The helper has no place left this month."
    elif skill == 0:
        why_not = "The helper offers none of the skills asked for."
    elif n.format in TOGETHER and hours == 0:
        why_not = "They have no hours in common, and this format needs both."
    return Parts(
        skill=skill,
        time=time_score,
        format=1.0 if n.format in o.formats else 0.0,
        capacity=o.capacity_left / o.capacity if o.capacity > 0 else 0.0,
        history=o.history.score(),
        departments=_departments(o, n, w),
        hours=hours,
        eligible=not why_not,
        why_not=why_not,
    )


def score(
    o: Offer, n: Need, *, weights: Weights | None = None,
    monday: date | None = None,
) -> float:  # fmt: skip
    """A pair's score, 0 when it may not be made."""
    w = weights or Weights()
    return parts(o, n, weights=w, monday=monday).total(w)


def _hours_words(h: float) -> str:
    if h == int(h):
        return f"{int(h)} hour{'s' if h != 1 else ''}"
    return f"{h:g} hours"


def explain(
    o: Offer,
    n: Need,
    *,
    names: Names | None = None,
    weights: Weights | None = None,
    monday: date | None = None,
) -> list[str]:
    """Why this pair fits (or not), in plain words, strongest first."""
    names = names or Names()
    w = weights or Weights()
    p = parts(o, n, weights=w, monday=monday)
    reasons: list[str] = []
    if not p.eligible:
        reasons.append(p.why_not)
    if o.time_zone == n.time_zone:
        reasons.append(f"both in {o.time_zone}")
    if p.hours is not None:
        if p.hours:
            reasons.append(
                f"{_hours_words(p.hours)} a week when both are free"
                + (
                    ""
                    if o.time_zone == n.time_zone
                    else f" ({o.time_zone} and {n.time_zone})"
                )
            )
        else:
            reasons.append(
                "no hours in common each week "
                f"({o.time_zone} and {n.time_zone})"
            )
    matched = sorted(
        ((o.skills[s], s) for s in n.skills if s in o.skills), reverse=True
    )
    for level, s in matched:
        reasons.append(
            f"{LEVEL_WORDS.get(level, 'practised in')} "
            f"{names.skills.get(s, f'skill {s}')}"
        )
    missing = [
        names.skills.get(s, f"skill {s}")
        for s in sorted(n.skills)
        if s not in o.skills
    ]
    if missing and matched:
        reasons.append(f"not offering {', '.join(missing)}")
    if p.format:
        reasons.append(f"offers to {FORMAT_WORDS.get(n.format, n.format)}")
    else:
        offered = ", ".join(
            FORMAT_WORDS.get(f, f) for f in FORMATS if f in o.formats
        )
        reasons.append(
            f"asked to {FORMAT_WORDS.get(n.format, n.format)}; offers to "
            f"{offered or 'help'}"
        )
    h = o.history
    if h.helped:
        reasons.append(
            f"helped {h.helped} {'person' if h.helped == 1 else 'people'} "
            f"in {names.community} this quarter"
        )
    if h.mentorships:
        reasons.append(
            f"{h.mentorships} earlier mentorship"
            f"{'s' if h.mentorships != 1 else ''} here"
        )
    if h.accepted_answers:
        reasons.append(
            f"{h.accepted_answers} accepted answer"
            f"{'s' if h.accepted_answers != 1 else ''}"
        )
    if h.helped_marks:
        reasons.append(f'{h.helped_marks} "this helped me" marks')
    if n.department is not None and n.department in o.glad_departments:
        reasons.append(
            "glad to help people from "
            f"{names.departments.get(n.department, 'that department')}"
        )
    elif p.departments:
        reasons.append(
            "crosses departments: "
            f"{names.departments.get(o.department or 0, 'one')} helps "
            f"{names.departments.get(n.department or 0, 'another')}"
        )
    if o.capacity_left > 0:
        reasons.append(
            f"{o.capacity_left} of {o.capacity} place"
            f"{'s' if o.capacity != 1 else ''} left this month"
        )
    return reasons


# --- every pair at once ------------------------------------------------------


@dataclass
class Scores:
    """Scores of every request (rows) x offer (columns)."""

    needs: list[Need]
    offers: list[Offer]
    total: np.ndarray  # float32, 0 where not eligible
    eligible: np.ndarray  # bool


def _masks(
    items: Iterable[Offer | Need], monday: date
) -> tuple[np.ndarray, np.ndarray]:
    rows, known = [], []
    for it in items:
        known.append(bool(it.windows))
        rows.append(slot_mask(it.time_zone, tuple(it.windows), monday))
    if not rows:
        return np.zeros((0, SLOTS), np.float32), np.zeros(0, bool)
    return np.asarray(rows, dtype=np.float32), np.asarray(known)


def score_all(
    offers: Sequence[Offer],
    needs: Sequence[Need],
    *,
    weights: Weights | None = None,
    monday: date | None = None,
) -> Scores:
    """Score every request against every offer (vectorised; the same
    numbers as :func:`score`, to float32 precision)."""
    w = weights or Weights()
    monday = monday or week_start()
    offers, needs = list(offers), list(needs)
    n_r, n_o = len(needs), len(offers)
    if not n_r or not n_o:
        empty = np.zeros((n_r, n_o), np.float32)
        return Scores(needs, offers, empty, empty.astype(bool))
    skill_ids = sorted(
        {s for o in offers for s in o.skills}
        | {s for n in needs for s in n.skills}
    )  # fmt: skip
    col = {s: i for i, s in enumerate(skill_ids)}
    wanted = np.zeros((n_r, len(skill_ids)), np.float32)
    for i, n in enumerate(needs):
        if n.skills:
            for s in n.skills:
                wanted[i, col[s]] = 1.0 / (5 * len(n.skills))
    levels = np.zeros((n_o, len(skill_ids)), np.float32)
    for j, o in enumerate(offers):
        for s, lv in o.skills.items():
            levels[j, col[s]] = lv
    skill = wanted @ levels.T

    o_slots, o_known = _masks(offers, monday)
    n_slots, n_known = _masks(needs, monday)
    hours = (n_slots @ o_slots.T) * np.float32(SLOT / 60)
    both = n_known[:, None] & o_known[None, :]
    time_score = np.where(
        both, np.minimum(hours / FULL_HOURS, 1.0), UNKNOWN_TIME
    ).astype(np.float32)

    f_index = {f: i for i, f in enumerate(FORMATS)}
    o_formats = np.zeros((n_o, len(FORMATS) + 1), np.float32)
    for j, o in enumerate(offers):
        for f in o.formats:
            if f in f_index:
                o_formats[j, f_index[f]] = 1.0
    n_format = np.array(
        [f_index.get(n.format, len(FORMATS)) for n in needs], dtype=np.intp
    )
    format_fit = o_formats[:, n_format].T
    together = np.array([n.format in TOGETHER for n in needs])

    cap_left = np.array([o.capacity_left for o in offers], np.float32)
    cap = np.array([o.capacity for o in offers], np.float32)
    cap_share = np.divide(cap_left, cap, out=np.zeros_like(cap), where=cap > 0)
    history = np.array([o.history.score() for o in offers], np.float32)

    n_dept = np.array(
        [-1 if n.department is None else n.department for n in needs]
    )
    o_dept = np.array(
        [-1 if o.department is None else o.department for o in offers]
    )
    dept_ids = sorted(
        {d for o in offers for d in o.glad_departments} | set(n_dept.tolist())
    )
    d_index = {d: i for i, d in enumerate(dept_ids)}
    glad = np.zeros((n_o, len(dept_ids)), bool)
    for j, o in enumerate(offers):
        for d in o.glad_departments:
            glad[j, d_index[d]] = True
    glad_fit = glad[:, [d_index[d] for d in n_dept.tolist()]].T
    glad_fit &= (n_dept >= 0)[:, None]
    departments = glad_fit.copy()
    if w.prefer_crossing:
        crossing = (
            (n_dept[:, None] != o_dept[None, :])
            & (n_dept >= 0)[:, None]
            & (o_dept >= 0)[None, :]
        )
        departments |= crossing

    n_person = np.array([n.person for n in needs])
    o_person = np.array([o.person for o in offers])
    eligible = (
        (n_person[:, None] != o_person[None, :])
        & (cap_left > 0)[None, :]
        & (skill > 0)
        & ~(together[:, None] & both & (hours == 0))
    )
    total = (
        np.float32(w.skill) * skill
        + np.float32(w.time) * time_score
        + np.float32(w.format) * format_fit
        + np.float32(w.capacity) * cap_share[None, :]
        + np.float32(w.history) * history[None, :]
        + np.float32(w.departments) * departments.astype(np.float32)
    )
    total = np.where(eligible, total, np.float32(0)).astype(np.float32)
    return Scores(needs, offers, total, eligible)


def candidates(
    scores: Scores, row: int, *, k: int = 3
) -> list[tuple[int, float]]:
    """A request's ``k`` best eligible offers: (column, score)."""
    s = np.where(scores.eligible[row], scores.total[row], -1.0)
    order = np.argsort(-s, kind="stable")[:k]
    return [(int(j), float(s[j])) for j in order if s[j] >= 0]


def assign(
    offers: Sequence[Offer],
    needs: Sequence[Need],
    *,
    weights: Weights | None = None,
    monday: date | None = None,
    top_k: int = 20,
    exclude: Iterable[tuple[int, int]] = (),
    scores: Scores | None = None,
) -> list[Pair]:
    """Assign helpers to requests for a whole community at once.

    Maximises the sum of scores (weighted by urgency) over each request's
    ``top_k`` best candidates; a request with no eligible helper stays
    unassigned. Never gives an offer more requests than its places left,
    never pairs a person with themselves, never makes an ``exclude``
    pair of (need id, offer id), e.g. one already declined.
    """
    w = weights or Weights()
    s = scores or score_all(offers, needs, weights=w, monday=monday)
    n_r, n_o = s.total.shape
    if not n_r or not n_o:
        return []
    eligible = s.eligible.copy()
    if exclude:
        n_pos = {n.id: i for i, n in enumerate(s.needs)}
        o_pos = {o.id: j for j, o in enumerate(s.offers)}
        for need_id, offer_id in exclude:
            if need_id in n_pos and offer_id in o_pos:
                eligible[n_pos[need_id], o_pos[offer_id]] = False
    urgency = np.array(
        [URGENCY.get(n.urgency, 1.0) for n in s.needs], np.float32
    )
    value = np.where(eligible, s.total * urgency[:, None], -1.0)

    # Each request's best k candidates (all of them when few).
    k = min(top_k, n_o)
    if k < n_o:
        top = np.argpartition(-value, k - 1, axis=1)[:, :k]
    else:
        top = np.broadcast_to(np.arange(n_o), (n_r, n_o))
    rows = np.repeat(np.arange(n_r), k)
    cols = top.reshape(-1)
    vals = value[rows, cols]
    keep = vals > 0
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    if not len(rows):
        return []

    # An offer needs no more places than the requests that want it.
    cap_left = np.array([max(o.capacity_left, 0) for o in s.offers])
    wanted = np.bincount(cols, minlength=n_o)
    places = np.minimum(cap_left, wanted)
    base = np.concatenate(([0], np.cumsum(places)))
    n_places = int(base[-1])

    # One edge per (request, place of a candidate offer).
    reps = places[cols]
    e_rows = np.repeat(rows, reps)
    e_vals = np.repeat(vals, reps)
    starts = np.repeat(base[cols], reps)
    offsets = np.arange(len(e_rows)) - np.repeat(np.cumsum(reps) - reps, reps)
    e_cols = starts + offsets
    # Costs must be non-zero: a real edge costs less than "no helper".
    top_cost = float(value.max()) + 1.0
    owner = np.repeat(np.arange(n_o), places)
    # The smaller side is the rows, each with its own "unmatched" column:
    # LAPJVsp augments once per row, so scarce places make it fast.
    by_place = n_places < n_r
    rows_of, cols_of = (e_cols, e_rows) if by_place else (e_rows, e_cols)
    n_rows = n_places if by_place else n_r
    n_cols = n_r if by_place else n_places
    cost = np.concatenate(
        (top_cost - e_vals, np.full(n_rows, top_cost, dtype=np.float64))
    )
    all_rows = np.concatenate((rows_of, np.arange(n_rows)))
    all_cols = np.concatenate((cols_of, n_cols + np.arange(n_rows)))
    # scipy only when matching runs: importing it costs every web worker
    # a second at start-up for pages that never match anyone.
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    graph = csr_matrix(
        (cost, (all_rows, all_cols)), shape=(n_rows, n_cols + n_rows)
    )
    if n_rows == 0:
        return []
    r_idx, c_idx = min_weight_full_bipartite_matching(graph)
    pairs = []
    for a, b in zip(r_idx.tolist(), c_idx.tolist(), strict=True):
        if b >= n_cols:
            continue
        need, place = (b, a) if by_place else (a, b)
        j = int(owner[place])
        pairs.append(
            Pair(s.needs[need].id, s.offers[j].id, float(s.total[need, j]))
        )
    return pairs
