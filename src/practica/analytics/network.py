"""Who helps whom: help edges counted by SQL, read as a small graph.

An edge points from the person who helped to the person helped:

- an accepted answer: its author → the asker;
- "this also worked for me" on an answer: its author → the marker;
- "this helped me" on an artifact: each owner → the marker;
- a session held: each host → each person marked present;
- mentoring (from the mentoring app): mentor or helper → mentee.

The queries group by (helper, helped), so Python sees at most one row per
pair of people, never one per act of help. What is read from the graph
is kept simple and said in words on the page:

- **connectors** are people whose removal would leave some people with
  no help link to the others (articulation points of the undirected help
  graph), with how many people would be cut off;
- **departments that only give / only take** helped people in other
  departments but were never helped by them, or the other way round;
- **at risk of overload**: people who gave at least 5 acts of help and at
  least three times the median helper's, or more than a quarter of all,
  and helpers whose mentoring places are all taken;
- **isolated members**: active members with no help given or received.
"""

import statistics
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, F

from practica.accounts.models import User
from practica.communities.models import Membership, Status
from practica.conversations.models import Conversation, Worked
from practica.events.models import Attendance
from practica.repertoire.models import Helped

KINDS = {
    "answer": "Accepted answer",
    "worked": "Also worked for me",
    "artifact": "Artifact helped me",
    "hosting": "Hosted a session attended",
    "mentoring": "Mentoring",
}
OVERLOAD_MIN = 5
OVERLOAD_TIMES = 3
OVERLOAD_SHARE = 0.25
NO_DEPARTMENT = "No department"


def edges(
    ids: list[int], start: datetime, end: datetime
) -> dict[tuple[int, int, str], int]:
    """(helper, helped, kind) → acts of help in [start, end)."""
    out: dict[tuple[int, int, str], int] = defaultdict(int)
    queries = [
        (
            "answer",
            Conversation.objects.filter(
                community_id__in=ids,
                accepted_reply__isnull=False,
                created_at__gte=start,
                created_at__lt=end,
            ).values(
                helper=F("accepted_reply__author_id"), helped=F("author_id")
            ),
        ),
        (
            "worked",
            Worked.objects.filter(
                reply__conversation__community_id__in=ids,
                created_at__gte=start,
                created_at__lt=end,
            ).values(helper=F("reply__author_id"), helped=F("user_id")),
        ),
        (
            "artifact",
            Helped.objects.filter(
                artifact__community_id__in=ids,
                created_at__gte=start,
                created_at__lt=end,
            ).values(helper=F("artifact__owners"), helped=F("user_id")),
        ),
        (
            "hosting",
            Attendance.objects.filter(
                occurrence__event__community_id__in=ids,
                occurrence__starts_at__gte=start,
                occurrence__starts_at__lt=end,
            ).values(
                helper=F("occurrence__event__hosts"), helped=F("user_id")
            ),
        ),
    ]
    for kind, qs in queries:
        for row in qs.annotate(n=Count("pk")).order_by():
            a, b = row["helper"], row["helped"]
            if a is not None and b is not None and a != b:
                out[(a, b, kind)] += row["n"]
    return out


@dataclass
class Person:
    id: int
    name: str
    handle: str
    department: str
    gave: int = 0
    got: int = 0


@dataclass
class Department:
    name: str
    members: int = 0
    gave: int = 0  # to other departments
    got: int = 0  # from other departments
    within: int = 0


@dataclass
class Network:
    start: datetime
    end: datetime
    total: int
    cross: int  # between known, different departments
    known: int  # both ends with a known department
    by_kind: dict[str, int]
    departments: list[Department]
    # department → department → acts of help (other departments only)
    flows: dict[tuple[str, str], int]
    people: dict[int, Person] = field(default_factory=dict)
    pairs: dict[tuple[int, int], dict[str, int]] = field(default_factory=dict)
    connectors: list[tuple[Person, int]] = field(default_factory=list)
    overloaded: list[tuple[Person, str]] = field(default_factory=list)
    isolated: list[Person] = field(default_factory=list)
    isolated_count: int = 0
    members: int = 0
    helpers: int = 0
    helped: int = 0

    @property
    def cross_share(self) -> float | None:
        return self.cross / self.known if self.known else None

    @property
    def only_give(self) -> list[Department]:
        return [d for d in self.departments if d.gave and not d.got]

    @property
    def only_take(self) -> list[Department]:
        return [d for d in self.departments if d.got and not d.gave]

    def strongest(
        self, n: int
    ) -> list[tuple[tuple[int, int], dict[str, int]]]:
        """The ``n`` pairs with the most help, most first."""
        return sorted(
            self.pairs.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])
        )[:n]

    def strip_people(self) -> "Network":
        """The same network with every person-level detail removed."""
        self.people, self.pairs = {}, {}
        self.connectors, self.overloaded, self.isolated = [], [], []
        return self


def articulation(adj: dict[int, set[int]]) -> dict[int, int]:
    """Articulation points → how many people would lose every help link
    to the largest remaining group if that person were gone (iterative
    Hopcroft-Tarjan, so a long chain cannot overflow the stack)."""
    disc: dict[int, int] = {}
    low: dict[int, int] = {}
    size: dict[int, int] = {}
    out: dict[int, int] = {}
    t = 0
    for root in sorted(adj):
        if root in disc:
            continue
        # pieces[u]: sizes of the groups cut off below u if u were gone
        pieces: dict[int, list[int]] = defaultdict(list)
        disc[root] = low[root] = t
        size[root] = 1
        t += 1
        stack: list[tuple[int, int | None, Iterator[int]]] = [
            (root, None, iter(sorted(adj[root])))
        ]
        while stack:
            node, parent, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                if parent is not None:
                    low[parent] = min(low[parent], low[node])
                    size[parent] += size[node]
                    if parent == root or low[node] >= disc[parent]:
                        pieces[parent].append(size[node])
                continue
            if nxt == parent:
                continue
            if nxt in disc:
                low[node] = min(low[node], disc[nxt])
                continue
            disc[nxt] = low[nxt] = t
            size[nxt] = 1
            t += 1
            stack.append((nxt, node, iter(sorted(adj[nxt]))))
        whole = size[root]
        for node, cut in pieces.items():
            if node == root and len(cut) < 2:
                continue
            rest = whole - 1 - sum(cut)
            groups = cut + ([rest] if rest else [])
            out[node] = whole - 1 - max(groups)
    return {k: v for k, v in out.items() if v > 0}


def build(
    ids: list[int],
    start: datetime,
    end: datetime,
    extra: Any = (),
    load: Any = (),
) -> Network:
    """The help network of the communities ``ids`` in [start, end).

    ``extra`` adds edges from other apps: (helper, helped, kind) triples;
    ``load`` is the mentoring app's mentor load (person_id, used,
    capacity, ...), whose full helpers count as at risk of overload.
    """
    counted = edges(ids, start, end)
    for a, b, kind in extra:
        if a is not None and b is not None and a != b:
            counted[(a, b, kind)] += 1
    member_rows = list(
        Membership.objects.filter(community_id__in=ids, status=Status.ACTIVE)
        .values_list("user_id", flat=True)
        .distinct()
    )
    members = set(member_rows)
    involved = {a for a, _, _ in counted} | {b for _, b, _ in counted}
    people = {
        u.pk: Person(
            u.pk,
            u.name,
            u.handle or "",
            u.department.name if u.department else NO_DEPARTMENT,
        )
        for u in User.objects.filter(pk__in=involved | members)
        .select_related("department")
        .only("id", "display_name", "email", "handle", "department__name")
    }
    pairs: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    by_kind: dict[str, int] = defaultdict(int)
    flows: dict[tuple[str, str], int] = defaultdict(int)
    depts: dict[str, Department] = {}
    total = cross = known = 0
    for (a, b, kind), n in counted.items():
        if a not in people or b not in people:
            continue
        pairs[(a, b)][kind] = pairs[(a, b)].get(kind, 0) + n
        by_kind[kind] += n
        total += n
        people[a].gave += n
        people[b].got += n
        da, db = people[a].department, people[b].department
        for d in (da, db):
            depts.setdefault(d, Department(d))
        if NO_DEPARTMENT not in (da, db):
            known += n
        if da == db:
            depts[da].within += n
        else:
            flows[(da, db)] += n
            depts[da].gave += n
            depts[db].got += n
            if NO_DEPARTMENT not in (da, db):
                cross += n
    for pk in members:
        if pk in people:
            d = people[pk].department
            depts.setdefault(d, Department(d)).members += 1
    adj: dict[int, set[int]] = defaultdict(set)
    for a, b in pairs:
        adj[a].add(b)
        adj[b].add(a)
    connectors = sorted(
        ((people[p], n) for p, n in articulation(dict(adj)).items()),
        key=lambda x: (-x[1], x[0].name),
    )
    given = [p.gave for p in people.values() if p.gave]
    typical = statistics.median(given) if given else 0
    overloaded = []
    for p in sorted(people.values(), key=lambda p: (-p.gave, p.name)):
        if p.gave < OVERLOAD_MIN:
            break
        if total and p.gave > OVERLOAD_SHARE * total:
            why = f"gave {p.gave} of {total} acts of help"
        elif p.gave >= OVERLOAD_TIMES * typical:
            why = f"gave {p.gave}, the typical helper {typical:g}"
        else:
            continue
        overloaded.append((p, why))
    named = {p.id for p, _ in overloaded}
    for row in load:
        pid = row["person_id"]
        full = row["capacity"] and row["used"] >= row["capacity"]
        if full and pid in people and pid not in named:
            overloaded.append(
                (
                    people[pid],
                    f"all {row['capacity']} mentoring places taken",
                )
            )
    isolated = sorted(
        (people[pk] for pk in members - involved if pk in people),
        key=lambda p: p.name,
    )
    return Network(
        start=start,
        end=end,
        total=total,
        cross=cross,
        known=known,
        by_kind=dict(by_kind),
        departments=sorted(
            depts.values(), key=lambda d: (-(d.gave + d.got), d.name)
        ),
        flows=dict(flows),
        people=people,
        pairs=dict(pairs),
        connectors=connectors,
        overloaded=overloaded,
        isolated=isolated,
        isolated_count=len(isolated),
        members=len(members),
        helpers=sum(1 for p in people.values() if p.gave),
        helped=sum(1 for p in people.values() if p.got),
    )
