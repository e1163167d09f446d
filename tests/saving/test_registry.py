"""The allow-list registry: only registered, versioned names can be rebuilt."""

import pytest

from myelin.saving import registry
from myelin.saving.registry import (
    deserialize,
    get_registered_name,
    get_registered_object,
    register_serializable,
    serialize,
)


@register_serializable(package="test_registry")
class Scale:
    def __init__(self, factor=2.0, name=None):
        self.factor, self.name = factor, name

    def get_config(self):
        return {"factor": self.factor, "name": self.name}


@register_serializable(package="test_registry", name="built_from_config", version=2)
class FromConfig:
    def __init__(self, units):
        self.units = units

    def get_config(self):
        return {"size": self.units}

    @classmethod
    def from_config(cls, config):
        return cls(units=config["size"])


@register_serializable(package="test_registry")
def double(x):
    return 2 * x


def test_keys_are_package_name_and_version():
    assert get_registered_name(Scale) == "test_registry>Scale.v1"
    assert get_registered_name(Scale(3.0)) == "test_registry>Scale.v1"
    assert get_registered_name(FromConfig) == "test_registry>built_from_config.v2"
    assert get_registered_object("test_registry>double.v1") is double


def test_round_trip_through_get_config_and_from_config():
    spec = serialize(Scale(3.5, name="s"))
    assert spec == {"class_name": "test_registry>Scale.v1", "config": {"factor": 3.5, "name": "s"}}
    back = deserialize(spec)
    assert type(back) is Scale and back.factor == 3.5 and back.name == "s"
    assert deserialize(serialize(FromConfig(7))).units == 7
    assert deserialize(serialize(double)) is double
    assert serialize("relu") == "relu" and serialize(None) is None and deserialize(None) is None


@pytest.mark.parametrize("key", ["Evil.v1", "os.system", "test_registry>Scale.v9",
                                 "builtins>eval.v1", "subprocess.Popen"])
def test_unknown_names_are_refused(key):
    with pytest.raises(ValueError, match=f"unknown class name '{key}'.*register_serializable"):
        deserialize({"class_name": key, "config": {}})


@pytest.mark.parametrize("spec", [["Scale"], {"config": {}}, {"class_name": 3, "config": {}}])
def test_malformed_specs_are_refused(spec):
    with pytest.raises(ValueError, match="expected a dict with a string 'class_name'"):
        deserialize(spec)


def test_class_config_must_be_a_dict():
    with pytest.raises(ValueError, match="needs a dict config"):
        deserialize({"class_name": "test_registry>Scale.v1", "config": "rm -rf"})


def test_expected_type_is_enforced():
    with pytest.raises(ValueError, match="is not a FromConfig"):
        deserialize(serialize(Scale()), expected_type=FromConfig)


def test_custom_objects_by_bare_name_or_key():
    class Local:
        def __init__(self, a):
            self.a = a

    assert deserialize({"class_name": "Custom>Local.v1", "config": {"a": 1}},
                       custom_objects={"Local": Local}).a == 1
    assert deserialize({"class_name": "x>Y.v1", "config": {"a": 2}},
                       custom_objects={"x>Y.v1": Local}).a == 2


def test_plain_strings_are_left_for_the_consumer_to_resolve():
    assert deserialize("relu") == "relu"


def test_registration_errors():
    with pytest.raises(TypeError, match="no get_config"):
        register_serializable()(type("NoConfig", (), {}))
    with pytest.raises(ValueError, match="without '>'"):
        register_serializable(package="a>b")
    with pytest.raises(ValueError, match="already registered"):
        register_serializable(package="test_registry", name="Scale")(FromConfig)
    with pytest.raises(ValueError, match="is not registered"):
        serialize(object())


def test_reregistering_a_redefined_class_replaces_it():
    @register_serializable(package="test_registry", name="Redefined")
    class Thing:
        def get_config(self):
            return {}

    first = Thing

    @register_serializable(package="test_registry", name="Redefined")  # noqa: F811
    class Thing:  # a notebook re-running the cell
        def get_config(self):
            return {}

    assert get_registered_object("test_registry>Redefined.v1") is Thing is not first
    assert "test_registry>Redefined.v1" in registry.known_names()


def test_builtin_classes_have_versioned_names_per_module():
    from myelin import layers, losses, metrics, models, optimizers

    assert get_registered_name(layers.Dense) == "Dense.v1"
    assert get_registered_name(models.Sequential) == "Sequential.v1"
    assert get_registered_name(optimizers.Adam(learning_rate=0.1)) == "optimizers>Adam.v1"
    # losses and metrics both have a MeanSquaredError: the prefix keeps them apart
    assert get_registered_object("losses>MeanSquaredError.v1") is losses.MeanSquaredError
    assert get_registered_object("metrics>MeanSquaredError.v1") is metrics.MeanSquaredError
    adam = deserialize(serialize(optimizers.Adam(learning_rate=0.1, beta_1=0.8)))
    assert type(adam) is optimizers.Adam and adam.get_config()["beta_1"] == 0.8


