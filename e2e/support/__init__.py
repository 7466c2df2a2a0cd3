"""Helpers for the browser and web-server tests (run by e2e/run.sh)."""
