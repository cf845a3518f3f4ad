/* The example admin's page behaviour: the form's tabs, Resource Access All/Custom, the identity popup.
 * The resource tree itself is integration-core's glue (integration-core-tree.js). */
(function () {
    "use strict";

    function showTab(tab) {
        document.querySelectorAll("[role=tab]").forEach(function (other) {
            var selected = other === tab;
            other.setAttribute("aria-selected", selected ? "true" : "false");
            document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
        });
    }

    document.querySelectorAll("[role=tab]").forEach(function (tab) {
        tab.addEventListener("click", function () { showTab(tab); });
    });

    // A problem on the API tab opens it, so that the admin sees what to fix.
    var apiError = document.querySelector("#panel-api .field-error");
    if (apiError && !document.querySelector("#panel-info .field-error")) {
        showTab(document.getElementById("tab-api"));
    }

    var access = document.getElementById("all_resources");
    if (access) {
        access.addEventListener("change", function () {
            document.getElementById("resources-field").hidden = access.value === "1";
        });
    }

    // Magento opens the identity link in a 680x510 popup.
    document.querySelectorAll("a[data-popup]").forEach(function (link) {
        link.addEventListener("click", function (event) {
            if (window.open(link.href, link.target, "width=680,height=510")) {
                event.preventDefault();
            }
        });
    });
}());
