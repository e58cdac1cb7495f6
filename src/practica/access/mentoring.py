"""Access rules for the mentoring app (merged into rules.RULES on import)."""

from practica.access.rules import RULES

RULES.update({})
