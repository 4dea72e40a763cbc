"""Who may see which licensing records: an applicant only the productions they created and the
applications in them; officers and admins everything. Another owner's record answers 404."""

from __future__ import annotations

from sqlalchemy import Select, select

from licensing_service.models.licences import PerformanceLicence
from licensing_service.models.productions import Production
from shared import auth, db
from shared.users import User


def scope_productions(query: Select, user: User) -> Select:
    if user.is_staff:
        return query
    return query.where(Production.owner_id == user.id)


def scope_licences(query: Select, user: User) -> Select:
    if user.is_staff:
        return query
    return query.join(Production, Production.id == PerformanceLicence.production_id).where(
        Production.owner_id == user.id
    )


class Owned:
    """Records an applicant owns through ``owner_id`` (chaperone, permit and BOPA applications): staff see
    every one, the owner their own; anyone else's answers 404, as if it did not exist."""

    def __init__(self, model) -> None:
        self.model = model

    def scope(self, query: Select, user: User) -> Select:
        return query if user.is_staff else query.where(self.model.owner_id == user.id)

    def visible(self, record_id: int, user: User):
        query = self.scope(select(self.model).where(self.model.id == record_id), user)
        return auth.visible_or_404(db.session().scalar(query))

    def locked(self, record_id: int, user: User | None = None):
        """The record locked for this transaction and read afresh (see ``db.locked``); ``user`` None for
        work the service does itself (a job, a link's holder)."""
        query = select(self.model).where(self.model.id == record_id)
        if user is not None:
            query = self.scope(query, user)
        return auth.visible_or_404(db.locked(self.model, record_id, query))
