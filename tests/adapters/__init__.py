"""Tests of integration_core.adapters."""
