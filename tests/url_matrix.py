"""The role x URL matrix: for every named URL, the exact status each role gets.

One row per URL name (tests/test_url_matrix.py fails, listing them, for any URL pattern
without a row). To add one:

    Row("app:name", {"kwarg": "world attribute"}, expect(...)),

- kwargs map each URL argument to an attribute path of the test world (see `build_world`
  in tests/test_url_matrix.py: review, reference, batch, candidate, job, intervention,
  evaluation, service, change, document, round, comment, member, reviewer_user ...), or to a
  literal value written as Lit("ta").
- `expect(default, **per_role)` gives every role in ROLES a status: `default` for the roles
  not named. The shorthands below cover the common shapes.
- method="post" (with form `data`, or a `json` body for the API) for views that only take
  POST; `query` is appended to the path; csrf_checks=True sends it without a CSRF token to a
  client that enforces CSRF checks.
- To see what a new row answers, run with FACIT_MATRIX_RECORD=<dir>: each row's statuses are
  written there as JSON. Check each one by hand before copying it into the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES = ("visitor", "reviewer", "editor", "panel_member", "coordinator", "provider", "admin")


@dataclass(frozen=True)
class Lit:
    value: Any


@dataclass(frozen=True)
class Row:
    name: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    expected: dict[str, int] = field(default_factory=dict)
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)
    query: str = ""
    json: dict[str, Any] | None = None  # a JSON body (API), instead of form `data`
    csrf_checks: bool = False  # the clients enforce CSRF, as browsers' requests are checked


def expect(default: int, **per_role: int) -> dict[str, int]:
    unknown = set(per_role) - set(ROLES)
    assert not unknown, unknown
    return {role: per_role.get(role, default) for role in ROLES}


PUBLIC = expect(200)


def only(status: int = 200, *, visitor: int = 302, denied: int = 403, **roles: int) -> dict:
    """Signed-in roles other than those named get `denied`; visitors are sent to sign-in."""
    return expect(denied, visitor=visitor, **roles)


# Reviewer pages of a review the `reviewer` persona is a member of.
def reviewer_only(status: int = 200) -> dict[str, int]:
    return only(reviewer=status)


ROWS: list[Row] = [
    # Site, sign-in, accounts --------------------------------------------------------------
    Row("exit", expected=expect(302)),
    Row("set_language", expected=expect(302), method="post", data={"language": "sv"}),
    Row("web:home", expected=PUBLIC),
    Row("accounts:login", expected=expect(302, visitor=200)),
    Row("accounts:logout", expected=expect(302), method="post"),
    Row("accounts:otp_verify", expected=expect(200, visitor=302)),
    Row("accounts:otp_setup", expected=expect(302)),
    Row("accounts:user_list", expected=only(admin=200)),
    Row("accounts:user_detail", {"user_id": "reviewer_user.pk"}, only(admin=200)),
    Row("accounts:password_change", expected=expect(200, visitor=302)),
    Row("accounts:password_change_done", expected=expect(200, visitor=302)),
    Row("accounts:reauth", expected=expect(200, visitor=302)),
    Row("web:search", expected=PUBLIC, query="?q=barn"),
    Row("healthz", expected=PUBLIC),
    Row("readyz", expected=PUBLIC),
    Row("core:job", {"job_id": "job.pk"}, only(reviewer=200)),  # the reviewer started it
    Row("admin:index", expected=expect(403, visitor=302)),
    # API v1 ---------------------------------------------------------------------------------
    Row("api-v1:openapi-json", expected=PUBLIC),
    Row("api-v1:openapi-view", expected=PUBLIC),
    Row("api-v1:interventions_list", expected=PUBLIC),
    Row("api-v1:interventions_detail", {"slug": "intervention.slug"}, PUBLIC),
    Row("api-v1:evidence_map_api", expected=PUBLIC),
    Row("api-v1:review_prisma", {"slug": "review.slug"}, expect(404, reviewer=200, visitor=401)),
    Row("api-v1:review_progress", {"slug": "review.slug"}, expect(404, reviewer=200, visitor=401)),
    Row("api-v1:services_search", expected=PUBLIC, query="?municipality=1280"),
    Row(
        "api-v1:terminology_check",
        expected=PUBLIC,
        method="post",
        json={"text": "Ett barn som utsatts."},
    ),
    Row("api-v1:documents", expected=PUBLIC),
    Row("api-v1:panel_changes", {"doc_id": "document.pk"}, expect(404)),
    # The calculators: every role, signed in or not, without a CSRF token (bad input is 422,
    # tests/evidence/test_synthesis_api.py).
    Row(
        "api-v1:effect_size_one",
        expected=PUBLIC,
        method="post",
        json={
            "measure": "SMD",
            "m1i": 1.0,
            "sd1i": 1.0,
            "n1i": 20,
            "m2i": 0.5,
            "sd2i": 1.0,
            "n2i": 20,
        },
        csrf_checks=True,
    ),
    Row(
        "api-v1:meta_analysis_endpoint",
        expected=PUBLIC,
        method="post",
        json={"measure": "GEN", "studies": [{"yi": 0.1, "vi": 0.1}, {"yi": 0.3, "vi": 0.2}]},
        csrf_checks=True,
    ),
    Row("api-v1:api-root", expected=expect(404)),
    # API HSDS -------------------------------------------------------------------------------
    Row("api-hsds:openapi-json", expected=PUBLIC),
    Row("api-hsds:openapi-view", expected=PUBLIC),
    Row("api-hsds:meta", expected=PUBLIC),
    Row("api-hsds:services", expected=PUBLIC),
    Row("api-hsds:service", {"id": "service.pk"}, PUBLIC),
    Row("api-hsds:organizations", expected=PUBLIC),
    Row("api-hsds:organization", {"id": "service.organization_id"}, PUBLIC),
    Row("api-hsds:service_at_locations", expected=PUBLIC),
    Row("api-hsds:service_at_location", {"id": Lit("missing")}, expect(404)),
    Row("api-hsds:taxonomies", expected=PUBLIC),
    Row("api-hsds:taxonomy", {"id": Lit("missing")}, expect(404)),
    Row("api-hsds:taxonomy_terms", expected=PUBLIC),
    Row("api-hsds:taxonomy_term", {"id": Lit("missing")}, expect(404)),
    Row("api-hsds:api-root", expected=PUBLIC),
    Row("api-hsds:profile", expected=PUBLIC),
    Row("api-hsds:profile_patch", {"name": Lit("service.json")}, PUBLIC),
    Row("api-hsds:profile_schema", {"name": Lit("service_area.json")}, PUBLIC),
    # Evidence -------------------------------------------------------------------------------
    Row("evidence:map", expected=PUBLIC),
    Row("evidence:map_export", {"fmt": Lit("csv")}, PUBLIC),
    Row("evidence:intervention_list", expected=PUBLIC),
    Row("evidence:intervention_detail", {"slug": "intervention.slug"}, PUBLIC),
    Row("evidence:compare", expected=PUBLIC),
    Row("evidence:levels", expected=PUBLIC),
    Row("evidence:map_studies", expected=PUBLIC),
    Row("evidence:extract", {"pk": "evaluation.pk"}, reviewer_only()),
    Row("evidence:drafts", expected=only(editor=200)),
    Row("evidence:intervention_edit", {"slug": "intervention.slug"}, only(editor=200)),
    Row("evidence:appraise", {"pk": "evaluation.pk"}, reviewer_only()),
    # Literature -----------------------------------------------------------------------------
    Row("literature:review_list", expected=reviewer_only()),
    Row("literature:review_create", expected=reviewer_only()),
    Row("literature:review_detail", {"slug": "review.slug"}, reviewer_only()),
    Row("literature:review_edit", {"slug": "review.slug"}, reviewer_only()),
    Row("literature:search_add", {"slug": "review.slug"}, reviewer_only(302), method="post"),
    Row("literature:member_add", {"slug": "review.slug"}, reviewer_only(302), method="post"),
    Row("literature:reason_add", {"slug": "review.slug"}, reviewer_only(302), method="post"),
    Row("literature:import_upload", {"slug": "review.slug"}, reviewer_only()),
    Row("literature:import_detail", {"slug": "review.slug", "pk": "batch.pk"}, reviewer_only()),
    Row("literature:duplicates", {"slug": "review.slug"}, reviewer_only()),
    Row(
        "literature:duplicate_decide",
        {"slug": "review.slug", "pk": "candidate.pk"},
        reviewer_only(302),
        method="post",
    ),
    Row("literature:screen", {"slug": "review.slug", "stage": Lit("ta")}, reviewer_only()),
    Row("literature:conflicts", {"slug": "review.slug", "stage": Lit("ta")}, reviewer_only()),
    Row(
        "literature:conflict_resolve",
        {"slug": "review.slug", "stage": Lit("ta"), "pk": "reference.pk"},
        reviewer_only(302),
        method="post",
    ),
    Row(
        "literature:reference_detail",
        {"slug": "review.slug", "pk": "reference.pk"},
        reviewer_only(),
    ),
    # The reference is not included at full text yet: back to it, with a message.
    Row("literature:extract", {"slug": "review.slug", "pk": "reference.pk"}, reviewer_only(302)),
    # No PDF attached yet: a member gets 404; an empty upload goes back to the reference
    # with the reason as a message.
    Row(
        "literature:fulltext_download",
        {"slug": "review.slug", "pk": "reference.pk"},
        reviewer_only(404),
    ),
    Row(
        "literature:fulltext_upload",
        {"slug": "review.slug", "pk": "reference.pk"},
        reviewer_only(302),
        method="post",
    ),
    Row("literature:ranking_refresh", {"slug": "review.slug"}, reviewer_only(302), method="post"),
    Row("literature:import_status", {"slug": "review.slug", "pk": "batch.pk"}, reviewer_only()),
    Row(
        "literature:decision_undo",
        {"slug": "review.slug", "stage": Lit("ta")},
        reviewer_only(404),  # no reference named in the form
        method="post",
    ),
    Row("literature:prisma", {"slug": "review.slug"}, reviewer_only()),
    Row("literature:prisma_svg", {"slug": "review.slug"}, reviewer_only()),
    Row("literature:export", {"slug": "review.slug", "fmt": Lit("ris")}, reviewer_only()),
    # Directory ------------------------------------------------------------------------------
    Row("directory:search", expected=PUBLIC, query="?municipality=Malmö"),
    Row("directory:service_detail", {"service_id": "service.pk"}, PUBLIC),
    Row("directory:service_edit", {"service_id": "service.pk"}, only(editor=200, provider=200)),
    Row(
        "directory:service_verify",
        {"service_id": "service.pk"},
        only(editor=302),
        method="post",
    ),
    Row("directory:my_services", expected=only(editor=200, provider=200)),
    Row("directory:change_list", expected=only(editor=200)),
    Row("directory:hsds_import", expected=only(editor=200)),
    Row(
        "directory:change_decide",
        {"change_id": "change.pk"},
        only(editor=302),
        method="post",
        data={"decision": "reject"},
    ),
    Row("directory:barnahus_list", expected=PUBLIC),
    Row("directory:barnahus_detail", {"barnahus_id": "barnahus.pk"}, PUBLIC),
    Row("directory:referral_guide", expected=PUBLIC),
    Row("directory:duty_text_edit", expected=only(editor=200)),
    # Guidance -------------------------------------------------------------------------------
    Row("guidance:document_list", expected=PUBLIC),
    Row("guidance:document_detail", {"doc_id": "document.pk"}, expect(404)),
    Row("guidance:panel_changes", {"doc_id": "document.pk"}, expect(404)),
    Row("guidance:editor_home", expected=only(editor=200)),
    Row("guidance:editor_document", {"doc_id": "document.pk"}, only(editor=200)),
    Row(
        "guidance:version_publish",
        {"doc_id": "document.pk", "number": Lit(1)},
        only(editor=200),  # without confirm=yes: the confirmation page, nothing published
        method="post",
    ),
    Row("guidance:round_new", {"doc_id": "document.pk", "number": Lit(1)}, only(editor=200)),
    Row("guidance:version_diff", {"doc_id": "document.pk", "number": Lit(1)}, only(editor=200)),
    Row("guidance:round_manage", {"round_id": "round.pk"}, only(editor=200)),
    # Closing needs every comment answered first.
    Row("guidance:round_close", {"round_id": "round.pk"}, only(editor=409), method="post"),
    Row("guidance:comment_answer", {"comment_id": "comment.pk"}, only(editor=400), method="post"),
    Row("guidance:terminology_check", expected=only(editor=200), method="post"),
    Row("guidance:round_accept", {"round_id": "round.pk"}, only(panel_member=302), method="post"),
    Row("guidance:round_review", {"round_id": "round.pk"}, only(panel_member=200)),
    Row(
        "guidance:round_comment",
        {"round_id": "round.pk"},
        only(panel_member=400),  # an empty comment
        method="post",
    ),
    Row(
        "guidance:round_decline",
        {"round_id": "round.pk"},
        only(panel_member=302),
        method="post",
    ),
    Row("guidance:comment_detail", {"comment_id": "comment.pk"}, only(panel_member=200)),
    Row(
        "guidance:comment_follow_up",
        {"comment_id": "comment.pk"},
        only(panel_member=400),  # an empty follow-up
        method="post",
    ),
    # Panel ----------------------------------------------------------------------------------
    Row("panel:home", expected=only(panel_member=200, coordinator=302)),
    Row("panel:safety", expected=only(panel_member=200)),
    # Already given (the member persona gave every consent).
    Row("panel:consent_give", {"purpose": Lit("quote")}, only(panel_member=409), method="post"),
    Row(
        "panel:consent_withdraw",
        {"purpose": Lit("contact")},
        only(panel_member=302),
        method="post",
    ),
    Row("panel:pause", expected=only(panel_member=302), method="post"),
    Row("panel:resume", expected=only(panel_member=302), method="post"),
    Row("panel:leave", expected=only(panel_member=200)),
    Row("panel:assess", {"intervention_id": "intervention.pk"}, only(panel_member=200)),
    Row("panel:fees", expected=only(panel_member=200)),
    Row("panel:aftercare", expected=only(panel_member=200)),
    Row("panel:coordinator", expected=only(coordinator=200)),
    Row("panel:coordinator_member", {"member_id": "member.public_id"}, only(coordinator=200)),
    Row(
        "panel:coordinator_member_action",
        {"member_id": "member.public_id"},
        only(coordinator=400),  # nothing chosen to record
        method="post",
    ),
    Row("panel:consent_texts", expected=only(coordinator=200)),
]

# URL names that need no row, each with the reason.
EXEMPT_PREFIXES = {
    "admin:": "Django's admin (read-only, superusers only); admin:index stands for all of it "
    "and tests/core/test_security_escalation.py covers the rest",
}
