"""Print material for the organisers: the form's QR code, badges and sign-in lists.

Everything here turns data into files (PNG, SVG, PDF) and reads nothing from a stack; the
commands in ``registrar_cli.commands.printing`` fetch the data and call these modules.
"""
