"""Reads of the directory that other apps ask for (through their registries)."""

from __future__ import annotations

from django.db.models import Q

from facit.directory.models import Attribute, DataOrigin, Service, TaxonomyTerm

# Aftercare (panel's pages ask through panel.hooks): services in the directory's verified
# data that support people with experience of sexual exploitation or violence; not those for
# children only or for people worried about their own urges. The terms are the directory's (set from each entry's own source text).
AFTERCARE_TERMS = ("exploitation:compensation", "exploitation:sexual-abuse")
NOT_AFTERCARE_TERMS = ("audience:children", "audience:worried-about-own-urges")


def aftercare_services() -> list[Service]:
    """Support for adults after hard material, read from the directory (never typed in here)."""

    def linked(codes: tuple[str, ...]) -> set[str]:
        terms = TaxonomyTerm.objects.filter(code__in=codes)
        return set(
            Attribute.objects.filter(taxonomy_term__in=terms).values_list("link_id", flat=True)
        )

    ids = linked(AFTERCARE_TERMS) - linked(NOT_AFTERCARE_TERMS)
    return list(
        Service.objects.published()
        .filter(origin=DataOrigin.VERIFIED, pk__in=ids)
        .filter(Q(maximum_age__isnull=True) | Q(maximum_age__gt=18))
        .prefetch_related("phones")
        .order_by("name")
    )
