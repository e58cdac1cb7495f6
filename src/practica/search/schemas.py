"""API schemas for search: explicit fields out (search takes no body)."""

from datetime import datetime
from typing import Any, Literal, Self

from ninja import Field, Schema

from practica.communities.schemas import CommunityRefOut

SearchSort = Literal["relevance", "newest"]
HitType = Literal[
    "question",
    "discussion",
    "artifact",
    "community",
    "person",
    "event",
    "notes",
]


class SearchHitOut(Schema):
    """One thing that matched: a question, discussion, artifact,
    community, person, event or an occurrence's meeting notes."""

    type: HitType
    id: int
    title: str
    url: str = Field(description="The path of its web page.")
    community: CommunityRefOut | None = Field(
        description="Where it lives; null for people, who belong to the "
        "whole organisation."
    )
    snippet_html: str = Field(
        description="An excerpt with the words searched for marked "
        "<b>…</b>; all other text is HTML-escaped."
    )
    best_answer_html: str = Field(
        description="For solved questions, an excerpt of the best answer "
        "marked like snippet_html; otherwise empty."
    )
    tags: list[str] = Field(description="Tag slugs (skills for people).")
    solved: bool = Field(description="A question with an accepted answer.")
    replies: int = Field(
        description="Answers to a question, replies to a discussion, "
        "members of a community; 0 for artifacts and people."
    )
    created_at: datetime | None

    @classmethod
    def build(cls, row: Any) -> Self:
        hit = row.hit
        community = row.community
        return cls.model_validate(
            {
                "type": hit.type,
                "id": hit.id,
                "title": hit.title,
                "url": row.url,
                "community": (
                    {"slug": community.slug, "name": community.name}
                    if community is not None
                    else None
                ),
                "snippet_html": hit.snippet_html.strip(),
                "best_answer_html": row.best_answer_html,
                "tags": hit.tags,
                "solved": hit.solved,
                "replies": hit.replies,
                "created_at": hit.created,
            }
        )


class FacetOut(Schema):
    """One value of a facet and how many results have it."""

    value: str = Field(description="A type, tag slug or community slug.")
    label: str
    count: int
    filter: str = Field(description='The filter it stands for: "tag:x".')
    active: bool = Field(description="The query already has this filter.")
    query: str = Field(
        description="The q to send to apply this facet (or, when active, "
        "to take it out again)."
    )


class FacetsOut(Schema):
    """Counts over all results (not only this page), only of what you
    may see; estimates when the page's approximate is true."""

    type: list[FacetOut]
    tag: list[FacetOut]
    community: list[FacetOut]


class SearchPageOut(Schema):
    """A page of search results."""

    query: str = Field(description="The q that was searched (cut to 500).")
    sort: SearchSort
    total: int = Field(description="All results you may see.")
    approximate: bool = Field(
        description="The facet counts are estimates, rounded to two "
        "significant figures: a query with more than 20,000 results has "
        "its facets counted on a sample of one sixteenth. Exact when "
        "false; total is always exact."
    )
    offset: int
    next_offset: int | None = Field(
        description="Pass it back as offset for the next page; null at "
        "the end."
    )
    notes: list[str] = Field(
        description="What the query parser could not use, and why."
    )
    hits: list[SearchHitOut]
    facets: FacetsOut

    @classmethod
    def build(cls, found: Any) -> Self:
        return cls.model_validate(
            {
                "query": found.text,
                "sort": found.sort,
                "total": found.total,
                "approximate": found.approximate,
                "offset": found.offset,
                "next_offset": found.next_offset,
                "notes": found.notes,
                "hits": [SearchHitOut.build(row) for row in found.rows],
                "facets": {
                    name: [vars(f) for f in found.facets.get(name, [])]
                    for name in ("type", "tag", "community")
                },
            }
        )
