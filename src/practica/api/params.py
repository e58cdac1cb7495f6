"""Query parameters that several routers share."""

from typing import Annotated

from ninja.params.functions import Query

FromRevision = Annotated[
    int | None,
    Query(
        None,
        alias="from",
        description="The older revision's number; by default the one "
        "before to.",
    ),
]
ToRevision = Annotated[
    int | None,
    Query(
        None,
        alias="to",
        description="The newer revision's number; by default the latest.",
    ),
]
