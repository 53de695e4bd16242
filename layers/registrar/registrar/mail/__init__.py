"""Email rendering: from an application and the conference definition to a finished message.

``compose`` turns one mail kind into subject, plain text, HTML (and, for the programme, an
``.ics`` attachment); ``mime`` wraps that into the bytes SES sends. Everything here is pure:
no clock, no network, only the package's own template files are read. Wording lives in
``templates/<language>/``: adding a language is adding a folder, not code.
"""
