"""The page shell (``index.html.j2``) and the module that serves the app under it."""
