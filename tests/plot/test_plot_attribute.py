"""``myelin.plot`` is an attribute after ``import myelin``; matplotlib loads only when a
plot is drawn (checked in a fresh interpreter, where nothing imported it before)."""

import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[2] / "src")

PROGRAM = """
import sys
import myelin
assert "myelin.plot" not in sys.modules and "matplotlib" not in sys.modules
history = myelin.plot.history
assert "matplotlib" not in sys.modules, "reaching myelin.plot imported matplotlib"
figure = history({"loss": [1.0, 0.5]})
assert "matplotlib" in sys.modules and figure.axes
try:
    myelin.no_such_thing
except AttributeError as error:
    assert "no_such_thing" in str(error)
print("ok")
"""


def test_plot_is_an_attribute_and_matplotlib_loads_on_first_use():
    result = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                            env={"PYTHONPATH": SRC, "MPLBACKEND": "Agg", "PATH": ""},
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
