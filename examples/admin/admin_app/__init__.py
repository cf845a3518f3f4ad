"""
An example host of integration-core: Magento's System > Integrations screen in a small Flask app.

Written as a host author would write it, over the library's public API only: the grid, New and
Edit with the Integration Info and API tabs, the row actions, the OAuth 1.0a endpoints and one
signed REST route. Start it with ``bash examples/admin/run``; see ``README.md`` beside it.
"""

from admin_app._app import create_app
from admin_app._shop import Settings

__all__ = ["Settings", "create_app"]
