"""The search language people type, parsed once into a plain structure.

    words           all must match (stemmed, accents folded)
    "a phrase"      words in this order
    -word  -"a b"   must not match
    word*           prefix
    tag:terraform  community:platform-practice  author:ana  type:question
    is:solved  is:unanswered  is:question  is:discussion
    after:2025-01-31  before:2025-06-01

Anything unparseable is treated as plain words; nothing raises on input a
person typed, and over-long input is cut.
"""

import re
from dataclasses import dataclass, field
from datetime import date

MAX_LENGTH = 500
MAX_TERMS = 32
TYPES = (
    "question",
    "discussion",
    "artifact",
    "community",
    "person",
    "event",
    "notes",
)
_TOKEN = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"?|(\S+))')
_WORD = re.compile(r"[\w]+(?:[-'][\w]+)*\*?", re.UNICODE)


@dataclass
class Parsed:
    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    communities: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    solved: bool | None = None
    unanswered: bool = False
    after: date | None = None
    before: date | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases or self.prefixes)

    @property
    def is_empty(self) -> bool:
        return not (
            self.has_text
            or self.tags
            or self.communities
            or self.authors
            or self.types
            or self.solved is not None
            or self.unanswered
            or self.after
            or self.before
        )


def _date(value: str, parsed: Parsed, name: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        parsed.notes.append(
            f"{name}:{value} is not a date; write it as {name}:2025-01-31."
        )
        return None


def parse(text: str) -> Parsed:
    """Parse what a person typed; never raises."""
    parsed = Parsed()
    text = (text or "")[:MAX_LENGTH]
    if text.count('"') % 2:
        parsed.notes.append(
            "A quotation mark is not closed: the phrase runs to the end."
        )
    count = 0
    for m in _TOKEN.finditer(text):
        if count >= MAX_TERMS:
            parsed.notes.append(f"Only the first {MAX_TERMS} terms count.")
            break
        count += 1
        negate, key, quoted, bare = m.groups()
        key = (key or "").lower()
        value = quoted if quoted is not None else bare or ""
        if key and _filter(parsed, key, value.strip(), bool(negate)):
            continue
        if key:  # an unknown "key:" is just text
            value = f"{key} {value}"
        if quoted is not None:
            words = " ".join(_WORD.findall(value.replace("*", "")))
            if words:
                (parsed.excluded if negate else parsed.phrases).append(words)
            continue
        for word in _WORD.findall(value):
            if negate:
                parsed.excluded.append(word.rstrip("*"))
            elif word.endswith("*") and len(word) > 2:
                parsed.prefixes.append(word[:-1].lower())
            else:
                parsed.words.append(word.rstrip("*"))
    return parsed


def _filter(parsed: Parsed, key: str, value: str, negate: bool) -> bool:
    if not value or negate:
        return False
    lowered = value.lower()
    match key:
        case "tag":
            parsed.tags.append(lowered)
        case "community" | "in":
            parsed.communities.append(lowered)
        case "author" | "by":
            parsed.authors.append(lowered)
        case "type":
            if lowered in TYPES:
                parsed.types.append(lowered)
            else:
                parsed.notes.append(
                    f"type:{value} is unknown; use one of {', '.join(TYPES)}."
                )
        case "is":
            if lowered == "solved":
                parsed.solved = True
            elif lowered == "unsolved":
                parsed.solved = False
            elif lowered == "unanswered":
                parsed.unanswered = True
            elif lowered in ("question", "discussion"):
                parsed.types.append(lowered)
            else:
                parsed.notes.append(
                    f"is:{value} is unknown; use is:solved, is:unsolved, "
                    "is:unanswered, is:question or is:discussion."
                )
        case "after":
            parsed.after = _date(value, parsed, "after")
        case "before":
            parsed.before = _date(value, parsed, "before")
        case _:
            return False
    return True
