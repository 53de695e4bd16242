"""registrar: pre-registration and admission for capacity-limited events."""
