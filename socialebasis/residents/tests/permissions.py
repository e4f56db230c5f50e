"""The residents app's rows of the permission matrix (``testing.permission_matrix`` collects
them): the resident's own pages (``/mijn-gegevens/``) and the professional's file pages
(``/dossiers/``). Rendered into docs/privacy.md by scripts/render_permission_matrix.py."""

from socialebasis.testing.permission_matrix import (
    FILES,
    HER_FILE,
    NOT_FOUND,
    OK,
    OWN,
    OWN_FILE,
    PUBLIC,
    TO_LOGIN,
    Entry,
    row,
)

MATRIX = {
    # -------------------------------------------------------- the resident's own pages
    "mydata:overview": Entry(OWN_FILE, group=OWN),
    "mydata:account": Entry(
        OWN_FILE,
        post=OWN_FILE,
        note="own account details (rectification); empty form: errors shown (200); "
        "shares the form limit (429)",
        group=OWN,
    ),
    "mydata:consents": Entry(OWN_FILE, post=OWN_FILE, note="own consents only", group=OWN),
    "mydata:who_looked": Entry(OWN_FILE, note="who opened my file (audit)", group=OWN),
    "mydata:download_json": Entry(OWN_FILE, note="export, audited", group=OWN),
    "mydata:download_html": Entry(OWN_FILE, note="export, audited", group=OWN),
    "mydata:erase": Entry(
        OWN_FILE, post=OWN_FILE, note="empty form: nothing erased (200)", group=OWN
    ),
    "mydata:erased": Entry(PUBLIC, note="after erasure (no personal data)", group=OWN),
    # -------------------------------------------------------- professionals
    "residents:list": Entry(
        row(NOT_FOUND, anonymous=TO_LOGIN, professionals=OK),
        note="names of only the files the user may open (empty for most roles)",
        group=FILES,
    ),
    "residents:detail": Entry(
        HER_FILE, note="every opening by a professional is audited", group=FILES
    ),
    "residents:edit": Entry(
        row(NOT_FOUND, anonymous=TO_LOGIN, own_team=OK, privacy_officer=OK),
        post=row(NOT_FOUND, anonymous=TO_LOGIN, own_team=OK, privacy_officer=OK),
        note="correction of the file by whoever may open it as a professional (not the "
        "resident herself), audited with the changed field names; empty form: errors (200)",
        group=FILES,
    ),
    "residents:consent": Entry(
        row(NOT_FOUND, anonymous=TO_LOGIN, privacy_officer=OK),
        post=row(NOT_FOUND, anonymous=TO_LOGIN, privacy_officer=OK),
        note="consent on the resident's behalf, with a reason",
        group=FILES,
    ),
    "residents:export": Entry(
        row(NOT_FOUND, anonymous=TO_LOGIN, privacy_officer=OK),
        note="access request handled by the privacy officer: the full export, audited",
        group=FILES,
    ),
    "residents:erase": Entry(
        row(NOT_FOUND, anonymous=TO_LOGIN, privacy_officer=OK),
        post=row(NOT_FOUND, anonymous=TO_LOGIN, privacy_officer=OK),
        note="erasure by the privacy officer, with a reason; empty form: nothing erased (200)",
        group=FILES,
    ),
}
