"""Layer behaviour that the mutation run (tools/mutation_sample.py) found untested."""

import pytest

from myelin.layers.preprocessing.hashing_fn import fingerprint64


@pytest.mark.parametrize("n, expected", [
    (20, 9055401396212531348),  # 17-32 bytes
    (40, 12941229458084698938),  # 33-64 bytes
    (200, 7886090686657605591),  # three 64-byte blocks: the loop's state carries over
])
def test_fingerprint64_of_longer_strings_matches_farmhash(n, expected):
    # Reference: FarmHash's Fingerprint64 (the C++ library behind
    # tf.strings.to_hash_bucket_fast), computed with the pyfarmhash bindings.
    data = bytes((i * 7 + 3) % 256 for i in range(n))
    assert fingerprint64(data) == expected
