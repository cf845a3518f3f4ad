"""Tests of integration_core.testing."""
