"""Tests of integration_core.integrations."""
