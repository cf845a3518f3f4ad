"""Tests of integration_core.oauth1."""
