"""Classroom pages: join, seat, teacher and debrief (served by ``negotiate classroom``)."""
