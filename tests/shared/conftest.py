"""Fake delivery servers for the shared library's notification tests."""

from tests.support.fake_notify import fake_notify  # noqa: F401 - a fixture
from tests.support.fake_smtp import fake_smtp  # noqa: F401 - a fixture
