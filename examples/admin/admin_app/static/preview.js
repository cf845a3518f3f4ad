/* The example admin's impact preview: before Save, the REST routes that the API tab's pending change
 * opens and closes against the stored selection. The server computes it (integration_core.webapi's
 * preview) from what the form would post: Resource Access and the tree's selected ids, read with
 * the glue's IntegrationCoreTree.selected. */
(function ($) {
    "use strict";

    var shown = document.getElementById("route-preview");
    var tree = document.getElementById("resources");
    var form = document.getElementById("integration-form");
    var access = document.getElementById("all_resources");
    var body = shown.querySelector(".impact-body");
    var latest = 0;

    function refresh() {
        var asked = ++latest, fields = new URLSearchParams();
        fields.append("csrf_token", form.elements.csrf_token.value);
        fields.append("all_resources", access.value);
        IntegrationCoreTree.selected(tree).forEach(function (id) {
            fields.append("resource[]", id);
        });
        fetch(shown.getAttribute("data-preview-url"), {method: "POST", body: fields, credentials: "same-origin"})
            .then(function (answer) { return answer.json(); })
            .then(function (data) {
                // Only the answer to the latest change is shown, whatever order the answers arrive in.
                if (asked === latest) {
                    body.innerHTML = data.html;
                }
            })
            .catch(function () {
                if (asked === latest) {
                    body.textContent = "The preview is unavailable: Save still applies the change.";
                }
            });
    }

    $(tree).on("changed.jstree", refresh);
    access.addEventListener("change", refresh);
}(window.jQuery));
