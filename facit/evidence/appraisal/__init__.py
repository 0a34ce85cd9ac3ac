"""Appraisal: the blinded, dual work of reviewers on one evaluation, then their consensus.

- `services`: risk-of-bias appraisals (`appraisal_submit`, `appraisal_disagreements`,
  `appraisal_consensus`);
- `desk`: the extraction desk's services (`extraction_submit`, `extraction_consensus`) and
  its reads (`reviewer_extractions`, `provisional_of`, `provisional_initial`);
- `selectors`: what each person may see of that work (`appraisal_sight`, `extraction_sight`,
  `public_appraisals`, `public_extraction`): the one place blinding is decided;
- `forms`: `AppraisalForm`, `ExtractionForm`, `DeskSubmitForm`;
- `views`: the appraisal page (`appraise`) and the desk (`extract`).

A consensus is the only way an evaluation's level stops being provisional; both recompute the
intervention's level through `facit.evidence.registry.services.intervention_recompute`.
"""
