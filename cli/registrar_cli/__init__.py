"""Organiser command line (`registrar`) and the embedded local stack."""
