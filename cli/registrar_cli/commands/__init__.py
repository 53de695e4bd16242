"""Organiser command groups, each registered on the ``registrar`` app by ``main``."""
