"""The applicant-facing web pages: server-rendered HTML that works without JavaScript."""
