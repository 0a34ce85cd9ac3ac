"""Screening: the stage rules, the ranking service (the model is in literature/ranking/), the
recall chart and the PRISMA diagram."""
