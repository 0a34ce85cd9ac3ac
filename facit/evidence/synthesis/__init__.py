"""Synthesis: comparable results of an intervention's evaluations, pooled and rated.

- `stats`: the pure package (numpy/scipy, no Django): effect sizes, meta-analysis,
  certainty and forest plots;
- `services`: outcomes recorded with their effect size (`outcome_record`);
- `selectors`: an intervention's outcome groups, pooled for its page;
- `section`: that section of the intervention page;
- `text`: the pure package's messages and notes in the reader's language;
- `api`: the public calculators under `/api/v1/synthesis/`.

This `__init__` imports nothing, so `facit.evidence.synthesis.stats` stays importable on
its own; callers import from the modules named above.
"""
