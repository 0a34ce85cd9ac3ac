"""The intervention registry: interventions and their evaluations as the public reads them.

- `services`: the registry's writes: interventions and evaluations edited, drafts created and
  published, levels recomputed, the verified-data load (`countries` reads its countries);
- `selectors`: the filtered list, one intervention with its evaluations, its level and an
  evaluation's extraction as a page shows them;
- `forms`: the editors' intervention form;
- `views`: the list, one intervention, the comparison, the level rules, and the editors'
  drafts and edit form;
- `api`: `/api/v1/interventions` and one intervention with its evaluations.

The models, the evidence revision (`facit.evidence.revision`), the level rules and the
vocabularies are shared by every sub-domain and stay at the top of `facit.evidence`.
"""
