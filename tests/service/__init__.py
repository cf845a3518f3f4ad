"""Tests of integration_core.service."""
