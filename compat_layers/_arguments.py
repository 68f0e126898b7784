"""TF1's argument handling, shared by the v1 base and every layer family.

* `normalize_*`: constructor arguments as TF1 read them, with TF1's messages;
* `check_constructor_keywords`, `check_activation`: TF1's errors for an
  unknown keyword (naming the nearest valid one) and an unknown activation;
* `keras_initializer`: TF1's default initializers as Keras 3's;
* `functional_interface`: the whole of a TF1 functional wrapper
  (`conv2d(inputs, ...)`) but its signature and docstring.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import warnings
from typing import Any, Callable, Iterable

import keras
import tensorflow as tf

from compat_layers import _private, _variable_store

__all__ = [
    "check_activation",
    "check_constructor_keywords",
    "functional_interface",
    "keras_initializer",
    "normalize_data_format",
    "normalize_filters",
    "normalize_padding",
    "normalize_tuple",
]

# Keywords every Keras 3 layer takes through `**kwargs` without naming them in a
# signature (`keras.layers.Layer.__init__` pops them).
_KERAS_IMPLICIT_KEYWORDS = frozenset({"input_dim", "input_shape"})
# TF1's private constructor keywords: the functional wrappers pass them.
_V1_PRIVATE_KEYWORDS = frozenset({"_scope", "_reuse"})
# A functional wrapper's own arguments: the rest are the layer's.
_WRAPPER_ARGUMENTS = frozenset({"inputs", "name", "reuse"})


# ---------------------------------------------------------------- arguments
def normalize_padding(padding: Any) -> Any:
    """Lower-cases `padding` and rejects what TF1 rejected, with TF1's message."""
    if isinstance(padding, (list, tuple)):
        return padding
    normalized = padding.lower()
    if normalized not in {"valid", "same", "causal"}:
        raise ValueError(
            "The `padding` argument must be a list/tuple or one of "
            '"valid", "same" (or "causal", only for `Conv1D). '
            f"Received: {normalized}"
        )
    return normalized


def normalize_data_format(data_format: str | None) -> str:
    """TF1 layers default to `channels_last`, whatever Keras's global setting."""
    normalized = (data_format or "channels_last").lower()
    if normalized not in {"channels_first", "channels_last"}:
        raise ValueError(
            'The `data_format` argument must be one of "channels_first", '
            f'"channels_last". Received: {data_format}'
        )
    return normalized


def normalize_filters(filters: Any) -> Any:
    """TF1 cast a float `filters` to int (`2.0` -> 2) and rejected `filters <= 0`.

    A `Dimension` (`x.get_shape()[-1]` under v1 shapes) worked as a number in
    TF1; Keras 3 needs its int.
    """
    if isinstance(filters, (float, tf.compat.v1.Dimension)):
        filters = tf.compat.dimension_value(filters)
        filters = None if filters is None else int(filters)
    if filters is not None and filters <= 0:
        raise ValueError(
            "Invalid value for argument `filters`. Expected a strictly positive "
            f"value. Received filters={filters}."
        )
    return filters


def normalize_tuple(value: Any, n: int, name: str, allow_zero: bool = False) -> tuple:
    """`3` -> `(3,) * n`; TF1's messages for a wrong length, type or sign.

    Keras 3's `standardize_tuple` does the same with other wording.
    """
    message = f"The `{name}` argument must be a tuple of {n} integers. Received: {value}"
    if isinstance(value, int):
        values = (value,) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(message) from None
        if len(values) != n:
            raise ValueError(message)
        for element in values:
            try:
                int(element)
            except (ValueError, TypeError):
                # TF1's wording, down to the missing space.
                raise ValueError(
                    f"{message}including element {element} of type {type(element)}"
                ) from None
        # TF1 kept the elements as given; a `Dimension` worked as its int
        # there, which Keras 3 needs.
        values = tuple(
            tf.compat.dimension_value(e) if isinstance(e, tf.compat.v1.Dimension) else e
            for e in values
        )
    if allow_zero:
        unqualified, requirement = {v for v in values if v < 0}, ">= 0"
    else:
        unqualified, requirement = {v for v in values if v <= 0}, "> 0"
    if unqualified:
        raise ValueError(
            f"{message} including {unqualified} that does not satisfy the "
            f"requirement `{requirement}`."
        )
    return values


def keras_initializer(initializer: Any) -> Any:
    """TF1's `zeros_initializer()` / `ones_initializer()` (the usual bias and
    scale defaults) as Keras 3's `Zeros` / `Ones`.

    Both give the same values; only Keras's can be written to and read back
    from a `.keras` file (Keras 3 cannot deserialize TF1 initializer objects).
    """
    if isinstance(initializer, tf.compat.v1.zeros_initializer):
        return keras.initializers.Zeros()
    if isinstance(initializer, tf.compat.v1.ones_initializer):
        return keras.initializers.Ones()
    return initializer


def check_activation(activation: Any) -> None:
    """TF1's errors for an activation Keras cannot resolve (Keras 3 words
    both as `ValueError: Could not interpret ...`)."""
    if activation is None or callable(activation) or isinstance(activation, dict):
        return
    if not isinstance(activation, str):
        raise TypeError(f"Could not interpret activation function identifier: {activation}")
    try:
        keras.activations.get(activation)
    except ValueError:
        if not _private.tf2_behavior_enabled():
            # Under `disable_v2_behavior()` TF1 took Keras's legacy path.
            raise ValueError(
                f"Unknown activation function: {activation!r}. Please ensure you are "
                "using a `keras.utils.custom_object_scope` and that this object is "
                "included in the scope. See https://www.tensorflow.org/guide/keras/"
                "save_and_serialize#registering_the_custom_object for details."
            ) from None
        raise ValueError(
            f"Unknown activation function {activation!r} cannot be deserialized."
        ) from None


# ----------------------------------------------------------------- keywords
def _suggestion(keyword: str, valid: Iterable[str]) -> str:
    public = sorted(name for name in valid if not name.startswith("_"))
    matches = difflib.get_close_matches(keyword, public, n=1)
    return f" Did you mean {matches[0]!r}?" if matches else ""


@functools.lru_cache(maxsize=None)
def _constructor_keywords(cls: type) -> frozenset[str]:
    names = set(_KERAS_IMPLICIT_KEYWORDS | _V1_PRIVATE_KEYWORDS)
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass is object:
            continue
        names.update(_named_parameters(init))
    names.discard("self")
    return frozenset(names)


def _named_parameters(fn: Callable[..., Any]) -> list[str]:
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return [p.name for p in inspect.signature(fn).parameters.values() if p.kind in kinds]


def check_constructor_keywords(cls: type, kwargs: dict[str, Any]) -> None:
    """Raises TF1's `TypeError` for a keyword no class of `cls`'s MRO takes.

    Raises:
      TypeError: naming the keyword and the nearest valid one.
    """
    valid = _constructor_keywords(cls)
    for keyword in kwargs:
        if keyword not in valid:
            raise TypeError(
                f"Keyword argument not understood: {keyword!r}."
                + _suggestion(keyword, valid)
            )


# ------------------------------------------------------- functional wrappers
def functional_interface(
    layer_class: type[keras.layers.Layer],
    *,
    advice: str = "Please use `tf.keras.layers.{layer}` instead.",
    call_arguments: tuple[str, ...] = (),
    pin_scope: bool = True,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Makes a function with TF1's signature and docstring (and no body) the
    TF1 functional wrapper of `layer_class`.

    A call warns that `tf.layers.<function>` is deprecated, builds
    `layer_class` from every argument but `inputs`, `name`, `reuse` and
    `call_arguments`, and calls it on `inputs` with `call_arguments`. As in
    TF1, the layer is named `name` and reuses variables by `reuse`.

    Args:
      layer_class: The layer the wrapper builds. Every other parameter of the
        decorated function must be one of its constructor keywords.
      advice: The deprecation warning's second sentence, which TF1 worded per
        layer family; `{layer}` stands for `layer_class`'s name.
      call_arguments: Parameters that go to the layer's call, not its
        constructor (`dropout`'s `training`).
      pin_scope: `False` for TF1's wrappers of weightless layers (pooling,
        `dropout`, `flatten`): they did not fix the variable scope to `name`,
        so repeated names take `name_1`, ... like layer objects (and later
        default names count on).

    Returns:
      A decorator. The wrapper it makes keeps the function's signature and
      docstring (`inspect.signature`, `help()`), and raises `TypeError` for an
      unknown keyword, naming the nearest valid one.

    Raises:
      TypeError: at decoration, for a parameter `layer_class` does not take.
    """

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(fn)
        valid = frozenset(_named_parameters(fn))
        layer_arguments = [
            name
            for name in signature.parameters
            if name not in _WRAPPER_ARGUMENTS and name not in call_arguments
        ]
        unknown = set(layer_arguments) - _constructor_keywords(layer_class)
        if unknown:
            raise TypeError(
                f"{fn.__name__}() has parameters {layer_class.__name__} does not "
                f"take: {sorted(unknown)}"
            )
        message = (
            f"`tf.layers.{fn.__name__}` is deprecated and will be removed in a "
            f"future version. {advice.format(layer=layer_class.__name__)}"
        )

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for keyword in kwargs:
                if keyword not in valid:
                    raise TypeError(
                        f"{fn.__name__}() got an unexpected keyword argument "
                        f"{keyword!r}." + _suggestion(keyword, valid)
                    )
            # The body-less function binds first: a missing or repeated
            # argument raises Python's own TypeError, as TF1's wrappers did.
            fn(*args, **kwargs)
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            arguments = bound.arguments
            warnings.warn(message, UserWarning, stacklevel=3)  # user code -> do_not_convert -> here
            name, inputs, reuse = arguments["name"], arguments["inputs"], arguments.get("reuse")
            constructor = {argument: arguments[argument] for argument in layer_arguments}
            call = {argument: arguments[argument] for argument in call_arguments}
            # A site's layer is reused only when `reuse` is the same too.
            made_with = {**constructor, "reuse": reuse}
            store = _variable_store.current()
            site = None if store is None else store.functional_site(layer_class, name, inputs)
            layer = None if site is None else store.functional_layer(site, made_with)
            if layer is not None:
                return layer(inputs, **call)
            layer = layer_class(name=name, _reuse=reuse, _scope=name if pin_scope else None, **constructor)
            outputs = layer(inputs, **call)
            if site is not None:
                store.keep_functional_layer(site, made_with, layer)
            return outputs

        # TF1's wrappers lived in TensorFlow, which autograph never converts: a
        # call inside tf.function then fails with the same Python error as in TF1.
        return tf.autograph.experimental.do_not_convert(wrapper)

    return decorate
