"""A small Magento-style ACL, as two ``acl.xml`` documents, for the demo and the docs."""

from __future__ import annotations

from typing import Final

__all__ = ["SAMPLE_ACL_XML"]

_BACKEND: Final = """<?xml version="1.0"?>
<config xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
        xsi:noNamespaceSchemaLocation="urn:magento:framework:Acl/etc/acl.xsd">
    <acl>
        <resources>
            <resource id="Magento_Backend::all" title="Allow everything" sortOrder="10"/>
            <resource id="Magento_Backend::admin" title="Magento Admin" sortOrder="20">
                <resource id="Magento_Backend::dashboard" title="Dashboard" sortOrder="10"/>
                <resource id="Magento_Sales::sales" title="Sales" sortOrder="20">
                    <resource id="Magento_Sales::sales_operation" title="Operations" sortOrder="10">
                        <resource id="Magento_Sales::sales_order" title="Orders" sortOrder="10">
                            <resource id="Magento_Sales::actions" title="Actions" sortOrder="10">
                                <resource id="Magento_Sales::actions_view" title="View" sortOrder="10"/>
                                <resource id="Magento_Sales::invoice" title="Invoice" sortOrder="20"/>
                                <resource id="Magento_Sales::cancel" title="Cancel" sortOrder="30"/>
                            </resource>
                        </resource>
                        <resource id="Magento_Sales::shipment" title="Shipments" sortOrder="30"/>
                    </resource>
                </resource>
                <resource id="Magento_Catalog::catalog" title="Catalog" sortOrder="30">
                    <resource id="Magento_Catalog::products" title="Products" sortOrder="10"/>
                    <resource id="Magento_Catalog::categories" title="Categories" sortOrder="20"/>
                </resource>
                <resource id="Magento_Customer::customer" title="Customers" sortOrder="40"/>
            </resource>
        </resources>
    </acl>
</config>
"""

_INVENTORY: Final = """<?xml version="1.0"?>
<config>
    <acl>
        <resources>
            <resource id="Magento_Backend::admin">
                <resource id="Magento_Catalog::catalog">
                    <resource id="Magento_CatalogInventory::cataloginventory" title="Inventory"
                              sortOrder="15"/>
                </resource>
            </resource>
        </resources>
    </acl>
</config>
"""

SAMPLE_ACL_XML: Final = {
    "Magento_Backend/etc/acl.xml": _BACKEND,
    "Magento_CatalogInventory/etc/acl.xml": _INVENTORY,
}
"""Two ``acl.xml`` documents: the second re-opens the first's Catalog to add Inventory."""
