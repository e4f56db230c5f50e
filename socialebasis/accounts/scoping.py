"""Who reaches which records: the one scoping rule every app with residents' data uses.

A record belongs to a municipality, and usually to a neighbourhood. A professional reaches it
through a membership (``accounts.Membership``) of that municipality, or of a region that
includes it:

- ``team_roles`` (e.g. social worker, team lead) reach only records in the districts their
  team covers (``Team.districts``);
- ``municipality_roles`` (e.g. privacy officer) reach every record of the municipality.

``scope_q`` gives that rule as one ``Q`` over the record's own fields, so residents,
networks and social work scope the same way with their own field paths, e.g.
``scope_q(user, team_roles=..., municipality_field="municipality_id",
district_field="neighbourhood__district")``. An anonymous user reaches nothing.
"""

from django.db.models import Q

NOTHING = Q(pk__in=[])


def scope_q(
    user,
    *,
    team_roles=(),
    municipality_roles=(),
    municipality_field: str = "municipality_id",
    district_field: str = "neighbourhood__district",
) -> Q:
    """The records ``user`` reaches through memberships with these roles, as a ``Q`` on
    ``municipality_field`` (a municipality id) and ``district_field`` (a district)."""
    if not user.is_authenticated:
        return NOTHING
    allowed = NOTHING
    for membership in user.memberships.select_related("team", "region"):
        municipalities = membership.municipality_ids()
        if membership.role in team_roles and membership.team_id:
            allowed |= Q(
                **{
                    f"{municipality_field}__in": municipalities,
                    f"{district_field}__in": membership.team.districts.all(),
                }
            )
        elif membership.role in municipality_roles:
            allowed |= Q(**{f"{municipality_field}__in": municipalities})
    return allowed


def municipality_ids_for_role(user, role: str) -> set:
    """The municipalities ``user`` holds ``role`` in (with their regions' municipalities)."""
    if not user.is_authenticated:
        return set()
    ids: set = set()
    for membership in user.memberships.filter(role=role).select_related("region"):
        ids |= membership.municipality_ids()
    return ids
