"""The intervention registry: interventions and their evaluations as the public reads them.

- `views`: the list, one intervention, the comparison, the level rules, and the editors'
  drafts and edit form;
- `api`: `/api/v1/interventions` and one intervention with its evaluations.

The registry's models, services (`facit.evidence.registry.services`) and selectors
(`facit.evidence.selectors`) are the app's core and stay at the top of `facit.evidence`.
"""
