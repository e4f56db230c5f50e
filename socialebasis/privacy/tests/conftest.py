"""Fixtures of these tests: the persona world of ``socialebasis.testing.privacy``."""

from socialebasis.testing.privacy import world  # noqa: F401
