"""``from myelin.examples.tutorials.mnist import input_data`` (TF 1's tutorial reader)."""
