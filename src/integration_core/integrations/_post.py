"""
Magento's integration form as posted, and back: the fields a host's framework hands over.

The admin form posts ``name``, ``email``, ``endpoint`` (the callback URL),
``identity_link_url``, ``all_resources`` (``1`` for All, ``0`` for Custom) and one
``resource[]`` per ticked resource; the host adds the ``version`` the form was loaded at.
No web framework is imported: give :meth:`FormPost.parse` any mapping of field names to a
value or a list of values (a multi-dict's ``to_dict(flat=False)``, say).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from integration_core.acl import AclTree
from integration_core.errors import InvalidArgumentError, Problem, UnknownResourceError
from integration_core.integrations._form import IntegrationForm
from integration_core.integrations._integration import Integration
from integration_core.integrations._validation import unknown_resources
from integration_core.selection import AccessMode, ResourceSelection

__all__ = ["FormPost"]

_RESOURCE_FIELDS = ("resource[]", "resource")


@attrs.frozen
class FormPost:
    """
    The integration form's fields as posted, before any check.

    Attributes:
        name: The posted ``name``.
        email: The posted ``email``.
        endpoint: The posted ``endpoint`` (Magento's name for the callback URL).
        identity_link_url: The posted ``identity_link_url``.
        all_resources: Whether ``all_resources`` was ``1`` ("Resource Access: All").
        resources: The posted ``resource[]`` ids, in order, as they came.
        version: The posted ``version`` the form was loaded at, as text (``""`` when
            none was posted, as for a new integration); see :attr:`loaded_version`.
            Text that is not a number is kept as given and reported by :meth:`form`.

    Example:
        >>> from integration_core import AclTree
        >>> tree = AclTree.from_data([{"id": "sales", "children": [{"id": "orders"}]}])
        >>> post = FormPost.parse({"name": "ERP", "all_resources": "0", "resource[]": ["orders"]})
        >>> form, problems = post.form(tree)
        >>> form.selection.to_magento(tree), problems
        (['orders'], [])
    """

    name: str = ""
    email: str = ""
    endpoint: str = ""
    identity_link_url: str = ""
    all_resources: bool = False
    resources: tuple[str, ...] = ()
    version: str = ""

    @classmethod
    def parse(cls, fields: Mapping[str, str | Sequence[str]]) -> FormPost:
        """
        Read the posted fields; a field posted several times keeps its last value.

        Raises:
            InvalidArgumentError: ``fields`` is not a mapping, or holds a value that is
                neither text nor a list of texts (naming the field).

        Example:
            >>> FormPost.parse({"name": ["ERP", "ERP 2"], "all_resources": "1"}).name
            'ERP 2'
        """
        given: object = fields
        if not isinstance(given, Mapping):
            raise InvalidArgumentError("fields", f"expected a mapping, got {type(given).__name__}")
        values = {str(name): _texts(str(name), value) for name, value in given.items()}

        def last(name: str) -> str:
            posted = values.get(name, [])
            return posted[-1] if posted else ""

        resources = next((values[name] for name in _RESOURCE_FIELDS if name in values), [])
        return cls(
            name=last("name"),
            email=last("email"),
            endpoint=last("endpoint"),
            identity_link_url=last("identity_link_url"),
            all_resources=last("all_resources").strip() == "1",
            resources=tuple(resources),
            version=last("version").strip(),
        )

    @classmethod
    def of(cls, integration: Integration, tree: AclTree) -> FormPost:
        """
        The fields the Edit form of ``integration`` shows, as they would be posted unchanged.

        Example:
            >>> from integration_core import AclTree
            >>> from integration_core.testing.builders import sample_integration
            >>> tree = AclTree.from_data([{"id": "sales"}])
            >>> post = FormPost.of(sample_integration("ERP"), tree)
            >>> post.all_resources, post.version
            (True, '0')
        """
        selection = integration.selection
        everything = selection.mode is AccessMode.ALL
        return cls(
            name=integration.name,
            email=integration.email or "",
            endpoint=integration.callback_url or "",
            identity_link_url=integration.identity_link_url or "",
            all_resources=everything,
            resources=() if everything else tuple(selection.to_magento(tree)),
            version=str(integration.version),
        )

    def form(self, tree: AclTree) -> tuple[IntegrationForm, list[Problem]]:
        """
        The :class:`IntegrationForm` posted, and the problems only the post can have.

        Unknown or malformed resource ids and a version that is not a number are
        :class:`~integration_core.errors.Problem` values keyed to ``resource`` and
        ``version``, so that they show next to a bad email rather than stop the page;
        the form's selection then holds the known ids only. The form's own checks are
        the service's (:meth:`~integration_core.IntegrationService.validate`).

        Example:
            >>> from integration_core import AclTree
            >>> tree = AclTree.from_data([{"id": "sales"}])
            >>> form, problems = FormPost.parse({"name": "ERP", "resource[]": ["sales", "gone"]}).form(tree)
            >>> [(problem.field, problem.code) for problem in problems], form.selection.to_magento(tree)
            ([('resource', 'unknown_resource')], ['sales'])
        """
        problems: list[Problem] = []
        if self.version and not (self.version.isascii() and self.version.isdigit()):
            problems.append(Problem("version", "invalid", "The form version is not a number."))
        if self.all_resources:
            selection = ResourceSelection.all()
        else:
            try:
                selection = ResourceSelection.from_magento(tree, self.resources)
            except UnknownResourceError as error:
                problems.append(unknown_resources("resource", error.resource_ids))
                unknown = set(error.resource_ids)
                known = [
                    resource_id for resource_id in self.resources if resource_id not in unknown
                ]
                selection = ResourceSelection.from_magento(tree, known)
        form = IntegrationForm(
            name=self.name,
            email=self.email,
            callback_url=self.endpoint,
            identity_link_url=self.identity_link_url,
            selection=selection,
        )
        return form, problems

    @property
    def loaded_version(self) -> int | None:
        """
        The version to pass to ``edit`` and ``delete``: ``None`` when none (or no number) was posted.

        Example:
            >>> FormPost.parse({"version": "3"}).loaded_version, FormPost.parse({}).loaded_version
            (3, None)
        """
        return int(self.version) if self.version.isascii() and self.version.isdigit() else None

    def to_fields(self) -> dict[str, list[str]]:
        """
        The fields again, as posted: for re-displaying a form after a failed save (Magento #13743).

        Example:
            >>> FormPost.parse({"name": "ERP", "resource[]": ["a", "b"]}).to_fields()["resource[]"]
            ['a', 'b']
        """
        return {
            "name": [self.name],
            "email": [self.email],
            "endpoint": [self.endpoint],
            "identity_link_url": [self.identity_link_url],
            "all_resources": ["1" if self.all_resources else "0"],
            "resource[]": list(self.resources),
            "version": [self.version] if self.version else [],
        }


def _texts(name: str, value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence) and all(isinstance(item, str) for item in value):
        return [str(item) for item in value]
    raise InvalidArgumentError(
        name, f"expected text or a list of texts, got {type(value).__name__}"
    )
