"""What ``negotiate app`` serves: the app's routes, under the page shell in this folder.

Solara finds a project's ``index.html.j2`` in the ``templates`` folder beside the served
module's package, i.e. one level above the module's own folder. Served from here, that is
``negotiate/app/templates`` both in a checkout and in an installed wheel; served as
``negotiate.app.pages`` it would be the checkout root or ``negotiate/``, which differ.
"""

from __future__ import annotations

from negotiate.app.pages import routes

__all__ = ["routes"]
