"""Persistence: repository interfaces and their DynamoDB implementation (pynamodb)."""
