"""The privacy app's rows of the permission matrix: the privacy officer's audit viewer."""

from socialebasis.testing.permission_matrix import NOT_FOUND, OK, PRIVACY, TO_LOGIN, Entry, row

MATRIX = {
    "privacy:audit": Entry(
        row(NOT_FOUND, anonymous=TO_LOGIN, privacy_officer=OK),
        note="audit viewer: own municipality only",
        group=PRIVACY,
    ),
    "privacy:audit_csv": Entry(
        row(NOT_FOUND, anonymous=TO_LOGIN, privacy_officer=OK),
        note="CSV export, audited",
        group=PRIVACY,
    ),
}
