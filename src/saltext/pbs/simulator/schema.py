"""Parameter schemas and PBS's parameter verification, with PBS's wording.

Mirrors proxmox-schema: JSON bodies are typed strictly (``verify_json``: a JSON boolean for
a boolean, a JSON integer for an integer, ``null`` is a value of the wrong type, arrays
must be arrays); form-encoded requests are parsed from strings
(``parse_parameter_strings``: ``1/0/yes/no/on/off/true/false``, repeated keys for arrays,
``duplicate parameter.``). The texts differ between the two modes exactly where PBS's do
(``property is missing and it is not optional`` vs ``parameter is missing and it is not
optional.``, trailing period on additional properties in form mode, array item errors
under ``'name/[i]'`` in JSON mode and under the bare name in form mode).
"""

import dataclasses
import re
from typing import Any
from typing import Callable

from saltext.pbs.simulator import calendar
from saltext.pbs.simulator import values
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.errors import ParamError

_INT_RE = re.compile(r"^[+-]?[0-9]+$")
I64_MIN, I64_MAX = -(2**63), 2**63 - 1


@dataclasses.dataclass(frozen=True)
class Param:
    """One parameter (or property-string key, or array item) schema.

    ``type``: string, integer, boolean, number, array, object.
    ``fmt``: ``callable(str) -> None | reason`` for strings (calendar events, ...).
    ``properties``: sub-schema of an object, or of a property string when ``type`` is
    string (then ``default_key`` names the key a bare value belongs to).
    ``create_only`` and ``secret`` are metadata for collections (not used in parsing).
    """

    type: str = "string"
    required: bool = False
    enum: tuple = None
    pattern: Any = None
    minimum: Any = None
    maximum: Any = None
    min_length: int = None
    max_length: int = None
    items: "Param" = None
    fmt: Callable = None
    properties: dict = None
    default_key: str = None
    additional: bool = False
    default: Any = None
    description: str = ""

    def req(self):
        """The same schema, required."""
        return dataclasses.replace(self, required=True)

    def opt(self):
        return dataclasses.replace(self, required=False)

    def but(self, **changes):
        return dataclasses.replace(self, **changes)


def string(**kw):
    if isinstance(kw.get("pattern"), str):
        kw["pattern"] = re.compile(kw["pattern"])
    if kw.get("enum") is not None:
        kw["enum"] = tuple(kw["enum"])
    return Param("string", **kw)


def integer(**kw):
    return Param("integer", **kw)


def number(**kw):
    return Param("number", **kw)


def boolean(**kw):
    return Param("boolean", **kw)


def array(items, **kw):
    return Param("array", items=items, **kw)


def obj(properties, **kw):
    return Param("object", properties=dict(properties), **kw)


def enum(*choices, **kw):
    return string(enum=choices, **kw)


def prop_string(properties, default_key=None, **kw):
    """A string parameter whose value is a property string with the given keys."""
    return Param("string", properties=dict(properties), default_key=default_key, **kw)


# --- common PBS schemas ------------------------------------------------------------------


def safe_id(min_length=3, max_length=32, **kw):
    return string(pattern=values.SAFE_ID_RE, min_length=min_length, max_length=max_length, **kw)


COMMENT = string(pattern=values.SINGLE_LINE_COMMENT_RE, max_length=128)
DIGEST = string(pattern=values.DIGEST_RE)
USERID = string(pattern=values.USERID_RE, min_length=3, max_length=64)
AUTHID = string(pattern=values.AUTHID_RE, min_length=3, max_length=64)
TOKEN_NAME = string(pattern=values.TOKEN_NAME_RE)
NODE = string(pattern=values.HOSTNAME_RE)
UPID = string(pattern=values.UPID_RE, min_length=36)
FINGERPRINT = string(pattern=values.FINGERPRINT_RE)
NAMESPACE = string(pattern=values.NAMESPACE_RE, max_length=256)
ACL_PATH = string(pattern=values.ACL_PATH_RE, min_length=1, max_length=128)
CALENDAR_EVENT = string(fmt=calendar.check_calendar_event)
DAILY_DURATION = string(fmt=calendar.check_daily_duration)
HUMAN_BYTE = string(fmt=values.check_human_byte, min_length=1, max_length=64)
EMAIL = string(pattern=values.SINGLE_LINE_COMMENT_RE, min_length=2, max_length=64)


# --- verification ------------------------------------------------------------------------


class _Nested(Exception):
    """A list of ``(path, message)`` errors below one value (ParameterError in PBS)."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def _format_nested(errors):
    if len(errors) == 1:
        return f"parameter verification failed - '{errors[0][0]}': {errors[0][1]}"
    return "parameter verification failed:\n" + "\n".join(f"- '{n}': {m}" for n, m in errors)


def _fmt_num(value):
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def _check_range(p, value):
    if p.minimum is not None and value < p.minimum:
        raise ValueError(
            f"value must have a minimum value of {_fmt_num(p.minimum)} (got {_fmt_num(value)})"
        )
    if p.maximum is not None and value > p.maximum:
        raise ValueError(
            f"value must have a maximum value of {_fmt_num(p.maximum)} (got {_fmt_num(value)})"
        )


def _check_string(p, value):
    """StringSchema::check_constraints. Raises ValueError or _Nested (property strings)."""
    length = len(value)
    if p.min_length is not None and length < p.min_length:
        raise ValueError(f"value must be at least {p.min_length} characters long")
    if p.max_length is not None and length > p.max_length:
        raise ValueError(f"value may only be {p.max_length} characters long")
    if p.pattern is not None and not p.pattern.search(value):
        raise ValueError("value does not match the regex pattern")
    if p.enum is not None and value not in p.enum:
        raise ValueError(f"value '{value}' is not defined in the enumeration.")
    if p.properties is not None:
        _check_property_string(p, value)
    if p.fmt is not None:
        reason = p.fmt(value)
        if reason:
            raise ValueError(reason)


def _check_property_string(p, text):
    try:
        pairs = list(values.iter_property_string(text))
    except ValueError as exc:
        raise ValueError(str(exc)) from None
    errors = []
    seen = set()
    for key, value in pairs:
        if key is None:
            if p.default_key is None:
                raise ValueError(
                    f"Value '{value}' without key, but schema does not define a default key."
                )
            key = p.default_key
        sub = p.properties.get(key)
        if key in seen:
            errors.append((key, "duplicate key"))
        seen.add(key)
        if sub is None:
            errors.append((key, "schema does not allow additional properties"))
            continue
        try:
            _parse_simple(sub, value)
        except _Nested as exc:
            errors.extend((f"{key}/{n}", m) for n, m in exc.errors)
        except ValueError as exc:
            errors.append((key, str(exc)))
    for key, sub in sorted(p.properties.items()):
        if sub.required and key not in seen:
            errors.append((key, "property is missing and it is not optional"))
    if errors:
        raise _Nested(errors)


def parse_boolean(text):
    low = text.lower()
    if low in ("1", "on", "yes", "true"):
        return True
    if low in ("0", "off", "no", "false"):
        return False
    raise ValueError("Unable to parse boolean option.")


def _parse_int_text(text):
    if text == "":
        raise ValueError("cannot parse integer from empty string")
    if not _INT_RE.match(text):
        raise ValueError("invalid digit found in string")
    value = int(text)
    if value > I64_MAX:
        raise ValueError("number too large to fit in target type")
    if value < I64_MIN:
        raise ValueError("number too small to fit in target type")
    return value


def _parse_simple(p, text):
    """Schema::parse_simple_value: a string from a form/query/path/property string."""
    if p.type == "boolean":
        return parse_boolean(text)
    if p.type == "integer":
        value = _parse_int_text(text)
        _check_range(p, value)
        return value
    if p.type == "number":
        if text == "":
            raise ValueError("cannot parse float from empty string")
        try:
            value = float(text)
        except ValueError:
            raise ValueError("invalid float literal") from None
        if text.strip() != text or "_" in text:
            raise ValueError("invalid float literal")
        _check_range(p, value)
        return value
    if p.type == "string":
        _check_string(p, text)
        return text
    raise ValueError("unable to parse complex (sub) objects.")


def _verify_json(p, value):
    """Schema::verify_json. Returns the value; raises ValueError or _Nested."""
    if p.type == "boolean":
        if not isinstance(value, bool):
            raise ValueError("Expected boolean value.")
        return value
    if p.type == "integer":
        if isinstance(value, bool) or not isinstance(value, int) or not I64_MIN <= value <= I64_MAX:
            raise ValueError("Expected integer value.")
        _check_range(p, value)
        return value
    if p.type == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError("Expected number value.")
        _check_range(p, value)
        return value
    if p.type == "string":
        if not isinstance(value, str):
            raise ValueError("Expected string value.")
        _check_string(p, value)
        return value
    if p.type == "array":
        if isinstance(value, dict):
            raise ValueError("Expected array - got object.")
        if not isinstance(value, list):
            raise ValueError("Expected array - got scalar value.")
        if p.min_length is not None and len(value) < p.min_length:
            raise ValueError(f"array must contain at least {p.min_length} elements")
        if p.max_length is not None and len(value) > p.max_length:
            raise ValueError(f"array may only contain {p.max_length} elements")
        for index, item in enumerate(value):
            try:
                _verify_json(p.items, item)
            except _Nested as exc:
                # PBS's param_bail!: the first bad item only, nested text in the message
                raise _Nested([(f"[{index}]", _format_nested(exc.errors))]) from None
            except ValueError as exc:
                raise _Nested([(f"[{index}]", str(exc))]) from None
        return list(value)
    if p.type == "object":
        if isinstance(value, list):
            raise ValueError("Expected object - got array.")
        if not isinstance(value, dict):
            raise ValueError("Expected object - got scalar value.")
        errors = _verify_object(p.properties or {}, p.additional, value)
        if errors:
            raise _Nested(errors)
        return dict(value)
    raise ValueError(f"unsupported schema type {p.type}")


def _verify_object(properties, additional, data):
    errors = []
    # serde_json's map is ordered by key, so PBS reports errors in key order
    for key in sorted(data):
        sub = properties.get(key)
        if sub is None:
            if not additional:
                errors.append((key, "schema does not allow additional properties"))
            continue
        try:
            _verify_json(sub, data[key])
        except _Nested as exc:
            errors.extend((f"{key}/{n}", m) for n, m in exc.errors)
        except ValueError as exc:
            errors.append((key, str(exc)))
    for key in sorted(properties):
        if properties[key].required and data.get(key) is None:
            errors.append((key, "property is missing and it is not optional"))
    return errors


def _as_object_schema(schema):
    if schema is None:
        return {}, False
    if isinstance(schema, Param):
        return dict(schema.properties or {}), schema.additional
    return dict(schema), False


def _raise(errors):
    merged = {}
    for name, msg in errors:
        merged.setdefault(name, msg)
    raise ParamError(merged)


def parse_params(raw, schema, mode, path_params=None):
    """Verify ``raw`` against ``schema`` like PBS; return the typed parameters.

    ``raw``: in ``"json"`` mode the decoded JSON body merged with the path parameters; in
    ``"form"`` mode body + query + path parameters where repeated keys are lists of
    strings. ``schema``: ``{wire-name: Param}``, a ``Param`` of type object (to allow
    additional properties), or None (no parameters). ``path_params`` (optional): the
    path parameters, which PBS parses from text even in JSON mode.
    Raises ParamError (400 ``parameter verification failed ...``).
    """
    properties, additional = _as_object_schema(schema)
    if mode == "json":
        return _parse_json(raw, properties, additional, path_params or {})
    if mode == "form":
        return _parse_form(raw, properties, additional)
    raise ValueError(f"unknown parameter mode {mode!r}")


def _parse_json(raw, properties, additional, path_params):
    if isinstance(raw, list):
        raise ApiError(400, "Expected object - got array.")
    if not isinstance(raw, dict):
        raise ApiError(400, "Expected object - got scalar value.")
    data = dict(raw)
    for key, text in path_params.items():
        sub = properties.get(key)
        if sub is not None and isinstance(text, str):
            try:
                data[key] = _parse_simple(sub, text)
            except _Nested as exc:
                raise ApiError(400, _format_nested(exc.errors)) from None
            except ValueError as exc:
                raise ApiError(400, str(exc)) from None
    errors = _verify_object(properties, additional, data)
    if errors:
        _raise(errors)
    return data


def _parse_form(raw, properties, additional):
    pairs = []
    for key, value in raw.items():
        if isinstance(value, (list, tuple)):
            pairs.extend((key, v) for v in value)
        else:
            pairs.append((key, value))
    result = {}
    errors = []
    for key, text in pairs:
        if not isinstance(text, str):
            text = str(text)
        sub = properties.get(key)
        if sub is None:
            if additional:
                if key not in result:
                    result[key] = text
                elif isinstance(result[key], list):
                    result[key].append(text)
                else:
                    result[key] = [result[key], text]
            else:
                errors.append((key, "schema does not allow additional properties."))
            continue
        try:
            if sub.type == "array":
                result.setdefault(key, []).append(_parse_simple(sub.items, text))
            else:
                parsed = _parse_simple(sub, text)
                if key in result:
                    errors.append((key, "duplicate parameter."))
                else:
                    result[key] = parsed
        except _Nested as exc:
            errors.append((key, _format_nested(exc.errors)))
        except ValueError as exc:
            errors.append((key, str(exc)))
    if not errors:
        for key in sorted(properties):
            if properties[key].required and key not in result:
                errors.append((key, "parameter is missing and it is not optional."))
    if errors:
        _raise(errors)
    return result


def check_value(param, value, name="value"):
    """Verify one typed value (as handlers do for values they build); raise ParamError."""
    try:
        return _verify_json(param, value)
    except _Nested as exc:
        _raise([(f"{name}/{n}", m) for n, m in exc.errors])
    except ValueError as exc:
        _raise([(name, str(exc))])
    return None


def parse_property_value(param, text):
    """Parse a property-string value into a dict of typed values (already verified)."""
    parsed = values.parse_property_string(text, param.default_key)
    out = {}
    for key, raw in parsed.items():
        sub = param.properties.get(key)
        out[key] = _parse_simple(sub, raw) if sub is not None else raw
    return out
