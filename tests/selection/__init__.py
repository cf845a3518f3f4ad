"""Tests of integration_core.selection."""
