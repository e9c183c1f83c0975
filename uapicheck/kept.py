"""A bounded store of what a run computed once and reuses: the chunks and
expansions of the preprocessor, expression trees, macro facts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Kept(Generic[K, V]):
    """Up to `variants` values by key, the least recently used dropped
    when what they hold passes a size (memory, for a run of every header
    on every arch)."""

    def __init__(self, size: int, variants: int = 8) -> None:
        self.items: dict[K, list[V]] = {}
        self.sizes: dict[K, int] = {}
        self.size = size
        self.variants = variants
        self.held = 0

    def get(self, key: K) -> list[V]:
        variants = self.items.pop(key, None)
        if variants is None:
            return []
        self.items[key] = variants  # now the most recently used
        return variants

    def add(self, key: K, variant: V, size: int) -> None:
        variants = self.items.setdefault(key, [])
        if len(variants) >= self.variants:
            return
        variants.append(variant)
        self.sizes[key] = self.sizes.get(key, 0) + size
        self.held += size
        while self.held > self.size and len(self.items) > 1:
            oldest = next(iter(self.items))
            del self.items[oldest]
            self.held -= self.sizes.pop(oldest)

    def first(self, key: K, make: Callable[[], V], size: int) -> V:
        """The first value kept for key; if there is none, make()'s, kept."""
        variants = self.get(key)
        if variants:
            return variants[0]
        value = make()
        self.add(key, value, size)
        return value
