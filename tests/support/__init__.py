"""Helpers shared by several test modules; test modules import from here, never each other."""
