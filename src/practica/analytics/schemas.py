"""API schemas for analytics: explicit fields in, explicit fields out."""

from datetime import date, datetime
from typing import Any, Literal, Self

from ninja import Field, Schema

from practica.accounts.schemas import PersonRefOut
from practica.analytics.figures import Figures
from practica.analytics.models import Cycle, Period, Reflection, ValueStory
from practica.analytics.network import KINDS, Network
from practica.communities.schemas import CommunityRefOut

PeriodIn = Literal["week", "month"]
PAIRS_MAX = 200


class SeriesOut(Schema):
    key: str
    label: str
    unit: Literal["count", "share", "hours"] = Field(
        description="count; share (0 to 1); hours (a median)."
    )
    values: list[float | None] = Field(
        description="One value per period, oldest first; null when there "
        "is nothing to measure (a median of no questions)."
    )
    current: float | None = Field(description="The latest complete period.")
    previous: float | None
    change: float | None = Field(description="current - previous")


class CohortOut(Schema):
    start: date
    joined: int
    stayed: int = Field(description="Still an active member today.")
    left: int = Field(description="Left or removed since.")
    retention: float | None


class FiguresOut(Schema):
    period: Period
    time_zone: str
    periods: list[date] = Field(
        description="The first day of each period, oldest first."
    )
    series: list[SeriesOut]
    cohorts: list[CohortOut]
    today: dict[str, Any] = Field(
        description="Members, the unanswered backlog by age and the "
        "repertoire's freshness, now."
    )

    @classmethod
    def build(cls, f: Figures) -> Self:
        return cls(
            period=Period(f.period),
            time_zone=f.time_zone,
            periods=[b.first_day for b in f.buckets],
            series=[
                SeriesOut(
                    key=s.key,
                    label=s.label,
                    unit=s.unit,
                    values=s.values,
                    current=s.current,
                    previous=s.previous,
                    change=s.change,
                )
                for s in f.series
            ],
            cohorts=[
                CohortOut(
                    start=c.start,
                    joined=c.joined,
                    stayed=c.stayed,
                    left=c.left,
                    retention=c.retention,
                )
                for c in f.cohorts
            ],
            today=f.now,
        )


class DepartmentOut(Schema):
    name: str
    members: int
    gave: int = Field(description="Acts of help to other departments.")
    got: int = Field(description="Acts of help from other departments.")
    within: int


class FlowOut(Schema):
    source: str = Field(description="The department that helped.")
    target: str
    count: int


class PairOut(Schema):
    helper: PersonRefOut
    helped: PersonRefOut
    counts: dict[str, int] = Field(
        description="Acts of help by kind: " + ", ".join(KINDS)
    )


class ConnectorOut(Schema):
    person: PersonRefOut
    cut_off: int = Field(
        description="People who would have no help link to the rest "
        "without this person."
    )


class OverloadOut(Schema):
    person: PersonRefOut
    why: str


class NetworkOut(Schema):
    start: datetime
    end: datetime
    total: int
    by_kind: dict[str, int]
    cross_department_share: float | None
    members: int
    helpers: int
    helped: int
    isolated_count: int
    departments: list[DepartmentOut]
    flows: list[FlowOut]
    people_included: bool = Field(
        description="True for coordinators: pairs, connectors, overload "
        "and isolated members are filled in; empty for everyone else."
    )
    pairs: list[PairOut] = Field(
        description=f"The {PAIRS_MAX} pairs with the most help; every "
        "pair is in network.csv."
    )
    pairs_total: int
    connectors: list[ConnectorOut]
    overloaded: list[OverloadOut]
    isolated: list[PersonRefOut]

    @classmethod
    def build(cls, n: Network, *, people: bool) -> Self:
        def ref(pk: int) -> PersonRefOut:
            return PersonRefOut(id=pk, name=n.people[pk].name)

        return cls(
            start=n.start,
            end=n.end,
            total=n.total,
            by_kind=n.by_kind,
            cross_department_share=n.cross_share,
            members=n.members,
            helpers=n.helpers,
            helped=n.helped,
            isolated_count=n.isolated_count,
            departments=[
                DepartmentOut(
                    name=d.name,
                    members=d.members,
                    gave=d.gave,
                    got=d.got,
                    within=d.within,
                )
                for d in n.departments
            ],
            flows=[
                FlowOut(source=a, target=b, count=c)
                for (a, b), c in sorted(n.flows.items())
            ],
            people_included=people,
            pairs=[
                PairOut(helper=ref(a), helped=ref(b), counts=k)
                for (a, b), k in n.strongest(PAIRS_MAX)
            ],
            pairs_total=len(n.pairs),
            connectors=[
                ConnectorOut(person=ref(p.id), cut_off=c)
                for p, c in n.connectors
            ],
            overloaded=[
                OverloadOut(person=ref(p.id), why=w) for p, w in n.overloaded
            ],
            isolated=[ref(p.id) for p in n.isolated],
        )


class HealthOut(Schema):
    community: CommunityRefOut
    figures: FiguresOut
    network: NetworkOut


class OverviewRowOut(Schema):
    community: CommunityRefOut
    members: int
    active: int = Field(description="In the latest complete period.")
    asked: int = Field(description="Questions over the twelve periods.")
    solved_share: float | None
    artifacts: int
    stories: int


class OverviewOut(Schema):
    figures: FiguresOut
    communities: list[OverviewRowOut]
    private_communities: int = Field(
        description="Private communities you cannot see: in the figures, "
        "not named."
    )
    stories_by_cycle: dict[str, int]
    cross_department_share: float | None


# --- stories -------------------------------------------------------------


class StoryLinkOut(Schema):
    kind: str = Field(description="question, artifact, event, mentorship")
    id: int
    title: str


class StoryOut(Schema):
    id: int
    community: CommunityRefOut
    author: PersonRefOut | None
    title: str
    cycle: Cycle
    happened_html: str
    difference_html: str
    featured: bool
    hidden: bool
    links: list[StoryLinkOut]
    created_at: datetime

    @classmethod
    def build(cls, s: ValueStory) -> Self:
        names = {"conversation": "question"}
        return cls(
            id=s.pk,
            community=CommunityRefOut(
                slug=s.community.slug, name=s.community.name
            ),
            author=PersonRefOut(id=s.author.pk, name=s.author.name)
            if s.author
            else None,
            title=s.title,
            cycle=Cycle(s.cycle),
            happened_html=s.happened_html,
            difference_html=s.difference_html,
            featured=s.featured,
            hidden=s.hidden,
            links=[
                StoryLinkOut(
                    kind=names.get(lk.target_type.model, lk.target_type.model),
                    id=lk.target_id,
                    title=lk.title,
                )
                for lk in s.links.all()
            ],
            created_at=s.created_at,
        )


class StoryPageOut(Schema):
    items: list[StoryOut]
    next_cursor: str | None


class StoryIn(Schema):
    title: str = Field(max_length=200)
    cycle: str = Field(
        description="immediate, potential, applied, realised or transformative"
    )
    happened: str = Field(description="Markdown: what happened.")
    difference: str = Field(description="Markdown: what difference it made.")
    links: list[str] = Field(
        default_factory=list,
        description="question:12, artifact:5 or a page address; only what "
        "you can see.",
    )


class FeatureIn(Schema):
    featured: bool = True


class HideIn(Schema):
    hidden: bool = True
    note: str = Field("", description="Why (required to hide).")


# --- reflections ---------------------------------------------------------


class ReflectionOut(Schema):
    id: int
    community: CommunityRefOut
    author: PersonRefOut | None
    period: Period
    start: date
    end: date
    what_html: str
    so_what_html: str
    now_what_html: str
    figures: dict[str, Any]
    updated_at: datetime

    @classmethod
    def build(cls, r: Reflection) -> Self:
        return cls(
            id=r.pk,
            community=CommunityRefOut(
                slug=r.community.slug, name=r.community.name
            ),
            author=PersonRefOut(id=r.author.pk, name=r.author.name)
            if r.author
            else None,
            period=Period(r.period),
            start=r.start,
            end=r.end,
            what_html=r.what_html,
            so_what_html=r.so_what_html,
            now_what_html=r.now_what_html,
            figures=r.figures,
            updated_at=r.updated_at,
        )


class ReflectionPageOut(Schema):
    items: list[ReflectionOut]
    next_cursor: str | None


class ReflectionIn(Schema):
    period: str = Field("month", description="week or month")
    start: str = Field(
        description="The period's first day, YYYY-MM-DD (a Monday, or the "
        "1st); the period must be over."
    )
    what: str
    so_what: str
    now_what: str
