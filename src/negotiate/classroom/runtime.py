"""The process's one classroom service (Solara runs the app module per process, one worker)."""

from __future__ import annotations

import os
import threading

from .service import ClassroomService

DB_ENV = "NEGOTIATE_CLASSROOM_DB"
KEY_ENV = "NEGOTIATE_TEACHER_KEY"
DEFAULT_DB = "negotiate-classroom.sqlite"
_service: ClassroomService | None = None
_lock = threading.Lock()


def get_service() -> ClassroomService:
    """The shared service, opened on first use from $NEGOTIATE_CLASSROOM_DB (and the teacher
    key from $NEGOTIATE_TEACHER_KEY, or a new random one)."""
    global _service
    with _lock:
        if _service is None:
            _service = ClassroomService(os.environ.get(DB_ENV, DEFAULT_DB),
                                        teacher_key=os.environ.get(KEY_ENV) or None)
        return _service


def set_service(service: ClassroomService | None) -> None:
    global _service
    with _lock:
        _service = service
