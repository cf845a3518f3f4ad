"""Tests of the web API routes: integration_core.webapi."""
