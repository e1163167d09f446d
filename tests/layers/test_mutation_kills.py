"""Layer behaviour that the mutation run (tools/mutation_sample.py) found untested."""

import pytest

import myelin as tf
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


def test_dot_refuses_an_axis_past_the_second_inputs_rank():
    dot = tf.keras.layers.Dot(axes=(1, 2), name="dot")
    with pytest.raises(ValueError, match=r"Dot layer .dot.: axes \[1, 2\] do not fit "
                                         r"inputs of shapes \(None, 3\) and \(None, 3\)"):
        dot.compute_output_shape([(None, 3), (None, 3)])
