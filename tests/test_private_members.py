"""`_private.PRIVATE_MEMBERS` names every private Keras / TensorFlow member
compat_layers relies on, with the signature it relies on: a compat_layers
class that overrides an unlisted private Keras member fails here, and so does
a Keras or TensorFlow release that drops or re-signs a listed one."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types
from typing import Any, Callable

import keras
import tensorflow as tf
from absl.testing import absltest

import compat_layers
from compat_layers import _private, _variable_store, utils

# An object that has each instance-only member (set in `__init__`).
_INSTANCES: dict[str, Callable[[], Any]] = {
    "keras.layers.Layer": lambda: keras.layers.Layer(),
    "keras.src.utils.tracking.Tracker": lambda: keras.layers.Layer()._tracker,
    "keras.Variable": lambda: keras.Variable(1.0),
    "tensorflow.python.ops.variable_scope._VariableScopeStore": (
        lambda: _private.resolve("tensorflow.python.ops.variable_scope").get_variable_scope_store()
    ),
    "tensorflow.python.util.module_wrapper.TFModuleWrapper": lambda: tf.compat.v1,
}

# What compat_layers puts in place of each member it patches or implements.
_REPLACEMENTS: dict[str, Callable[[], Any]] = {
    **{
        f"keras.src.backend.random.{name}": lambda name=name: utils._KERAS_RANDOM_AS_TF[name]
        for name in utils._KERAS_RANDOM_AS_TF
    },
    # A bound method: `self` is not among the parameters TensorFlow passes.
    "tensorflow.python.framework.random_seed.get_seed": (
        lambda: utils.DeterministicRandomTestTool()._next_seed
    ),
    "tensorflow.python.ops.variable_scope._VariableStore.get_variable": (
        lambda: _variable_store.TrackingStore.get_variable
    ),
}


def _parameters(function: Any) -> tuple[str, ...]:
    return tuple(inspect.signature(function).parameters)


def _compat_layers_classes() -> list[type]:
    """Every class defined in a compat_layers module."""
    modules = [compat_layers] + [
        importlib.import_module(f"compat_layers.{info.name}")
        for info in pkgutil.iter_modules(compat_layers.__path__)
    ]
    return [
        value
        for module in modules
        for value in vars(module).values()
        if inspect.isclass(value) and value.__module__ == module.__name__
    ]


def _is_foreign(klass: type) -> bool:
    return klass.__module__.split(".")[0] in {"keras", "tensorflow"}


def private_overrides(classes: list[type]) -> list[tuple[type, str, type]]:
    """`(class, name, Keras class)` for each underscore member a class defines
    itself that a Keras / TensorFlow class in its MRO defines too."""
    found = []
    for klass in classes:
        for name in vars(klass):
            if not name.startswith("_") or (name.startswith("__") and name.endswith("__")):
                continue
            owner = next(
                (base for base in klass.__mro__[1:] if _is_foreign(base) and name in vars(base)),
                None,
            )
            if owner is not None:
                found.append((klass, name, owner))
    return found


class PrivateMembersTest(absltest.TestCase):
    def test_every_private_keras_override_is_listed_with_its_signature(self):
        listed = {
            (_private.resolve(member.owner), member.name): member
            for member in _private.PRIVATE_MEMBERS
            if member.use == "overrides"
        }
        overrides = private_overrides(_compat_layers_classes())
        self.assertNotEmpty(overrides)
        for klass, name, owner in overrides:
            where = f"{klass.__module__}.{klass.__qualname__}.{name} overrides {owner.__qualname__}'s"
            member = next(
                (listed[(base, name)] for base in owner.__mro__ if (base, name) in listed), None
            )
            self.assertIsNotNone(
                member, f"{where}, which compat_layers._private.PRIVATE_MEMBERS does not name"
            )
            self.assertEqual(_parameters(vars(klass)[name]), member.parameters, where)

    def test_every_listed_override_is_overridden(self):
        overridden = {(owner, name) for _, name, owner in private_overrides(_compat_layers_classes())}
        for member in _private.PRIVATE_MEMBERS:
            if member.use == "overrides":
                owner = _private.resolve(member.owner)
                self.assertTrue(
                    any((base, member.name) in overridden for base in owner.__mro__), member.path
                )

    def test_every_listed_member_still_exists_with_its_signature(self):
        for member in _private.PRIVATE_MEMBERS:
            with self.subTest(member.path):
                owner = _private.resolve(member.owner)
                if member.on_instance:
                    owner = _INSTANCES[member.owner]()
                if isinstance(owner, types.ModuleType) and not hasattr(owner, member.name):
                    found = importlib.import_module(member.path)  # an unimported submodule
                else:
                    self.assertTrue(hasattr(owner, member.name), member.path)
                    found = getattr(owner, member.name)
                if member.parameters is None:
                    self.assertFalse(
                        inspect.isfunction(found) or inspect.ismethod(found), member.path
                    )
                else:
                    self.assertEqual(_parameters(found), member.parameters, member.path)

    def test_every_replacement_takes_the_listed_parameters(self):
        replaced = {
            member.path: member
            for member in _private.PRIVATE_MEMBERS
            if member.use in ("patches", "implements") and member.parameters is not None
        }
        self.assertEqual(set(replaced), set(_REPLACEMENTS))
        for path, replacement in _REPLACEMENTS.items():
            expected = replaced[path].parameters
            if inspect.ismethod(replacement()):
                expected = expected[1:] if expected[:1] == ("self",) else expected
            self.assertEqual(_parameters(replacement()), expected, path)

    def test_helpers_use_the_listed_objects(self):
        self.assertIs(_private.tf_random_seed_module,
                      _private.resolve("tensorflow.python.framework.random_seed"))
        self.assertIs(_private.keras_random_backend, _private.resolve("keras.src.backend.random"))
        self.assertIs(_private.PartitionedVariable,
                      _private.resolve("tensorflow.python.ops.variables.PartitionedVariable"))
        self.assertIs(_private.keras_path_scope,
                      _private.resolve("keras.src.backend.common.name_scope.name_scope"))

    def test_an_unlisted_override_is_found(self):
        class Probe(compat_layers.Dense):
            def _clear_losses(self):  # a private Keras name, unlisted
                pass

            def _own_helper(self):  # not Keras's
                pass

        self.assertEqual(
            [(name, owner.__name__) for _, name, owner in private_overrides([Probe])],
            [("_clear_losses", "Layer")],
        )


if __name__ == "__main__":
    absltest.main()
