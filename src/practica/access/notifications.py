"""Access rules for the notifications app (merged into rules.RULES)."""

from practica.access.rules import RULES

RULES.update({})
