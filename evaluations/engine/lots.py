"""Lots and bids of a sourcing event (docs/scoring.md v2, "Lots and bids"): the rules.

Pure module: plain values in, :class:`Violation` lists out; callers turn the
violations into their own errors (the API: a 400 whose ``errors`` carry each
violation's ``path``, e.g. ``lots[1].service_models``).

A lot is ``{"code", "title", "service_models", "weight"}``. An evaluation without
lots has one implicit lot, :data:`IMPLICIT_LOT`, holding its required service
models; every candidate bids on it. A bid is the list of lot codes a candidate
bids on; a proposal covers a non-empty part of its candidate's bid.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from config.text import is_blank
from providers.vocabulary import ServiceModel

IMPLICIT_LOT = "all"
CODE_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,39}$"
_CODE_RE = re.compile(CODE_PATTERN)
MAX_TITLE_LENGTH = 200
MAX_WEIGHT = 1000
SERVICE_MODELS = frozenset(model.value for model in ServiceModel)


@dataclass(frozen=True, slots=True)
class Violation:
    path: str  # where the problem is, e.g. "lots[1].service_models"
    message: str


def _code_violation(code: Any, path: str) -> Violation | None:
    if not isinstance(code, str) or not _CODE_RE.fullmatch(code):
        return Violation(
            path,
            "A lot code is 1 to 40 lower-case letters, digits, `-` or `_`, "
            "starting with a letter or digit.",
        )
    if code == IMPLICIT_LOT:
        return Violation(path, f"`{IMPLICIT_LOT}` is reserved for the implicit lot.")
    return None


def _title_violation(title: Any, path: str) -> Violation | None:
    if not isinstance(title, str) or is_blank(title):
        return Violation(path, "Give the lot a title.")
    if len(title) > MAX_TITLE_LENGTH:
        return Violation(path, f"At most {MAX_TITLE_LENGTH} characters.")
    return None


def _weight_violation(weight: Any, path: str) -> Violation | None:
    number = isinstance(weight, int | float) and not isinstance(weight, bool)
    if not number or not math.isfinite(weight) or not 0 < weight <= MAX_WEIGHT:
        return Violation(path, f"A lot's weight is a number above 0 and at most {MAX_WEIGHT}.")
    return None


def _model_violations(models: Any, path: str) -> list[Violation]:
    if not isinstance(models, list) or not models:
        return [Violation(path, "A lot holds at least one service model.")]
    found = []
    seen = set()
    for model in models:
        if model not in SERVICE_MODELS:
            known = ", ".join(sorted(SERVICE_MODELS))
            found.append(Violation(path, f"Unknown service model `{model}` (known: {known})."))
        elif model in seen:
            found.append(Violation(path, f"`{model}` is listed twice."))
        seen.add(model)
    return found


def lot_violations(
    lots: Sequence[Mapping[str, Any]], required_service_models: Iterable[str]
) -> list[Violation]:
    """What is wrong with an evaluation's ``lots`` (empty: no lots, nothing wrong).

    Each lot: a unique slug-like code other than ``all``, a title of 1..200
    characters, known service models (none twice), a weight in (0, 1000]. Across
    lots, the service models are pairwise disjoint and together exactly the
    evaluation's required service models.
    """
    found: list[Violation] = []
    codes: dict[str, int] = {}
    holder: dict[str, str] = {}  # service model -> code of the first lot holding it
    required = set(required_service_models)
    complete = True  # every lot's models could be read, so a missing model is missing
    for index, lot in enumerate(lots):
        path = f"lots[{index}]"
        if not isinstance(lot, Mapping):
            found.append(Violation(path, "A lot has a code, title, service models and weight."))
            complete = False
            continue
        code = lot.get("code")
        problem = _code_violation(code, f"{path}.code")
        if problem is None and code in codes:
            problem = Violation(f"{path}.code", f"Lot code `{code}` is used twice.")
        if problem is None:
            codes[code] = index
        found += [p for p in (problem,) if p is not None]
        found += [
            p
            for p in (
                _title_violation(lot.get("title"), f"{path}.title"),
                _weight_violation(lot.get("weight"), f"{path}.weight"),
            )
            if p is not None
        ]
        models = lot.get("service_models")
        model_problems = _model_violations(models, f"{path}.service_models")
        found += model_problems
        if model_problems:
            complete = False
            continue
        name = code if isinstance(code, str) else path
        for model in models:
            if model not in required:
                found.append(
                    Violation(
                        f"{path}.service_models",
                        f"Lot `{name}` holds `{model}`, which the evaluation does not "
                        "require (add it to required_service_models, or drop it here).",
                    )
                )
            elif model in holder:
                found.append(
                    Violation(
                        f"{path}.service_models",
                        f"Lot `{name}` holds `{model}`, which lot `{holder[model]}` holds "
                        "already (lots' service models are disjoint).",
                    )
                )
            else:
                holder[model] = name
    if lots and complete:
        for model in sorted(required - set(holder)):
            found.append(Violation("lots", f"No lot holds `{model}`, a required service model."))
    return found


def lot_codes(lots: Sequence[Mapping[str, Any]]) -> list[str]:
    """The codes a candidate may bid on: the lots' own, or ``["all"]`` without lots."""
    return [lot["code"] for lot in lots] if lots else [IMPLICIT_LOT]


def default_bid(
    lots: Sequence[Mapping[str, Any]], offered_service_models: Iterable[str]
) -> list[str]:
    """Every lot all of whose service models the provider offers, in lot order
    (``["all"]`` without lots, whatever it offers). Empty: it must name its lots."""
    if not lots:
        return [IMPLICIT_LOT]
    offered = set(offered_service_models)
    return [lot["code"] for lot in lots if set(lot["service_models"]) <= offered]


def bid_violations(
    bid: Sequence[str], lots: Sequence[Mapping[str, Any]], path: str = "lots"
) -> list[Violation]:
    """What is wrong with naming ``bid`` as a candidate's lots: it names at least one
    lot, only lots of the evaluation (``all`` when it has none), none twice."""
    if not bid:
        return [Violation(path, "Name at least one lot to bid on.")]
    known = set(lot_codes(lots))
    found = []
    seen = set()
    for index, code in enumerate(bid):
        if code not in known:
            choices = ", ".join(lot_codes(lots))
            found.append(Violation(f"{path}[{index}]", f"No lot `{code}` here (lots: {choices})."))
        elif code in seen:
            found.append(Violation(f"{path}[{index}]", f"Lot `{code}` is named twice."))
        seen.add(code)
    return found


def cover_violations(
    covered: Sequence[str], bid: Sequence[str], path: str = "lots"
) -> list[Violation]:
    """What is wrong with a proposal covering ``covered``: a non-empty part of its
    candidate's ``bid`` (two or more lots make a bundle), no lot twice."""
    if not covered:
        return [Violation(path, "A proposal covers at least one lot.")]
    found = []
    seen = set()
    for index, code in enumerate(covered):
        if code not in bid:
            choices = ", ".join(bid)
            found.append(
                Violation(
                    f"{path}[{index}]",
                    f"The candidate does not bid on lot `{code}` (it bids on: {choices}).",
                )
            )
        elif code in seen:
            found.append(Violation(f"{path}[{index}]", f"Lot `{code}` is named twice."))
        seen.add(code)
    return found


def ordered_bid(bid: Iterable[str], lots: Sequence[Mapping[str, Any]]) -> list[str]:
    """``bid`` in the evaluation's lot order, so equal bids compare equal."""
    chosen = set(bid)
    return [code for code in lot_codes(lots) if code in chosen]
