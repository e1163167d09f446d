"""``import myelin`` stays light: rarely used parts load on first use (PEP 562), and
every lazy name still works, is listed by dir() and found by the saving registry."""

import json
import subprocess
import sys

# Loaded only when used: the dataset loaders and the network stack they download
# with, the preprocessing and recurrent layers, plotting, and stdlib modules needed
# only for rare paths (process workers, CSV logs, error suggestions, HTML summaries).
LAZY = [
    "myelin.data.datasets", "myelin.layers.preprocessing", "myelin.layers.recurrent",
    "myelin.plot", "urllib.request", "http.client", "tqdm", "multiprocessing",
    "importlib.metadata", "difflib", "csv", "html",
]


def modules_after(code):
    program = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", program], capture_output=True,
                            text=True, check=True)
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_import_myelin_does_not_load_the_lazy_parts():
    loaded = modules_after("import myelin")
    assert "myelin.layers.core" in loaded  # the check itself sees myelin's modules
    assert sorted(set(LAZY) & loaded) == []


def test_lazy_names_load_on_first_use():
    loaded = modules_after(
        "import myelin as tf\n"
        "assert tf.keras.layers.LSTM is tf.layers.recurrent.LSTM\n"
        "from myelin.layers import TextVectorization\n"
        "from myelin.keras.datasets import imdb\n"
        "from myelin.datasets import mnist\n"
        "assert tf.datasets is tf.keras.datasets is tf.data.datasets\n"
        "assert tf.compat.v1.datasets.mnist is mnist\n"
        "assert {'LSTM', 'TextVectorization', 'GRU'} <= set(dir(tf.layers))\n"
        "assert 'datasets' in dir(tf) and 'datasets' in dir(tf.keras)\n")
    assert {"myelin.data.datasets.imdb", "myelin.layers.preprocessing"} <= loaded


def test_registry_finds_the_lazily_loaded_layers():
    loaded = modules_after(
        "from myelin.saving import registry\n"
        "names = registry.known_names()\n"
        "assert {'LSTM.v1', 'GRUCell.v1', 'TextVectorization.v1', 'StringLookup.v1',\n"
        "        'Bidirectional.v1', 'RandomFlip.v1'} <= set(names), names\n")
    assert "myelin.layers.recurrent.lstm" in loaded


def test_unknown_attribute_still_raises():
    modules_after(
        "import myelin\n"
        "for module in (myelin, myelin.layers, myelin.keras, myelin.data):\n"
        "    try:\n"
        "        module.NoSuchThing\n"
        "    except AttributeError as error:\n"
        "        assert 'NoSuchThing' in str(error)\n"
        "    else:\n"
        "        raise AssertionError(module)\n")
