"""Property names from the PBS API schema (the clientapi-pbs package, test-only), to check
that catalog entries describe every property PBS 4 has."""

import importlib


def _model(dotted):
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(f"clientapi_pbs.models.{module}"), name)


def properties(dotted):
    """Wire names of a request model (``<module>.<class>`` under ``clientapi_pbs.models``)."""
    return {field.alias or name for name, field in _model(dotted).model_fields.items()}


def enum_values(dotted):
    """Values of a schema enum (the ``delete`` enum of an update)."""
    return {member.value for member in _model(dotted)}


def props_of(kind):
    return {p.wire for p in kind.props}


def deletable_of(kind):
    return {p.wire for p in kind.props if p.deletable}
