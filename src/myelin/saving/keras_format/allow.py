"""The allow-list between Keras 3 serialized objects and myelin classes.

A Keras file names each object by ``module`` + ``class_name``; only the pairs listed
here are accepted, each mapped explicitly to a myelin class. Nothing from a file is
ever imported: an unknown module, a ``Lambda``, a function config or a custom object
(``registered_name`` like ``"my_package>MyLayer"``) is refused with its name.
"""

from __future__ import annotations

from ..archive import UnsafeFileError

# Layer classes myelin and Keras 3 share under the same name and config keys.
LAYERS = frozenset("""
    InputLayer Dense Dropout Flatten Reshape Permute RepeatVector Activation Rescaling
    Conv1D Conv2D Conv2DTranspose DepthwiseConv2D SeparableConv2D
    MaxPooling1D MaxPooling2D AveragePooling1D AveragePooling2D
    GlobalAveragePooling1D GlobalAveragePooling2D GlobalMaxPooling1D GlobalMaxPooling2D
    BatchNormalization LayerNormalization Embedding Masking
    Concatenate Add Subtract Multiply Average Maximum Minimum
    ReLU LeakyReLU ELU Softmax PReLU GaussianNoise ActivityRegularization
    ZeroPadding1D ZeroPadding2D Cropping1D Cropping2D UpSampling1D UpSampling2D
    SpatialDropout1D SpatialDropout2D SimpleRNN LSTM GRU
""".split())
# Keys myelin's config has but Keras's constructor of that class refuses (Keras's own
# get_config leaves them out), dropped when writing.
KERAS_REJECTS = {"SpatialDropout1D": {"trainable"}, "SpatialDropout2D": {"trainable"}}
# Layers holding a cell whose weights Keras stores in a "cell" subgroup.
RECURRENT = frozenset({"SimpleRNN", "LSTM", "GRU"})
INITIALIZERS = frozenset("""
    Zeros Ones Constant RandomNormal RandomUniform TruncatedNormal GlorotUniform
    GlorotNormal HeUniform HeNormal LecunUniform LecunNormal Orthogonal Identity
    VarianceScaling
""".split())
REGULARIZERS = frozenset({"L1", "L2", "L1L2", "OrthogonalRegularizer"})
CONSTRAINTS = frozenset({"MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm"})
OPTIMIZERS = frozenset({"SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax",
                        "Nadam"})

# Keras module -> the class names accepted from it.
MODULES = {
    "keras.layers": LAYERS,
    "keras.initializers": INITIALIZERS,
    "keras.regularizers": REGULARIZERS,
    "keras.constraints": CONSTRAINTS,
    "keras.optimizers": OPTIMIZERS,
}
SEQUENTIAL_MODULES = frozenset({"keras", "keras.models", "keras.src.models.sequential"})
FUNCTIONAL_MODULES = frozenset({"keras", "keras.models", "keras.src.models.functional"})

# Keras config keys myelin does not take that only matter when they hold these values
# (features myelin lacks, such as quantization or ragged inputs, switched off) or that
# only steer the initial weights, which the file's weights replace.
DROPPABLE = {"quantization_config": None, "lora_rank": None, "lora_alpha": None,
             "sparse": False, "ragged": False, "optional": False, "input_axes": None,
             "output_axes": None, "shared_object_id": "any", "unit_forget_bias": "any",
             "seed": "any", "synchronized": False, "renorm": False, "renorm_clipping": None,
             "renorm_momentum": "any", "rms_scaling": False}


def check_object(spec: dict, where: str, expected: str) -> str:
    """Validate a serialized Keras object and return its class name.

    Args:
        spec: ``{"module", "class_name", "config", "registered_name"}``.
        where: How to name the file in errors.
        expected: Which module's classes are allowed here (a key of ``MODULES``).

    Returns:
        The class name, known to be on the allow-list.

    Raises:
        UnsafeFileError: For Lambda, custom objects, functions and unknown classes.
    """
    if not isinstance(spec, dict):
        raise UnsafeFileError(f"{where}: expected a serialized object, found {spec!r:.60}.")
    name = spec.get("class_name")
    module = spec.get("module", expected)
    registered = spec.get("registered_name")
    if name in ("Lambda", "__lambda__", "function") or "__lambda__" in str(spec)[:100_000]:
        raise UnsafeFileError(
            f"{where} contains a {name!r} object: it holds Python code, which myelin never "
            "runs. Replace the Lambda with built-in layers, or save it as .myelin.")
    if registered not in (None, name) or (isinstance(registered, str) and ">" in registered):
        raise UnsafeFileError(
            f"{where} contains the custom object {registered!r} (class {name!r}); myelin loads "
            "only Keras's built-in classes from .keras files, never custom code.")
    if module not in MODULES or name not in MODULES[module] or module != expected:
        raise UnsafeFileError(
            f"{where} names the class {name!r} from module {module!r}, which is not on "
            f"myelin's allow-list of Keras classes for {expected}. Only built-in layers "
            "myelin implements can be loaded from .keras files.")
    return name


def myelin_class(kind: str, name: str, where: str):
    """The myelin class for an allow-listed Keras class (``kind``: a ``MODULES`` key)."""
    import myelin

    namespace = {"keras.layers": myelin.layers, "keras.initializers": myelin.initializers,
                 "keras.regularizers": myelin.regularizers,
                 "keras.constraints": myelin.constraints,
                 "keras.optimizers": myelin.optimizers}[kind]
    cls = getattr(namespace, name, None)
    if cls is None:
        raise UnsafeFileError(f"{where} uses Keras's {name} ({kind}), which this myelin "
                              "does not implement.")
    return cls
