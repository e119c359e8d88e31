"""Reporters: turn a run's findings and notices into text, JSON or SARIF."""
