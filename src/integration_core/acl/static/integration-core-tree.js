/*
 * integration-core: the resource tree glue for jstree 3 (checkbox plugin).
 * Licence: MIT, as the integration-core package that ships it.
 *
 * Load jQuery and jstree 3 first, then this file. It mounts jstree on an element with the data
 * of AclTree.to_jstree(selection.check_states(tree)) and, when the element's form is submitted,
 * writes one hidden input per allowed resource (name "resource[]" by default), as Magento's
 * form posts them. ResourceSelection.from_magento (or FormPost) reads that list back.
 *
 * The contract, for every selection S on a tree T:
 * - a node is selected exactly when S allows that resource itself, so an unchanged submit
 *   posts exactly what S allows (a parent allowed with its children denied included);
 * - ticking a node selects it and its whole subtree: ResourceSelection.grant;
 * - unticking a node deselects it and its whole subtree: ResourceSelection.exclude.
 * Hence three_state is off (jstree would derive a parent's state from its children) and the
 * cascade down is done here, on the user's tick, never on load (jstree's own "down" cascade
 * would also select the children of an allowed parent while loading). "undetermined" only
 * draws a parent that is not selected but has something selected below it.
 *
 * Use:
 *   <div id="resources" data-integration-core-tree="[...to_jstree JSON...]"></div>
 * is mounted when the page loads (data-integration-core-name overrides "resource[]"), or:
 *   IntegrationCoreTree.mount(element, data, {name: "resource[]", form: someForm});
 * A form submitted from script with form.submit() fires no submit event: call
 * IntegrationCoreTree.write(element) first, or use form.requestSubmit().
 */
(function (global, $) {
    "use strict";

    var MARK = "data-integration-core-input";

    // The one jstree configuration the exact round trip is proven on.
    function settings(data) {
        return {
            plugins: ["checkbox"],
            core: {data: data, multiple: true, themes: {dots: true, icons: false}},
            checkbox: {three_state: false, cascade: "undetermined", tie_selection: true}
        };
    }

    function instance(element) {
        return $(element).jstree(true);
    }

    // The selected resource ids, in display order.
    function selected(element) {
        var tree = instance(element), ids = [], pending = tree.get_node($.jstree.root).children.slice().reverse(), node;
        while (pending.length) {
            node = tree.get_node(pending.pop());
            if (tree.is_selected(node)) {
                ids.push(node.id);
            }
            pending.push.apply(pending, node.children.slice().reverse());
        }
        return ids;
    }

    // Replace the hidden inputs this glue wrote in the element's form by the current selection.
    function write(element) {
        var options = $(element).data("integrationCoreTree"), form = options.form;
        $(form).find("input[" + MARK + '="' + element.id + '"]').remove();
        selected(element).forEach(function (id) {
            var input = document.createElement("input");
            input.type = "hidden";
            input.name = options.name;
            input.value = id;
            input.setAttribute(MARK, element.id);
            form.appendChild(input);
        });
    }

    function mount(element, data, options) {
        var chosen = $.extend({name: "resource[]", form: element.closest("form")}, options || {});
        if (!element.id) {
            element.id = "integration-core-tree-" + Math.random().toString(36).slice(2);
        }
        $(element).data("integrationCoreTree", chosen);
        $(element)
            .on("select_node.jstree", function (event, change) {
                change.instance.select_node(change.node.children_d, true, true);
            })
            .on("deselect_node.jstree", function (event, change) {
                change.instance.deselect_node(change.node.children_d, true);
            })
            .jstree(settings(data));
        if (chosen.form) {
            chosen.form.addEventListener("submit", function () {
                write(element);
            });
        }
        return instance(element);
    }

    global.IntegrationCoreTree = {mount: mount, selected: selected, write: write, settings: settings};

    $(function () {
        $("[data-integration-core-tree]").each(function () {
            var name = this.getAttribute("data-integration-core-name");
            mount(this, JSON.parse(this.getAttribute("data-integration-core-tree")), name ? {name: name} : {});
        });
    });
}(window, window.jQuery));
