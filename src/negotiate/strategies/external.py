"""Strategies whose moves come from outside the model: people and the historical record."""

from __future__ import annotations

import numpy as np

from .base import Perception, Posture, Strategy


class Human(Strategy):
    """Moves supplied from outside: the browser, a classroom seat, or a test.

    The model hands the submitted posture in through :meth:`submit`; a week with no
    submission is played by ``fallback`` (the AI filling an empty seat) and the model logs
    that the AI moved.
    """

    name = "human"
    aliases = ("player", "external")
    external = True

    def __init__(self, fallback: Strategy | None = None) -> None:
        self.fallback = fallback
        self.pending: Posture | None = None
        self.ai_filled = False

    def reset(self) -> None:
        self.pending = None
        if self.fallback is not None:
            self.fallback.reset()

    def submit(self, posture: Posture) -> None:
        self.pending = Posture(posture)

    def decide(self, view: Perception, rng: np.random.Generator) -> Posture:
        if self.pending is not None:
            posture, self.pending = self.pending, None
            self.ai_filled = False
            return posture
        self.ai_filled = True
        if self.fallback is None:
            return Posture.COMPLY
        return self.fallback.decide(view, rng)

    def observe(self, my_move: bool, their_seen: bool) -> None:
        if self.fallback is not None:
            self.fallback.observe(my_move, their_seen)


class Scripted(Strategy):
    """Moves from the historical record only: the calendar sets every instrument.

    Used by ``rare-earth-2025-replay`` so that firms, licences, prices and markets can be
    compared with 2025 under the governments' real moves. Week to week it holds its
    instruments; every change and accusation comes from a dated calendar event.
    """

    name = "scripted"
    aliases = ("replay", "history")
    moves_instruments = False

    def decide(self, view: Perception, rng: np.random.Generator) -> Posture:
        return Posture.COMPLY
