"""The per-request keyed hashes (``core.keyed_hashes``) are Django's ``salted_hmac``, digit for
digit, and follow a change of the secret key."""

import pytest
from django.utils import crypto
from pytest_django.fixtures import Settings

from xinsheng.core import keyed_hashes


@pytest.mark.parametrize("algorithm", ["sha1", "sha256"])
@pytest.mark.parametrize("value", ["", "T1\x00key-1", "井口澡堂没有热水", b"\x00\xff bytes"])
def test_the_digest_is_djangos(algorithm: str, value: str | bytes) -> None:
    for salt in ("xinsheng.cases.intake.idempotency.key", "another"):
        ours = keyed_hashes.salted_hmac(salt, value, algorithm=algorithm)
        theirs = crypto.salted_hmac(salt, value, algorithm=algorithm)
        assert ours.hexdigest() == theirs.hexdigest()
        assert ours.digest() == theirs.digest()
    # Each value its own copy: the kept one is never fed
    again = keyed_hashes.salted_hmac("another", value, algorithm=algorithm).hexdigest()
    assert again == crypto.salted_hmac("another", value, algorithm=algorithm).hexdigest()


def test_a_new_secret_key_gives_new_digests(settings: Settings) -> None:
    before = keyed_hashes.salted_hmac("salt", "value").hexdigest()
    settings.SECRET_KEY = "another secret key of fifty characters or more, for the test"
    after = keyed_hashes.salted_hmac("salt", "value").hexdigest()
    assert after != before
    assert after == crypto.salted_hmac("salt", "value").hexdigest()


def test_an_unknown_algorithm_is_refused_as_django_refuses_it() -> None:
    with pytest.raises(crypto.InvalidAlgorithm):
        keyed_hashes.salted_hmac("salt", "value", algorithm="nope")
